// PLACEHOLDER INTERFACES: replaced file by file by the real implementations (see the brief).
import MCP

public enum ManifestLoader {
    /// Reads and checks the file; every problem, or the manifest.
    public static func load(path: String, context: ManifestContext) -> Result<AppManifest, ManifestProblems> { fatalError() }
    public static func parse(_ bytes: [UInt8], context: ManifestContext) -> Result<AppManifest, ManifestProblems> { fatalError() }
}

