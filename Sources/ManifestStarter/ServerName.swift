/// The MCP server name from the API's title: docs/MANIFEST.md allows 1–64 of `a-z 0-9 . _ -`.
enum ServerName {
    static let fallback = "my-app"

    /// "Notes API" → "notes-api": lowercased, other characters become "-", runs of "-" become
    /// one, none at either end; "my-app" when nothing is left.
    static func from(title: String?) -> String {
        var name = ""
        for scalar in (title ?? "").lowercased().unicodeScalars {
            let allowed = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_"
            if allowed {
                name.unicodeScalars.append(scalar)
            } else if !name.isEmpty, !name.hasSuffix("-") {
                name += "-"
            }
        }
        var result = Substring(name.prefix(64))
        while result.hasSuffix("-") { result = result.dropLast() }
        return result.isEmpty ? fallback : String(result)
    }
}
