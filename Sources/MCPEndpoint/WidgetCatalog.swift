import Foundation
import MCP
import ServerLog

/// The widgets this app offers as MCP resources, built from WIDGETS_DIR.
///
/// MIME types: tools link the widget with both `_meta.ui.resourceUri` (MCP Apps, SEP-1865) and
/// `openai/outputTemplate` (Apps SDK), and the spec digest calls the openai keys aliases of the
/// standard ones, so both must name the same URI. That one URI therefore answers `resources/read`
/// with two contents: the MCP Apps one (`text/html;profile=mcp-app`, first, as ChatGPT
/// recommends it) and the Apps SDK one (`text/html+skybridge`), same HTML, same `_meta`. The list
/// shows the URI once, with the MCP Apps type.
public final class WidgetCatalog: Sendable {
    public static let listViewURI = "ui://widget/list-view.html"
    public static let mcpAppMIMEType = "text/html;profile=mcp-app"
    public static let skybridgeMIMEType = "text/html+skybridge"
    static let scriptFile = "list-view.js"
    static let styleFile = "list-view.css"

    private let directory: String
    /// The rendered HTML and the file stamps it was built from.
    private let cache = LockedValue<(stamp: String, html: String)?>(nil)

    /// Checks the bundle once at start and reports a missing one through `report` (by default a
    /// warning line in the server log); reads still try again, so a bundle built later is picked
    /// up without a restart.
    public init(directory: String, report: (String) -> Void = { ServerLog.write(.warning, $0) }) {
        self.directory = directory
        if let problem = Self.missingBundle(in: directory) { report(problem) }
    }

    /// The start-up warning for a folder without the ListView bundle; nil when the bundle is there.
    static func missingBundle(in directory: String) -> String? {
        let path = directory + "/" + scriptFile
        guard !FileManager.default.fileExists(atPath: path) else { return nil }
        return "the ListView widget is not built: \(path) is missing; resources/read of \(listViewURI) fails until it is"
    }

    var resources: [Resource] {
        [Resource(name: "list-view", uri: Self.listViewURI, title: "Items list",
                  description: "The user's items with Complete, Reopen and Delete buttons.",
                  mimeType: Self.mcpAppMIMEType, _meta: Self.meta)]
    }

    func has(uri: String) -> Bool { uri == Self.listViewURI }

    /// Reads the bundle from disk (blocking file I/O, fine on a worker thread).
    func read(uri: String) throws(WidgetError) -> ReadResource.Result {
        let html = try listViewHTML()
        return ReadResource.Result(contents: [
            .text(html, uri: uri, mimeType: Self.mcpAppMIMEType, _meta: Self.meta),
            .text(html, uri: uri, mimeType: Self.skybridgeMIMEType, _meta: Self.meta),
        ])
    }

    /// Resource `_meta` in both vocabularies (digest "ChatGPT / Apps SDK": ui.* and openai/*).
    /// The bundle is inlined and talks to us only through the host, so no domains are needed.
    static let meta = Metadata(additionalFields: [
        "ui": ["csp": ["connectDomains": [], "resourceDomains": []], "prefersBorder": true],
        "openai/widgetCSP": ["connect_domains": [], "resource_domains": []],
        "openai/widgetPrefersBorder": true,
        "openai/widgetDescription": "An interactive list of the user's items; each can be completed, reopened or deleted.",
    ])

    /// The rendered HTML, rebuilt only when the bundle files change.
    private func listViewHTML() throws(WidgetError) -> String {
        let scriptPath = directory + "/" + Self.scriptFile
        let stylePath = directory + "/" + Self.styleFile
        guard let scriptStamp = Self.stamp(scriptPath) else { throw .bundleMissing(file: Self.scriptFile) }
        let stamp = scriptStamp + "|" + (Self.stamp(stylePath) ?? "-")
        if let cached = cache.withLock({ $0 }), cached.stamp == stamp { return cached.html }

        guard let script = FileManager.default.contents(atPath: scriptPath) else { throw .unreadable(file: Self.scriptFile) }
        let style = FileManager.default.contents(atPath: stylePath)
        let html = WidgetHTML.render(script: String(decoding: script, as: UTF8.self),
                                     style: style.map { String(decoding: $0, as: UTF8.self) })
        cache.withLock { $0 = (stamp, html) }
        return html
    }

    private static func stamp(_ path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)@\(modified)"
    }
}
