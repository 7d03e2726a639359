import CFastCGI
import Foundation
import Routes
import ServerLog

/// Converts one accepted libfcgi request to our `Request`, and our `Response` back.
struct FastCGIConnection {
    let request: UnsafeMutablePointer<FCGX_Request>

    func serve(maxBodyBytes: Int, responder: some Responder) {
        let started = DispatchTime.now().uptimeNanoseconds
        let exchange = CGIExchange(variables: parameters(), maxBodyBytes: maxBodyBytes, responder: responder,
                                   readBody: readBody)
        let output = exchange.output
        output.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                _ = FCGX_PutStr(chars.baseAddress, Int32(chars.count), request.pointee.out)
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        ServerLog.emit(AccessLog.record(exchange.request, exchange.response, milliseconds: elapsed))
    }

    /// FastCGI params arrive as a NULL-terminated array of "NAME=value" C strings. Split on the
    /// bytes (a Character search here was a sixth of a small request's cost); invalid UTF-8 is
    /// repaired as `String(cString:)` would.
    private func parameters() -> [String: String] {
        var variables: [String: String] = [:]
        variables.reserveCapacity(40)  // nginx sends about 30
        guard var cursor = request.pointee.envp else { return variables }
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

    /// Reads exactly `length` bytes of FCGI_STDIN; nil when the stream ends early.
    private func readBody(_ length: Int) -> [UInt8]? {
        guard length > 0 else { return [] }
        var body = [UInt8](repeating: 0, count: length)
        var filled = 0
        let complete = body.withUnsafeMutableBufferPointer { buffer -> Bool in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                while filled < length {
                    let chunk = Int32(min(length - filled, 1 << 16))
                    let count = FCGX_GetStr(chars.baseAddress! + filled, chunk, request.pointee.in)
                    if count <= 0 { return false }
                    filled += Int(count)
                }
                return true
            }
        }
        return complete ? body : nil
    }
}
