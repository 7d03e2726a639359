/// Web origins (RFC 6454): `scheme://host[:port]`, lowercased, the scheme's default port left
/// out (§6.1), so two spellings of one origin compare equal.
public enum WebOrigin {
    /// The serialized origin of an http(s) URL or `Origin` header value; nil for anything else,
    /// including the opaque origin `null` and URLs with user info.
    public static func of(_ text: String) -> String? {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        guard let url = AbsoluteURL(String(trimmed)), url.isHTTP, !url.hasUserInfo else { return nil }
        return url.scheme + "://" + url.displayHost
    }
}
