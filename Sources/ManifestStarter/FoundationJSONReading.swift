import Foundation

/// Reads the OpenAPI document with Foundation's `JSONSerialization` and turns its untyped tree
/// into `JSONValue`, object keys sorted so that every later walk is deterministic.
enum FoundationJSONReading {
    /// The document's top-level object, or the one-line reason it cannot be read.
    static func object(from bytes: [UInt8]) throws(StarterError) -> JSONObject {
        var start = bytes.startIndex
        // RFC 8259 §8.1: a parser may ignore a leading byte order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        // RFC 8259 §2: insignificant whitespace is space, tab, line feed and carriage return.
        guard let first = bytes[start...].first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
            throw StarterError("the OpenAPI document is empty")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes[start...]), options: [.fragmentsAllowed])
        } catch {
            if first != UInt8(ascii: "{") {
                throw StarterError("the OpenAPI document is not JSON (YAML is not supported): convert it to JSON first, e.g. `yq -o=json . openapi.yaml > openapi.json`")
            }
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw StarterError("the OpenAPI document is not valid JSON: \(reason)")
        }
        guard case .object(let object) = value(of: parsed) else {
            throw StarterError("the OpenAPI document is JSON but not an object: an OpenAPI document is a JSON object with an \"openapi\" member")
        }
        return object
    }

    /// One untyped Foundation value as `JSONValue`.
    static func value(of any: Any) -> JSONValue {
        switch any {
        case let number as NSNumber:
            return numberValue(number)
        case let string as String:
            return .string(string)
        case let array as [Any]:
            return .array(array.map(value(of:)))
        case let dictionary as [String: Any]:
            var object = JSONObject()
            for key in dictionary.keys.sorted() { object[key] = value(of: dictionary[key]!) }
            return .object(object)
        default:
            return .null
        }
    }

    /// `JSONSerialization` returns `true` and `false` as `NSNumber`s, and on Linux `1 as? Bool`
    /// succeeds, so a cast cannot tell them apart. The Objective-C type encoding can: "c" (char)
    /// is what a boolean `NSNumber` reports, and JSON numbers never come back as chars.
    static func numberValue(_ number: NSNumber) -> JSONValue {
        switch String(cString: number.objCType) {
        case "c", "B":
            return .bool(number.boolValue)
        case "d", "f":
            return .number(text(of: number.doubleValue))
        default:
            // Integer encodings (i, q, l, s, Q, …): Foundation's own text is exact.
            return .number(number.stringValue)
        }
    }

    /// Integral doubles print without ".0" as long as they are exact (|x| ≤ 2^53).
    static func text(of double: Double) -> String {
        if double.rounded() == double, abs(double) <= 9_007_199_254_740_992 {
            return String(Int64(double))
        }
        return "\(double)"
    }
}
