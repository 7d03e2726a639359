import Foundation

/// Parses a `.env` file: `NAME=value` lines, `#` comments, optional `export `, and values in
/// single quotes (literal) or double quotes (with \n, \" and \\ escapes).
public enum EnvironmentFile {
    public static func parse(_ text: String) throws(ConfigurationError) -> [String: String] {
        var values: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count).trimmingSpaces() }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(".env", "line \(index + 1) is not NAME=value")
            }
            let name = String(line[..<equals].trimmingSpaces())
            guard isValidName(name) else {
                throw ConfigurationError(".env", "line \(index + 1) has an invalid variable name")
            }
            values[name] = try unquote(line[line.index(after: equals)...].trimmingSpaces(), line: index + 1)
        }
        return values
    }

    /// POSIX shell names: a letter or underscore, then letters, digits or underscores.
    private static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.isASCIILetter else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.isASCIILetter || ("0"..."9").contains($0) }
    }

    private static func unquote(_ value: Substring, line: Int) throws(ConfigurationError) -> String {
        guard let quote = value.first, quote == "\"" || quote == "'" else {
            // Unquoted: an inline comment starts at " #".
            if let comment = value.range(of: " #") { return String(value[..<comment.lowerBound].trimmingSpaces()) }
            return String(value)
        }
        guard value.count >= 2, value.last == quote else {
            throw ConfigurationError(".env", "line \(line) has an unterminated quoted value")
        }
        let inner = value.dropFirst().dropLast()
        if quote == "'" { return String(inner) }
        var result = ""
        var escaping = false
        for character in inner {
            if escaping {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}

private extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

extension StringProtocol {
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return Substring("") }
        let end = lastIndex(where: { !isSpace($0) })!
        return Substring(self[start...end])
    }
}
