import MCP

/// A tool as `tools/list` shows it: the SDK's `Tool` plus the top-level `securitySchemes` the
/// Apps SDK reads to know which scopes a tool needs (the SDK's type has no such field).
public struct ToolDescriptor: Hashable, Codable, Sendable {
    public let tool: Tool
    public let securitySchemes: [Value]

    private enum Keys: String, CodingKey { case securitySchemes }

    public init(tool: Tool, securitySchemes: [Value]) {
        self.tool = tool
        self.securitySchemes = securitySchemes
    }

    public init(from decoder: any Decoder) throws {
        tool = try Tool(from: decoder)
        securitySchemes = try decoder.container(keyedBy: Keys.self).decodeIfPresent([Value].self, forKey: Keys.securitySchemes) ?? []
    }

    /// The same tool without its widget, for hosts that render none (`AppToolMetadata.withoutWidget`).
    public var withoutWidget: ToolDescriptor {
        var tool = tool
        tool._meta = tool._meta.map(AppToolMetadata.withoutWidget)
        return ToolDescriptor(tool: tool, securitySchemes: securitySchemes)
    }

    /// The tool's own fields, then `securitySchemes` into the same JSON object (JSONEncoder
    /// hands out the same keyed container again, as it does for subclass encoding).
    public func encode(to encoder: any Encoder) throws {
        try tool.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(securitySchemes, forKey: .securitySchemes)
    }
}

/// `tools/list` answered with our descriptors instead of the SDK's `Tool`.
enum ListAppTools: Method {
    static let name = ListTools.name
    typealias Parameters = ListTools.Parameters

    struct Result: Hashable, Codable, Sendable {
        let tools: [ToolDescriptor]
    }
}
