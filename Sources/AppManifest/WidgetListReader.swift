import Foundation

/// `widgets`: the HTML pages tool results render in, each built from files in `WIDGETS_DIR`.
enum WidgetListReader {
    private static let keys: Set<String> = ["id", "script", "style", "title", "description", "csp", "prefersBorder", "domain"]

    static func read(_ node: JSONNode, path: String, context: ManifestContext, reader: ManifestReader) -> [WidgetDeclaration] {
        guard let elements = reader.array(node, path: path) else { return [] }
        var widgets: [WidgetDeclaration] = []
        var seen: Set<String> = []
        for (position, element) in elements.enumerated() {
            let widgetPath = ManifestPath.element(path, position)
            guard let widget = reader.object(element, path: widgetPath, keys: keys) else { continue }
            let id = reader.string(widget, "id", required: true)
            var validID: String?
            if let id {
                if !NamingRules.isWidgetID(id) {
                    reader.report(widget.path("id"), NamingRules.widgetIDRule, at: widget.offset("id"))
                } else if !seen.insert(id).inserted {
                    reader.report(widget.path("id"), "duplicate widget id \"\(id)\"", at: widget.offset("id"))
                } else {
                    validID = id
                }
            }
            let script = file(widget, "script", defaultName: validID.map { "\($0).js" }, context: context, reader: reader)
            let style = file(widget, "style", defaultName: nil, context: context, reader: reader)
                ?? validID.map { "\($0).css" }.flatMap { exists($0, in: context) ? $0 : nil }
            let title = reader.text(widget, "title")
            let description = reader.text(widget, "description")
            let (connectDomains, resourceDomains) = csp(widget, reader: reader)
            let prefersBorder = reader.bool(widget, "prefersBorder") ?? true
            let domain = reader.string(widget, "domain")
            if let domain, !NamingRules.isHTTPSOrigin(domain) {
                reader.report(widget.path("domain"), "must be an https origin (https://host or https://host:port)", at: widget.offset("domain"))
            }
            if let id, let script, let title, let description {
                widgets.append(WidgetDeclaration(id: id, script: script, style: style, title: title, description: description,
                                                 connectDomains: connectDomains, resourceDomains: resourceDomains,
                                                 prefersBorder: prefersBorder, domain: domain))
            }
        }
        return widgets
    }

    /// A file named by `key` (or the default name) that must exist in the widgets folder.
    private static func file(_ widget: ObjectReading, _ key: String, defaultName: String?, context: ManifestContext,
                             reader: ManifestReader) -> String? {
        let name: String
        if widget[key] != nil {
            guard let written = reader.string(widget, key) else { return nil }
            guard NamingRules.isPlainFileName(written) else {
                reader.report(widget.path(key), "must be a file name in the widgets folder, without folders", at: widget.offset(key))
                return nil
            }
            name = written
        } else {
            guard let defaultName else { return nil }
            name = defaultName
        }
        guard exists(name, in: context) else {
            reader.report(widget.path(key), "\(name) does not exist in \(context.widgetsDirectory)", at: widget.offset(key))
            return nil
        }
        return name
    }

    private static func exists(_ name: String, in context: ManifestContext) -> Bool {
        var isDirectory: ObjCBool = false
        let path = (context.widgetsDirectory as NSString).appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// `csp`: https origins the widget may connect to and load resources from.
    private static func csp(_ widget: ObjectReading, reader: ManifestReader) -> ([String], [String]) {
        guard let node = widget["csp"],
              let csp = reader.object(node, path: widget.path("csp"), keys: ["connectDomains", "resourceDomains"])
        else { return ([], []) }
        func origins(_ key: String) -> [String] {
            guard let node = csp[key], let entries = reader.strings(node, path: csp.path(key)) else { return [] }
            for entry in entries where !NamingRules.isHTTPSOrigin(entry.text) {
                reader.report(entry.path, "must be an https origin (https://host or https://host:port)", at: entry.node.offset)
            }
            return entries.map(\.text)
        }
        return (origins("connectDomains"), origins("resourceDomains"))
    }
}
