import AppManifest
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
    /// The items manifest's tools with a code tool after them, as the endpoint lists them.
    let dispatcher: MethodDispatcher = {
        let manifest = Harness.manifest(Harness.itemsManifestPath, widgetsDirectory: TestWidgets.directory())
        return MethodDispatcher(core: EndpointCore(
            info: Server.Info(name: manifest.server.name, version: manifest.server.version, title: manifest.server.title),
            instructions: manifest.server.instructions, tools: manifest.tools.map(ManifestTool.init) + [EchoCodeTool()],
            widgets: WidgetCatalog(widgets: manifest.widgets, directory: "/nonexistent"), api: DemoItemsAPI(store: MemoryStore()),
            revoker: GrantRevoker { _ in }, resourceMetadataURL: "https://app.example.com/.well-known/oauth-protected-resource/mcp",
            appScopes: manifest.scopes.map(\.name)))
    }()

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
