import Foundation
import Storage
import Testing

/// Unused registered clients (`ClientRetention`): recorded use and deletion, the same on the
/// memory store and on PostgreSQL.
@Suite struct ClientRetentionContractTests {
    let t0 = Sample.t0
    let day: TimeInterval = 86_400
    let retention = ClientRetention(neverUsed: 86_400, idle: 90 * 86_400)

    func client(_ id: String, origin: OAuthClient.Origin = .registered, createdAt: Date, lastUsedAt: Date? = nil) -> OAuthClient {
        OAuthClient(id: id, name: id, redirectURIs: ["https://x.example/cb"], origin: origin, createdAt: createdAt,
                    lastUsedAt: lastUsedAt)
    }

    @Test(arguments: StoreKind.available) func useIsRecordedAtMostOnceADay(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            try store.saveClient(client("client-1", createdAt: t0))
            try store.markClientUsed(id: "client-1", now: t0 + 10)
            #expect(try store.client(id: "client-1")?.lastUsedAt == t0 + 10)
            // Within a day of the recorded use: unchanged, so busy clients cost no writes.
            try store.markClientUsed(id: "client-1", now: t0 + day - 1)
            #expect(try store.client(id: "client-1")?.lastUsedAt == t0 + 10)
            try store.markClientUsed(id: "client-1", now: t0 + 10 + day)
            #expect(try store.client(id: "client-1")?.lastUsedAt == t0 + 10 + day)
            // An unknown id is no error.
            try store.markClientUsed(id: "nobody", now: t0)
        }
    }

    @Test(arguments: StoreKind.available) func neverUsedClientsGoAfterADayIdleOnesAfterTheIdleTime(_ kind: StoreKind) throws {
        try withStore(kind) { store in
            let now = t0 + 200 * day
            let cases: [(OAuthClient, deleted: Bool)] = [
                (client("never-used-old", createdAt: now - day - 1), true),
                (client("never-used-new", createdAt: now - day + 60), false),
                (client("idle", createdAt: t0, lastUsedAt: now - 91 * day), true),
                (client("recently-used", createdAt: t0, lastUsedAt: now - 89 * day), false),
                (client("built-in", origin: .builtIn, createdAt: t0), false),
                (client("metadata-document", origin: .metadataDocument, createdAt: t0), false),
                // A grant refers to it: its users keep their client whatever the dates say.
                (client("client-1", createdAt: t0), false),
            ]
            for (client, _) in cases { try store.saveClient(client) }
            _ = try Sample.storedGrant(store, clientID: "client-1")

            #expect(try store.deleteUnusedClients(retention, now: now, limit: 1) == 1)
            #expect(try store.deleteUnusedClients(retention, now: now, limit: 100) == 1)
            #expect(try store.deleteUnusedClients(retention, now: now, limit: 100) == 0)
            for (client, deleted) in cases {
                #expect(try (store.client(id: client.id) == nil) == deleted, "\(client.id)")
            }
        }
    }

    /// The memory store keeps at most its bound of clients: one more is refused with
    /// `.capacity` unless unused clients can make room.
    @Test func memoryStoreBoundsItsClients() throws {
        let store = MemoryStore(clientLimit: 3, clientRetention: retention)
        let now = Date()
        try store.saveClient(client("a", createdAt: now))
        try store.saveClient(client("b", createdAt: now))
        try store.saveClient(client("stale", createdAt: now - 2 * day))
        // Full, but "stale" never obtained a token in a day: it makes room.
        try store.saveClient(client("c", createdAt: now))
        #expect(try store.client(id: "stale") == nil)
        #expect(throws: StoreError.capacity("at most 3 clients are kept in memory")) {
            try store.saveClient(client("d", createdAt: now))
        }
        // Replacing a stored client is no new client.
        try store.saveClient(client("a", createdAt: now + 1))
        #expect(try store.client(id: "d") == nil)
    }
}
