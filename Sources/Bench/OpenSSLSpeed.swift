import Foundation

/// Runs the openssl CLI's own benchmark, as a same-machine, same-run reference figure.
enum OpenSSLSpeed {
    /// The "verify/s" column of `openssl speed -seconds N ecdsap256`, whose result line reads
    /// " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  30842.9  11130.0"
    /// (sign time, verify time, sign/s, verify/s). Nil if openssl is missing or the output
    /// has another shape.
    static func ecdsaP256VerifiesPerSecond(seconds: Int) -> Double? {
        guard let output = run(["openssl", "speed", "-seconds", String(seconds), "ecdsap256"]) else { return nil }
        for line in output.split(separator: "\n") where line.contains("nistp256") && line.contains("bits") {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            if let last = columns.last, let value = Double(last) { return value }
        }
        return nil
    }

    /// The "sign/s" column of `openssl speed -seconds N rsa2048`, whose result line reads
    /// "rsa 2048 bits 0.000898s 0.000025s   1113.7  39562.0" (sign/s is the second-to-last).
    static func rsa2048SignsPerSecond(seconds: Int) -> Double? {
        guard let output = run(["openssl", "speed", "-seconds", String(seconds), "rsa2048"]) else { return nil }
        for line in output.split(separator: "\n") where line.hasPrefix("rsa 2048 bits") {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            if columns.count >= 2, let value = Double(columns[columns.count - 2]) { return value }
        }
        return nil
    }

    private static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        // Read before waiting: a full pipe would otherwise block the child forever.
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
