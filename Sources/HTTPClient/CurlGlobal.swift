import CCurl

/// libcurl must be globally initialised once before any easy handle exists, and
/// curl_global_init itself is not safe to race. A `static let` initialiser runs exactly
/// once, atomically (swift_once), no matter how many worker threads arrive together.
enum CurlGlobal {
    private static let initResult: CURLcode = ccurl_global_init_default()

    static func ensureInitialized() throws(HTTPClientError) {
        guard initResult == CURLE_OK else {
            throw .transferFailed("curl_global_init failed: \(String(cString: curl_easy_strerror(initResult)))")
        }
    }
}
