import AppComposition
import AppManifest
import Foundation
import HTTPMessages
import MCP
import MCPEndpoint
import Routes
import Storage
import TestSupport
import Testing

/// A code tool given to the composition (`AppParts.codeTools`) is offered and run by `/mcp` beside
/// the manifest's tools: the way a tool the app manifest cannot express is added, without
/// touching the endpoint.
@Suite struct InjectedToolTests {
    struct EchoTool: AppTool {
        static let inputSchema: Value = ["type": "object", "properties": ["text": ["type": "string"]], "required": ["text"]]
        let requiredScope = "read"
        let descriptor = ToolDescriptor(
            tool: Tool(name: "echo", description: "Says the text back.", inputSchema: EchoTool.inputSchema),
            securitySchemes: AppToolMetadata.securitySchemes(scopes: ["read"]))
        /// Code tools check their arguments with the manifest's own argument check.
        let arguments: ArgumentSchema

        init() throws {
            arguments = try ArgumentSchema(compiling: Self.inputSchema)
        }

        func call(_ arguments: [String: Value], context: ToolContext) -> CallTool.Result {
            do throws(ArgumentViolation) {
                try self.arguments.check(arguments)
            } catch {
                return context.failure(error.message)
            }
            let text = arguments["text"]?.stringValue ?? ""  // a string: the check says so
            return context.success(text: text, structured: ["echo": .string(text), "user": .string(context.caller.userID)])
        }
    }

    @Test func injectedToolIsListedAndCalled() throws {
        let echo = try EchoTool()
        let application = Application(services: TestApplication.services { $0.codeTools = [echo] })
        let token = try RouteTableTests.obtainAccessToken(application)
        func rpc(_ body: String) throws -> [String: Any] {
            let headers = HTTPHeaders([("Content-Type", "application/json"), ("MCP-Protocol-Version", "2025-06-18"),
                                       ("Authorization", "Bearer " + token)])
            let response = application.respond(to: Request(method: "POST", target: "/mcp", headers: headers, body: Array(body.utf8)))
            #expect(response.status == 200)
            return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        }
        let listed = try rpc(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#)
        let tools = (listed["result"] as? [String: Any])?["tools"] as? [[String: Any]] ?? []
        // The items manifest's tools first, then the code tool.
        #expect(tools.map { $0["name"] as? String } == ["get-items", "item-action", "echo"])

        let called = try rpc(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}"#)
        let structured = (called["result"] as? [String: Any])?["structuredContent"] as? [String: Any]
        #expect(structured?["echo"] as? String == "hi")
        #expect((structured?["user"] as? String)?.hasPrefix("did:privy:") == true)

        let refused = try rpc(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{}}}"#)
        #expect((refused["result"] as? [String: Any])?["isError"] as? Bool == true)
    }
}
