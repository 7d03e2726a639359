import Backend
import Foundation
import MCP
@testable import MCPEndpoint
import Storage
import Testing
import WebRules

/// `tools/list` is answered from bytes encoded once; they must equal what encoding the response
/// on every call would write, for any id.
@Suite struct ToolsListEncodingTests {
    let dispatcher = MethodDispatcher(core: EndpointCore(
        info: .init(name: "t", version: "1", title: "t", instructions: ""), tools: [GetItemsTool(), ItemActionTool()],
        widgets: WidgetCatalog(directory: "/nonexistent"), backend: DemoItemsBackend(store: MemoryStore()),
        revoker: GrantRevoker { _ in }, resourceMetadataURL: "https://app.example.com/.well-known/oauth-protected-resource/mcp"))

    @Test(arguments: [ID.number(7), .string("a\"b\\c"), .string("")])
    func cachedBytesEqualAFreshEncoding(_ id: ID) {
        let caller = Caller(userID: "did:privy:u", clientID: "c", scopes: ["read"], grantID: "g", jti: "jti-1", resource: "https://app.example.com/mcp", privyAccessToken: "p",
                               requestID: "r")
        let cached = dispatcher.reply(id: id, method: ListTools.name, params: MessageParams(body: Data(#"{"params":{}}"#.utf8), parsed: [:]),
                                      caller: caller)
        let fresh = JSONOutput.encode(Response<ListAppTools>(id: id, result: ListAppTools.Result(tools: dispatcher.core.tools.map(\.descriptor))))
        #expect(cached == fresh)
    }
}
