import AppManifest
import Configuration
import Foundation
import HTTPMessages
import Routes
import ServerLog
import Storage

/// The application, rebuilt from a re-read manifest on `SIGHUP` without a restart.
///
/// Workers take the current application at the start of each request, so a request runs
/// entirely on one manifest and the switch happens between requests; nothing in flight fails.
/// A manifest with problems is not taken: the running one stays and every problem is logged.
/// The long-lived parts (store, keys, identity provider, API client) are kept; only what the
/// manifest shapes (scopes, tools, widgets, names) is built again, and built-in clients stay
/// registered from the start.
public final class ReloadableApplication: Responder, @unchecked Sendable {
    private let configuration: Configuration
    private let lock = NSLock()
    private var parts: AppParts
    private var current: Application

    public init(_ configuration: Configuration, parts: AppParts) throws(StoreError) {
        self.configuration = configuration
        self.parts = parts
        current = try AppComposition.application(configuration, parts: parts)
    }

    public func respond(to request: Request) -> Response {
        lock.lock()
        let application = current
        lock.unlock()
        return application.respond(to: request)
    }

    /// Re-reads the manifest (and so the widget bundles it names); the new manifest, or the
    /// problems that kept the running one.
    @discardableResult
    public func reload() -> Result<AppManifest, ManifestProblems> {
        let codeTools = lock.withLock { parts.codeTools }
        switch ManifestFile.load(configuration, codeTools: codeTools) {
        case .failure(let problems):
            ServerLog.write(.error, "the app manifest was not reloaded: the running one stays", [
                "manifest": .string(configuration.appManifestPath), "problems": .int(problems.problems.count),
            ])
            for problem in problems.problems {
                ServerLog.write(.error, "app manifest problem", ["path": .string(problem.path), "problem": .string(problem.message)])
            }
            return .failure(problems)
        case .success(let manifest):
            var next = lock.withLock { parts }
            next.manifest = manifest
            let application = Application(services: AppComposition.services(configuration, parts: next))
            lock.withLock {
                parts = next
                current = application
            }
            ServerLog.write(.info, "app manifest reloaded", [
                "manifest": .string(configuration.appManifestPath), "tools": .int(manifest.tools.count + codeTools.count),
                "widgets": .int(manifest.widgets.count),
            ])
            return .success(manifest)
        }
    }
}
