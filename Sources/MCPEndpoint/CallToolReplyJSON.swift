import MCP
import WebRules

/// Writes the JSON-RPC answer to a `tools/call` byte for byte as `JSONOutput.encode` writes
/// `Response<CallTool>` (keys sorted by their UTF-8 bytes, slashes unescaped), without
/// JSONEncoder: encoding through `Codable` was 30% of the CPU of a `get-items` request.
///
/// Covers what our tools return: text content without annotations or `_meta`, and values
/// without doubles or binary data. Anything else gives nil and the caller uses the encoder;
/// `CallToolReplyJSONTests` holds the two to the same bytes.
enum CallToolReplyJSON {
    static func reply(id: ID, result: CallTool.Result) -> [UInt8]? {
        var writer = Writer()
        writer.raw(#"{"id":"#)
        switch id {
        case .string(let text): writer.string(text)
        case .number(let number): writer.raw(String(number))
        }
        writer.raw(#","jsonrpc":"2.0","result":{"#)
        // Keys in sorted order: _meta, content, isError, structuredContent.
        if let meta = result._meta {
            writer.raw(#""_meta":"#)
            guard writer.object(meta.fields) else { return nil }
            writer.raw(",")
        }
        writer.raw(#""content":["#)
        for (index, content) in result.content.enumerated() {
            guard case .text(let text, nil, nil) = content else { return nil }
            if index > 0 { writer.raw(",") }
            writer.raw(#"{"text":"#)
            writer.string(text)
            writer.raw(#","type":"text"}"#)
        }
        writer.raw("]")
        if let isError = result.isError {
            writer.raw(isError ? #","isError":true"# : #","isError":false"#)
        }
        if let structured = result.structuredContent {
            writer.raw(#","structuredContent":"#)
            guard writer.value(structured) else { return nil }
        }
        writer.raw("}}")
        return writer.bytes
    }

    private struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(1024) }

        mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

        /// False for a value this writer leaves to JSONEncoder.
        mutating func value(_ value: Value) -> Bool {
            switch value {
            case .null: raw("null")
            case .bool(let flag): raw(flag ? "true" : "false")
            case .int(let number): raw(String(number))
            case .string(let text): string(text)
            case .array(let elements):
                bytes.append(UInt8(ascii: "["))
                for (index, element) in elements.enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    guard self.value(element) else { return false }
                }
                bytes.append(UInt8(ascii: "]"))
            case .object(let fields): return object(fields)
            case .double, .data: return false
            }
            return true
        }

        mutating func object(_ fields: [String: Value]) -> Bool {
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(key)
                bytes.append(UInt8(ascii: ":"))
                guard value(fields[key]!) else { return false }
            }
            bytes.append(UInt8(ascii: "}"))
            return true
        }

        /// RFC 8259 §7 with JSONEncoder's choices: short escapes where JSON has them, `\u00xx`
        /// for other control characters, everything else (slashes, non-ASCII) as is.
        mutating func string(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): raw(#"\""#)
                case UInt8(ascii: "\\"): raw(#"\\"#)
                case 0x0A: raw(#"\n"#)
                case 0x0D: raw(#"\r"#)
                case 0x09: raw(#"\t"#)
                case 0x08: raw(#"\b"#)
                case 0x0C: raw(#"\f"#)
                case 0x00..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }
}
