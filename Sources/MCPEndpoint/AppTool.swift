import MCP

/// A tool this server offers. One type per tool, each in its own file; the composition decides
/// which tools an endpoint has (`AppParts.tools`, the items demo's by default).
public protocol AppTool: Sendable {
    var descriptor: ToolDescriptor { get }
    /// The OAuth scope a caller's token needs; checked before `call` runs.
    var requiredScope: String { get }
    /// Runs on the request's worker thread (see `MethodDispatcher`), so it may block on the
    /// user's API. Failures are results with `isError: true`, never thrown protocol errors
    /// (MCP 2025-06-18 server/tools §Error Handling).
    func call(_ arguments: [String: Value], context: ToolContext) -> CallTool.Result
}

/// The `_meta` and `securitySchemes` every tool of this app carries (Apps SDK reference,
/// "Tool descriptor"; MCP Apps SEP-1865 `_meta.ui.resourceUri`).
public enum AppToolMetadata {
    public static func securitySchemes(scopes: [String]) -> [Value] {
        [.object(["type": "oauth2", "scopes": .array(scopes.map(Value.string))])]
    }

    /// - Parameters:
    ///   - invoking/invoked: status lines ChatGPT shows while and after the tool runs (<= 64 characters).
    ///   - widgetAccessible: the widget may call this tool itself (`window.openai.callTool`).
    public static func meta(scopes: [String], invoking: String, invoked: String, widgetAccessible: Bool) -> Metadata {
        precondition(invoking.count <= 64 && invoked.count <= 64, "tool status lines are limited to 64 characters")
        return Metadata(additionalFields: [
            "securitySchemes": .array(securitySchemes(scopes: scopes)),
            "openai/outputTemplate": .string(WidgetCatalog.listViewURI),
            "ui": .object(["resourceUri": .string(WidgetCatalog.listViewURI)]),
            "openai/toolInvocation/invoking": .string(invoking),
            "openai/toolInvocation/invoked": .string(invoked),
            "openai/widgetAccessible": .bool(widgetAccessible),
        ])
    }
}
