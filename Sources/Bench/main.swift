// Benchmarks, one mode per file: `Bench` runs every mode, `Bench <mode>` just one.
// Each mode prints its throughput beside a reference measured in the same run.
import Foundation

let modes: [(name: String, run: () -> Void)] = [
    ("privy", PrivyBenchmark.run),
    ("token", TokenBenchmark.run),
    ("mcp-dispatch", MCPDispatchBenchmark.run),
]

let requested = CommandLine.arguments.dropFirst().first
if let requested, !modes.contains(where: { $0.name == requested }) {
    FileHandle.standardError.write(Data("usage: Bench [\(modes.map(\.name).joined(separator: "|"))]\n".utf8))
    exit(2)
}
for mode in modes where requested == nil || requested == mode.name {
    mode.run()
}
