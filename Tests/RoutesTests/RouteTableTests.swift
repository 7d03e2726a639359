import Crypto
import Foundation
import HTTPMessages
import Routes
import TestSupport
import Testing

/// Every route of the application, `/mcp` included, called in process as FCGIApp wires it
/// (`TestApplication`, through `AppComposition`): a table of named cases per route, each
/// with the status and one thing the answer must say. No sockets: the responder is called
/// directly, as FastCGI, CGI and the tests all do.
@Suite struct RouteTableTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        var method = "GET"
        let target: String
        var headers: [(String, String)] = []
        var body = ""
        let status: Int
        /// A JSON member (dotted path into objects) and its expected text, or a header and its
        /// expected value when the name starts with "header:".
        var expect: (String, String)?
        var bearer = false

        var testDescription: String { name }

        static func json(_ name: String, _ target: String, _ body: String, status: Int,
                         expect: (String, String)? = nil) -> Case {
            Case(name: name, method: "POST", target: target, headers: [("Content-Type", "application/json")], body: body,
                 status: status, expect: expect)
        }

        static func form(_ name: String, _ target: String, _ body: String, status: Int, expect: (String, String)? = nil) -> Case {
            Case(name: name, method: "POST", target: target, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                 body: body, status: status, expect: expect)
        }
    }

    static let challenge = Base64URL.encode(SHA256.hash(Array("verifier-0123456789-0123456789-0123456789-abc".utf8)))
    static let authorizeQuery = "response_type=code&client_id=chatgpt-connector"
        + "&redirect_uri=https%3A%2F%2Fchatgpt.com%2Fconnector_platform_oauth_redirect&state=s"
        + "&code_challenge=\(challenge)&code_challenge_method=S256"
    static let mcpHeaders = [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
                             ("MCP-Protocol-Version", "2025-06-18")]

    static let cases: [Case] = [
        // Health and metadata
        Case(name: "health", target: "/health", status: 200, expect: ("status", "ok")),
        Case(name: "AS metadata", target: "/.well-known/oauth-authorization-server", status: 200,
             expect: ("token_endpoint", "http://localhost:3002/token")),
        Case(name: "AS metadata, path-suffixed", target: "/.well-known/oauth-authorization-server/mcp", status: 200,
             expect: ("issuer", "http://localhost:3002")),
        Case(name: "AS metadata under /mcp", target: "/mcp/.well-known/oauth-authorization-server", status: 200,
             expect: ("issuer", "http://localhost:3002")),
        Case(name: "protected resource of /mcp", target: "/.well-known/oauth-protected-resource/mcp", status: 200,
             expect: ("resource", "http://localhost:3002/mcp")),
        Case(name: "protected resource at the root", target: "/.well-known/oauth-protected-resource", status: 200),
        Case(name: "protected resource under /mcp", target: "/mcp/.well-known/oauth-protected-resource", status: 200,
             expect: ("resource", "http://localhost:3002/mcp")),
        Case(name: "JWKS", target: "/.well-known/jwks.json", status: 200),
        Case(name: "no OpenID Connect", target: "/.well-known/openid-configuration", status: 404),
        // Registration (RFC 7591)
        .json("register", "/register", #"{"redirect_uris":["https://client.example/cb"],"client_name":"T"}"#, status: 201,
              expect: ("token_endpoint_auth_method", "none")),
        .json("register an http redirect", "/register", #"{"redirect_uris":["http://client.example/cb"]}"#, status: 400,
              expect: ("error", "invalid_redirect_uri")),
        .json("register a body that is not JSON", "/register", "{", status: 400, expect: ("error", "invalid_client_metadata")),
        Case(name: "register as a form", method: "POST", target: "/register", headers: [("Content-Type", "application/x-www-form-urlencoded")],
             body: "redirect_uris=x", status: 415),
        // The browser step
        Case(name: "authorize page", target: "/authorize?" + authorizeQuery, status: 200,
             expect: ("header:Content-Type", "text/html; charset=utf-8")),
        Case(name: "authorize details", target: "/authorize?" + authorizeQuery, headers: [("Accept", "application/json")],
             status: 200, expect: ("client_name", "ChatGPT")),
        // The consent screen's words for the app's scopes are the manifest's; a request naming
        // no scope asks for all of them, then the server's own.
        Case(name: "authorize details, first scope in the manifest's words", target: "/authorize?" + authorizeQuery,
             headers: [("Accept", "application/json")], status: 200, expect: ("scopes.0.description", "See your items")),
        Case(name: "authorize details, second scope in the manifest's words", target: "/authorize?" + authorizeQuery,
             headers: [("Accept", "application/json")], status: 200,
             expect: ("scopes.1.description", "Change your items (complete, reopen, delete)")),
        // Every grant yields a refresh token: the screen says so, with or without offline_access.
        Case(name: "authorize details, staying connected", target: "/authorize?" + authorizeQuery,
             headers: [("Accept", "application/json")], status: 200,
             expect: ("stay_connected", "Stay connected without signing in again")),
        Case(name: "authorize details, staying connected without offline_access", target: "/authorize?" + authorizeQuery + "&scope=read",
             headers: [("Accept", "application/json")], status: 200,
             expect: ("stay_connected", "Stay connected without signing in again")),
        Case(name: "authorize details, the built-in client is verified", target: "/authorize?" + authorizeQuery,
             headers: [("Accept", "application/json")], status: 200, expect: ("client_verified", "1")),
        Case(name: "authorize details, a scope asked for alone", target: "/authorize?" + authorizeQuery + "&scope=write",
             headers: [("Accept", "application/json")], status: 200, expect: ("scopes.0.name", "write")),
        Case(name: "authorize, a scope the manifest does not declare", target: "/authorize?" + authorizeQuery + "&scope=admin",
             headers: [("Accept", "application/json")], status: 400, expect: ("error", "invalid_scope")),
        Case(name: "AS metadata, the manifest's scopes first", target: "/.well-known/oauth-authorization-server", status: 200,
             expect: ("scopes_supported.1", "write")),
        Case(name: "authorize, unknown client", target: "/authorize?client_id=nobody&redirect_uri=https%3A%2F%2Fx.example%2Fcb",
             status: 400),
        Case(name: "authorize without PKCE", target: "/authorize?" + authorizeQuery.replacingOccurrences(of: "&code_challenge_method=S256", with: ""),
             status: 302),
        // The decision, identity and development login
        .json("decision without a login", "/authorize", #"{"client_id":"chatgpt-connector","redirect_uri":"https://chatgpt.com/connector_platform_oauth_redirect","code_challenge":"\#(challenge)","code_challenge_method":"S256","user_consent":true}"#,
              status: 400, expect: ("error", "invalid_request")),
        .json("completion, unknown client", "/authorize/complete", #"{"client_id":"nobody","redirect_uri":"https://x.example/cb","privy_token":"t"}"#,
              status: 400, expect: ("error", "invalid_client")),
        .json("identity of a bad token", "/authorize/identity", #"{"privy_token":"x.y.z"}"#, status: 401, expect: ("error", "invalid_token")),
        .json("development login", "/authorize/dev-login", #"{"email":"a@example.com"}"#, status: 200),
        .json("development login without email", "/authorize/dev-login", "{}", status: 400, expect: ("error", "invalid_request")),
        // Tokens
        .form("token without grant_type", "/token", "client_id=chatgpt-connector", status: 400, expect: ("error", "invalid_request")),
        .form("token with an unknown grant type", "/token", "grant_type=password&client_id=chatgpt-connector", status: 400,
              expect: ("error", "unsupported_grant_type")),
        .form("token for an unknown client", "/token", "grant_type=refresh_token&refresh_token=r&client_id=nobody", status: 401,
              expect: ("error", "invalid_client")),
        .form("refresh with an unknown token", "/token", "grant_type=refresh_token&refresh_token=r&client_id=chatgpt-connector",
              status: 400, expect: ("error", "invalid_grant")),
        .form("revoke an unknown token", "/revoke", "token=unknown&client_id=chatgpt-connector", status: 200),
        .form("revoke without a token", "/revoke", "client_id=chatgpt-connector", status: 400, expect: ("error", "invalid_request")),
        .form("introspect without a bearer", "/token/introspect", "token=x", status: 401),
        Case(name: "Privy exchange without a bearer", method: "POST", target: "/token/privy/access-token", status: 401),
        // /mcp
        Case(name: "mcp without a bearer", method: "POST", target: "/mcp", headers: mcpHeaders,
             body: #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#, status: 401,
             expect: ("header:WWW-Authenticate", #"Bearer resource_metadata="http://localhost:3002/.well-known/oauth-protected-resource/mcp", scope="read write""#)),
        Case(name: "mcp tools/list", method: "POST", target: "/mcp", headers: mcpHeaders,
             body: #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#, status: 200, expect: ("result.tools.0.name", "get-items"), bearer: true),
        Case(name: "mcp initialize", method: "POST", target: "/mcp", headers: mcpHeaders,
             body: #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
             status: 200, expect: ("result.protocolVersion", "2025-06-18"), bearer: true),
        Case(name: "mcp get-items", method: "POST", target: "/mcp", headers: mcpHeaders,
             body: #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get-items","arguments":{}}}"#,
             status: 200, expect: ("id", "2"), bearer: true),
        Case(name: "mcp body that is not JSON", method: "POST", target: "/mcp", headers: mcpHeaders, body: "{", status: 400,
             expect: ("error.code", "-32700"), bearer: true),
        Case(name: "mcp from a foreign Origin", method: "POST", target: "/mcp", headers: mcpHeaders + [("Origin", "https://evil.example")],
             body: #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#, status: 403, bearer: true),
        Case(name: "mcp GET", target: "/mcp", status: 405, expect: ("header:Allow", "POST"), bearer: true),
        // The router itself
        Case(name: "unknown path", target: "/nope", status: 404, expect: ("error", "not_found")),
        Case(name: "known path, other method", method: "PUT", target: "/token", status: 405, expect: ("header:Allow", "POST")),
    ]

    /// One application for the table; the bearer token comes from a whole flow through it.
    static let application = Application(services: TestApplication.services())
    static let accessToken: String = {
        do { return try obtainAccessToken(application) } catch { fatalError("access token: \(error)") }
    }()

    @Test(arguments: cases)
    func route(_ testCase: Case) throws {
        var headers = HTTPHeaders(testCase.headers)
        if testCase.bearer { headers.add("Authorization", "Bearer " + Self.accessToken) }
        let response = Self.application.respond(to: Request(method: testCase.method, target: testCase.target, headers: headers,
                                                            body: Array(testCase.body.utf8)))
        #expect(response.status == testCase.status, "\(response.bodyText.prefix(300))")
        #expect(response.headers["X-Request-Id"] != nil)
        guard let (name, expected) = testCase.expect else { return }
        if name.hasPrefix("header:") {
            #expect(response.headers[String(name.dropFirst(7))] == expected)
        } else {
            let object = try JSONSerialization.jsonObject(with: Data(response.body))
            #expect(Self.member(name, of: object) == expected, "\(response.bodyText.prefix(300))")
        }
    }

    /// A dotted path into nested objects and arrays, as text.
    static func member(_ path: String, of object: Any) -> String? {
        var current: Any? = object
        for key in path.split(separator: ".") {
            if let index = Int(key), let array = current as? [Any] {
                current = index < array.count ? array[index] : nil
            } else {
                current = (current as? [String: Any])?[String(key)]
            }
        }
        switch current {
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    /// Development login, programmatic completion and code exchange, all in process.
    static func obtainAccessToken(_ application: Application) throws -> String {
        func post(_ target: String, _ type: String, _ body: String) throws -> [String: Any] {
            let response = application.respond(to: Request(method: "POST", target: target,
                                                           headers: HTTPHeaders([("Content-Type", type)]), body: Array(body.utf8)))
            return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        }
        let login = try post("/authorize/dev-login", "application/json", #"{"email":"table@example.com"}"#)
        let token = login["privy_token"] as? String ?? ""
        let decided = try post("/authorize/complete", "application/json", """
            {"client_id":"chatgpt-connector","redirect_uri":"https://chatgpt.com/connector_platform_oauth_redirect",\
            "code_challenge":"\(challenge)","code_challenge_method":"S256","privy_token":"\(token)"}
            """)
        let code = decided["code"] as? String ?? ""
        let tokens = try post("/token", "application/x-www-form-urlencoded",
                              "grant_type=authorization_code&client_id=chatgpt-connector&code=\(code)"
                                + "&code_verifier=verifier-0123456789-0123456789-0123456789-abc"
                                + "&redirect_uri=https%3A%2F%2Fchatgpt.com%2Fconnector_platform_oauth_redirect")
        return tokens["access_token"] as? String ?? ""
    }
}
