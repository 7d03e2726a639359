/// Per-transfer state that curl's C callbacks write into. It reaches the callbacks as an
/// opaque pointer (an `Unmanaged` box), lives exactly as long as one `send` call, and is
/// only touched from the thread running curl_easy_perform, so it needs no locking.
final class TransferContext {
    let maxBodyBytes: Int
    let blockPrivateAddresses: Bool

    private(set) var body: [UInt8] = []
    /// Set when the write callback aborted because the cap was hit.
    private(set) var bodyTooLarge = false
    /// The last address the SSRF guard refused, if any.
    var refusedAddress: String?
    private var headerCollector = ResponseHeaderCollector()

    var headers: [String: String] { headerCollector.headers }

    init(maxBodyBytes: Int, blockPrivateAddresses: Bool) {
        self.maxBodyBytes = maxBodyBytes
        self.blockPrivateAddresses = blockPrivateAddresses
    }

    /// Returns false to make curl abort the transfer (the write callback then returns 0).
    func appendBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard chunk.count <= maxBodyBytes - body.count else {
            bodyTooLarge = true
            return false
        }
        body.append(contentsOf: chunk)
        return true
    }

    func consumeHeaderLine(_ chunk: UnsafeRawBufferPointer) {
        headerCollector.consume(line: String(decoding: chunk, as: UTF8.self))
    }

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ pointer: UnsafeMutableRawPointer) -> TransferContext {
        Unmanaged<TransferContext>.fromOpaque(pointer).takeUnretainedValue()
    }
}
