import Crypto
import Foundation
import HTTPMessages
import OAuth
import Privy
import Routes
import Storage
import Testing

/// `POST /authorize` and `POST /authorize/complete` with the bodies the original system's clients
/// send, JSON and form-encoded, for success and for every error of its contract.
@Suite struct AuthorizationDecisionTests {
    static let redirectURI = "https://chatgpt.com/connector_platform_oauth_redirect"

    struct Answer {
        let status: Int
        let body: [String: Any]
        var error: String? { body["error"] as? String }
    }

    let services: AppServices
    let application: Application
    let login: DevelopmentLogin
    let token: String
    let userID: String

    init() throws {
        services = TestServices.make()
        application = Application(services: services)
        login = services.developmentLogin!
        token = try login.issueToken(email: "alice@example.com")
        userID = try PrivyTokenVerifier(appID: DevelopmentLogin.appID, keys: login.keySource).verify(token).userID
    }

    /// What the original's programmatic clients post: no response_type, no user_consent.
    var completeBody: [String: String] {
        let verifier = SecureRandom.token(byteCount: 40)
        return ["client_id": "chatgpt-connector", "redirect_uri": Self.redirectURI, "scope": "read write", "state": "st-1",
                "code_challenge": Base64URL.encode(SHA256.hash(Array(verifier.utf8))), "code_challenge_method": "S256",
                "privy_token": token]
    }

    /// What the original's consent page posts.
    var consentBody: [String: String] {
        var body = completeBody
        body["privy_user_id"] = userID
        body["user_consent"] = "true"
        return body
    }

    enum Encoding: CaseIterable { case json, form }

    func post(_ target: String, _ fields: [String: String?], as encoding: Encoding) throws -> Answer {
        let present = fields.compactMapValues { $0 }
        var headers = HTTPHeaders()
        let body: [UInt8]
        switch encoding {
        case .json:
            headers.add("Content-Type", "application/json")
            // user_consent travels as a JSON boolean, as the original's page sent it.
            var object: [String: Any] = present
            if let consent = present["user_consent"], consent == "true" || consent == "false" { object["user_consent"] = consent == "true" }
            body = Array(try JSONSerialization.data(withJSONObject: object))
        case .form:
            headers.add("Content-Type", "application/x-www-form-urlencoded")
            body = Array(present.map { "\(Self.formEncode($0.key))=\(Self.formEncode($0.value))" }.joined(separator: "&").utf8)
        }
        let response = application.respond(to: Request(method: "POST", target: target, headers: headers, body: body))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        return Answer(status: response.status, body: object)
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    func changed(_ body: [String: String], _ changes: [String: String?]) -> [String: String?] {
        var result: [String: String?] = body
        for (name, value) in changes { result[name] = value }
        return result
    }

    @Test(arguments: Encoding.allCases)
    func originalBodiesGetACode(_ encoding: Encoding) throws {
        for (target, body) in [("/authorize/complete", completeBody), ("/authorize", consentBody)] {
            let answer = try post(target, body, as: encoding)
            #expect(answer.status == 200, "\(target) \(encoding): \(answer.body)")
            #expect(Set(answer.body.keys) == ["code", "redirect_uri", "state"], "\(target)")
            let redirect = try #require(answer.body["redirect_uri"] as? String)
            let code = try #require(answer.body["code"] as? String)
            #expect(redirect == Self.redirectURI + "?code=\(code)&state=st-1&iss=http%3A%2F%2Flocalhost%3A3002", "\(target)")
            #expect(answer.body["state"] as? String == "st-1")
        }
    }

    @Test(arguments: Encoding.allCases)
    func completionAcceptsTheOptionalFields(_ encoding: Encoding) throws {
        let cases: [(name: String, changes: [String: String?], status: Int, error: String?)] = [
            ("response_type code", ["response_type": "code"], 200, nil),
            ("response_type token", ["response_type": "token"], 400, "unsupported_response_type"),
            ("user_consent true", ["user_consent": "true"], 200, nil),
            ("user_consent false is a denial", ["user_consent": "false"], 200, "access_denied"),
            ("no scope", ["scope": nil], 200, nil),
            ("no state", ["state": nil], 200, nil),
            ("own privy_user_id", ["privy_user_id": userID], 200, nil),
            ("fallback used when privy_token fails", ["privy_token": "not-a-token", "fallback_token": token], 200, nil),
            ("fallback ignored when privy_token verifies", ["fallback_token": "not-a-token"], 200, nil),
        ]
        for testCase in cases {
            let answer = try post("/authorize/complete", changed(completeBody, testCase.changes), as: encoding)
            #expect(answer.status == testCase.status, "\(testCase.name): \(answer.body)")
            #expect(answer.error == testCase.error, "\(testCase.name): \(answer.body)")
            #expect((answer.body["code"] != nil) == (testCase.error == nil), "\(testCase.name)")
        }
    }

    @Test(arguments: Encoding.allCases)
    func originalErrorAnswers(_ encoding: Encoding) throws {
        let other = try login.issueToken(email: "bob@example.com")
        let otherUser = try PrivyTokenVerifier(appID: DevelopmentLogin.appID, keys: login.keySource).verify(other).userID
        let both: [(name: String, changes: [String: String?], status: Int, error: String)] = [
            ("unknown client_id", ["client_id": "client_never_registered"], 400, "invalid_client"),
            ("unregistered redirect_uri", ["redirect_uri": "https://evil.example/cb"], 400, "invalid_client"),
            ("redirect_uri differing by a trailing slash", ["redirect_uri": Self.redirectURI + "/"], 400, "invalid_client"),
            ("missing client_id", ["client_id": nil], 400, "invalid_request"),
            ("missing redirect_uri", ["redirect_uri": nil], 400, "invalid_request"),
            ("missing code_challenge", ["code_challenge": nil], 400, "invalid_request"),
            ("missing code_challenge_method", ["code_challenge_method": nil], 400, "invalid_request"),
            ("plain code_challenge_method", ["code_challenge_method": "plain"], 400, "invalid_request"),
            ("privy_user_id of another user", ["privy_user_id": otherUser], 400, "invalid_request"),
            ("privy_token that does not verify", ["privy_token": "x.y.z"], 401, "invalid_token"),
            ("privy_token and fallback_token that do not verify", ["privy_token": "x.y.z", "fallback_token": "a.b.c"],
             401, "invalid_token"),
            ("our check: resource of another server", ["resource": "https://evil.example/mcp"], 400, "invalid_target"),
            ("our check: unknown scope", ["scope": "admin"], 400, "invalid_scope"),
        ]
        let consentOnly: [(name: String, changes: [String: String?], status: Int, error: String)] = [
            ("missing privy_user_id", ["privy_user_id": nil], 400, "invalid_request"),
            ("missing privy_token", ["privy_token": nil], 400, "invalid_request"),
            ("missing user_consent", ["user_consent": nil], 400, "invalid_request"),
        ]
        for (target, base, cases) in [("/authorize/complete", completeBody, both),
                                      ("/authorize", consentBody, both + consentOnly)] {
            for testCase in cases {
                let answer = try post(target, changed(base, testCase.changes), as: encoding)
                #expect(answer.status == testCase.status, "\(target) \(testCase.name): \(answer.body)")
                #expect(answer.error == testCase.error, "\(target) \(testCase.name): \(answer.body)")
                #expect(answer.body["error_description"] is String, "\(target) \(testCase.name)")
                #expect(answer.body["code"] == nil, "\(target) \(testCase.name)")
                if testCase.error == "invalid_client" {
                    #expect(answer.body["redirect_uri"] == nil, "never a redirect for an untrusted client")
                }
            }
        }
    }

    @Test func denialNamesTheErrorAndTheRedirect() throws {
        for (target, body) in [("/authorize/complete", completeBody), ("/authorize", consentBody)] {
            let answer = try post(target, changed(body, ["user_consent": "false"]), as: .json)
            #expect(answer.status == 200)
            #expect(answer.error == "access_denied")
            let redirect = try #require(answer.body["redirect_uri"] as? String)
            #expect(redirect.hasPrefix(Self.redirectURI + "?error=access_denied&"), "\(target)")
            #expect(redirect.hasSuffix("&state=st-1&iss=http%3A%2F%2Flocalhost%3A3002"), "\(target)")
        }
    }

    /// The code goes to whichever token verified: redeemed, its tokens act with that Privy token.
    @Test func codeIsBoundToTheTokenThatVerified() throws {
        let verifier = SecureRandom.token(byteCount: 40)
        var body = completeBody
        body["code_challenge"] = Base64URL.encode(SHA256.hash(Array(verifier.utf8)))
        body["privy_token"] = "expired.or.garbage"
        body["fallback_token"] = token
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        let decided = application.respond(to: Request(method: "POST", target: "/authorize/complete", headers: headers,
                                                      body: Array(try JSONSerialization.data(withJSONObject: body))))
        let code = try #require((try JSONSerialization.jsonObject(with: Data(decided.body)) as? [String: Any])?["code"] as? String)
        let tokens = try services.oauth.tokenEndpoint.exchange(OAuthParameters([
            "grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": "chatgpt-connector",
            "redirect_uri": Self.redirectURI,
        ]))
        let caller = try services.oauth.bearer.authenticate(authorization: "Bearer " + tokens.access_token).get()
        #expect(caller.privyAccessToken == token)
        #expect(caller.userID == userID)
    }
}
