import WebRules

/// The character rules of names and texts in docs/MANIFEST.md, with the message each gives.
enum NamingRules {
    static let serverNameRule = "must be 1–64 of a-z 0-9 . _ -"
    static let scopeNameRule = "must be 1–64 of A-Z a-z 0-9 . _ : -"
    static let widgetIDRule = "must be 1–64 of a-z 0-9 -, starting with a letter"
    static let toolNameRule = "must be 1–64 of A-Z a-z 0-9 _ . -"

    /// The authorization server's own scopes (OpenID Connect Core §5.4, RFC 6749 refresh, Privy).
    static let reservedScopes: Set<String> = ["offline_access", "privy:token:exchange", "openid", "profile", "email"]

    static func isServerName(_ name: String) -> Bool { isName(name, extra: "._-", upper: false) }
    static func isScopeName(_ name: String) -> Bool { isName(name, extra: "._:-", upper: true) }
    static func isToolName(_ name: String) -> Bool { isName(name, extra: "_.-", upper: true) }

    static func isWidgetID(_ id: String) -> Bool {
        guard let first = id.utf8.first, first &- UInt8(ascii: "a") < 26 else { return false }
        return isName(id, extra: "-", upper: false)
    }

    private static func isName(_ name: String, extra: String, upper: Bool) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            byte &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || (upper && byte &- UInt8(ascii: "A") < 26)
                || extra.utf8.contains(byte)
        }
    }

    /// A file in the widgets folder: no folders, no "..", nothing hidden.
    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.contains("\\") && !name.hasPrefix(".") && !name.utf8.contains(0)
    }

    /// `https://host[:port]`, nothing more (RFC 6454 §4).
    static func isHTTPSOrigin(_ text: String) -> Bool {
        guard let url = AbsoluteURL(text) else { return false }
        return url.scheme == "https" && !url.hasUserInfo && url.rest.isEmpty
    }

    static func isHTTPSURL(_ text: String) -> Bool {
        guard let url = AbsoluteURL(text) else { return false }
        return url.scheme == "https" && !url.hasUserInfo
    }
}
