import AppComposition
import AppManifest
import Configuration
import Foundation
import OAuth
import Storage
import StoragePostgres

/// `FCGIApp import-original <postgres URL>`: copies the original system's clients and live
/// refresh tokens into the configured PostgreSQL store (docs/MIGRATING.md), prints what it
/// imported and skipped, and exits 0; any failure is one line on stderr and exit status 2.
enum ImportOriginalCommand {
    static let usage = "usage: FCGIApp import-original <postgresql:// URL of the original system's database>"

    static func run(arguments: [String], configuration: Configuration) -> Never {
        guard arguments.count == 1, let sourceURL = arguments.first,
              sourceURL.hasPrefix("postgres://") || sourceURL.hasPrefix("postgresql://") || sourceURL.contains("=")
        else {
            StartupFailure.exit("import-original: \(usage)")
        }
        do {
            let store = try PostgresSetup.storeForCommand(configuration, purpose: "import-original")
            // As at every start, so the original's tokens of the built-in ChatGPT client find it.
            for client in BuiltInClients.all { try store.saveClient(client) }
            let manifest: AppManifest
            switch ManifestFile.load(configuration, codeTools: CodeTools.all) {
            case .success(let loaded): manifest = loaded
            case .failure(let problems): StartupFailure.exit("import-original: \(ManifestFile.summary(problems, configuration: configuration))")
            }
            let settings = OAuthSettings(issuer: configuration.serverBaseURL,
                                         appScopes: manifest.scopes.map { AppScope(name: $0.name, consent: $0.consent) })
            let policy = OriginalSystemImport.Policy(
                resource: settings.mcpResource,
                // The token exchange scope is never carried over: it is granted only on a consent
                // that names it, to clients PRIVY_EXCHANGE_CLIENTS lists.
                scopesSupported: Set(settings.defaultScopes),
                builtInClientIDs: Set(BuiltInClients.all.map(\.id)))
            let report = try OriginalSystemImport(sourceURL: sourceURL, destination: store, policy: policy).run()
            for line in report.lines { print("import-original: \(line)") }
            fflush(nil)
            exit(0)
        } catch {
            StartupFailure.exit("import-original: \(error)")
        }
    }
}
