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

    private func parameters() -> [String: String] {
        FastCGIInput.variables(environment: request.pointee.envp)
    }

    private func readBody(_ length: Int) -> [UInt8]? {
        FastCGIInput.body(length: length) { buffer, count in FCGX_GetStr(buffer, count, request.pointee.in) }
    }
}
