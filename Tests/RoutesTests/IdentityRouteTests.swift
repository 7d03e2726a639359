import AppComposition
import Configuration
import Crypto
import Foundation
import HTTPMessages
import OAuth
import Privy
import Routes
import Storage
import TestSupport
import Testing

/// POST /authorize/identity: who a Privy token belongs to, for the consent screen. The token is
/// checked as the consent decision checks it (400 missing, 401 naming the check, 503 when Privy's
/// keys cannot be fetched); the email comes from the profile lookup when one is configured
/// (PRIVY_APP_SECRET), and any lookup failure only leaves it out. The decision itself never asks.
@Suite struct IdentityRouteTests {
    /// A stand-in for Privy's user record: one fixed answer, after an optional delay.
    final class FakeEmails: UserEmailLookup, @unchecked Sendable {
        private let lock = NSLock()
        private let answer: String?
        private let delay: TimeInterval
        private var asked: [String] = []

        init(_ answer: String?, delay: TimeInterval = 0) {
            self.answer = answer
            self.delay = delay
        }

        var askedFor: [String] { lock.withLock { asked } }

        func email(userID: String) -> String? {
            lock.withLock { asked.append(userID) }
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            return answer
        }
    }

    /// Privy's JWKS cannot be fetched: the verifier cannot judge any token.
    struct KeysOutage: PrivyKeySource {
        func key(for keyID: String?) throws(PrivyTokenError) -> P256PublicKey {
            throw .keysUnavailable("GET https://auth.privy.io/api/v1/apps/app/jwks.json: connection refused")
        }
    }

    struct Login {
        let token: String
        let userID: String
    }

    struct Answer {
        let status: Int
        let headers: HTTPHeaders
        let body: [String: Any]
    }

    private func application(_ emails: FakeEmails?) -> (Application, DevelopmentLogin) {
        var services = TestServices.make()
        services.userEmails = emails
        return (Application(services: services), services.developmentLogin!)
    }

    private func login(_ developmentLogin: DevelopmentLogin, email: String = "alice@example.com") throws -> Login {
        let token = try developmentLogin.issueToken(email: email)
        let userID = try PrivyTokenVerifier(appID: DevelopmentLogin.appID, keys: developmentLogin.keySource).verify(token).userID
        return Login(token: token, userID: userID)
    }

    private func post(_ application: Application, target: String = "/authorize/identity", contentType: String,
                      body: [UInt8]) throws -> Answer {
        var headers = HTTPHeaders()
        headers.add("Content-Type", contentType)
        let response = application.respond(to: Request(method: "POST", target: target, headers: headers, body: body))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        return Answer(status: response.status, headers: response.headers, body: object)
    }

    private func ask(_ application: Application, _ fields: [String: String]) throws -> Answer {
        try post(application, contentType: "application/json", body: Array(try JSONSerialization.data(withJSONObject: fields)))
    }

    @Test func goodTokenWithLookupAnswersTheEmail() throws {
        let emails = FakeEmails("alice@example.com")
        let (application, developmentLogin) = application(emails)
        let user = try login(developmentLogin)
        let answer = try ask(application, ["privy_token": user.token])
        #expect(answer.status == 200)
        #expect(answer.headers["Cache-Control"] == "no-store")
        #expect(answer.headers["Content-Type"] == "application/json")
        #expect(answer.body["privy_user_id"] as? String == user.userID)
        #expect(answer.body["email"] as? String == "alice@example.com")
        // Asked about the user the token was verified for, once.
        #expect(emails.askedFor == [user.userID])
    }

    /// The development login's tokens work; without a lookup (no PRIVY_APP_SECRET, or the
    /// development login) the answer is the id alone.
    @Test func goodTokenWithoutLookupAnswersTheIDOnly() throws {
        let (application, developmentLogin) = application(nil)
        let user = try login(developmentLogin)
        let answer = try ask(application, ["privy_token": user.token])
        #expect(answer.status == 200)
        #expect(answer.headers["Cache-Control"] == "no-store")
        #expect(answer.body as? [String: String] == ["privy_user_id": user.userID])
    }

    /// The other /authorize posts take form bodies too (RequestBody); so does this one.
    @Test func formBodyIsAccepted() throws {
        let emails = FakeEmails("alice@example.com")
        let (application, developmentLogin) = application(emails)
        let user = try login(developmentLogin)
        let answer = try post(application, contentType: "application/x-www-form-urlencoded",
                              body: Array("privy_token=\(user.token)".utf8))
        #expect(answer.status == 200)
        #expect(answer.body["privy_user_id"] as? String == user.userID)
        #expect(answer.body["email"] as? String == "alice@example.com")
    }

    /// Privy answered 500, garbage or nothing in time: the lookup yields nil, the answer is 200.
    @Test(arguments: [0, 0.3])
    func failedOrSlowLookupOnlyLeavesTheEmailOut(delay: Double) throws {
        let emails = FakeEmails(nil, delay: delay)
        let (application, developmentLogin) = application(emails)
        let user = try login(developmentLogin)
        let answer = try ask(application, ["privy_token": user.token])
        #expect(answer.status == 200)
        #expect(answer.body as? [String: String] == ["privy_user_id": user.userID])
        #expect(emails.askedFor == [user.userID])
    }

    /// RFC 6750 §3.1: a token that does not verify is invalid_token (401) with the failed check
    /// named, as for the decision; nothing is looked up for it.
    @Test func badTokenIs401NamingTheCheck() throws {
        let emails = FakeEmails("alice@example.com")
        let (application, developmentLogin) = application(emails)
        let user = try login(developmentLogin)
        let parts = user.token.split(separator: ".")
        let otherSignature = try login(developmentLogin, email: "mallory@example.com").token.split(separator: ".")[2]
        let forged = [parts[0], parts[1], otherSignature].joined(separator: ".")
        for (token, check) in [(forged, "signature does not verify"), ("not-a-token", "malformed token")] {
            let answer = try ask(application, ["privy_token": token])
            #expect(answer.status == 401, "\(token)")
            #expect(answer.body["error"] as? String == "invalid_token")
            let description = answer.body["error_description"] as? String ?? ""
            #expect(description.hasPrefix("login could not be verified: "))
            #expect(description.contains(check), "\(description)")
            #expect(answer.body["privy_user_id"] == nil)
        }
        #expect(emails.askedFor.isEmpty)
    }

    @Test(arguments: [#"{}"#, #"{"privy_token": ""}"#, #"{"privy_user_id": "did:privy:x"}"#])
    func missingTokenIs400(_ body: String) throws {
        let emails = FakeEmails("alice@example.com")
        let (application, _) = application(emails)
        let answer = try post(application, contentType: "application/json", body: Array(body.utf8))
        #expect(answer.status == 400)
        #expect(answer.body["error"] as? String == "invalid_request")
        #expect(answer.body["error_description"] as? String == "privy_token is required")
        #expect(emails.askedFor.isEmpty)
    }

    /// Bodies the other /authorize posts refuse are refused the same way here.
    @Test func malformedBodiesAreRefused() throws {
        let (application, developmentLogin) = application(nil)
        let token = try login(developmentLogin).token
        let notJSON = try post(application, contentType: "application/json", body: Array("{".utf8))
        #expect(notJSON.status == 400 && notJSON.body["error"] as? String == "invalid_request")
        let repeated = try post(application, contentType: "application/x-www-form-urlencoded",
                                body: Array("privy_token=\(token)&privy_token=\(token)".utf8))
        #expect(repeated.status == 400 && repeated.body["error"] as? String == "invalid_request")
        let text = try post(application, contentType: "text/plain", body: Array(token.utf8))
        #expect(text.status == 415)
        let get = application.respond(to: Request(method: "GET", target: "/authorize/identity"))
        #expect(get.status == 405 && get.headers["Allow"] == "POST")
    }

    /// Privy's keys cannot be fetched: 503 temporarily_unavailable (RFC 6749 §4.1.2.1), as the
    /// decision answers, and no lookup.
    @Test func keysOutageIs503() throws {
        let emails = FakeEmails("alice@example.com")
        let services = TestApplication.services { parts in
            parts.identity = PrivyIdentityVerifier(verifier: PrivyTokenVerifier(appID: DevelopmentLogin.appID, keys: KeysOutage()))
            parts.userEmails = emails
        }
        let token = try login(services.developmentLogin!).token
        let answer = try ask(Application(services: services), ["privy_token": token])
        #expect(answer.status == 503)
        #expect(answer.body["error"] as? String == "temporarily_unavailable")
        #expect(answer.headers["Cache-Control"] == "no-store")
        #expect(emails.askedFor.isEmpty)
    }

    /// The consent decision makes no call to Privy's user API and answers without an email:
    /// the consent screen asked for it before the user clicked.
    @Test func decisionNeverLooksUp() throws {
        let emails = FakeEmails("alice@example.com")
        let (application, developmentLogin) = application(emails)
        let user = try login(developmentLogin)
        let verifier = SecureRandom.token(byteCount: 40)
        let fields: [String: String] = [
            "response_type": "code", "client_id": "chatgpt-connector",
            "redirect_uri": "https://chatgpt.com/connector_platform_oauth_redirect", "state": "st-1",
            "code_challenge": Base64URL.encode(SHA256.hash(Array(verifier.utf8))), "code_challenge_method": "S256",
            "privy_token": user.token, "privy_user_id": user.userID, "user_consent": "true",
        ]
        for target in ["/authorize", "/authorize/complete"] {
            let answer = try post(application, target: target, contentType: "application/json",
                                  body: Array(try JSONSerialization.data(withJSONObject: fields)))
            #expect(answer.status == 200)
            #expect(Set(answer.body.keys) == ["code", "redirect_uri", "state"])
        }
        #expect(emails.askedFor.isEmpty)
    }
}
