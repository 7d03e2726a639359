import Backend
import Storage
import Testing

@Suite struct DemoItemsBackendTests {
    let backend = DemoItemsBackend(store: MemoryStore())
    let alice = Caller(userID: "did:privy:alice", clientID: "client-1", scopes: ["read", "write"], grantID: "grant-1", jti: "jti-1", resource: "https://app.example.com/mcp", privyAccessToken: "unused")
    let bob = Caller(userID: "did:privy:bob", clientID: "client-1", scopes: ["read", "write"], grantID: "grant-1", jti: "jti-1", resource: "https://app.example.com/mcp", privyAccessToken: "unused")

    @Test func everyUserStartsWithTheSamples() throws {
        let items = try backend.items(for: alice)
        #expect(items.map(\.title) == DemoItemSamples.titles)
        #expect(items.allSatisfy { $0.status == "open" || $0.status == "done" })
        #expect(items[0].otherFields["createdAt"]?.stringValue != nil)
    }

    @Test func actionsChangeOnlyThatUsersItems() throws {
        #expect(try backend.perform(.reopen, itemID: "item-1", for: alice).status == "open")
        #expect(try backend.perform(.complete, itemID: "item-2", for: alice).status == "done")
        #expect(try backend.perform(.delete, itemID: "item-3", for: alice).id == "item-3")
        #expect(try backend.items(for: alice).map(\.id) == ["item-1", "item-2"])
        #expect(try backend.items(for: bob).count == 3)
    }

    @Test func unknownItemIsNotFound() {
        #expect(throws: BackendError.notFound(itemID: "nope")) { try backend.perform(.complete, itemID: "nope", for: alice) }
    }
}
