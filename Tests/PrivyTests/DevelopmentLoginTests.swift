import Crypto
import Foundation
import Privy
import Testing

/// The loopback-only development login and the tokens it mints.
@Suite struct DevelopmentLoginTests {
    @Test(arguments: [
        "https://app.example.com",
        "http://10.0.0.5",
        "http://192.168.1.10:3002",
        "http://0.0.0.0:3002",
        "http://localhost@evil.example",
        "http://localhost.evil.example",
        "http://127.0.0.1.evil.example",
        "http://127.1",
        "http://0177.0.0.1",
        "http://[::2]:3002",
        "http://[::1]evil",
        "http://localhost:99999",
        "ftp://localhost",
        "localhost:3002",
        "",
    ])
    func refusesNonLoopback(_ url: String) {
        #expect(throws: DevelopmentLoginError.self) { try DevelopmentLogin(serverBaseURL: url) }
        #expect((try? DevelopmentLogin(serverBaseURL: url)) == nil)
    }

    @Test(arguments: [
        "http://localhost:3002",
        "http://127.0.0.1:8080",
        "http://[::1]:3002",
        "https://localhost",
        "HTTP://LocalHost:3002/",
        "http://127.5.6.7/app?x=1",
    ])
    func acceptsLoopback(_ url: String) {
        #expect(throws: Never.self) { try DevelopmentLogin(serverBaseURL: url) }
    }

    @Test func refusalSaysWhy() {
        do {
            _ = try DevelopmentLogin(serverBaseURL: "https://app.example.com")
            Issue.record("expected a refusal")
        } catch {
            #expect(error.kind == .notLoopback)
            #expect(error.description.contains("loopback"))
        }
    }

    @Test func tokensVerifyLikePrivyTokens() throws {
        let login = try DevelopmentLogin(serverBaseURL: "http://localhost:3002")
        let verifier = PrivyTokenVerifier(appID: DevelopmentLogin.appID, keys: login.keySource)
        let token = try login.issueToken(email: "Alice@Example.com", lifetime: 600)
        let identity = try verifier.verify(token)
        #expect(identity.userID == "did:privy:dev-" + SHA256.hexHash("alice@example.com").prefix(24))
        #expect(identity.appID == DevelopmentLogin.appID)
        #expect(identity.sessionID?.isEmpty == false)
        #expect(identity.expiresAt.timeIntervalSince(identity.issuedAt) == 600)

        let jws = try CompactJWS(parsing: token)
        #expect(jws.alg == "ES256")
        #expect(jws.typ == "JWT")
        #expect(jws.kid == "development")
        #expect(jws.signature.count == 64)
        #expect(try jws.claims()["iss"] as? String == "privy.io")
    }

    @Test func sameEmailSameUserAcrossTokensAndRestarts() throws {
        let first = try DevelopmentLogin(serverBaseURL: "http://127.0.0.1:8080")
        let second = try DevelopmentLogin(serverBaseURL: "http://127.0.0.1:8080")
        func identity(_ login: DevelopmentLogin, _ email: String) throws -> PrivyIdentity {
            try PrivyTokenVerifier(appID: DevelopmentLogin.appID, keys: login.keySource).verify(login.issueToken(email: email))
        }
        let a = try identity(first, "bob@example.com")
        let b = try identity(first, "BOB@example.com")
        let c = try identity(second, "bob@example.com")
        let other = try identity(first, "carol@example.com")
        #expect(a.userID == b.userID)
        #expect(a.userID == c.userID)
        #expect(a.userID != other.userID)
        #expect(a.sessionID != b.sessionID)
    }

    @Test func keysDifferPerInstance() throws {
        let first = try DevelopmentLogin(serverBaseURL: "http://localhost:3002")
        let second = try DevelopmentLogin(serverBaseURL: "http://localhost:3002")
        let verifier = PrivyTokenVerifier(appID: DevelopmentLogin.appID, keys: second.keySource)
        #expect(verificationError(verifier, try first.issueToken(email: "a@b.c")) == .badSignature)
    }

    @Test func realAppVerifierRejectsDevelopmentTokens() throws {
        let login = try DevelopmentLogin(serverBaseURL: "http://localhost:3002")
        let verifier = PrivyTokenVerifier(appID: "real-privy-app", keys: login.keySource)
        #expect(verificationError(verifier, try login.issueToken(email: "a@b.c")) == .wrongAudience)
    }

    @Test func rejectsBadEmailsAndLifetimes() throws {
        let login = try DevelopmentLogin(serverBaseURL: "http://localhost:3002")
        let tooLong = String(repeating: "a", count: 250) + "@b.cd"
        for email in ["", "no-at-sign", tooLong] {
            #expect(throws: DevelopmentLoginError.self) { try login.issueToken(email: email) }
        }
        #expect(throws: Never.self) { try login.issueToken(email: String(repeating: "a", count: 249) + "@b.cd") }
        for lifetime in [0, -5, .infinity, .nan, 1e300] as [TimeInterval] {
            #expect(throws: DevelopmentLoginError.self) { try login.issueToken(email: "a@b.c", lifetime: lifetime) }
        }
    }
}
