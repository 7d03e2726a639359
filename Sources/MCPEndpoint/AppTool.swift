import MCP

/// A tool this server offers. Manifest tools (`ManifestTool`) are built from the app manifest; a
/// tool the manifest cannot express is a type of its own conforming to this protocol, registered
/// in the composition (`AppParts.codeTools`). Both are listed and called alike.
public protocol AppTool: Sendable {
    var descriptor: ToolDescriptor { get }
    /// The OAuth scope a caller's token needs; checked before `call` runs.
    var requiredScope: String { get }
    /// Runs on the request's worker thread (see `MethodDispatcher`), so it may block on the
    /// user's API (`context.api`). Failures are results with `isError: true`, never thrown
    /// protocol errors (MCP 2025-06-18 server/tools §Error Handling).
    func call(_ arguments: [String: Value], context: ToolContext) -> CallTool.Result
}

/// The `_meta` and `securitySchemes` a tool carries (Apps SDK reference, "Tool descriptor";
/// MCP Apps SEP-1865 `_meta.ui.resourceUri` and `ui.visibility`).
public enum AppToolMetadata {
    public static func securitySchemes(scopes: [String]) -> [Value] {
        [.object(["type": "oauth2", "scopes": .array(scopes.map(Value.string))])]
    }

    /// The widget a tool's result renders in.
    public struct Widget: Sendable {
        public let uri: String
        /// The widget may call this tool itself (`window.openai.callTool`).
        public let accessible: Bool
        /// Status lines ChatGPT shows while and after the tool runs (at most 64 characters).
        public let invoking: String?
        public let invoked: String?

        public init(uri: String, accessible: Bool, invoking: String? = nil, invoked: String? = nil) {
            self.uri = uri
            self.accessible = accessible
            self.invoking = invoking
            self.invoked = invoked
        }
    }

    /// - Parameter modelVisible: false for a tool only widgets call (`openai/visibility: private`,
    ///   `ui.visibility: ["app"]`).
    public static func meta(scopes: [String], widget: Widget?, modelVisible: Bool = true) -> Metadata {
        var fields: [String: Value] = ["securitySchemes": .array(securitySchemes(scopes: scopes))]
        var ui: [String: Value] = [:]
        if let widget {
            fields["openai/outputTemplate"] = .string(widget.uri)
            ui["resourceUri"] = .string(widget.uri)
            fields["openai/widgetAccessible"] = .bool(widget.accessible)
            if let invoking = widget.invoking { fields["openai/toolInvocation/invoking"] = .string(invoking) }
            if let invoked = widget.invoked { fields["openai/toolInvocation/invoked"] = .string(invoked) }
        }
        if !modelVisible {
            fields["openai/visibility"] = "private"
            ui["visibility"] = ["app"]
        }
        if !ui.isEmpty { fields["ui"] = .object(ui) }
        return Metadata(additionalFields: fields)
    }

    /// A tool's `_meta` for a host that renders no widgets (one that does not declare MCP Apps,
    /// MCP 2026-07-28): without the keys that point at a widget, so it is never sent to one;
    /// `securitySchemes` and the visibility stay.
    public static func withoutWidget(_ meta: Metadata) -> Metadata {
        var fields = meta.fields
        for key in ["openai/outputTemplate", "openai/widgetAccessible", "openai/toolInvocation/invoking", "openai/toolInvocation/invoked"] {
            fields.removeValue(forKey: key)
        }
        if case .object(var ui)? = fields["ui"] {
            ui.removeValue(forKey: "resourceUri")
            fields["ui"] = ui.isEmpty ? nil : .object(ui)
        }
        return Metadata(additionalFields: fields)
    }
}

extension AppTool {
    /// The name `tools/list` shows and `tools/call` asks for.
    public var name: String { descriptor.tool.name }
}
