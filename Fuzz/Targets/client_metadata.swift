import Foundation
import HTTPClient
import HTTPMessages
import OAuth
import Routes

/// Client ID Metadata Documents (ClientMetadataDocuments) with a fake fetcher that answers the
/// fuzz bytes, then GET /authorize for that client through the Application.
///
/// Input: a selector byte, the Cache-Control value, NUL, then the document body.
///   selector & 1 == 1: the client_id URL is also fuzzed: it is the Cache-Control field's text
///                      after a '|' (e.g. "max-age=60|https://x.example/c.json"), exercising the
///                      guard in front of the fetch (length, '#', RedirectURIPolicy);
///   (selector >> 1) & 3: status 0/1 -> 200, 2 -> 404, 3 -> 302.
/// Properties: no trap; the fetcher is only asked for https URLs without '#', with the 3 s
/// timeout and the 64 KiB cap; an accepted client's id is its URL and every redirect URI is an
/// absolute https (or loopback http) URL with no fragment and no user info, checked on bytes;
/// the cache lifetime stays within 60 s ... 1 day; a second lookup of the same URL, accepted or
/// refused, never fetches again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var reader = FuzzReader(Array(UnsafeBufferPointer(start: data, count: size)))
    let selector = reader.byte()
    var cacheControl = reader.field().text
    let body = reader.rest()
    var url = "https://client.example/oauth/metadata.json"
    if selector & 1 == 1, let bar = cacheControl.firstIndex(of: "|") {
        url = String(cacheControl[cacheControl.index(after: bar)...])
        cacheControl = String(cacheControl[..<bar])
    }
    let status = [200, 200, 404, 302][Int(selector >> 1 & 3)]

    let fetcher = FakeFetcher(status: status, cacheControl: cacheControl, body: body)
    let documents = ClientMetadataDocuments(fetcher: fetcher)
    let lifetime = ClientMetadataDocuments.lifetimeForTesting(cacheControl)
    Harness.require((60...86_400).contains(lifetime), "cache lifetime \(lifetime) for \(cacheControl.debugDescription)")

    guard ClientMetadataDocuments.isDocumentURL(url) else { return 0 }
    do {
        let client = try documents.client(id: url)
        Harness.require(status == 200, "accepted a document answered with \(status)")
        Harness.require(client.id == url, "client id \(client.id) is not its URL")
        Harness.require(!client.redirectURIs.isEmpty && client.redirectURIs.count <= 20, "\(client.redirectURIs.count) redirect URIs")
        for uri in client.redirectURIs { checkRedirectURI(uri) }

        // The whole authorize request for that client, as ChatGPT's browser would send it.
        let app = Harness.makeApplication(documents: documents)
        let query = FormParameters.encode([
            ("response_type", "code"), ("client_id", url), ("redirect_uri", client.redirectURIs[0]),
            ("state", "s"), ("code_challenge", Harness.codeChallenge), ("code_challenge_method", "S256"),
        ])
        let response = app.respond(to: Request(method: "GET", path: "/authorize", queryString: query,
                                               headers: HTTPHeaders([("Accept", "application/json")])))
        Harness.checkResponse(response, "authorize for a metadata-document client")
    } catch {
        _ = error.description
    }
    // Cached either way (a document for its lifetime, a refusal for 60 s): a second lookup
    // never fetches again.
    let before = fetcher.calls
    _ = try? documents.client(id: url)
    Harness.require(fetcher.calls == before, "a cached document or refusal was fetched again")
    for requested in fetcher.requests {
        Harness.require(requested.url == url, "fetched \(requested.url) for \(url)")
        Harness.require(requested.url.utf8.starts(with: "https://".utf8), "fetched a non-https URL \(requested.url)")
        Harness.require(!requested.url.utf8.contains(UInt8(ascii: "#")), "fetched a URL with a fragment: \(requested.url.debugDescription)")
        Harness.require(requested.timeout <= 3 && requested.maxResponseBytes <= 64 * 1024, "fetch limits too loose")
    }
    return 0
}

/// Byte-level checks, independent of Swift's grapheme-based String comparisons.
private func checkRedirectURI(_ uri: String) {
    let bytes = Array(uri.utf8)
    Harness.require(!bytes.contains(UInt8(ascii: "#")), "accepted a redirect URI with a fragment: \(uri.debugDescription)")
    Harness.require(!bytes.contains { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") },
                    "accepted a redirect URI with spaces/controls: \(uri.debugDescription)")
    let lower = uri.lowercased()
    let https = lower.utf8.starts(with: "https://".utf8)
    Harness.require(https || lower.utf8.starts(with: "http://".utf8), "accepted scheme: \(uri.debugDescription)")
    let afterScheme = bytes.dropFirst(https ? 8 : 7)
    let authority = afterScheme.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
    Harness.require(!authority.isEmpty, "accepted a redirect URI without a host: \(uri.debugDescription)")
    Harness.require(!authority.contains(UInt8(ascii: "@")), "accepted a redirect URI with user info: \(uri.debugDescription)")
    if !https {
        let host = String(decoding: authority, as: UTF8.self).lowercased()
        let name = host.hasPrefix("[") ? String(host.prefix { $0 != "]" }) + "]" : String(host.split(separator: ":").first ?? "")
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        let loopback = name == "localhost" || name == "[::1]"
            || (octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil })
        Harness.require(loopback, "accepted plain http to a non-loopback host: \(uri.debugDescription)")
    }
}

final class FakeFetcher: HTTPFetching, @unchecked Sendable {
    let status: Int
    let cacheControl: String
    let body: [UInt8]
    private(set) var requests: [HTTPClientRequest] = []
    var calls: Int { requests.count }

    init(status: Int, cacheControl: String, body: [UInt8]) {
        self.status = status
        self.cacheControl = cacheControl
        self.body = body
    }

    func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        requests.append(request)
        // CurlHTTPClient aborts a body over the cap rather than truncating it.
        guard body.count <= request.maxResponseBytes else { throw .responseTooLarge }
        var headers = ["content-type": "application/json"]
        if !cacheControl.isEmpty { headers["cache-control"] = cacheControl }
        if status == 302 { headers["location"] = "https://elsewhere.example/metadata.json" }
        return HTTPClientResponse(status: status, headers: headers, body: body)
    }
}
