import AppManifest
import Backend
import MCP
import ServerLog

/// A tool the app manifest declares: one HTTP call on the user's API, its answer mapped to the
/// tool result (docs/MANIFEST.md). Everything is read and checked when the manifest loads; a
/// call only checks the arguments, fills in the request and reads the answer.
public struct ManifestTool: AppTool {
    public let descriptor: ToolDescriptor
    public let requiredScope: String
    private let declaration: ToolDeclaration
    private let request: ManifestRequest

    public init(_ declaration: ToolDeclaration) {
        self.declaration = declaration
        self.requiredScope = declaration.scope
        self.request = ManifestRequest(declaration.call)
        self.descriptor = ManifestTool.descriptor(declaration)
    }

    public func call(_ arguments: [String: Value], context: ToolContext) -> CallTool.Result {
        let outgoing: APIRequest
        do throws(ArgumentViolation) {
            try declaration.argumentSchema.check(arguments)
            outgoing = try request.make(arguments)
        } catch {
            return context.failure(error.message)
        }
        let response: APIResponse
        do {
            response = try context.call(outgoing)
        } catch {
            return context.failure(for: error, tool: declaration.name)
        }
        // The user's token is no longer accepted: sign in again (the rule every tool shares).
        if response.status == 401 || response.status == 403 {
            return context.signInAgain(status: response.status, tool: declaration.name)
        }
        return ManifestResult(declaration.result).toolResult(response, arguments: arguments, tool: declaration.name, context: context)
    }

    private static func descriptor(_ declaration: ToolDeclaration) -> ToolDescriptor {
        let widget = declaration.widget.map {
            AppToolMetadata.Widget(uri: $0.uri, accessible: $0.accessible, invoking: $0.invoking, invoked: $0.invoked)
        }
        let hints = declaration.annotations
        return ToolDescriptor(
            tool: Tool(name: declaration.name, title: declaration.title, description: declaration.description,
                       inputSchema: declaration.inputSchema,
                       annotations: .init(title: declaration.title, readOnlyHint: hints.readOnlyHint, destructiveHint: hints.destructiveHint,
                                          idempotentHint: hints.idempotentHint, openWorldHint: hints.openWorldHint),
                       outputSchema: declaration.outputSchema,
                       _meta: AppToolMetadata.meta(scopes: [declaration.scope], widget: widget,
                                                   modelVisible: declaration.visibility == .public)),
            securitySchemes: AppToolMetadata.securitySchemes(scopes: [declaration.scope]))
    }
}
