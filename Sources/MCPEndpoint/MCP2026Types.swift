import MCP

// MCP 2026-07-28 protocol types the official Swift SDK (0.12.1) does not have yet, named as the
// revision's schema.ts names them so that moving to the SDK's own types is a swap of this file.
// Everything else on the 2026 path (Tool, CallTool, ReadResource, Server.Info, ...) is the SDK's.

/// The revision itself and the `_meta` keys it reserves (MCP 2026-07-28 basic §_meta).
enum MCP20260728 {
    static let version = "2026-07-28"

    /// Required on every request's `params._meta` (basic/index §Request _meta).
    static let protocolVersionKey = "io.modelcontextprotocol/protocolVersion"
    static let clientCapabilitiesKey = "io.modelcontextprotocol/clientCapabilities"
    /// Optional on requests; never needed to answer.
    static let clientInfoKey = "io.modelcontextprotocol/clientInfo"
    /// SHOULD on every result (basic/index §Result _meta).
    static let serverInfoKey = "io.modelcontextprotocol/serverInfo"
    /// Tags a listen stream's acknowledgement, notifications and closing result (basic/patterns/subscriptions).
    static let subscriptionIdKey = "io.modelcontextprotocol/subscriptionId"
    /// MCP Apps (SEP-1865): the extension a host declares when it can render widgets.
    static let uiExtension = "io.modelcontextprotocol/ui"
}

/// `server/discover` (MCP 2026-07-28 server/discover): what the server speaks and offers.
enum Discover {
    static let name = "server/discover"
}

/// `subscriptions/listen` and the acknowledgement that opens its stream
/// (MCP 2026-07-28 basic/patterns/subscriptions).
enum SubscriptionsListen {
    static let name = "subscriptions/listen"
    static let acknowledgedNotification = "notifications/subscriptions/acknowledged"
}

/// `resultType`, REQUIRED on every 2026 result (basic/index §Result types); we never ask the
/// client for input, so every result is complete.
enum ResultType: String, Encodable {
    case complete
}

/// Caching hints, MUST on the results of discover, the lists and `resources/read`
/// (server/utilities/caching).
enum CacheScope: String, Encodable {
    /// The same for every token: our lists and widgets do not depend on the caller.
    case `public`
    case `private`
}

/// ServerCapabilities as 2026 has it: the SDK's (tools, resources, ...) plus `extensions`.
struct ServerCapabilities: Encodable {
    let base: Server.Capabilities
    let extensions: [String: Value]

    private enum Keys: String, CodingKey { case extensions }

    /// The SDK's fields, then `extensions` into the same JSON object (as `ToolDescriptor` does).
    func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        if !extensions.isEmpty { try container.encode(extensions, forKey: .extensions) }
    }
}

/// The result of `server/discover` (schema.ts DiscoverResult). No `protocolVersion` and no
/// top-level `serverInfo`: the latter travels in `_meta`.
struct DiscoverResult: Encodable {
    let resultType: ResultType
    let supportedVersions: [String]
    let capabilities: ServerCapabilities
    let instructions: String?
    let ttlMs: Int
    let cacheScope: CacheScope
    let _meta: [String: Server.Info]
}

/// -32020 (schema.ts HeaderMismatchError): a routing header missing, or not saying what the body says.
enum HeaderMismatch {
    static let code = -32020
}

/// -32021 (schema.ts MissingRequiredClientCapabilityError), `data: {requiredCapabilities}`.
/// Unused: nothing here needs a client capability; widgets degrade instead (see `MCP2026Dispatcher`).
enum MissingRequiredClientCapability {
    static let code = -32021
}

/// -32022 (schema.ts UnsupportedProtocolVersionError), `data: {supported, requested}`.
struct UnsupportedProtocolVersion: Encodable {
    static let code = -32022
    let supported: [String]
    let requested: String

    var data: Value {
        ["supported": .array(supported.map(Value.string)), "requested": .string(requested)]
    }
}
