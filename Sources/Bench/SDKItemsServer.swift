import Backend
import Dispatch
import Foundation
import MCP
import Storage
import MCPEndpoint

/// `/mcp` the way the official Swift SDK serves it: a `Server` actor with `withMethodHandler`
/// for `tools/list` and `tools/call`, started on a `StatelessHTTPServerTransport` and fed through
/// `handleRequest`. One instance per worker thread; the thread blocks until the answer is ready,
/// as a FastCGI worker would.
final class SDKItemsServer: Sendable {
    private let server: Server
    private let transport: StatelessHTTPServerTransport

    /// - Parameters:
    ///   - tools: the descriptors `tools/list` shows.
    ///   - user: the caller every `tools/call` acts for (the benchmark's fixed user).
    init(tools: [Tool], api: any APITransport, user: Caller, host: String, origins: [String]) throws {
        server = Server(name: "chatgpt-app-fcgi", version: "1.0.0", title: "Items",
                        capabilities: .init(tools: .init(listChanged: false)))
        // Our Origin rules, and the JSON-only form of Streamable HTTP our endpoint speaks.
        transport = StatelessHTTPServerTransport(validationPipeline: StandardValidationPipeline(validators: [
            OriginValidator(allowedHosts: [host], allowedOrigins: origins),
            AcceptHeaderValidator(mode: .jsonOnly),
            ContentTypeValidator(),
            ProtocolVersionValidator(),
        ]))
        let (server, transport) = (server, transport)
        try Self.wait {
            await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
            await server.withMethodHandler(CallTool.self) { params in
                guard params.name == GetItemsCodeTool.name else { throw MCPError.invalidParams("Unknown tool: \(params.name)") }
                return GetItemsCodeTool.result(api: api, caller: user)
            }
            try await server.start(transport: transport)
        }
    }

    func handle(_ request: HTTPRequest) throws -> HTTPResponse {
        let transport = self.transport
        return try Self.wait { await transport.handleRequest(request) }
    }

    /// Runs async work to completion from a plain thread.
    private static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        Task {
            do {
                outcome.value = .success(try await work())
            } catch {
                outcome.value = .failure(error)
            }
            outcome.done.signal()
        }
        outcome.done.wait()
        return try outcome.value!.get()
    }

    /// Written by the task before `done` is signalled, read by the waiting thread after.
    private final class Outcome<T>: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var value: Result<T, any Error>?
    }
}
