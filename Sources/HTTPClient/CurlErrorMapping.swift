import CCurl

/// Translates a failed curl_easy_perform into the client's error vocabulary. Our own
/// callbacks' verdicts (size cap, SSRF refusal) win over curl's generic code, because curl
/// only sees "write failed" or "could not connect".
enum CurlErrorMapping {
    static func error(for code: CURLcode, context: TransferContext, message: String) -> HTTPClientError {
        if context.bodyTooLarge || code == CURLE_FILESIZE_EXCEEDED {
            return .responseTooLarge
        }
        if code == CURLE_COULDNT_CONNECT, let refused = context.refusedAddress {
            return .refusedAddress(refused)
        }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidURL(message)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT,
             CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR:
            return .connectionFailed(message)
        default:
            return .transferFailed(message)
        }
    }
}
