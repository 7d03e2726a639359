import Crypto
import Foundation
import Storage

/// `FCGIApp import-original`: carries the original system's clients and live refresh tokens into
/// this app's store, so ChatGPT users connected to the original stay connected after the switch:
/// their next refresh works here.
///
/// The original's database is only read, in one read-only transaction (a consistent snapshot,
/// and PostgreSQL itself refuses any write). Tokens arrive as the original kept them, in plain
/// text; they are stored as ours are, the refresh token as its SHA-256 and the Privy token
/// encrypted by the store. Every refresh token becomes a grant of its own, so reuse detection
/// and revocation work on it as on ours. Running the import again stores nothing twice.
public struct OriginalSystemImport {
    /// What this app grants, to which imported rows are fitted.
    public struct Policy: Sendable {
        /// The resource (RFC 8707) imported grants are for: our MCP URL, as the original's tokens
        /// were for its `/mcp`.
        public var resource: String
        /// Scopes this app grants; others on an imported token are dropped.
        public var scopesSupported: Set<String>
        /// Clients this app defines itself (the original's static ChatGPT client among them); the
        /// original's rows for them are not imported, ours stay.
        public var builtInClientIDs: Set<String>

        public init(resource: String, scopesSupported: Set<String>, builtInClientIDs: Set<String>) {
            self.resource = resource
            self.scopesSupported = scopesSupported
            self.builtInClientIDs = builtInClientIDs
        }
    }

    /// What was imported and what was skipped, and why.
    public struct Report: Sendable, Equatable {
        public var clientsImported = 0
        public var clientsAlreadyPresent = 0
        public var clientsBuiltIn = 0
        public var tokensImported = 0
        public var tokensAlreadyImported = 0
        public var tokensExpired = 0
        public var tokensRevoked = 0
        /// Refresh tokens of a client known to neither system.
        public var tokensOfUnknownClients = 0
        /// Refresh tokens none of whose scopes this app grants.
        public var tokensWithoutGrantableScope = 0
        /// Scopes dropped from imported tokens, by name.
        public var droppedScopes: Set<String> = []

        public init() {}

        public var lines: [String] {
            var lines = [
                "clients: \(clientsImported) imported, \(clientsAlreadyPresent) already present, \(clientsBuiltIn) built in here",
                "refresh tokens: \(tokensImported) imported, \(tokensAlreadyImported) already imported, "
                    + "\(tokensExpired) expired, \(tokensRevoked) revoked, \(tokensOfUnknownClients) of unknown clients, "
                    + "\(tokensWithoutGrantableScope) without a scope this app grants",
            ]
            if !droppedScopes.isEmpty {
                lines.append("scopes this app does not grant, dropped from imported tokens: \(droppedScopes.sorted().joined(separator: ", "))")
            }
            return lines
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        /// The source cannot be read: unreachable, or not the original's schema.
        case source(String)
        /// The destination store refused a write.
        case destination(String)

        public var description: String {
            switch self {
            case .source(let reason): "the original's database: \(reason)"
            case .destination(let reason): "this app's store: \(reason)"
            }
        }
    }

    let source: PostgresConnection
    let destination: any ImportStore & ClientStore
    let policy: Policy

    /// - Parameter sourceURL: the original system's DATABASE_URL.
    public init(sourceURL: String, destination: any ImportStore & ClientStore, policy: Policy) throws(Failure) {
        do {
            source = try PostgresConnection(connectionString: sourceURL, applicationName: "FCGIApp import-original",
                                            statementTimeout: 60)
        } catch {
            // libpq's own message is not kept: it may quote the URL, password included.
            throw .source(error == .invalidConnectionString ? "the URL is not a valid PostgreSQL connection string" : "\(error)")
        }
        self.destination = destination
        self.policy = policy
    }

    public func run(now: Date = Date()) throws(Failure) -> Report {
        let (clients, tokens) = try readSource()
        var report = Report()
        for client in clients {
            if policy.builtInClientIDs.contains(client.id) {
                report.clientsBuiltIn += 1
            } else if try write({ () throws(StoreError) in try destination.importClient(client) }) {
                report.clientsImported += 1
            } else {
                report.clientsAlreadyPresent += 1
            }
        }
        var knownClients: [String: Bool] = [:]
        for token in tokens {
            try importToken(token, now: now, knownClients: &knownClients, into: &report)
        }
        return report
    }

    // MARK: Source

    struct SourceToken {
        let token: String
        let clientID: String
        let userID: String
        let scopes: [String]
        let privyAccessToken: String
        let expiresAt: Date
        let revokedAt: Date?
        let createdAt: Date?
    }

    /// Both tables in one snapshot. A source that has this app's columns is this app's own
    /// database (or one it migrated), whose rows of the original were revoked by that migration:
    /// importing it into itself would be meaningless, so it is refused with what to do instead.
    func readSource() throws(Failure) -> ([OAuthClient], [SourceToken]) {
        do {
            try source.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            defer { _ = try? source.execute("ROLLBACK") }
            let ours = try source.execute("""
                SELECT count(*) FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = 'oauth_refresh_tokens' AND column_name = 'grant_id'
                """)
            if try ours[0].int(0) > 0 {
                throw Failure.source("it has this app's schema (oauth_refresh_tokens.grant_id): give the URL of the "
                                     + "original system's own database, which this app has never migrated")
            }
            let clients = try source.execute("""
                SELECT id, client_name, array_to_json(redirect_uris)::text, extract(epoch from created_at)
                  FROM oauth_clients ORDER BY id
                """).rows.map { row throws(StoreError) in
                    OAuthClient(id: try row.string(0), name: row.optionalString(1), redirectURIs: try row.textArray(2),
                                origin: .registered, createdAt: try row.optionalDate(3) ?? Date())
                }
            let tokens = try source.execute("""
                SELECT token, client_id, privy_user_id, array_to_json(coalesce(scopes, '{}'))::text, privy_access_token,
                       extract(epoch from expires_at), extract(epoch from revoked_at), extract(epoch from created_at)
                  FROM oauth_refresh_tokens ORDER BY created_at, id
                """).rows.map { row throws(StoreError) in
                    SourceToken(token: try row.string(0), clientID: row.optionalString(1) ?? "",
                                userID: row.optionalString(2) ?? "", scopes: try row.textArray(3),
                                privyAccessToken: row.optionalString(4) ?? "",
                                expiresAt: try row.optionalDate(5) ?? .distantPast, revokedAt: try row.optionalDate(6),
                                createdAt: try row.optionalDate(7))
                }
            return (clients, tokens)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .source("\(error)")
        }
    }

    // MARK: Destination

    private func importToken(_ token: SourceToken, now: Date, knownClients: inout [String: Bool],
                             into report: inout Report) throws(Failure) {
        if token.revokedAt != nil {
            report.tokensRevoked += 1
            return
        }
        // A row missing what a refresh needs cannot keep anyone connected; counted as expired.
        guard token.expiresAt > now, !token.userID.isEmpty, !token.privyAccessToken.isEmpty else {
            report.tokensExpired += 1
            return
        }
        if knownClients[token.clientID] == nil {
            let found = token.clientID.isEmpty ? nil
                : try write({ () throws(StoreError) in try destination.client(id: token.clientID) })
            knownClients[token.clientID] = found != nil
        }
        guard knownClients[token.clientID] == true else {
            report.tokensOfUnknownClients += 1
            return
        }
        var seen: Set<String> = []
        let scopes = token.scopes.filter { policy.scopesSupported.contains($0) && seen.insert($0).inserted }
        report.droppedScopes.formUnion(token.scopes.filter { !policy.scopesSupported.contains($0) })
        guard !scopes.isEmpty else {
            report.tokensWithoutGrantableScope += 1
            return
        }
        let createdAt = token.createdAt ?? now
        let grant = Grant(id: UUID().uuidString.lowercased(), clientID: token.clientID, userID: token.userID, scopes: scopes,
                          resource: policy.resource, privyAccessToken: token.privyAccessToken, createdAt: createdAt)
        let refreshToken = RefreshToken(tokenHash: SHA256.hexHash(token.token), grantID: grant.id, clientID: token.clientID,
                                        userID: token.userID, scopes: scopes, expiresAt: token.expiresAt, createdAt: createdAt)
        if try write({ () throws(StoreError) in try destination.importGrant(grant, refreshToken: refreshToken) }) {
            report.tokensImported += 1
        } else {
            report.tokensAlreadyImported += 1
        }
    }

    private func write<T>(_ body: () throws(StoreError) -> T) throws(Failure) -> T {
        do {
            return try body()
        } catch {
            throw .destination("\(error)")
        }
    }
}
