import Foundation
import HTTPClient
import TestSupport

/// The user's items API stand-in, `Tests/e2e/fake_backend.py` (shared with the e2e suite), on
/// 127.0.0.1 in a child process. Each test starts its own; `withFakeBackend` always stops it.
final class FakeBackend {
    private let server: ChildProcessServer
    private let client = CurlHTTPClient()

    var port: Int { server.port }
    var baseURL: String { server.baseURL }

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("e2e/fake_backend.py").path
    }

    private init(server: ChildProcessServer) {
        self.server = server
    }

    /// Switches how the contract routes answer (see fake_backend.py).
    func set(mode: String, delay: Double = 0) throws {
        let body = Array(#"{"mode":"\#(mode)","delay":\#(delay)}"#.utf8)
        _ = try client.send(HTTPClientRequest(method: "POST", url: baseURL + "/_control", body: body))
    }

    /// Every contract request seen so far.
    func requests() throws -> [[String: String]] {
        let response = try client.send(HTTPClientRequest(url: baseURL + "/_requests"))
        let decoded = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
        return decoded.map { $0.compactMapValues { $0 as? String } }
    }

    static func run<T>(_ body: (FakeBackend) throws -> T) throws -> T {
        try ChildProcessServer.run(.file(scriptPath)) { server in try body(FakeBackend(server: server)) }
    }
}

func withFakeBackend<T>(_ body: (FakeBackend) throws -> T) throws -> T {
    try FakeBackend.run(body)
}
