import AppManifest
import Configuration
import MCPEndpoint

/// The app manifest as the configuration names it (`APP_MANIFEST`), read and checked: at
/// start, by `FCGIApp check`, and on every reload.
public enum ManifestFile {
    public static func load(_ configuration: Configuration, codeTools: [any AppTool]) -> Result<AppManifest, ManifestProblems> {
        ManifestLoader.load(path: configuration.appManifestPath, context: context(configuration, codeTools: codeTools))
    }

    public static func context(_ configuration: Configuration, codeTools: [any AppTool]) -> ManifestContext {
        ManifestContext(environment: configuration.manifestVariables, widgetsDirectory: configuration.widgetsDirectory,
                        maxTimeoutSeconds: configuration.backendTimeoutSeconds,
                        codeToolNames: Set(codeTools.map(\.name)))
    }

    /// One line for a start-up failure: how many problems, the first, and where to see them all.
    public static func summary(_ problems: ManifestProblems, configuration: Configuration) -> String {
        let count = problems.problems.count
        let first = problems.problems.first.map(\.description) ?? "unknown problem"
        let more = count > 1 ? " (and \(count - 1) more; run `FCGIApp check` to see every one)" : ""
        return "\(configuration.appManifestPath) is not a valid app manifest: \(first)\(more)"
    }
}
