import AppManifest
import Backend
import Foundation
import HTTPClient
import MCP
@testable import MCPEndpoint
import Storage

/// The items example's manifest tools (`examples/items/app.json`, loaded and checked as at start)
/// called directly over the HTTP transport: tools are synchronous and run on the caller's thread.
enum ItemsManifestTools {
    static let metadataURL = "https://app.example.com/.well-known/oauth-protected-resource/mcp"

    static let manifestPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/items/app.json").path

    /// The loader checks that every widget's bundle exists; these tests read no widget, so a
    /// placeholder bundle in a folder of their own is enough.
    static let manifest: AppManifest = {
        let widgets = FileManager.default.temporaryDirectory.appendingPathComponent("backend-widgets-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: widgets, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: widgets + "/list-view.js", contents: Data("void 0".utf8))
        let context = ManifestContext(environment: [:], widgetsDirectory: widgets, maxTimeoutSeconds: 10)
        switch ManifestLoader.load(path: manifestPath, context: context) {
        case .success(let manifest): return manifest
        case .failure(let problems): fatalError("examples/items/app.json: \(problems)")
        }
    }()

    static func tool(_ name: String) -> ManifestTool {
        guard let declaration = manifest.tools.first(where: { $0.name == name }) else { fatalError("no tool \(name) in the items manifest") }
        return ManifestTool(declaration)
    }

    static var getItems: ManifestTool { tool("get-items") }
    static var itemAction: ManifestTool { tool("item-action") }

    /// The HTTP transport to the fake API, as `LiveParts` builds it for `BACKEND_API_URL`.
    static func transport(_ fake: FakeBackend, timeout: Double = 5, maxResponseBytes: Int = 1 << 20) -> HTTPAPITransport {
        HTTPAPITransport(baseURL: fake.baseURL, fetcher: CurlHTTPClient(), timeout: timeout, connectTimeout: 2,
                         maxResponseBytes: maxResponseBytes)
    }

    /// What a tool call gets from the endpoint, over `api`.
    static func context(api: any APITransport, caller: Caller, revoker: GrantRevoker = GrantRevoker { _ in }) -> ToolContext {
        let core = EndpointCore(info: Server.Info(name: manifest.server.name, version: manifest.server.version), instructions: nil, tools: [],
                                widgets: WidgetCatalog(widgets: [], directory: "/nonexistent"), api: api, revoker: revoker,
                                resourceMetadataURL: metadataURL, appScopes: manifest.scopes.map(\.name))
        return ToolContext(core: core, caller: caller)
    }

    static func text(_ result: CallTool.Result) -> String {
        guard case .text(let text, _, _)? = result.content.first else { return "" }
        return text
    }
}
