import WebRules

/// RFC 8707 resource indicators: our MCP URL or base URL, compared as the canonical strings we
/// advertise (a trailing slash is tolerated); absent means the MCP URL.
struct ResourcePolicy {
    let settings: OAuthSettings

    func resolve(_ requested: String?) throws(OAuthError) -> String {
        guard var resource = requested else { return settings.mcpResource }
        while resource.hasSuffix("/") { resource.removeLast() }
        guard ByteExact.contains(settings.acceptedResources, resource) else {
            throw OAuthError(.invalidTarget, "resource must be \(settings.mcpResource)")
        }
        return resource
    }
}
