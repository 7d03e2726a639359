import Foundation

/// Who a verified Privy access token says the caller is. Only produced by
/// `PrivyTokenVerifier.verify`, after the signature and every claim check passed.
public struct PrivyIdentity: Sendable, Equatable {
    /// Privy user id from "sub", always "did:privy:..." (stable per user and app).
    public let userID: String
    /// Privy session id from "sid", when the token carries one.
    public let sessionID: String?
    /// The app id the token was issued to ("aud"), i.e. ours.
    public let appID: String
    /// "iat" (RFC 7519 §4.1.6).
    public let issuedAt: Date
    /// "exp" (RFC 7519 §4.1.4); the token must not be honoured after this.
    public let expiresAt: Date

    public init(userID: String, sessionID: String?, appID: String, issuedAt: Date, expiresAt: Date) {
        self.userID = userID
        self.sessionID = sessionID
        self.appID = appID
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}
