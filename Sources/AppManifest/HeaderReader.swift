import Foundation

/// `call.headers`: extra request headers, `${NAME}` read from the environment at load.
struct HeaderReader {
    let reader: ManifestReader
    let environment: [String: String]

    /// Headers the server itself sets on every call (credentials, framing, the target).
    static let serverHeaders: Set<String> = [
        "authorization", "host", "cookie", "content-length", "content-type", "transfer-encoding", "connection",
    ]

    func read(_ node: JSONNode, path: String) -> [(name: String, value: String)] {
        guard let headers = reader.object(node, path: path, keys: nil) else { return [] }
        var result: [(name: String, value: String)] = []
        var seen: Set<String> = []
        for name in headers.order where headers[name] != nil && !seen.contains(name.lowercased()) {
            let headerPath = headers.path(name)
            let at = headers.offset(name)
            let lowercased = name.lowercased()
            seen.insert(lowercased)
            guard Self.isToken(name) else {
                reader.report(headerPath, "is not a valid header name", at: at)
                continue
            }
            guard !Self.serverHeaders.contains(lowercased) else {
                reader.report(headerPath, "is set by the server", at: at)
                continue
            }
            guard let template = headers[name].flatMap({ reader.string($0, path: headerPath) }),
                  let value = expand(template, path: headerPath, at: at)
            else { continue }
            // RFC 9110 §5.5: CR, LF and NUL are never valid in a field value (header injection).
            guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else {
                reader.report(headerPath, "must not contain CR, LF or NUL", at: at)
                continue
            }
            result.append((name, value))
        }
        reportCaseDuplicates(headers)
        return result
    }

    /// "X-Api-Key" and "x-api-key" are one header (RFC 9110 §5.1).
    private func reportCaseDuplicates(_ headers: ObjectReading) {
        var seen: Set<String> = []
        for name in headers.order where headers[name] != nil {
            if !seen.insert(name.lowercased()).inserted {
                reader.report(headers.path(name), "duplicate header \"\(name)\"", at: headers.offset(name))
            }
        }
    }

    /// Each `${NAME}` replaced by the environment's value; the value is a secret and never
    /// appears in a problem.
    private func expand(_ template: String, path: String, at offset: Int) -> String? {
        var output = ""
        var rest = Substring(template)
        var complete = true
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                reader.report(path, "\"${\" has no closing \"}\"", at: offset)
                return nil
            }
            let name = String(rest[start.upperBound..<end])
            if !Self.isVariableName(name) {
                reader.report(path, "\"${\(name)}\" is not an environment variable name", at: offset)
                complete = false
            } else if let value = environment[name] {
                output += value
            } else {
                reader.report(path, "environment variable \(name) is not set", at: offset)
                complete = false
            }
            rest = rest[rest.index(after: end)...]
        }
        output += rest
        return complete ? output : nil
    }

    /// POSIX: letters, digits and "_", not starting with a digit.
    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first &- UInt8(ascii: "0") >= 10 else { return false }
        return name.utf8.allSatisfy { ($0 | 0x20) &- UInt8(ascii: "a") < 26 || $0 &- UInt8(ascii: "0") < 10 || $0 == UInt8(ascii: "_") }
    }

    /// RFC 9110 §5.6.2: token = 1*tchar.
    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
