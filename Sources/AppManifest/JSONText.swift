import MCP

/// Strict JSON (RFC 8259) to and from the SDK's `Value`, without its decoder's guessing
/// (strings stay strings) and fast enough for every API answer.
public enum JSONText {
    /// Integers that fit `Int` become `.int`, every other number `.double`; a duplicate object
    /// key keeps its last value.
    public static func parse(_ bytes: [UInt8]) throws(JSONTextError) -> Value {
        try JSONByteParser<ValueTreeBuilder>.parse(bytes)
    }

    /// The same reading, keeping document order, duplicate keys and byte offsets (the manifest).
    static func parseDocument(_ bytes: [UInt8]) throws(JSONTextError) -> JSONNode {
        try JSONByteParser<JSONNodeBuilder>.parse(bytes)
    }

    /// Compact, keys in code-point order (their UTF-8 bytes compared), escapes as `JSONEncoder`
    /// writes them; a non-finite double, which JSON cannot express, is `null`.
    public static func encode(_ value: Value) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(128)
        JSONTextWriter.write(value, into: &output)
        return output
    }

    /// `encode` as a String, for text built from values (templates, messages).
    static func encodedString(_ value: Value) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }
}
