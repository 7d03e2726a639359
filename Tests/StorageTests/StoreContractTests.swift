import Foundation
import Storage
import Testing

/// The store contract: every case runs against the memory store and, with TEST_DATABASE_URL,
/// against PostgreSQL, so both behave the same.
@Suite struct StoreContractTests {
    let t0 = Sample.t0

    /// Shows up as skipped, with the reason, whenever the PostgreSQL cases are left out.
    @Test(.enabled(if: TestDatabase.isConfigured, TestDatabase.skipMessage))
    func postgresCases() throws {
        #expect(StoreKind.available.contains(.postgres))
    }

    @Test(arguments: StoreKind.available) func clientsRoundTrip(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            // Awkward strings check the text[] quoting both ways.
            let client = OAuthClient(
                id: "chatgpt-connector", name: nil,
                redirectURIs: ["https://a.example/cb", "https://b.example/cb?x=1,2", #"quote " back\slash {brace} NULL"#],
                redirectURIPrefixes: ["https://chatgpt.com/connector/oauth/"], origin: .builtIn, createdAt: t0)
            try store.saveClient(client)
            #expect(try store.client(id: client.id) == client)

            var replaced = client
            replaced.name = "ChatGPT — ünïcode"
            replaced.redirectURIs = []
            replaced.redirectURIPrefixes = []
            replaced.grantTypes = ["authorization_code"]
            replaced.responseTypes = ["code"]
            replaced.tokenEndpointAuthMethod = "client_secret_post"
            replaced.origin = .metadataDocument
            replaced.createdAt = t0 + 5
            try store.saveClient(replaced)
            #expect(try store.client(id: client.id) == replaced)

            let registered = OAuthClient(id: "client_abc", name: "DCR", redirectURIs: ["https://x.example/cb"],
                                         origin: .registered, createdAt: t0)
            try store.saveClient(registered)
            #expect(try store.client(id: "client_abc") == registered)
            #expect(try store.client(id: "unknown") == nil)
        }
    }

    @Test(arguments: StoreKind.available) func codeRedeemsExactlyOnce(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let (grant, code) = try Sample.storedGrant(store)
            #expect(try store.grant(id: grant.id) == grant)

            var used = code
            used.usedAt = t0 + 10
            #expect(try store.redeemCode(hash: code.codeHash, now: t0 + 10) == .redeemed(used, grant))
            #expect(try store.redeemCode(hash: code.codeHash, now: t0 + 11) == .replayed(grantID: grant.id))
            #expect(try store.redeemCode(hash: Sample.hash("never issued"), now: t0 + 10) == .invalid)
        }
    }

    @Test(arguments: StoreKind.available) func creatingAnExistingGrantOrCodeConflicts(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let (grant, code) = try Sample.storedGrant(store)
            let sameCode = Sample.grant()
            #expect(throws: StoreError.self) { try store.createGrant(grant, code: Sample.code(for: grant)) }
            #expect(throws: StoreError.self) { try store.createGrant(sameCode, code: code) }
            #expect(try store.grant(id: sameCode.id) == nil)
        }
    }

    @Test(arguments: StoreKind.available) func expiredCodeIsInvalid(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let (_, code) = try Sample.storedGrant(store, codeExpiresAt: t0 + 600)
            #expect(try store.redeemCode(hash: code.codeHash, now: t0 + 600) == .invalid)
            #expect(try store.redeemCode(hash: code.codeHash, now: t0 + 601) == .invalid)
        }
    }

    @Test(arguments: StoreKind.available) func codeOfRevokedGrantIsInvalid(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let (grant, code) = try Sample.storedGrant(store)
            try store.revokeGrant(id: grant.id, now: t0 + 1)
            #expect(try store.redeemCode(hash: code.codeHash, now: t0 + 2) == .invalid)
        }
    }

    @Test(arguments: StoreKind.available) func refreshTokenRotatesOnce(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let (grant, _) = try Sample.storedGrant(store)
            let first = Sample.refreshToken(for: grant)
            try store.saveRefreshToken(first)
            #expect(try store.refreshToken(hash: first.tokenHash) == first)

            let second = Sample.refreshToken(for: grant)
            #expect(try store.rotateRefreshToken(hash: first.tokenHash, replacement: second, now: t0 + 60) == .rotated)
            #expect(try store.refreshToken(hash: first.tokenHash)?.usedAt == t0 + 60)
            #expect(try store.refreshToken(hash: second.tokenHash) == second)
            let third = Sample.refreshToken(for: grant)
            #expect(try store.rotateRefreshToken(hash: second.tokenHash, replacement: third, now: t0 + 62) == .rotated)
            #expect(try store.refreshToken(hash: Sample.hash("never issued")) == nil)
        }
    }

    /// RFC 9700 §4.14.2: a used token presented again revokes its whole grant, in the same step:
    /// the grant, its live refresh token and its access sessions; other grants are untouched.
    @Test(arguments: StoreKind.available) func reusedRefreshTokenRevokesItsGrant(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let (grant, _) = try Sample.storedGrant(store)
            let (other, _) = try Sample.storedGrant(store)
            let first = Sample.refreshToken(for: grant)
            let otherToken = Sample.refreshToken(for: other)
            let session = Sample.session(for: grant)
            try store.saveRefreshToken(first)
            try store.saveRefreshToken(otherToken)
            try store.saveAccessSession(session)
            let second = Sample.refreshToken(for: grant)
            #expect(try store.rotateRefreshToken(hash: first.tokenHash, replacement: second, now: t0 + 60) == .rotated)

            let replay = Sample.refreshToken(for: grant)
            #expect(try store.rotateRefreshToken(hash: first.tokenHash, replacement: replay, now: t0 + 61)
                == .reused(grantID: grant.id))
            #expect(try store.refreshToken(hash: replay.tokenHash) == nil)
            #expect(try store.grant(id: grant.id)?.revokedAt == t0 + 61)
            #expect(try store.accessSession(jti: session.jti)?.1.revokedAt == t0 + 61)
            #expect(try store.rotateRefreshToken(hash: second.tokenHash, replacement: Sample.refreshToken(for: grant),
                                                 now: t0 + 62) == .invalid)
            #expect(try store.grant(id: other.id)?.revokedAt == nil)
            #expect(try store.rotateRefreshToken(hash: otherToken.tokenHash, replacement: Sample.refreshToken(for: other),
                                                 now: t0 + 62) == .rotated)
        }
    }

    /// Within the reuse interval a second use is a retry: it rotates again and the grant stays,
    /// every replacement working; after it, the same second use revokes the grant.
    @Test(arguments: StoreKind.available) func reuseWithinTheIntervalIsARetry(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let (grant, _) = try Sample.storedGrant(store)
            let first = Sample.refreshToken(for: grant)
            try store.saveRefreshToken(first)
            let winner = Sample.refreshToken(for: grant)
            let retry = Sample.refreshToken(for: grant)
            #expect(try store.rotateRefreshToken(hash: first.tokenHash, replacement: winner, now: t0 + 60, reuseInterval: 5) == .rotated)
            #expect(try store.rotateRefreshToken(hash: first.tokenHash, replacement: retry, now: t0 + 64, reuseInterval: 5) == .rotated)
            #expect(try store.grant(id: grant.id)?.revokedAt == nil)
            // The interval counts from the first use, which the retry does not move.
            #expect(try store.refreshToken(hash: first.tokenHash)?.usedAt == t0 + 60)
            #expect(try store.rotateRefreshToken(hash: winner.tokenHash, replacement: Sample.refreshToken(for: grant), now: t0 + 65,
                                                 reuseInterval: 5) == .rotated)
            #expect(try store.rotateRefreshToken(hash: retry.tokenHash, replacement: Sample.refreshToken(for: grant), now: t0 + 65,
                                                 reuseInterval: 5) == .rotated)

            let late = Sample.refreshToken(for: grant)
            #expect(try store.rotateRefreshToken(hash: first.tokenHash, replacement: late, now: t0 + 66, reuseInterval: 5)
                == .reused(grantID: grant.id))
            #expect(try store.refreshToken(hash: late.tokenHash) == nil)
            #expect(try store.grant(id: grant.id)?.revokedAt == t0 + 66)
        }
    }

    @Test(arguments: StoreKind.available) func expiredOrRevokedRefreshTokenDoesNotRotate(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let (grant, _) = try Sample.storedGrant(store)
            let expiring = Sample.refreshToken(for: grant, expiresAt: t0 + 100)
            let revoked = Sample.refreshToken(for: grant, revokedAt: t0 + 1)
            try store.saveRefreshToken(expiring)
            try store.saveRefreshToken(revoked)
            #expect(try store.rotateRefreshToken(hash: expiring.tokenHash, replacement: Sample.refreshToken(for: grant),
                                                 now: t0 + 100) == .invalid)
            #expect(try store.rotateRefreshToken(hash: revoked.tokenHash, replacement: Sample.refreshToken(for: grant),
                                                 now: t0 + 2) == .invalid)
            #expect(try store.rotateRefreshToken(hash: Sample.hash("unknown"), replacement: Sample.refreshToken(for: grant),
                                                 now: t0 + 2) == .invalid)
            #expect(try store.grant(id: grant.id)?.revokedAt == nil)
            #expect(try store.refreshToken(hash: expiring.tokenHash)?.usedAt == nil)
        }
    }

    @Test(arguments: StoreKind.available) func revokingAGrantStopsItsTokensAndSessions(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let (grant, _) = try Sample.storedGrant(store)
            let (other, _) = try Sample.storedGrant(store)
            let token = Sample.refreshToken(for: grant)
            let otherToken = Sample.refreshToken(for: other)
            let session = Sample.session(for: grant)
            try store.saveRefreshToken(token)
            try store.saveRefreshToken(otherToken)
            try store.saveAccessSession(session)

            try store.revokeGrant(id: grant.id, now: t0 + 30)
            try store.revokeGrant(id: grant.id, now: t0 + 40)  // the first revocation time stays
            #expect(try store.grant(id: grant.id)?.revokedAt == t0 + 30)
            #expect(try store.accessSession(jti: session.jti)?.1.revokedAt == t0 + 30)
            #expect(try store.rotateRefreshToken(hash: token.tokenHash, replacement: Sample.refreshToken(for: grant),
                                                 now: t0 + 31) == .invalid)
            // Other grants are untouched.
            #expect(try store.grant(id: other.id)?.revokedAt == nil)
            #expect(try store.rotateRefreshToken(hash: otherToken.tokenHash, replacement: Sample.refreshToken(for: other),
                                                 now: t0 + 31) == .rotated)
        }
    }

    @Test(arguments: StoreKind.available) func revokeGrantsByUserAndClient(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let (aliceOne, _) = try Sample.storedGrant(store, userID: "alice", clientID: "c1")
            let (aliceTwo, _) = try Sample.storedGrant(store, userID: "alice", clientID: "c1")
            let (aliceOtherClient, _) = try Sample.storedGrant(store, userID: "alice", clientID: "c2")
            let (bob, _) = try Sample.storedGrant(store, userID: "bob", clientID: "c1")
            let token = Sample.refreshToken(for: aliceTwo)
            try store.saveRefreshToken(token)

            try store.revokeGrants(userID: "alice", clientID: "c1", now: t0 + 5)
            #expect(try store.grant(id: aliceOne.id)?.revokedAt == t0 + 5)
            #expect(try store.grant(id: aliceTwo.id)?.revokedAt == t0 + 5)
            #expect(try store.grant(id: aliceOtherClient.id)?.revokedAt == nil)
            #expect(try store.grant(id: bob.id)?.revokedAt == nil)
            #expect(try store.rotateRefreshToken(hash: token.tokenHash, replacement: Sample.refreshToken(for: aliceTwo),
                                                 now: t0 + 6) == .invalid)
        }
    }

    @Test(arguments: StoreKind.available) func accessSessionRoundTripAndRevoke(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let (grant, _) = try Sample.storedGrant(store)
            let session = Sample.session(for: grant)
            try store.saveAccessSession(session)
            let found = try #require(try store.accessSession(jti: session.jti))
            #expect(found.0 == session)
            #expect(found.1 == grant)

            try store.revokeAccessSession(jti: session.jti, now: t0 + 9)
            try store.revokeAccessSession(jti: session.jti, now: t0 + 10)
            #expect(try store.accessSession(jti: session.jti)?.0.revokedAt == t0 + 9)
            #expect(try store.accessSession(jti: session.jti)?.1.revokedAt == nil)
            #expect(try store.accessSession(jti: "unknown") == nil)
        }
    }

    @Test(arguments: StoreKind.available) func deleteExpiredIsBoundedByLimit(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            // 3 expired codes, tokens and sessions (9 rows), plus one live row of each.
            var live: [(AuthorizationCode, RefreshToken, AccessTokenSession)] = []
            for index in 0..<4 {
                let expiry = index < 3 ? t0 - 100 : t0 + 100
                let (grant, code) = try Sample.storedGrant(store, codeExpiresAt: expiry)
                let token = Sample.refreshToken(for: grant, expiresAt: expiry)
                let session = Sample.session(for: grant, expiresAt: expiry)
                try store.saveRefreshToken(token)
                try store.saveAccessSession(session)
                if index == 3 { live.append((code, token, session)) }
            }
            #expect(try store.deleteExpired(before: t0, limit: 4) == 4)
            #expect(try store.deleteExpired(before: t0, limit: 100) == 5)
            #expect(try store.deleteExpired(before: t0, limit: 100) == 0)
            let (code, token, session) = try #require(live.first)
            #expect(try store.refreshToken(hash: token.tokenHash) == token)
            #expect(try store.accessSession(jti: session.jti)?.0 == session)
            #expect(try store.redeemCode(hash: code.codeHash, now: t0) != .invalid)
        }
    }

    @Test(arguments: StoreKind.available) func demoItemsPerUser(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let samples = DemoItemSamples.make(now: Date())
            func summary(_ items: [DemoItem]) -> [String] { items.map { "\($0.id)|\($0.title)|\($0.status)" } }

            #expect(summary(try store.items(userID: "alice")) == summary(samples))
            let done = try #require(try store.updateItem(userID: "alice", itemID: "item-2", status: "done"))
            #expect(done.status == "done" && done.title == samples[1].title)
            let deleted = try #require(try store.updateItem(userID: "alice", itemID: "item-1", status: nil))
            #expect(deleted.id == "item-1")
            #expect(try store.updateItem(userID: "alice", itemID: "item-1", status: "open") == nil)
            #expect(try store.updateItem(userID: "alice", itemID: "nope", status: nil) == nil)
            #expect(summary(try store.items(userID: "alice")) == ["item-2|\(samples[1].title)|done", "item-3|\(samples[2].title)|open"])

            // Bob is unaffected and starts from the samples even when his first call is an update.
            #expect(try store.updateItem(userID: "bob", itemID: "item-3", status: "done")?.status == "done")
            #expect(summary(try store.items(userID: "bob")).count == 3)

            // Deleting everything does not bring the samples back.
            _ = try store.updateItem(userID: "alice", itemID: "item-2", status: nil)
            _ = try store.updateItem(userID: "alice", itemID: "item-3", status: nil)
            #expect(try store.items(userID: "alice").isEmpty)
        }
    }
}
