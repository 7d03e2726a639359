import Backend
import MCP

/// `item-action`: complete, reopen or delete one item; called by the model or from the widget.
/// Answers with the changed item and the whole list afterwards, so the widget redraws at once.
struct ItemActionTool: AppTool {
    static let name = "item-action"
    let requiredScope = "write"

    let descriptor = ToolDescriptor(
        tool: Tool(
            name: ItemActionTool.name,
            title: "Change an item",
            description: "Complete, reopen or delete one of the user's items by id (ids come from get-items).",
            inputSchema: [
                "type": "object",
                "properties": [
                    "item_id": ["type": "string", "minLength": 1, "description": "The item's id, from get-items"],
                    "action": ["type": "string", "enum": ["complete", "reopen", "delete"]],
                ],
                "required": ["item_id", "action"],
                "additionalProperties": false,
            ],
            // delete removes data; repeating any action leaves the same state behind.
            annotations: .init(title: "Change an item", readOnlyHint: false, destructiveHint: true, idempotentHint: true,
                               openWorldHint: false),
            outputSchema: [
                "type": "object",
                "properties": ["item": ItemValues.itemSchema, "items": ["type": "array", "items": ItemValues.itemSchema]],
                "required": ["item", "items"],
            ],
            _meta: AppToolMetadata.meta(scopes: ["write"], invoking: "Updating the item…", invoked: "Item updated",
                                        widgetAccessible: true)),
        securitySchemes: AppToolMetadata.securitySchemes(scopes: ["write"]))

    func call(_ arguments: [String: Value], context: ToolContext) -> CallTool.Result {
        let itemID: String
        let action: ItemAction
        do throws(ArgumentError) {
            let arguments = ToolArguments(values: arguments)
            try arguments.rejectUnknown(allowed: ["item_id", "action"])
            itemID = try arguments.requiredString("item_id")
            action = try arguments.requiredChoice("action", of: ItemAction.self)
        } catch {
            return context.invalidArguments(error)
        }
        let item: BackendItem
        let items: [BackendItem]
        do {
            item = try context.backend.perform(action, itemID: itemID, for: context.caller)
            items = try context.backend.items(for: context.caller)
        } catch {
            return context.failure(for: error, tool: Self.name)
        }
        return context.success(text: Self.summary(action, item), structured: ["item": ItemValues.value(item), "items": ItemValues.list(items)],
                               widgetMeta: ListViewMeta.make(backend: context.backend.kind))
    }

    static func summary(_ action: ItemAction, _ item: BackendItem) -> String {
        let title = "\"\(item.title.prefix(120))\""
        return switch action {
        case .complete: "Marked \(title) as done."
        case .reopen: "Reopened \(title)."
        case .delete: "Deleted \(title)."
        }
    }
}
