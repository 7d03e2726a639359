import Foundation
import HTTPMessages
import Routes

/// JSON-RPC request decoding at /mcp: the body of POST /mcp through the whole Application (the
/// bearer gate with a valid token, MCPRoute, MCPEndpoint's JSON-RPC classification, batches,
/// protocol-version rules, the SDK's method dispatch and the demo items tools).
///
/// Input: a selector byte, then the body.
///   selector & 7:  MCP-Protocol-Version: 0 none, 1 2025-03-26, 2 2025-06-18, 3 2025-11-25,
///                  4 "2024-11-05", 5 " 2025-06-18 ", 6 garbage, 7 none
///   selector & 8:  an Origin header (16: ours, else a foreign one)
///   selector & 32: the token has only `read` (tools needing `write` must refuse)
/// Properties: no trap; never a 5xx; a non-empty body is JSON; a single request with an id is
/// answered with that id (JSON-RPC 2.0 §5) or a 202/4xx; our access token (sent in the header)
/// never appears in an answer unless the body itself carried it (an echoed id).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var reader = FuzzReader(Harness.substitute(Array(UnsafeBufferPointer(start: data, count: size))))
    let selector = reader.byte()
    let body = reader.rest()
    let versions: [String?] = [nil, "2025-03-26", "2025-06-18", "2025-11-25", "2024-11-05", " 2025-06-18 ", "2025-13-99", nil]

    var headers = HTTPHeaders([("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")])
    headers.add("Authorization", "Bearer " + (selector & 32 == 0 ? Harness.accessToken : MCPFixtures.readOnlyToken))
    if let version = versions[Int(selector & 7)] { headers.add("MCP-Protocol-Version", version) }
    if selector & 8 != 0 { headers.add("Origin", selector & 16 != 0 ? Harness.issuer : "https://evil.example") }
    let request = Request(method: "POST", path: "/mcp", headers: headers, body: body)

    let response = MCPFixtures.application().respond(to: request)
    Harness.checkResponse(response, "POST /mcp")
    // The token travels only in the Authorization header, so it may appear in an answer only
    // where the body itself carried it: JSON-RPC 2.0 §5 echoes a request's id, whatever it holds.
    let bodyCarriesToken = String(decoding: body, as: UTF8.self).contains(Harness.accessToken)
    Harness.require(bodyCarriesToken || !response.bodyText.contains(Harness.accessToken), "the access token was echoed")
    if response.status == 200, let object = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) as? [String: Any],
       let id = object["id"] as? String, object["method"] is String {
        let answer = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        Harness.require(answer != nil, "a request got a 200 that is not a JSON object")
        if let answer, let answered = answer["id"] {
            Harness.require(answered as? String == id, "answered id \(answered) for request id \(id.debugDescription)")
        }
    }
    return 0
}

enum MCPFixtures {
    nonisolated(unsafe) static var cached: Application?
    nonisolated(unsafe) static var uses = 0

    /// A fresh application (store, MCP endpoint) every 64 inputs: building one per input costs
    /// more than most inputs, and a tool call may change the demo items only a little.
    static func application() -> Application {
        uses += 1
        if let cached, uses % 64 != 0 { return cached }
        let fresh = Harness.makeApplication()
        cached = fresh
        return fresh
    }

    /// The fixture grant's read-only session (Harness.readOnlyJTI).
    static let readOnlyToken: String = {
        do {
            return try Harness.accessTokens.sign(grant: Harness.grant, scopes: ["read"], jti: Harness.readOnlyJTI, now: Date()).token
        } catch {
            fatalError("sign: \(error)")
        }
    }()
}
