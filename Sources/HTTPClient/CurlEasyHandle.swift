import CCurl

/// Owns one CURL easy handle and everything curl borrows from us for its lifetime
/// (header list, error buffer), releasing all of it together. One per `send` call:
/// easy handles must never be shared between threads.
final class CurlEasyHandle {
    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(HTTPClientError) {
        guard let handle = curl_easy_init() else { throw .transferFailed("curl_easy_init failed") }
        self.handle = handle
        let size = Int(CURL_ERROR_SIZE)
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
        ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    deinit {
        // Cleanup first: curl may still reference the header list and error buffer until then.
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(ccurl_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, offset value: Int64) throws(HTTPClientError) {
        try check(ccurl_setopt_off_t(handle, option, curl_off_t(value)), option)
    }

    /// curl copies string options, so the C string only needs to live for this call.
    func set(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        let code = value.withCString { ccurl_setopt_string(handle, option, $0) }
        try check(code, option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(HTTPClientError) {
        try check(ccurl_setopt_pointer(handle, option, value), option)
    }

    /// COPYPOSTFIELDS makes curl keep its own copy, so `body` need not outlive this call.
    func setBody(_ body: [UInt8]) throws(HTTPClientError) {
        // The size must be set first, or curl would strlen() the bytes.
        try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
        let code = body.withUnsafeBytes { bytes in
            // An empty array may have no storage; curl still needs a valid pointer.
            bytes.baseAddress.map { ccurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0)) }
                ?? ccurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
        }
        try check(code, CURLOPT_COPYPOSTFIELDS)
    }

    /// Lines must already be validated "Name: value" strings.
    func setHeaders(_ lines: [String]) throws(HTTPClientError) {
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw .transferFailed("out of memory building request headers")
            }
            headerList = appended
        }
        try check(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), CURLOPT_HTTPHEADER)
    }

    func responseCode() -> Int {
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return status
    }

    /// curl's detailed message for the last failure, falling back to the generic one.
    func errorMessage(for code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            throw .transferFailed("setting curl option \(option.rawValue) failed: \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
