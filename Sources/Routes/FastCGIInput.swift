import Foundation

/// What libfcgi hands a worker for one request, turned into Swift values: the params as a
/// dictionary and exactly the declared number of stdin bytes.
///
/// Kept here rather than in FCGIApp so the fuzz target `cgi_exchange` runs this very code on
/// untrusted bytes (FCGIApp is an executable and cannot be linked into a fuzzer).
public enum FastCGIInput {
    /// libfcgi's envp: a NULL-terminated array of "NAME=value" C strings (FastCGI 1.0 §5.2,
    /// FCGI_PARAMS). Entries without '=' are skipped; a later duplicate name wins. Split on the
    /// bytes (a Character search here was a sixth of a small request's cost); invalid UTF-8 is
    /// repaired as `String(cString:)` would.
    public static func variables(environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String: String] {
        var variables: [String: String] = [:]
        variables.reserveCapacity(40)  // nginx sends about 30
        guard var cursor = environment else { return variables }
        while let entry = cursor.pointee {
            let bytes = UnsafeRawBufferPointer(start: entry, count: strlen(entry))
            if let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
                let name = String(decoding: bytes[..<equals], as: UTF8.self)
                variables[name] = String(decoding: bytes[(equals + 1)...], as: UTF8.self)
            }
            cursor += 1
        }
        return variables
    }

    /// Reads exactly `length` bytes with `readChunk` (libfcgi's `FCGX_GetStr`: fills up to the
    /// given count, returns how many it wrote, 0 or less when the stream has ended). Nil when the
    /// stream ends early: RFC 3875 §4.1.2 makes CONTENT_LENGTH the body's exact size, so a short
    /// body is an incomplete request, never a shorter one.
    public static func body(length: Int, readChunk: (UnsafeMutablePointer<CChar>, Int32) -> Int32) -> [UInt8]? {
        guard length > 0 else { return [] }
        var body = [UInt8](repeating: 0, count: length)
        var filled = 0
        let complete = body.withUnsafeMutableBufferPointer { buffer -> Bool in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                while filled < length {
                    let count = readChunk(chars.baseAddress! + filled, Int32(min(length - filled, 1 << 16)))
                    if count <= 0 { return false }
                    filled += min(Int(count), length - filled)
                }
                return true
            }
        }
        return complete ? body : nil
    }
}
