/// Accumulates header lines from CURLOPT_HEADERFUNCTION. curl reports every header block
/// it sees (interim 1xx responses, proxy CONNECT replies, chunked trailers), so a status
/// line starts a fresh block and lines outside a block are ignored: only the final
/// response's own headers survive.
struct ResponseHeaderCollector {
    private(set) var headers: [String: String] = [:]
    private var inHeaderBlock = false
    private var lastName: String?

    mutating func consume(line rawLine: String) {
        // Swift treats "\r\n" as one Character, so it must be matched as such.
        let line = rawLine.trimmingTrailing { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }
        if line.hasPrefix("HTTP/") {
            headers = [:]
            inHeaderBlock = true
            lastName = nil
            return
        }
        guard inHeaderBlock else { return }
        if line.isEmpty {
            inHeaderBlock = false
            return
        }
        if let first = line.first, first == " " || first == "\t" {
            // Obsolete line folding: continuation of the previous header's value.
            if let lastName, let existing = headers[lastName] {
                headers[lastName] = existing + " " + line.trimmingHorizontalSpace()
            }
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingHorizontalSpace().lowercased()
        guard !name.isEmpty else { return }
        let value = line[line.index(after: colon)...].trimmingHorizontalSpace()
        if let existing = headers[name] {
            headers[name] = existing + ", " + value
        } else {
            headers[name] = value
        }
        lastName = name
    }
}

extension StringProtocol {
    fileprivate func trimmingTrailing(where predicate: (Character) -> Bool) -> String {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) {
            end = index(before: end)
        }
        return String(self[startIndex..<end])
    }

    fileprivate func trimmingHorizontalSpace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isSpace)).trimmingTrailing(where: isSpace)
    }
}
