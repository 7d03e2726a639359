import Foundation
import Storage

extension PostgresStore {
    /// Bounded deletes: each statement removes at most `$2` rows, so one run never holds many
    /// row locks or bloats one transaction. SKIP LOCKED lets the janitors of several processes
    /// share the work instead of queueing behind each other.
    static func deleteExpiredStatement(_ table: String) -> PostgresStatement {
        PostgresStatement(name: "delete_expired_\(table)", sql: """
            DELETE FROM \(table) WHERE ctid IN (
              SELECT ctid FROM \(table) WHERE expires_at < to_timestamp($1) LIMIT $2 FOR UPDATE SKIP LOCKED
            )
            """)
    }

    static let expiringTables = ["oauth_authorization_codes", "oauth_refresh_tokens", "oauth_access_token_sessions"]
    static let deleteExpiredStatements = expiringTables.map(deleteExpiredStatement)

    /// Grants nothing refers to any more: all their codes, tokens and sessions expired and were
    /// deleted, so no request can ever reach them again. Keeps encrypted Privy tokens from
    /// piling up forever.
    static let deleteOrphanedGrants = PostgresStatement(name: "delete_orphaned_grants", sql: """
        DELETE FROM oauth_grants WHERE ctid IN (
          SELECT g.ctid FROM oauth_grants AS g
           WHERE g.created_at < to_timestamp($1)
             AND NOT EXISTS (SELECT 1 FROM oauth_authorization_codes AS c WHERE c.grant_id = g.id)
             AND NOT EXISTS (SELECT 1 FROM oauth_refresh_tokens AS t WHERE t.grant_id = g.id)
             AND NOT EXISTS (SELECT 1 FROM oauth_access_token_sessions AS s WHERE s.grant_id = g.id)
           LIMIT $2 FOR UPDATE SKIP LOCKED
        )
        """)

    /// Deletes at most `limit` rows in total across codes, refresh tokens and sessions.
    /// Safe to retry: a repeat only deletes rows that are due anyway.
    public func deleteExpired(before cutoff: Date, limit: Int) throws(StoreError) -> Int {
        guard limit > 0 else { return 0 }
        let cutoffText = PostgresParameter.timestamp(cutoff)
        return try perform("deleteExpired", .safe) { connection, _ throws(StoreError) in
            var removed = 0
            for statement in Self.deleteExpiredStatements where removed < limit {
                removed += try connection.execute(statement, params: [cutoffText, String(limit - removed)]).affectedRows
            }
            return removed
        }
    }

    /// Deletes at most `limit` grants created before `cutoff` that no code, refresh token or
    /// session refers to. Run after `deleteExpired`.
    public func deleteOrphanedGrants(before cutoff: Date, limit: Int) throws(StoreError) -> Int {
        guard limit > 0 else { return 0 }
        return try perform("deleteOrphanedGrants", .safe) { connection, _ throws(StoreError) in
            try connection.execute(Self.deleteOrphanedGrants,
                                   params: [PostgresParameter.timestamp(cutoff), String(limit)]).affectedRows
        }
    }

    /// Registered clients no grant refers to that never obtained a token and registered before
    /// `$1`, or last obtained one before `$2` (`ClientRetention`). Built-in (`static`) and
    /// metadata-document (`cimd`) rows are left alone.
    static let deleteUnusedClients = PostgresStatement(name: "delete_unused_clients", sql: """
        DELETE FROM oauth_clients WHERE ctid IN (
          SELECT c.ctid FROM oauth_clients AS c
           WHERE c.origin = 'dcr'
             AND ((c.last_used_at IS NULL AND c.created_at < to_timestamp($1)) OR c.last_used_at < to_timestamp($2))
             AND NOT EXISTS (SELECT 1 FROM oauth_grants AS g WHERE g.client_id = c.id)
           LIMIT $3 FOR UPDATE SKIP LOCKED
        )
        """)

    public func deleteUnusedClients(_ retention: ClientRetention, now: Date, limit: Int) throws(StoreError) -> Int {
        guard limit > 0 else { return 0 }
        return try perform("deleteUnusedClients", .safe) { connection, _ throws(StoreError) in
            try connection.execute(Self.deleteUnusedClients, params: [
                PostgresParameter.timestamp(now.addingTimeInterval(-retention.neverUsed)),
                PostgresParameter.timestamp(now.addingTimeInterval(-retention.idle)), String(limit),
            ]).affectedRows
        }
    }
}
