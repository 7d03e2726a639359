import CLibPQ
import Foundation

/// The libpq keywords one connection is opened with: whatever DATABASE_URL says, plus the
/// defaults every FCGIApp connection needs. Parsed once at start so a bad URL fails there,
/// not on the first request.
public struct PostgresConnectionSettings: Sendable {
    /// Keyword/value pairs for PQconnectdbParams, in order.
    let parameters: [(keyword: String, value: String)]

    /// - Parameters:
    ///   - connectionString: a `postgresql://` URL or a `key=value` string. TLS follows its
    ///     `sslmode`; libpq does that and nothing here overrides it.
    ///   - applicationName: shown in `pg_stat_activity`, unless the URL names one.
    ///   - statementTimeout: server-side limit per statement, so a stuck query turns into a
    ///     503 instead of a worker thread blocked for good.
    public init(connectionString: String, applicationName: String = "FCGIApp",
                statementTimeout: TimeInterval = 5) throws(PostgresSetupError) {
        var parsed = try Self.parse(connectionString)
        // Fail fast when the database is unreachable: libpq's default is to wait forever.
        if parsed["connect_timeout"] == nil { parsed["connect_timeout"] = "2" }
        if parsed["application_name"] == nil { parsed["application_name"] = applicationName }
        // Ours first, so `options` in the URL can still override them (the last -c wins).
        let milliseconds = max(1, Int((statementTimeout * 1000).rounded()))
        // client_min_messages: NOTICEs (e.g. "already exists, skipping" from migrations) are noise.
        let ours = "-c statement_timeout=\(milliseconds) -c TimeZone=UTC -c client_min_messages=warning"
        parsed["options"] = parsed["options"].map { ours + " " + $0 } ?? ours
        parameters = parsed.keys.sorted().map { ($0, parsed[$0]!) }
    }

    /// Only the options the string sets explicitly; libpq fills in the rest (environment,
    /// defaults) when connecting.
    private static func parse(_ connectionString: String) throws(PostgresSetupError) -> [String: String] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            throw .invalidConnectionString
        }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { result[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return result
    }

    /// Calls `body` with NUL-terminated keyword and value arrays, as PQconnectdbParams wants.
    func withCArrays<T>(_ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let keywords = parameters.map { strdup($0.keyword) }
        let values = parameters.map { strdup($0.value) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keywordPointers = keywords.map { UnsafePointer($0) } + [nil]
        let valuePointers = values.map { UnsafePointer($0) } + [nil]
        return keywordPointers.withUnsafeBufferPointer { keywordBuffer in
            valuePointers.withUnsafeBufferPointer { valueBuffer in
                body(keywordBuffer.baseAddress!, valueBuffer.baseAddress!)
            }
        }
    }
}
