/// A statement the store runs often enough to prepare once per connection (PQprepare) and then
/// execute by name, saving the parse and plan on every request.
public struct PostgresStatement: Sendable, Hashable {
    public let name: String
    public let sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}
