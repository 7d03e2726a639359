import Foundation

/// Reads a manifest (docs/MANIFEST.md) and applies every rule, collecting all problems in
/// document order, so one run of `FCGIApp check` shows everything to fix.
public enum ManifestLoader {
    private static let topLevelKeys: Set<String> = ["server", "scopes", "widgets", "tools"]

    /// Reads and checks the file; every problem, or the manifest.
    public static func load(path: String, context: ManifestContext) -> Result<AppManifest, ManifestProblems> {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            return .failure(ManifestProblems([ManifestProblem(path: "", message: "cannot read \(path): \(reason)")]))
        }
        return parse(bytes, context: context)
    }

    public static func parse(_ bytes: [UInt8], context: ManifestContext) -> Result<AppManifest, ManifestProblems> {
        let document: JSONNode
        do throws(JSONTextError) {
            document = try JSONText.parseDocument(bytes)
        } catch {
            return .failure(ManifestProblems([ManifestProblem(path: "", message: "is not valid JSON: \(error)")]))
        }
        let reader = ManifestReader()
        let manifest = read(document, context: context, reader: reader)
        guard !reader.hasProblems else { return .failure(ManifestProblems(reader.problems)) }
        guard let manifest else {
            // Every path that gives up reports why; reaching this is a bug in the checks.
            return .failure(ManifestProblems([ManifestProblem(path: "", message: "could not be read")]))
        }
        return .success(manifest)
    }

    private static func read(_ document: JSONNode, context: ManifestContext, reader: ManifestReader) -> AppManifest? {
        guard let root = reader.object(document, path: "", keys: topLevelKeys) else { return nil }
        let server = reader.required(root, "server").flatMap { ServerSectionReader.read($0, path: "server", reader: reader) }
        let scopes = reader.required(root, "scopes").map { ScopeListReader.read($0, path: "scopes", reader: reader) } ?? []
        let widgets = root["widgets"].map { WidgetListReader.read($0, path: "widgets", context: context, reader: reader) } ?? []
        let toolReader = ToolReader(reader: reader, context: context, declaredScopes: declaredNames(root["scopes"], key: "name"),
                                    declaredWidgets: declaredNames(root["widgets"], key: "id"))
        let tools = self.tools(root, toolReader: toolReader, context: context, reader: reader)
        guard let server else { return nil }
        return AppManifest(server: server, scopes: scopes, widgets: widgets, tools: tools)
    }

    /// `tools`: at least one, unless code tools exist.
    private static func tools(_ root: ObjectReading, toolReader: ToolReader, context: ManifestContext,
                              reader: ManifestReader) -> [ToolDeclaration] {
        guard let node = root["tools"] else {
            if context.codeToolNames.isEmpty { reader.report("tools", "is required", at: root.node.offset) }
            return []
        }
        guard let elements = reader.array(node, path: "tools") else { return [] }
        if elements.isEmpty, context.codeToolNames.isEmpty {
            reader.report("tools", "at least one tool is required", at: node.offset)
        }
        var seenNames: Set<String> = []
        return elements.enumerated().compactMap { position, element in
            toolReader.read(element, path: ManifestPath.element("tools", position), seenNames: &seenNames)
        }
    }

    /// Every string written at `key` in the array's objects, for the references tools make.
    private static func declaredNames(_ node: JSONNode?, key: String) -> Set<String> {
        guard case .array(let elements)? = node?.content else { return [] }
        var names: Set<String> = []
        for element in elements {
            guard case .object(let members) = element.content else { continue }
            for member in members where member.key == key {
                if let name = member.value.string { names.insert(name) }
            }
        }
        return names
    }
}
