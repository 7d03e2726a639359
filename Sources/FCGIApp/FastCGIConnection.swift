import CFastCGI
import Foundation
import HTTPMessages
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

    /// Ends the request (FCGX_Finish_r: flushes the output, sends FCGI_END_REQUEST, closes).
    ///
    /// libfcgi closes gracefully: shutdown(SHUT_WR), then poll and read until the web server
    /// closes its end (up to 2 s), so that unread input never turns the close into a reset that
    /// could cost the server our answer. When the request's stdin has already been read to its
    /// end record (FastCGI 1.0 §6.2: an empty FCGI_STDIN record ends the stream; nginx and
    /// mod_fcgid send nothing after it on a connection that is not kept), nothing unread can be
    /// left, so the request is detached and closed at once: that wait was about a tenth of a small
    /// request's CPU and held the worker for a round trip. Anything else keeps the graceful close.
    func finish() {
        let detach = FCGX_GetChar(request.pointee.in) == -1 && FCGX_HasSeenEOF(request.pointee.in) != 0
            && FCGX_GetError(request.pointee.in) == 0
        if detach { _ = FCGX_Detach(request) }
        FCGX_Finish_r(request)
        request.pointee.detached = 0  // per request: the next one decides for itself
    }

    private func parameters() -> [String: String] {
        FastCGIInput.variables(environment: request.pointee.envp)
    }

    private func readBody(_ length: Int) -> [UInt8]? {
        FastCGIInput.body(length: length) { buffer, count in FCGX_GetStr(buffer, count, request.pointee.in) }
    }
}
