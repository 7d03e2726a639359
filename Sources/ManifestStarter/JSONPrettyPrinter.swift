/// Pretty JSON text with two-space indentation and the objects' own key order, ending in "\n".
/// Written here rather than with `JSONSerialization` because that one cannot keep an order other
/// than sorted, and the manifest's keys follow docs/MANIFEST.md.
enum JSONPrettyPrinter {
    static func text(of value: JSONValue) -> String {
        var output = ""
        write(value, indent: 0, into: &output)
        output += "\n"
        return output
    }

    private static func write(_ value: JSONValue, indent: Int, into output: inout String) {
        switch value {
        case .null:
            output += "null"
        case .bool(let bool):
            output += bool ? "true" : "false"
        case .number(let text):
            output += text
        case .string(let string):
            output += quoted(string)
        case .array(let elements):
            guard !elements.isEmpty else { output += "[]"; return }
            output += "[\n"
            for (index, element) in elements.enumerated() {
                output += String(repeating: "  ", count: indent + 1)
                write(element, indent: indent + 1, into: &output)
                output += index < elements.count - 1 ? ",\n" : "\n"
            }
            output += String(repeating: "  ", count: indent) + "]"
        case .object(let object):
            guard !object.isEmpty else { output += "{}"; return }
            output += "{\n"
            let entries = object.entries
            for (index, entry) in entries.enumerated() {
                output += String(repeating: "  ", count: indent + 1) + quoted(entry.key) + ": "
                write(entry.value, indent: indent + 1, into: &output)
                output += index < entries.count - 1 ? ",\n" : "\n"
            }
            output += String(repeating: "  ", count: indent) + "}"
        }
    }

    /// RFC 8259 §7: the quotation mark, the reverse solidus and the control characters
    /// U+0000–U+001F must be escaped; everything else may appear as itself (UTF-8).
    static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16, uppercase: false)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
