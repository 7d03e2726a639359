import HTTPClient
import Storage

/// The user's own API at `BACKEND_API_URL`, called with the user's Privy token.
///
/// Every call carries `Authorization: Bearer <Privy token>` and `Accept: application/json`.
/// The HTTP client never follows redirects, so a 3xx is an unusable answer, not a detour that
/// could carry the token elsewhere; answers are read up to a size cap and within a time limit,
/// so a slow or huge API cannot hold a worker thread.
public struct HTTPAPITransport: APITransport {
    public let kind = "api"
    private let baseURL: String
    private let fetcher: any HTTPFetching
    private let timeout: Double
    private let connectTimeout: Double
    private let maxResponseBytes: Int

    /// - Parameters:
    ///   - timeout: whole-transfer limit in seconds (`BACKEND_TIMEOUT_SECONDS`), the default of every call.
    ///   - connectTimeout: TCP + TLS connect limit in seconds.
    public init(baseURL: String, fetcher: any HTTPFetching, timeout: Double = 10, connectTimeout: Double? = nil,
                maxResponseBytes: Int = 1 << 20) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.fetcher = fetcher
        self.timeout = timeout
        self.connectTimeout = connectTimeout ?? min(timeout, 5)
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: APIRequest, for caller: Caller) throws(APIError) -> APIResponse {
        var headers: [(name: String, value: String)] = [
            (name: "Authorization", value: "Bearer " + caller.privyAccessToken), (name: "Accept", value: "application/json"),
        ]
        if request.body != nil { headers.append((name: "Content-Type", value: "application/json")) }
        headers += request.headers
        let limit = min(request.timeout ?? timeout, timeout)
        var outgoing = HTTPClientRequest(method: request.method, url: baseURL + request.target, headers: headers, body: request.body)
        outgoing.timeout = limit
        outgoing.connectTimeout = min(connectTimeout, limit)
        outgoing.maxResponseBytes = maxResponseBytes
        let response: HTTPClientResponse
        do {
            response = try fetcher.send(outgoing)
        } catch {
            switch error {
            case .timedOut: throw .unavailable("no answer within \(Self.seconds(limit)) seconds")
            case .responseTooLarge: throw .badResponse("the answer is larger than \(maxResponseBytes) bytes")
            case .connectionFailed, .refusedAddress: throw .unavailable("cannot connect")
            case .invalidURL, .transferFailed: throw .unavailable(error.description)
            }
        }
        if (300..<400).contains(response.status) {
            throw .badResponse("HTTP \(response.status) (redirects are not followed)")
        }
        return APIResponse(status: response.status, body: response.body)
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
