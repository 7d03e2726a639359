import Foundation
import ManifestStarter

/// `FCGIApp manifest from-openapi <openapi.json> --include 'GET /notes' ...`: prints a starter
/// manifest for the chosen operations of an OpenAPI document; notes about what could not be
/// carried over go to stderr. Choosing a few well-described tools is the user's part.
enum ManifestCommand {
    static let usage = "usage: FCGIApp manifest from-openapi <openapi.json> --include 'METHOD /path' [--include ...]"

    static func run(arguments: [String]) -> Never {
        guard arguments.first == "from-openapi", arguments.count >= 2 else { fail(usage) }
        let file = arguments[1]
        var includes: [String] = []
        var index = 2
        while index < arguments.count {
            guard arguments[index] == "--include", index + 1 < arguments.count else { fail("unexpected \(arguments[index]); \(usage)") }
            includes.append(arguments[index + 1])
            index += 2
        }
        guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
        do {
            let starter = try OpenAPIStarter.manifest(openAPI: [UInt8](data), includes: includes)
            for warning in starter.warnings { FileHandle.standardError.write(Data("note: \(warning)\n".utf8)) }
            print(starter.text, terminator: "")
            fflush(nil)
            exit(0)
        } catch {
            fail("\(error)")
        }
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("FCGIApp manifest: \(message)\n".utf8))
        exit(1)
    }
}
