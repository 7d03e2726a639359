import Configuration
import Foundation

/// The process environment laid over an optional `.env` file in the working directory.
/// Variables already in the environment win, as with every dotenv loader.
enum ConfigurationSource {
    static func load() throws(ConfigurationError) -> Configuration {
        var values = try fileValues(path: FileManager.default.currentDirectoryPath + "/.env")
        for (name, value) in ProcessInfo.processInfo.environment {
            values[name] = value
        }
        return try Configuration.load(from: values)
    }

    private static func fileValues(path: String) throws(ConfigurationError) -> [String: String] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(".env", "exists but cannot be read as UTF-8 text")
        }
        return try EnvironmentFile.parse(text)
    }
}
