import Foundation
import Storage
import Testing

/// The import contract (`FCGIApp import-original`), against the memory store and PostgreSQL:
/// each client and each refresh token is stored once, however often the import runs, and an
/// imported token rotates like any other.
@Suite struct ImportStoreTests {
    let t0 = Sample.t0

    @Test(arguments: StoreKind.available) func clientIsImportedOnceAndNeverReplacesOurs(_ kind: StoreKind) throws {
        try withStore(kind) { store throws in
            let original = OAuthClient(id: "client_1f2e", name: "ChatGPT", redirectURIs: ["https://chatgpt.com/cb"],
                                       origin: .registered, createdAt: t0)
            #expect(try store.importClient(original))
            #expect(try store.client(id: original.id) == original)
            var changed = original
            changed.redirectURIs = ["https://evil.example/cb"]
            #expect(try store.importClient(changed) == false)
            #expect(try store.client(id: original.id) == original)

            let ours = OAuthClient(id: "chatgpt-connector", name: "ChatGPT", redirectURIs: ["https://chatgpt.com/a"],
                                   redirectURIPrefixes: ["https://chatgpt.com/connector/oauth/"], origin: .builtIn, createdAt: t0)
            try store.saveClient(ours)
            #expect(try store.importClient(OAuthClient(id: ours.id, name: nil, redirectURIs: [], origin: .registered)) == false)
            #expect(try store.client(id: ours.id) == ours)
        }
    }

    @Test(arguments: StoreKind.available) func grantIsImportedOnceWithItsRefreshToken(_ kind: StoreKind) throws {
        try withStore(kind) { store throws in
            let grant = Sample.grant(id: "imported-1")
            let token = Sample.refreshToken(for: grant)
            #expect(try store.importGrant(grant, refreshToken: token))
            #expect(try store.grant(id: grant.id) == grant)
            #expect(try store.refreshToken(hash: token.tokenHash) == token)

            // The same token again, under a new grant id (each run makes new ids): nothing stored.
            let again = Sample.grant(id: "imported-2")
            var sameToken = token
            sameToken.grantID = again.id
            #expect(try store.importGrant(again, refreshToken: sameToken) == false)
            #expect(try store.grant(id: again.id) == nil)

            // It rotates as our own tokens do; once used, a later import does not bring it back.
            let next = Sample.refreshToken(for: grant)
            #expect(try store.rotateRefreshToken(hash: token.tokenHash, replacement: next, now: t0 + 60) == .rotated)
            #expect(try store.importGrant(Sample.grant(id: "imported-3"), refreshToken: token) == false)
            #expect(try store.refreshToken(hash: token.tokenHash)?.usedAt == t0 + 60)
        }
    }
}
