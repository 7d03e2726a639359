import CLibPQ
import Foundation
import Storage

/// A successful libpq result in text format. Owns the PGresult and frees it on deinit.
public final class PostgresResult {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) {
        self.result = result
    }

    deinit { PQclear(result) }

    public var rowCount: Int { Int(PQntuples(result)) }
    public var columnCount: Int { Int(PQnfields(result)) }

    /// Rows touched by INSERT/UPDATE/DELETE (PQcmdTuples), 0 for other commands.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    public subscript(row: Int) -> PostgresRow {
        precondition(row >= 0 && row < rowCount, "row \(row) out of range")
        return PostgresRow(result: self, row: row)
    }

    public var rows: [PostgresRow] { (0..<rowCount).map { self[$0] } }

    func text(row: Int, column: Int) -> String? {
        precondition(column >= 0 && column < columnCount, "column \(column) out of range")
        if PQgetisnull(result, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }
}

/// One row with typed getters. The non-optional getters throw on NULL or a malformed value:
/// that means the schema and the code disagree, which callers report as `.unavailable`.
public struct PostgresRow {
    let result: PostgresResult
    let row: Int

    public func optionalString(_ column: Int) -> String? {
        result.text(row: row, column: column)
    }

    public func string(_ column: Int) throws(StoreError) -> String {
        guard let text = optionalString(column) else { throw unexpected(column, "NULL") }
        return text
    }

    public func int(_ column: Int) throws(StoreError) -> Int {
        guard let value = Int(try string(column)) else { throw unexpected(column, "not an integer") }
        return value
    }

    public func bool(_ column: Int) throws(StoreError) -> Bool {
        switch try string(column) {
        case "t": return true
        case "f": return false
        default: throw unexpected(column, "not a boolean")
        }
    }

    /// Expects `extract(epoch from <timestamptz>)` in the select list: seconds since 1970 as
    /// numeric text, free of time zone and date style settings.
    public func optionalDate(_ column: Int) throws(StoreError) -> Date? {
        guard let text = optionalString(column) else { return nil }
        guard let seconds = Double(text) else { throw unexpected(column, "not an epoch") }
        return Date(timeIntervalSince1970: seconds)
    }

    public func date(_ column: Int) throws(StoreError) -> Date {
        guard let date = try optionalDate(column) else { throw unexpected(column, "NULL") }
        return date
    }

    /// Expects `array_to_json(<text[]>)` in the select list: JSON is simpler to parse
    /// correctly than PostgreSQL's array literal syntax.
    public func textArray(_ column: Int) throws(StoreError) -> [String] {
        let json = try string(column)
        guard let values = try? JSONDecoder().decode([String].self, from: Data(json.utf8)) else {
            throw unexpected(column, "not a JSON array of strings")
        }
        return values
    }

    private func unexpected(_ column: Int, _ what: String) -> StoreError {
        .unavailable("unexpected database value in column \(column): \(what)")
    }
}
