import Foundation
import MCP

/// `tools/call` params taken from the message JSONSerialization has already parsed, rather than
/// parsing the body a second time through JSONDecoder (a tenth of a `get-items` request).
///
/// Only the plain case: a string `name`, and `arguments` absent, null, or an object of strings,
/// booleans, integers, nulls, arrays and objects. Anything else (fractions, large numbers,
/// strings that may be data URLs, `_meta`, any error) gives nil and goes through
/// `MethodParams`, so results and error messages stay exactly the SDK's decoding;
/// `CallToolParamsTests` holds the two to the same values.
enum CallToolParams {
    static func fromParsed(_ params: [String: Any]?) -> CallTool.Parameters? {
        guard let params, params.keys.allSatisfy({ $0 == "name" || $0 == "arguments" }),
              let name = params["name"] as? String
        else { return nil }
        switch params["arguments"] {
        case nil, is NSNull:
            return CallTool.Parameters(name: name, arguments: nil)
        case let arguments as [String: Any]:
            guard case .object(let converted)? = value(arguments) else { return nil }
            return CallTool.Parameters(name: name, arguments: converted)
        default:
            return nil
        }
    }

    /// The `Value` the SDK's decoder would produce, or nil where this shortcut does not decide.
    static func value(_ json: Any) -> Value? {
        switch json {
        case is NSNull:
            return .null
        case let text as String:
            // The SDK turns data URLs into `.data`; leave those to it.
            return text.hasPrefix("data:") ? nil : .string(text)
        case let number as NSNumber:
            // JSONSerialization's type encodings: "c" for booleans, "q" for integers that fit
            // (the shared 0 and 1 say "i"); fractions ("d") and unsigned ("Q") go to the SDK.
            switch String(cString: number.objCType) {
            case "c": return .bool(number.boolValue)
            case "q", "i", "l", "s": return .int(number.intValue)
            default: return nil
            }
        case let elements as [Any]:
            var converted: [Value] = []
            converted.reserveCapacity(elements.count)
            for element in elements {
                guard let value = value(element) else { return nil }
                converted.append(value)
            }
            return .array(converted)
        case let fields as [String: Any]:
            var converted: [String: Value] = [:]
            converted.reserveCapacity(fields.count)
            for (key, field) in fields {
                guard let value = value(field) else { return nil }
                converted[key] = value
            }
            return .object(converted)
        default:
            return nil
        }
    }
}
