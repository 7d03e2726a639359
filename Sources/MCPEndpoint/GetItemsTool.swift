import Backend
import Foundation
import MCP
import ServerLog

/// `get-items`: the user's items, shown in the ListView widget.
struct GetItemsTool: AppTool {
    static let name = "get-items"
    let requiredScope = "read"

    let descriptor = ToolDescriptor(
        tool: Tool(
            name: GetItemsTool.name,
            title: "Show my items",
            description: "List the signed-in user's items (id, title, status open/done) and show them in an interactive list.",
            inputSchema: ["type": "object", "properties": [:], "additionalProperties": false],
            annotations: .init(title: "Show my items", readOnlyHint: true, destructiveHint: false, idempotentHint: true,
                               openWorldHint: false),
            outputSchema: [
                "type": "object",
                "properties": ["items": ["type": "array", "items": ItemValues.itemSchema]],
                "required": ["items"],
            ],
            _meta: AppToolMetadata.meta(scopes: ["read"], invoking: "Loading your items…", invoked: "Here are your items",
                                        widgetAccessible: true)),
        securitySchemes: AppToolMetadata.securitySchemes(scopes: ["read"]))

    func call(_ arguments: [String: Value], context: ToolContext) -> CallTool.Result {
        do throws(ArgumentError) {
            try ToolArguments(values: arguments).rejectUnknown(allowed: [])
        } catch {
            return context.invalidArguments(error)
        }
        let items: [BackendItem]
        do {
            items = try context.backend.items(for: context.caller)
        } catch {
            return context.failure(for: error, tool: Self.name)
        }
        return context.success(text: Self.summary(items), structured: ["items": ItemValues.list(items)],
                               widgetMeta: ListViewMeta.make(backend: context.backend.kind))
    }

    /// One line for the model and for hosts without widgets.
    static func summary(_ items: [BackendItem]) -> String {
        guard !items.isEmpty else { return "You have no items." }
        let done = items.filter { $0.status == "done" }.count
        let noun = items.count == 1 ? "item" : "items"
        return "You have \(items.count) \(noun): \(items.count - done) open, \(done) done."
    }
}

/// Widget-only result metadata (`_meta`): not shown to the model.
enum ListViewMeta {
    static func make(backend: String) -> [String: Value] {
        ["listView": ["backend": .string(backend), "updatedAt": .string(UTCTimestamp.iso8601())]]
    }
}
