import Foundation
import MCP

/// A request's `params` as received: the whole message's bytes, and the params object as
/// JSONSerialization parsed it (nil when absent or null).
struct MessageParams {
    let body: Data
    var parsed: [String: Any]? = nil

    /// False for absent, null or `{}` params, so methods without required params skip decoding.
    var present: Bool { !(parsed?.isEmpty ?? true) }
}

/// Decodes a request's `params` straight from the message bytes into the SDK's parameter type,
/// turning any failure into -32602 Invalid params that names the field (JSON-RPC 2.0 §5.1).
enum MethodParams {
    private struct Envelope<Parameters: Decodable>: Decodable {
        let params: Parameters?
    }

    static func decode<Parameters: Decodable>(_ type: Parameters.Type, from params: MessageParams) throws(MCPError) -> Parameters {
        // Absent or null params are fine for methods whose params are all optional.
        if !params.present, let value = emptyParameters(type) { return value }
        let envelope: Envelope<Parameters>
        do {
            envelope = try JSONDecoder().decode(Envelope<Parameters>.self, from: params.body)
        } catch let error as DecodingError {
            throw .invalidParams(describe(error))
        } catch {
            throw .invalidParams("params could not be read")
        }
        if let params = envelope.params { return params }
        if let value = emptyParameters(type) { return value }
        throw .invalidParams("missing \"params\"")
    }

    private static func emptyParameters<Parameters>(_ type: Parameters.Type) -> Parameters? {
        (Parameters.self as? any NotRequired.Type).flatMap { $0.init() as? Parameters }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.filter { $0.stringValue != "params" }.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \"\(path(context.codingPath + [key]))\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return field.isEmpty ? "params must be an object" : "\"\(field)\" has the wrong type"
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return field.isEmpty ? "params are malformed" : "\"\(field)\" is malformed"
        @unknown default:
            return "params are malformed"
        }
    }
}
