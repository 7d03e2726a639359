/// Web origins (RFC 6454): `scheme://host[:port]`, lowercased, the scheme's default port left
/// out (§6.1), so two spellings of one origin compare equal.
public enum WebOrigin {
    /// The serialized origin of an http(s) URL or `Origin` header value; nil for anything else,
    /// including the opaque origin `null` and URLs with user info.
    public static func of(_ text: String) -> String? {
        // Optional white space around a field value (RFC 9110 §5.5) is not part of it.
        let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        var value = Substring(text)
        if value.utf8.first.map(isBlank) == true || value.utf8.last.map(isBlank) == true {
            value = value.drop { $0 == " " || $0 == "\t" }
            while let last = value.utf8.last, isBlank(last) { value = value.dropLast() }
        }
        guard let url = AbsoluteURL(String(value)), url.isHTTP, !url.hasUserInfo else { return nil }
        return url.scheme + "://" + url.displayHost
    }
}
