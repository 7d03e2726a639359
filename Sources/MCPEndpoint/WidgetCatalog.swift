import AppManifest
import Foundation
import MCP
import ServerLog

/// The widgets the app manifest declares, served as MCP resources from the widgets folder
/// (`WIDGETS_DIR`), each as one self-contained page with its script and style inlined.
///
/// MIME types: tools link a widget with both `_meta.ui.resourceUri` (MCP Apps, SEP-1865) and
/// `openai/outputTemplate` (Apps SDK), and the spec digest calls the openai keys aliases of the
/// standard ones, so both must name the same URI. That one URI therefore answers `resources/read`
/// with two contents: the MCP Apps one (`text/html;profile=mcp-app`, first, as ChatGPT
/// recommends it) and the Apps SDK one (`text/html+skybridge`), same HTML, same `_meta`. The list
/// shows each URI once, with the MCP Apps type.
public final class WidgetCatalog: Sendable {
    public static let mcpAppMIMEType = "text/html;profile=mcp-app"
    public static let skybridgeMIMEType = "text/html+skybridge"

    private struct Entry: Sendable {
        let widget: WidgetDeclaration
        let meta: Metadata
        /// The rendered HTML and the file stamps it was built from.
        let cache = LockedValue<(stamp: String, html: String)?>(nil)
    }

    private let directory: String
    private let entries: [String: Entry]
    let resources: [Resource]

    /// The manifest loader has checked that every bundle exists; reads still look again, so a
    /// bundle rebuilt in place is picked up without a reload.
    public init(widgets: [WidgetDeclaration], directory: String) {
        self.directory = directory
        var entries: [String: Entry] = [:]
        for widget in widgets { entries[widget.uri] = Entry(widget: widget, meta: Self.meta(widget)) }
        self.entries = entries
        resources = widgets.map { widget in
            Resource(name: widget.id, uri: widget.uri, title: widget.title, description: widget.description,
                     mimeType: Self.mcpAppMIMEType, _meta: entries[widget.uri]?.meta)
        }
    }

    func has(uri: String) -> Bool { entries[uri] != nil }

    /// Reads the bundle from disk (blocking file I/O, fine on a worker thread).
    func read(uri: String) throws(WidgetError) -> ReadResource.Result {
        guard let entry = entries[uri] else { throw .unknown(uri: uri) }
        let html = try html(entry)
        return ReadResource.Result(contents: [
            .text(html, uri: uri, mimeType: Self.mcpAppMIMEType, _meta: entry.meta),
            .text(html, uri: uri, mimeType: Self.skybridgeMIMEType, _meta: entry.meta),
        ])
    }

    /// Resource `_meta` in both vocabularies (digest "ChatGPT / Apps SDK": ui.* and openai/*).
    static func meta(_ widget: WidgetDeclaration) -> Metadata {
        let connect = Value.array(widget.connectDomains.map(Value.string))
        let resource = Value.array(widget.resourceDomains.map(Value.string))
        var ui: [String: Value] = ["csp": ["connectDomains": connect, "resourceDomains": resource], "prefersBorder": .bool(widget.prefersBorder)]
        var fields: [String: Value] = [
            "openai/widgetCSP": ["connect_domains": connect, "resource_domains": resource],
            "openai/widgetPrefersBorder": .bool(widget.prefersBorder),
            "openai/widgetDescription": .string(widget.description),
        ]
        if let domain = widget.domain {
            ui["domain"] = .string(domain)
            fields["openai/widgetDomain"] = .string(domain)
        }
        fields["ui"] = .object(ui)
        return Metadata(additionalFields: fields)
    }

    /// The rendered HTML, rebuilt only when the bundle files change.
    private func html(_ entry: Entry) throws(WidgetError) -> String {
        let scriptPath = directory + "/" + entry.widget.script
        let stylePath = entry.widget.style.map { directory + "/" + $0 }
        guard let scriptStamp = Self.stamp(scriptPath) else { throw .bundleMissing(file: entry.widget.script) }
        let stamp = scriptStamp + "|" + (stylePath.flatMap(Self.stamp) ?? "-")
        if let cached = entry.cache.withLock({ $0 }), cached.stamp == stamp { return cached.html }

        guard let script = FileManager.default.contents(atPath: scriptPath) else { throw .unreadable(file: entry.widget.script) }
        let style = stylePath.flatMap { FileManager.default.contents(atPath: $0) }
        let html = WidgetHTML.render(script: String(decoding: script, as: UTF8.self),
                                     style: style.map { String(decoding: $0, as: UTF8.self) })
        entry.cache.withLock { $0 = (stamp, html) }
        return html
    }

    private static func stamp(_ path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)@\(modified)"
    }
}
