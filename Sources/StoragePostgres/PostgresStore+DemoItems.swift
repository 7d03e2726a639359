import Foundation
import Storage

extension PostgresStore {
    static let selectDemoItems = PostgresStatement(name: "select_demo_items", sql: """
        SELECT \(RecordColumns.demoItem("i")) FROM demo_items AS i WHERE i.privy_user_id = $1 ORDER BY i.position, i.id
        """)

    /// Gives a user the samples once: the owner row decides (ON CONFLICT DO NOTHING), so two
    /// first requests racing insert one set, and a user who deleted everything stays empty.
    static let seedDemoItems = PostgresStatement(name: "seed_demo_items", sql: """
        WITH owner AS (
          INSERT INTO demo_item_owners (privy_user_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING privy_user_id
        )
        INSERT INTO demo_items (privy_user_id, id, title, status, created_at, position)
        SELECT owner.privy_user_id, s.id, s.title, s.status, to_timestamp(s.created_at), s.position
          FROM owner, unnest($2::text[], $3::text[], $4::text[], $5::float8[])
               WITH ORDINALITY AS s(id, title, status, created_at, position)
        ON CONFLICT DO NOTHING
        """)

    static let updateDemoItem = PostgresStatement(name: "update_demo_item", sql: """
        UPDATE demo_items AS i SET status = $3 WHERE i.privy_user_id = $1 AND i.id = $2
        RETURNING \(RecordColumns.demoItem("i"))
        """)

    static let deleteDemoItem = PostgresStatement(name: "delete_demo_item", sql: """
        DELETE FROM demo_items AS i WHERE i.privy_user_id = $1 AND i.id = $2
        RETURNING \(RecordColumns.demoItem("i"))
        """)

    public func items(userID: String) throws(StoreError) -> [DemoItem] {
        try perform("items", .safe) { connection, _ throws(StoreError) in
            var items = try connection.execute(Self.selectDemoItems, params: [userID]).rows
            // Only an empty list can mean "never seeded"; the seed is a no-op otherwise.
            if items.isEmpty, try seedDemoItems(userID: userID, on: connection) {
                items = try connection.execute(Self.selectDemoItems, params: [userID]).rows
            }
            var decoded: [DemoItem] = []
            for row in items { decoded.append(try RecordColumns.decodeDemoItem(row)) }
            return decoded
        }
    }

    /// Deleting is not safe to repeat (a repeat would answer nil for an item it did delete),
    /// so only status changes are retried.
    public func updateItem(userID: String, itemID: String, status: String?) throws(StoreError) -> DemoItem? {
        try perform("updateItem", status == nil ? .never : .safe) { connection, _ throws(StoreError) in
            let statement = status == nil ? Self.deleteDemoItem : Self.updateDemoItem
            let params: [String?] = status.map { [userID, itemID, $0] } ?? [userID, itemID]
            var result = try connection.execute(statement, params: params)
            // Like the memory store, a user's first call of any kind starts from the samples.
            if result.rowCount == 0, try seedDemoItems(userID: userID, on: connection) {
                result = try connection.execute(statement, params: params)
            }
            return result.rowCount == 0 ? nil : try RecordColumns.decodeDemoItem(result[0])
        }
    }

    /// True when this call gave the user the samples.
    private func seedDemoItems(userID: String, on connection: PostgresConnection) throws(StoreError) -> Bool {
        let samples = DemoItemSamples.make(now: Date())
        let result = try connection.execute(Self.seedDemoItems, params: [
            userID, PostgresParameter.textArray(samples.map(\.id)), PostgresParameter.textArray(samples.map(\.title)),
            PostgresParameter.textArray(samples.map(\.status)), PostgresParameter.timestampArray(samples.map(\.createdAt)),
        ])
        return result.affectedRows > 0
    }
}
