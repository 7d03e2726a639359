import Foundation
import MCP

/// One JSON-RPC message as the transport sees it, checked against JSON-RPC 2.0 §4–§5 so that
/// malformed input gets -32600 Invalid Request with the request's own id when it has one.
///
/// Parsed with JSONSerialization rather than into the SDK's `Value`: decoding `Value` tries
/// Bool, Int and Double before String and runs a data-URL regex on every string, which costs
/// 30–140 µs per scalar here (see `MethodDispatcher`).
enum IncomingMessage {
    case request(id: ID, method: String, params: MessageParams)
    case notification(method: String)
    /// A client's answer to a server-initiated request; we never send any, so it is only acknowledged.
    case response
    case invalid(id: ID?, reason: String)

    /// - Parameter body: the message's bytes as received, or nil to re-serialize `object` (batch items).
    static func classify(_ json: Any, body: Data? = nil) -> IncomingMessage {
        guard let object = json as? [String: Any] else { return .invalid(id: nil, reason: "a message must be a JSON object") }
        let idValue = object["id"]
        let id = idValue.flatMap(requestID)
        guard object["jsonrpc"] as? String == "2.0" else { return .invalid(id: id, reason: "\"jsonrpc\" must be \"2.0\"") }

        if let methodValue = object["method"] {
            guard let method = methodValue as? String, !method.isEmpty else {
                return .invalid(id: id, reason: "\"method\" must be a non-empty string")
            }
            if let params = object["params"], !(params is [String: Any]), !(params is NSNull) {
                return .invalid(id: id, reason: "\"params\" must be an object")
            }
            guard object["result"] == nil, object["error"] == nil else {
                return .invalid(id: id, reason: "a request cannot carry \"result\" or \"error\"")
            }
            guard idValue != nil else { return .notification(method: method) }
            // MCP 2025-06-18 basic §Requests: the id MUST be a string or integer, never null.
            guard let id else { return .invalid(id: nil, reason: "\"id\" must be a string or an integer") }
            let data = body ?? (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            return .request(id: id, method: method, params: MessageParams(body: data, parsed: object["params"] as? [String: Any]))
        }
        if idValue != nil, (object["result"] != nil) != (object["error"] != nil) {
            return .response
        }
        return .invalid(id: id, reason: "a message needs \"method\", or \"id\" with \"result\" or \"error\"")
    }

    private static func requestID(_ value: Any) -> ID? {
        if let text = value as? String { return .string(text) }
        // JSONSerialization gives NSNumber; its type encoding tells booleans ("c") and
        // fractions ("d", "f") from integers.
        guard let number = value as? NSNumber, !["c", "d", "f"].contains(String(cString: number.objCType)) else { return nil }
        return .number(number.intValue)
    }
}
