/// A client's `client_name` (RFC 7591 §2), as registration and metadata documents store it and
/// the consent screen shows it.
///
/// Invisible characters are removed rather than refused: RFC 7591 §3.2.1 lets the server replace
/// metadata values and return what it stored, so the client sees the name it will be shown
/// under, while refusing (§3.2.2 `invalid_client_metadata`) would break registrations whose
/// names carry one stray zero-width joiner. Either way they never reach the screen, where bidi
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069) could reorder what the user reads and
/// zero-width characters could split a product name past `KnownProductNames`. A name too long to
/// show is refused: more than 200 characters, or more than 600 bytes of UTF-8, since one
/// character may carry any number of combining marks.
public enum ClientName {
    public static let maxCharacters = 200
    public static let maxBytes = 600

    /// The name as stored, or nil when nothing visible is left.
    static func parse(_ value: Any?) throws(OAuthError) -> String? {
        guard let value else { return nil }
        guard let name = value as? String else { throw OAuthError(.invalidClientMetadata, "client_name must be a string") }
        let cleaned = clean(name)
        guard cleaned.count <= maxCharacters, cleaned.utf8.count <= maxBytes else {
            throw OAuthError(.invalidClientMetadata,
                             "client_name must be at most \(maxCharacters) characters and \(maxBytes) bytes of UTF-8")
        }
        return cleaned.isEmpty ? nil : cleaned
    }

    /// Drops control (Cc) and format (Cf) characters, which include every bidi control; turns
    /// any run of white space (line and paragraph separators too) into one space; trims the ends.
    public static func clean(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in name.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format:
                // Tab and line feed are controls, yet separate words: keep the gap they make.
                if scalar.properties.isWhitespace { pendingSpace = true }
                continue
            case .spaceSeparator, .lineSeparator, .paragraphSeparator:
                pendingSpace = true
                continue
            default:
                if pendingSpace && !scalars.isEmpty { scalars.append(" ") }
                pendingSpace = false
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
