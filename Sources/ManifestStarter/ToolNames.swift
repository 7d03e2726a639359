/// Tool names: lower-kebab-case words from the `operationId` (`listNotes` → `list-notes`,
/// `get_note` → `get-note`), or from the method and path (`GET /notes/{id}` → `get-notes-id`),
/// within docs/MANIFEST.md's 1–64 characters and unique in the manifest.
struct ToolNames {
    static let maximumLength = 64
    private var used: Set<String> = []

    /// A name not given before: the base, or the base with "-2", "-3", … .
    mutating func claim(operationId: String?, key: OperationKey) -> String {
        var base = operationId.map(Self.kebabCase) ?? ""
        if base.isEmpty { base = Self.kebabCase("\(key.method) \(key.path)") }
        if base.isEmpty { base = "tool" }
        var candidate = base
        var number = 2
        while used.contains(candidate) {
            let suffix = "-\(number)"
            candidate = Self.trimmed(String(base.prefix(Self.maximumLength - suffix.count))) + suffix
            number += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// Words split at anything not an ASCII letter or digit and where a capital starts a word
    /// (`listNotes`, `HTTPStatus` → `http-status`, `getV2Notes` → `get-v2-notes`), lowercased and
    /// joined with "-", at most 64 characters.
    static func kebabCase(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var words: [String] = []
        var word = ""
        for (index, scalar) in scalars.enumerated() {
            guard isLetterOrDigit(scalar) else {
                if !word.isEmpty { words.append(word); word = "" }
                continue
            }
            if isUpper(scalar), !word.isEmpty {
                let previous = scalars[index - 1]
                let next = index + 1 < scalars.count ? scalars[index + 1] : nil
                if isLower(previous) || isDigit(previous) || (isUpper(previous) && next.map(isLower) == true) {
                    words.append(word)
                    word = ""
                }
            }
            word.unicodeScalars.append(contentsOf: String(scalar).lowercased().unicodeScalars)
        }
        if !word.isEmpty { words.append(word) }
        return trimmed(String(words.joined(separator: "-").prefix(maximumLength)))
    }

    private static func trimmed(_ name: String) -> String {
        var name = Substring(name)
        while name.hasSuffix("-") { name = name.dropLast() }
        return String(name)
    }

    private static func isUpper(_ scalar: Unicode.Scalar) -> Bool { ("A"..."Z").contains(scalar) }
    private static func isLower(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) }
    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool { isUpper(scalar) || isLower(scalar) || isDigit(scalar) }
}
