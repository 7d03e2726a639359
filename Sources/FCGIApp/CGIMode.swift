import Foundation
import HTTPMessages
import Routes
import ServerLog

/// Plain CGI (RFC 3875), for hosts without FastCGI: one request from the environment and stdin,
/// the response on stdout, then exit.
enum CGIMode {
    static func serveOne(maxBodyBytes: Int, responder: some Responder) -> Int32 {
        let variables = ProcessInfo.processInfo.environment
        guard variables["REQUEST_METHOD"] != nil else {
            StartupFailure.exit("no socket to serve (no LISTEN_FDS, no listening socket on fd 0, no FCGI_LISTEN) and no CGI request (REQUEST_METHOD unset); see README \"Running\"")
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let exchange = CGIExchange(variables: variables, maxBodyBytes: maxBodyBytes, responder: responder,
                                   readBody: readStandardInput)
        writeAll(exchange.output, to: 1)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        ServerLog.emit(AccessLog.record(exchange.request, exchange.response, milliseconds: elapsed))
        return 0
    }

    private static func readStandardInput(_ length: Int) -> [UInt8]? {
        var body = [UInt8](repeating: 0, count: length)
        var filled = 0
        while filled < length {
            let count = body.withUnsafeMutableBytes { read(0, $0.baseAddress! + filled, length - filled) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return nil }
            filled += count
        }
        return body
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            offset += count
        }
    }
}
