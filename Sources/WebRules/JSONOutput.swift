import Foundation

/// The one JSON encoder configuration for everything we write ourselves (HTTP answers, JSON-RPC
/// replies): keys sorted and slashes unescaped, so output is stable and URLs stay readable.
public enum JSONOutput {
    public static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own value types cannot fail; a failure is a programming error.
        guard let data = try? encoder.encode(value) else {
            preconditionFailure("value of type \(type(of: value)) is not encodable")
        }
        return [UInt8](data)
    }
}
