import MCPEndpoint

/// Tools written in Swift, for what the app manifest cannot express (docs/MANIFEST.md, "Code
/// tools"): add an instance of your `AppTool` type here. They are listed after the manifest's
/// tools, checked by `FCGIApp check` for clashing names, and kept across reloads.
enum CodeTools {
    static let all: [any AppTool] = []
}
