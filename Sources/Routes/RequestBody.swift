import Foundation
import HTTPMessages

/// Reads the parameters of a POST body: form-encoded (what OAuth specifies) or a flat JSON object
/// of strings (what the original system's UI sent). Anything else is a clear 400 or 415.
enum RequestBody {
    static func parameters(of request: Request) throws(HTTPError) -> [(name: String, value: String)] {
        switch request.mediaType {
        case "application/x-www-form-urlencoded":
            guard let text = String(validating: request.body, as: UTF8.self) else {
                throw .badRequest("form body is not valid UTF-8")
            }
            return try FormParameters(urlEncoded: text).pairs
        case "application/json":
            return try flatJSON(request.body)
        case nil:
            if request.body.isEmpty { return [] }
            throw HTTPError(415, code: "invalid_request", message: "Content-Type must be application/x-www-form-urlencoded or application/json")
        default:
            throw HTTPError(415, code: "invalid_request", message: "Content-Type must be application/x-www-form-urlencoded or application/json")
        }
    }

    /// A JSON object whose values are strings, numbers or booleans, as parameter pairs.
    static func flatJSON(_ body: [UInt8]) throws(HTTPError) -> [(name: String, value: String)] {
        let object: [String: FlatValue]
        do {
            object = try JSONDecoder().decode([String: FlatValue].self, from: Data(body))
        } catch {
            throw .badRequest("body must be a JSON object whose values are strings, numbers or booleans")
        }
        return object.sorted { $0.key < $1.key }.compactMap { name, value in value.text.map { (name, $0) } }
    }

    private enum FlatValue: Decodable {
        case text(String?)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .text(nil)
            } else if let flag = try? container.decode(Bool.self) {
                self = .text(flag ? "true" : "false")
            } else if let integer = try? container.decode(Int.self) {
                self = .text(String(integer))
            } else if let number = try? container.decode(Double.self) {
                self = .text(String(number))
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        var text: String? {
            switch self { case .text(let value): value }
        }
    }

    /// Any JSON object body, for endpoints whose fields are structured (client registration).
    static func jsonObject(_ body: [UInt8]) throws(HTTPError) -> [String: Any] {
        guard !body.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw .badRequest("body is not a JSON object")
        }
        return object
    }
}
