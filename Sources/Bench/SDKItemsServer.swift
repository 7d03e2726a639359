import Backend
import Dispatch
import Foundation
import MCP
import Storage
import MCPEndpoint
import ServerLog

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
    init(tools: [Tool], backend: any ItemsBackend, user: Caller, host: String, origins: [String]) throws {
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
                guard params.name == "get-items" else { throw MCPError.invalidParams("Unknown tool: \(params.name)") }
                return GetItemsResult.make(arguments: params.arguments ?? [:], backend: backend, user: user)
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

/// The result `get-items` answers with (MCPEndpoint's GetItemsTool, which that library keeps
/// internal), rebuilt here from the same backend for the SDK's handler. The benchmark checks
/// that both servers answer with the same items before it times anything.
enum GetItemsResult {
    static func make(arguments: [String: Value], backend: any ItemsBackend, user: Caller) -> CallTool.Result {
        guard arguments.isEmpty else { return failure("get-items takes no arguments") }
        let items: [BackendItem]
        do {
            items = try backend.items(for: user)
        } catch {
            return failure("Could not reach your items: \(error.description). Try again in a moment.")
        }
        let done = items.filter { $0.status == "done" }.count
        let summary = items.isEmpty ? "You have no items."
            : "You have \(items.count) \(items.count == 1 ? "item" : "items"): \(items.count - done) open, \(done) done."
        return CallTool.Result(
            content: [.text(text: summary, annotations: nil, _meta: nil)],
            structuredContent: .object(["items": ItemValues.list(items)]), isError: false,
            _meta: Metadata(additionalFields: [
                "listView": ["backend": .string(backend.kind), "updatedAt": .string(UTCTimestamp.iso8601())],
            ]))
    }

    private static func failure(_ message: String) -> CallTool.Result {
        CallTool.Result(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true)
    }
}
