import COpenSSL

/// OpenSSL reports failures on a per-thread error queue. Every failure path drains it, so a
/// stale entry left by one request can never be blamed on a later call on the same worker
/// thread, and the queue cannot grow without bound on a long-lived FastCGI worker.
enum OpenSSLErrorQueue {
    /// Pops every queued error and renders them as one line; empty when the queue was empty.
    static func drain() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            let message = buffer.withUnsafeMutableBufferPointer { pointer -> String in
                ERR_error_string_n(code, pointer.baseAddress, pointer.count)
                return String(cString: pointer.baseAddress!)
            }
            messages.append(message)
        }
        return messages.joined(separator: "; ")
    }

    /// Discards queued errors when the failure is an expected outcome (e.g. a bad signature).
    static func clear() {
        ERR_clear_error()
    }

    /// `context` followed by whatever OpenSSL queued, for `CryptoError` payloads.
    static func describe(_ context: String) -> String {
        let detail = drain()
        return detail.isEmpty ? context : "\(context): \(detail)"
    }
}
