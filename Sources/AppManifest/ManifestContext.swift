/// What checking a manifest needs from outside it: the rules that depend on the deployment
/// (environment variables, widget files, the backend timeout, the code tools).
public struct ManifestContext: Sendable {
    /// For `${NAME}` in headers.
    public var environment: [String: String]
    /// `WIDGETS_DIR`: widget files must exist here.
    public var widgetsDirectory: String
    /// `BACKEND_TIMEOUT_SECONDS`: the default and the upper bound of `timeoutSeconds`.
    public var maxTimeoutSeconds: Double
    /// Names of code tools, which manifest tools may not reuse.
    public var codeToolNames: Set<String>

    public init(environment: [String: String], widgetsDirectory: String, maxTimeoutSeconds: Double, codeToolNames: Set<String> = []) {
        self.environment = environment
        self.widgetsDirectory = widgetsDirectory
        self.maxTimeoutSeconds = maxTimeoutSeconds
        self.codeToolNames = codeToolNames
    }
}
