import Crypto
import Foundation
import Privy
import Routes
import Testing

/// The answer to the consent decision (POST /authorize) carries the signed-in user's email when
/// a profile lookup is configured (PRIVY_APP_SECRET); a failed, slow or absent lookup only
/// leaves the email out and never fails the authorization.
@Suite struct ConsentEmailTests {
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

    struct Login {
        let token: String
        let userID: String
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

    private func decide(_ application: Application, _ decision: [String: String]) throws -> (status: Int, body: [String: Any]) {
        let verifier = SecureRandom.token(byteCount: 40)
        var fields: [String: String] = [
            "response_type": "code", "client_id": "chatgpt-connector",
            "redirect_uri": "https://chatgpt.com/connector_platform_oauth_redirect", "state": "st-1",
            "code_challenge": Base64URL.encode(SHA256.hash(Array(verifier.utf8))), "code_challenge_method": "S256",
        ]
        fields.merge(decision) { $1 }
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        let body = try JSONSerialization.data(withJSONObject: fields)
        let response = application.respond(to: Request(method: "POST", target: "/authorize", headers: headers, body: Array(body)))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        return (response.status, object)
    }

    private func approval(_ login: Login) -> [String: String] {
        ["privy_token": login.token, "privy_user_id": login.userID, "user_consent": "true"]
    }

    @Test func emailShownOnSuccess() throws {
        let emails = FakeEmails("alice@example.com")
        let (application, developmentLogin) = application(emails)
        let user = try login(developmentLogin)
        let (status, body) = try decide(application, approval(user))
        #expect(status == 200)
        #expect(body["code"] is String)
        #expect((body["redirect_uri"] as? String)?.hasPrefix("https://chatgpt.com/connector_platform_oauth_redirect?code=") == true)
        #expect(body["email"] as? String == "alice@example.com")
        // Asked about the user the token was verified for, once.
        #expect(emails.askedFor == [user.userID])
    }

    /// Privy answered 500, garbage or nothing in time: the lookup yields nil, and the code is issued.
    @Test(arguments: [0, 0.3])
    func failedOrSlowLookupOnlyHidesTheEmail(delay: Double) throws {
        let emails = FakeEmails(nil, delay: delay)
        let (application, developmentLogin) = application(emails)
        let (status, body) = try decide(application, approval(try login(developmentLogin)))
        #expect(status == 200)
        #expect(body["code"] is String)
        #expect(body["email"] == nil)
        #expect(emails.askedFor.count == 1)
    }

    @Test func withoutLookupTheAnswerIsUnchanged() throws {
        let (application, developmentLogin) = application(nil)
        let (status, body) = try decide(application, approval(try login(developmentLogin)))
        #expect(status == 200)
        #expect(body["code"] is String)
        #expect(Set(body.keys) == ["code", "redirect_uri", "state"])
    }

    /// Nothing is looked up for a token that does not verify, or for a denial.
    @Test func noLookupWithoutAVerifiedApproval() throws {
        let emails = FakeEmails("alice@example.com")
        let (application, developmentLogin) = application(emails)
        let user = try login(developmentLogin)

        let forged = try decide(application, ["privy_token": user.token + "x", "privy_user_id": user.userID, "user_consent": "true"])
        #expect(forged.status == 401)
        #expect(forged.body["email"] == nil)

        let denied = try decide(application, ["privy_token": user.token, "privy_user_id": user.userID, "user_consent": "false"])
        #expect(denied.status == 200)
        #expect(denied.body["code"] == nil)
        #expect(denied.body["email"] == nil)

        let mismatched = try decide(application, ["privy_token": user.token, "privy_user_id": "did:privy:someone-else",
                                                  "user_consent": "true"])
        #expect(mismatched.status == 401)
        #expect(emails.askedFor.isEmpty)
    }

    /// The lookup needs the verified user's id; a programmatic caller that omits privy_user_id
    /// still gets its code, without an email.
    @Test func withoutUserIDTheCodeComesWithoutEmail() throws {
        let emails = FakeEmails("alice@example.com")
        let (application, developmentLogin) = application(emails)
        let (status, body) = try decide(application, ["privy_token": try login(developmentLogin).token, "user_consent": "true"])
        #expect(status == 200)
        #expect(body["code"] is String)
        #expect(body["email"] == nil)
        #expect(emails.askedFor.isEmpty)
    }
}
