import Foundation
import HTTPClient
import Storage
import WebRules

/// The user's own items API at `BACKEND_API_URL`, called with the user's Privy token.
///
/// Contract: `GET {base}/items` -> `{"items": [{"id", "title", ...}]}`;
/// `POST {base}/items/{id}/actions` with `{"action": "complete"|"reopen"|"delete"}` ->
/// `{"item": {...}}`. 404 means no such item; 401/403 mean the Privy token is no longer accepted.
/// The HTTP client never follows redirects, so a 3xx is an unusable answer, not a detour that
/// could carry the token elsewhere.
public struct HTTPItemsBackend: ItemsBackend {
    public let kind = "api"
    private let baseURL: String
    private let fetcher: any HTTPFetching
    private let timeout: Double
    private let connectTimeout: Double
    private let maxResponseBytes: Int

    /// - Parameters:
    ///   - timeout: whole-transfer limit in seconds (`BACKEND_TIMEOUT_SECONDS`), so a slow API
    ///     cannot hold a worker thread for long.
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

    public func items(for caller: Caller) throws(BackendError) -> [BackendItem] {
        let response = try send(HTTPClientRequest(method: "GET", url: baseURL + "/items", headers: headers(caller)))
        guard case .array(let values) = try Self.document(response, expecting: "items") else {
            throw .badResponse("\"items\" is not an array")
        }
        var items: [BackendItem] = []
        items.reserveCapacity(values.count)
        for value in values { items.append(try BackendItem.parse(value)) }
        return items
    }

    public func perform(_ action: ItemAction, itemID: String, for caller: Caller) throws(BackendError) -> BackendItem {
        let url = baseURL + "/items/" + PercentEncoding.pathSegment(itemID) + "/actions"
        var headers = headers(caller)
        headers.append((name: "Content-Type", value: "application/json"))
        let body = Array(#"{"action":"\#(action.rawValue)"}"#.utf8)
        let response = try send(HTTPClientRequest(method: "POST", url: url, headers: headers, body: body))
        if response.status == 404 { throw .notFound(itemID: itemID) }
        return try BackendItem.parse(try Self.document(response, expecting: "item"))
    }

    private func headers(_ caller: Caller) -> [(name: String, value: String)] {
        [(name: "Authorization", value: "Bearer " + caller.privyAccessToken), (name: "Accept", value: "application/json")]
    }

    private func send(_ request: HTTPClientRequest) throws(BackendError) -> HTTPClientResponse {
        var request = request
        request.timeout = timeout
        request.connectTimeout = connectTimeout
        request.maxResponseBytes = maxResponseBytes
        let response: HTTPClientResponse
        do {
            response = try fetcher.send(request)
        } catch {
            switch error {
            case .timedOut: throw .unavailable("no answer within \(Self.seconds(timeout)) seconds")
            case .responseTooLarge: throw .badResponse("the answer is larger than \(maxResponseBytes) bytes")
            case .connectionFailed, .refusedAddress: throw .unavailable("cannot connect")
            case .invalidURL, .transferFailed: throw .unavailable(error.description)
            }
        }
        if response.status == 401 || response.status == 403 { throw .unauthorized(status: response.status) }
        return response
    }

    /// The value under `key` of a 2xx JSON object answer.
    private static func document(_ response: HTTPClientResponse, expecting key: String) throws(BackendError) -> JSONValue {
        guard (200..<300).contains(response.status) else {
            throw .badResponse("HTTP \(response.status)")
        }
        let decoded: JSONValue
        do {
            decoded = try JSONDecoder().decode(JSONValue.self, from: Data(response.body))
        } catch {
            throw .badResponse("the body is not JSON")
        }
        guard case .object(let object) = decoded, let value = object[key] else {
            throw .badResponse("the body has no \"\(key)\"")
        }
        return value
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
