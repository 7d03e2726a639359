import Foundation
import HTTPMessages

/// The routing headers of a 2026-07-28 request, held against its body so that a proxy routing on
/// the headers and the server reading the body never disagree (MCP 2026-07-28
/// basic/transports/streamable-http §Routing headers): `Mcp-Method` always, `Mcp-Name` on
/// `tools/call` and `prompts/get` (`params.name`) and on `resources/read` (`params.uri`), and
/// the version header equal to the envelope's. Any difference is -32020 HeaderMismatch.
///
/// `Mcp-Param-*` headers are only sent for tool arguments whose schema says `x-mcp-header`; no
/// tool here says it, so none is recognized or checked (§Custom parameter headers).
enum MCP2026RoutingHeaders {
    /// Why the headers do not match, for the error message; nil when they do.
    static func mismatch(headers: HTTPHeaders, method: String, params: [String: Any]?, envelopeVersion: String) -> String? {
        guard let methodHeader = headers["Mcp-Method"] else { return "the Mcp-Method header is missing" }
        guard decode(methodHeader) == method else { return "Mcp-Method does not match the body's method" }
        if let nameField = nameField(of: method) {
            guard let nameHeader = headers["Mcp-Name"] else { return "the Mcp-Name header is missing" }
            guard let decoded = decode(nameHeader), decoded == params?[nameField] as? String else {
                return "Mcp-Name does not match params.\(nameField)"
            }
        }
        guard envelopeVersion == MCP20260728.version else {
            return "MCP-Protocol-Version does not match params._meta[\"\(MCP20260728.protocolVersionKey)\"]"
        }
        return nil
    }

    /// The body field `Mcp-Name` carries for a method, if it carries one.
    static func nameField(of method: String) -> String? {
        switch method {
        case "tools/call", "prompts/get": "name"
        case "resources/read": "uri"
        default: nil
        }
    }

    /// A header value as the client meant it: values HTTP cannot carry (non-ASCII, control
    /// characters, edge whitespace) travel as `=?base64?<UTF-8 bytes in base64>?=`, markers
    /// lowercase (§Encoding header values). nil for a wrapped value that is not canonical
    /// base64 of UTF-8, which then matches nothing.
    static func decode(_ value: String) -> String? {
        let prefix = "=?base64?", suffix = "?="
        guard value.hasPrefix(prefix), value.hasSuffix(suffix), value.utf8.count >= prefix.utf8.count + suffix.utf8.count else {
            return value
        }
        let encoded = String(value.dropFirst(prefix.count).dropLast(suffix.count))
        // Foundation accepts some non-canonical forms; re-encoding tells them apart.
        guard let bytes = Data(base64Encoded: encoded), bytes.base64EncodedString() == encoded else { return nil }
        return String(bytes: bytes, encoding: .utf8)
    }
}
