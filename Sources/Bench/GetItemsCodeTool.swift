import AppManifest
import Backend
import MCP
import MCPEndpoint
import Storage

/// `get-items` written as a code tool: the same call and the same result as the items manifest's
/// `get-items`, by hand. The benchmark times both to show what the manifest's generality costs,
/// and the SDK's server answers with it.
struct GetItemsCodeTool: AppTool {
    static let name = "get-items-code"
    let requiredScope = "read"
    let descriptor = ToolDescriptor(
        tool: Tool(name: GetItemsCodeTool.name, description: "The user's items (a code tool, for the benchmark).",
                   inputSchema: ["type": "object", "properties": [:], "additionalProperties": false]),
        securitySchemes: AppToolMetadata.securitySchemes(scopes: ["read"]))

    func call(_ arguments: [String: Value], context: ToolContext) -> CallTool.Result {
        guard arguments.isEmpty else { return context.failure("Invalid argument \"\(arguments.keys.sorted()[0])\": is not a parameter of this tool") }
        return Self.result(api: context.api, caller: context.caller)
    }

    static func result(api: any APITransport, caller: Caller) -> CallTool.Result {
        let response: APIResponse
        do {
            response = try api.send(APIRequest(method: "GET", target: "/items"), for: caller)
        } catch {
            return failure("Could not complete the request: \(error.description).")
        }
        guard response.status == 200, let document = try? JSONText.parse(response.body), case .object(let object) = document,
              case .array(let items) = object["items"]
        else { return failure("The API answered HTTP \(response.status).") }
        return CallTool.Result(content: [.text(text: "You have \(items.count) items.", annotations: nil, _meta: nil)],
                               structuredContent: Optional(document), isError: false)
    }

    private static func failure(_ message: String) -> CallTool.Result {
        CallTool.Result(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true)
    }
}
