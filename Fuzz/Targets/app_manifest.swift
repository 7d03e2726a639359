import AppManifest
import Backend
import Foundation
import HTTPMessages
import MCP
import MCPEndpoint
import Storage

/// The app manifest and what its tools read: the manifest loader, the strict JSON reader every
/// API answer goes through, and a manifest tool's call from arguments to the result.
///
/// Input: a selector byte, then
///   selector % 3 == 0: a manifest document for `ManifestLoader.parse`;
///   selector % 3 == 1: bytes for `JSONText.parse`;
///   selector % 3 == 2: a `tools/call` of the notes example (tool = selector / 3 % 3) with the
///                      arguments JSON, `00`, a status byte (an index into `statuses` below, else
///                      200 + the byte), then the answer body the API stand-in gives back.
/// Properties: no trap; a manifest that loads has tools with unique names and declared scopes;
/// JSON that parses is written as text that reads back to the same text; a tool call is always answered with a
/// result when its arguments are a JSON object, an error result for a non-2xx answer, and
/// the API key from the environment never appears in it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var reader = FuzzReader(Array(UnsafeBufferPointer(start: data, count: size)))
    let selector = reader.byte()
    switch selector % 3 {
    case 0: loadManifest(reader.rest())
    case 1: roundTrip(reader.rest())
    default: callTool(selector: selector, reader: &reader)
    }
    return 0
}

private func loadManifest(_ bytes: [UInt8]) {
    let context = ManifestContext(environment: ManifestFixtures.environment, widgetsDirectory: ManifestFixtures.widgets,
                                  maxTimeoutSeconds: 10)
    guard case .success(let manifest) = ManifestLoader.parse(bytes, context: context) else { return }
    let names = manifest.tools.map(\.name)
    Harness.require(Set(names).count == names.count, "a loaded manifest has two tools named alike: \(names)")
    let scopes = Set(manifest.scopes.map(\.name))
    Harness.require(manifest.tools.allSatisfy { scopes.contains($0.scope) }, "a loaded manifest's tool uses an undeclared scope")
    for tool in manifest.tools { _ = try? tool.argumentSchema.check([:]) }
}

/// The writer prints an integral Double as an integer (as JSONEncoder does), so a value may come
/// back as `.int`; what must hold is that the text it writes reads back to the same text.
private func roundTrip(_ bytes: [UInt8]) {
    guard let value = try? JSONText.parse(bytes) else { return }
    let text = JSONText.encode(value)
    let again = try? JSONText.parse(text)
    Harness.require(again.map(JSONText.encode) == text, "JSONText does not read back what it wrote")
}

private func callTool(selector: UInt8, reader: inout FuzzReader) {
    let names = ["search-notes", "create-note", "show-note"]
    let arguments = reader.field()
    let statuses = [200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503]
    let choice = Int(reader.byte())
    let status = choice < statuses.count ? statuses[choice] : 200 + choice
    let answer = reader.rest()
    ManifestFixtures.api.next = APIResponse(status: status, body: answer)

    let body = #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"\#(names[Int(selector / 3) % 3])","arguments":"#
        + String(decoding: arguments, as: UTF8.self) + "}}"
    let request = HTTPMessages.Request(method: "POST", path: "/mcp", headers: HTTPHeaders([("MCP-Protocol-Version", "2025-06-18")]),
                                       body: Array(body.utf8))
    let response = ManifestFixtures.endpoint.respond(to: request, caller: ManifestFixtures.caller)
    // 400: the arguments made the body something other than JSON (a JSON-RPC parse error).
    Harness.require(response.status == 200 || response.status == 400, "tools/call answered HTTP \(response.status)")
    let text = String(decoding: response.body, as: UTF8.self)
    Harness.require(!text.contains(ManifestFixtures.apiKey), "the API key from the environment reached a tool result")
    guard let reply = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any],
          let result = reply["result"] as? [String: Any]
    else { return }  // arguments that are not a JSON object: the params are refused (-32602)
    if !(200..<300).contains(status) {
        Harness.require(result["isError"] as? Bool == true, "a \(status) answer gave a successful result")
    }
}

/// The notes example, its tools answering through a stand-in for the API.
enum ManifestFixtures {
    static let apiKey = "fuzz-notes-key-7c1e"
    static let environment = ["NOTES_API_KEY": apiKey]
    static let widgets = Harness.repositoryRoot + "/widgets-dist"
    static let api = CannedAPI()
    static let caller = Caller(userID: "did:privy:fuzz", clientID: "client_fuzz", scopes: ["notes.read", "notes.write"],
                               grantID: "grant-fuzz", jti: "jti-fuzz", resource: Harness.issuer + "/mcp", privyAccessToken: "privy-fuzz")
    static let endpoint: MCPEndpoint = {
        let context = ManifestContext(environment: environment, widgetsDirectory: widgets, maxTimeoutSeconds: 10)
        guard case .success(let manifest) = ManifestLoader.load(path: Harness.repositoryRoot + "/examples/notes/app.json", context: context)
        else { fatalError("the notes example does not load") }
        return MCPEndpoint(settings: MCPEndpointSettings(serverBaseURL: Harness.issuer), manifest: manifest, widgetsDirectory: widgets,
                           api: api, revoker: GrantRevoker { _ in })
    }()
}

/// Answers every call with the response the input chose.
final class CannedAPI: APITransport, @unchecked Sendable {
    let kind = "fuzz"
    var next = APIResponse(status: 200, body: [])

    func send(_ request: APIRequest, for caller: Caller) throws(APIError) -> APIResponse { next }
}
