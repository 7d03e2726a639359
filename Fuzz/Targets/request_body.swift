import Foundation
import HTTPMessages
import Routes

/// Request bodies (RequestBody: form, flat JSON, JSON objects) through `Application.respond`,
/// at every route that reads one, plus GET /authorize with a fuzzed query string.
///
/// Input: a selector byte, then the body (or the query for GET /authorize).
///   selector & 7:       0 POST /token, 1 POST /register, 2 POST /authorize, 3 POST /authorize/complete,
///                       4 POST /revoke, 5 POST /token/introspect (with a valid Bearer token),
///                       6 POST /authorize/dev-login, 7 GET /authorize?<input>
///   (selector >> 3) & 3: Content-Type 0 application/json, 1 application/x-www-form-urlencoded,
///                       2 none, 3 "Application/JSON; charset=UTF-8" (for 7: Accept JSON or not)
/// Placeholders (@@AT@@, @@PRIVY@@) and the fixture constants are in Fuzz/Support/Harness.swift.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var reader = FuzzReader(Harness.substitute(Array(UnsafeBufferPointer(start: data, count: size))))
    let selector = reader.byte()
    let body = reader.rest()
    let paths = ["/token", "/register", "/authorize", "/authorize/complete", "/revoke", "/token/introspect",
                 "/authorize/dev-login"]
    let types: [String?] = ["application/json", "application/x-www-form-urlencoded", nil, "Application/JSON; charset=UTF-8"]
    let route = Int(selector & 7)
    let type = types[Int(selector >> 3 & 3)]

    var headers = HTTPHeaders()
    let request: Request
    if route == 7 {
        if selector >> 3 & 1 == 0 { headers.add("Accept", "application/json") }
        request = Request(method: "GET", path: "/authorize", queryString: body.text, headers: headers)
    } else {
        if let type { headers.add("Content-Type", type) }
        headers.add("Content-Length", String(body.count))
        if route == 5 { headers.add("Authorization", "Bearer " + Harness.accessToken) }
        request = Request(method: "POST", path: paths[route], headers: headers, body: body)
    }
    let response = Harness.makeApplication().respond(to: request)
    Harness.checkResponse(response, "\(request.method) \(request.path)")

    // A redirect is only ever to a registered URI (RFC 9700 §4.1.3): the error-page rule.
    if let location = response.headers["Location"] {
        Harness.require(location.hasPrefix(Harness.redirectURI) || location.hasPrefix("http://127.0.0.1:8765/cb")
                        || location.hasPrefix("https://chatgpt.com/connector/oauth/"),
                        "redirect to an unregistered URI: \(location)")
    }
    if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
       let location = object["redirect_uri"] as? String, request.method == "POST" {
        Harness.require(location.hasPrefix(Harness.redirectURI + "?") || location.hasPrefix("http://127.0.0.1:8765/cb?")
                        || location.hasPrefix("https://chatgpt.com/connector/oauth/"),
                        "decision redirects to an unregistered URI: \(location)")
    }
    // Every success of the token endpoint is no-store (RFC 6749 §5.1).
    if route == 0, response.status == 200 {
        Harness.require(response.headers["Cache-Control"] == "no-store", "token response without Cache-Control: no-store")
    }
    return 0
}
