import MCP

/// The app a user describes in their manifest (docs/MANIFEST.md): names, scopes, widgets and
/// tools. Values of this type have passed every check; `ManifestLoader` is the only way to get one.
public struct AppManifest: Sendable {
    public let server: ServerDeclaration
    /// In the order the consent screen lists them.
    public let scopes: [ScopeDeclaration]
    public let widgets: [WidgetDeclaration]
    /// In the order `tools/list` shows them.
    public let tools: [ToolDeclaration]

    public init(server: ServerDeclaration, scopes: [ScopeDeclaration], widgets: [WidgetDeclaration], tools: [ToolDeclaration]) {
        self.server = server
        self.scopes = scopes
        self.widgets = widgets
        self.tools = tools
    }

    /// The consent sentence of a declared scope.
    public func consent(for scope: String) -> String? {
        scopes.first { $0.name == scope }?.consent
    }
}

public struct ServerDeclaration: Sendable, Equatable {
    public let name: String
    public let title: String?
    public let version: String
    public let instructions: String?
    public let icons: [IconDeclaration]

    public init(name: String, title: String?, version: String, instructions: String?, icons: [IconDeclaration]) {
        self.name = name
        self.title = title
        self.version = version
        self.instructions = instructions
        self.icons = icons
    }
}

public struct IconDeclaration: Sendable, Equatable {
    public let src: String
    public let mimeType: String?
    public let sizes: [String]

    public init(src: String, mimeType: String?, sizes: [String]) {
        self.src = src
        self.mimeType = mimeType
        self.sizes = sizes
    }
}

public struct ScopeDeclaration: Sendable, Equatable {
    public let name: String
    /// The sentence the consent screen shows for it.
    public let consent: String

    public init(name: String, consent: String) {
        self.name = name
        self.consent = consent
    }
}

public struct WidgetDeclaration: Sendable, Equatable {
    public let id: String
    /// File names in the widgets folder (no folders).
    public let script: String
    public let style: String?
    public let title: String
    public let description: String
    public let connectDomains: [String]
    public let resourceDomains: [String]
    public let prefersBorder: Bool
    public let domain: String?

    public init(id: String, script: String, style: String?, title: String, description: String, connectDomains: [String],
                resourceDomains: [String], prefersBorder: Bool, domain: String?) {
        self.id = id
        self.script = script
        self.style = style
        self.title = title
        self.description = description
        self.connectDomains = connectDomains
        self.resourceDomains = resourceDomains
        self.prefersBorder = prefersBorder
        self.domain = domain
    }

    /// The resource URI hosts read it under.
    public var uri: String { "ui://widget/\(id).html" }
}

public struct ToolDeclaration: Sendable {
    public let name: String
    public let title: String?
    public let description: String
    public let scope: String
    public let inputSchema: Value
    public let outputSchema: Value?
    public let annotations: ToolAnnotationsDeclaration
    public let widget: ToolWidgetDeclaration?
    public let visibility: ToolVisibility
    public let call: CallDeclaration
    public let result: ResultDeclaration
    /// `inputSchema` compiled for the check every call's arguments go through.
    public let argumentSchema: ArgumentSchema

    public init(name: String, title: String?, description: String, scope: String, inputSchema: Value, outputSchema: Value?,
                annotations: ToolAnnotationsDeclaration, widget: ToolWidgetDeclaration?, visibility: ToolVisibility,
                call: CallDeclaration, result: ResultDeclaration, argumentSchema: ArgumentSchema) {
        self.name = name
        self.title = title
        self.description = description
        self.scope = scope
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.annotations = annotations
        self.widget = widget
        self.visibility = visibility
        self.call = call
        self.result = result
        self.argumentSchema = argumentSchema
    }
}

public struct ToolAnnotationsDeclaration: Sendable, Equatable {
    public let readOnlyHint: Bool?
    public let destructiveHint: Bool?
    public let idempotentHint: Bool?
    public let openWorldHint: Bool?

    public init(readOnlyHint: Bool? = nil, destructiveHint: Bool? = nil, idempotentHint: Bool? = nil, openWorldHint: Bool? = nil) {
        self.readOnlyHint = readOnlyHint
        self.destructiveHint = destructiveHint
        self.idempotentHint = idempotentHint
        self.openWorldHint = openWorldHint
    }
}

public struct ToolWidgetDeclaration: Sendable, Equatable {
    public let id: String
    /// The widget may call this tool itself (`openai/widgetAccessible`).
    public let accessible: Bool
    /// Status lines while and after the tool runs (at most 64 characters each).
    public let invoking: String?
    public let invoked: String?

    public init(id: String, accessible: Bool, invoking: String?, invoked: String?) {
        self.id = id
        self.accessible = accessible
        self.invoking = invoking
        self.invoked = invoked
    }

    public var uri: String { "ui://widget/\(id).html" }
}

public enum ToolVisibility: String, Sendable, Equatable {
    /// The model and widgets may call it.
    case `public`
    /// Only widgets may call it; the model does not see it.
    case `private`
}

/// The one HTTP call a manifest tool makes on `BACKEND_API_URL`.
public struct CallDeclaration: Sendable {
    public let method: String
    public let path: PathTemplate
    /// Argument names sent as query parameters, in this order.
    public let query: [String]
    public let body: BodyDeclaration
    /// Extra headers, `${NAME}`s already replaced by the environment's values: secrets, never logged.
    public let headers: [(name: String, value: String)]
    /// Nil: the configured backend timeout.
    public let timeoutSeconds: Double?

    public init(method: String, path: PathTemplate, query: [String], body: BodyDeclaration, headers: [(name: String, value: String)],
                timeoutSeconds: Double?) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.headers = headers
        self.timeoutSeconds = timeoutSeconds
    }
}

public enum BodyDeclaration: Sendable {
    case none
    /// The arguments not used in the path or the query, as one JSON object.
    case arguments
    case template(BodyTemplate)
}

/// How the API's answer becomes the tool result.
public struct ResultDeclaration: Sendable {
    public let structuredContent: StructuredContentDeclaration
    /// Nil: the structured content as JSON.
    public let text: TextTemplate?
    /// Keyed by "404", "4xx", "5xx"; 401 and 403 are never here.
    public let errors: [String: TextTemplate]

    public init(structuredContent: StructuredContentDeclaration, text: TextTemplate?, errors: [String: TextTemplate]) {
        self.structuredContent = structuredContent
        self.text = text
        self.errors = errors
    }

    /// The error text for a status: its own entry, else its class ("4xx"), else nil.
    public func errorTemplate(forStatus status: Int) -> TextTemplate? {
        errors[String(status)] ?? errors["\(status / 100)xx"]
    }
}

public enum StructuredContentDeclaration: Sendable {
    /// The object at this pointer ("" is the whole body).
    case pointer(JSONPointer)
    /// An object built from several pointers.
    case fields([(key: String, pointer: JSONPointer)])
}
