import AppComposition
import AppManifest
import Configuration
import Foundation

/// `FCGIApp check`: reads the configuration and the app manifest it names, as a start would,
/// and exits 0 with a summary, or 1 with every problem on its own line (`path: problem`). The
/// systemd unit runs it before every start (`ExecStartPre=`), so a broken manifest is named in
/// the journal instead of failing requests.
enum CheckCommand {
    static func run(configuration: Configuration) -> Never {
        switch ManifestFile.load(configuration, codeTools: CodeTools.all) {
        case .failure(let problems):
            for problem in problems.problems { print(problem.description) }
            fflush(nil)
            let noun = problems.problems.count == 1 ? "problem" : "problems"
            FileHandle.standardError.write(Data("FCGIApp check: \(configuration.appManifestPath): \(problems.problems.count) \(noun)\n".utf8))
            exit(1)
        case .success(let manifest):
            let tools = manifest.tools.map(\.name) + CodeTools.all.map(\.name)
            print("\(configuration.appManifestPath): OK: \(count(tools.count, "tool")) (\(tools.joined(separator: ", "))), "
                  + "\(count(manifest.widgets.count, "widget")), \(count(manifest.scopes.count, "scope"))")
            fflush(nil)
            exit(0)
        }
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
