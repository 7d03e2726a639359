import Storage
/// Revokes the caller's grant when the user's API stops accepting the stored Privy token, so
/// the next request gets a 401 and ChatGPT shows its sign-in prompt. The composition root
/// supplies it (OAuthServer.revokeGrants); this library does not depend on the OAuth module.
public struct GrantRevoker: Sendable {
    private let revoke: @Sendable (Caller) throws -> Void

    public init(_ revoke: @escaping @Sendable (Caller) throws -> Void) {
        self.revoke = revoke
    }

    func callAsFunction(_ caller: Caller) throws {
        try revoke(caller)
    }
}
