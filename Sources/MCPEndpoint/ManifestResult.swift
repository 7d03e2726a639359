import AppManifest
import Backend
import MCP
import ServerLog
import Storage

/// Turns the API's answer into a manifest tool's result: `structuredContent` from the body or
/// JSON Pointers into it (RFC 6901), the text from its template, and the error text of a status.
struct ManifestResult {
    let declaration: ResultDeclaration

    init(_ declaration: ResultDeclaration) {
        self.declaration = declaration
    }

    func toolResult(_ response: APIResponse, arguments: [String: Value], tool: String, context: ToolContext) -> CallTool.Result {
        let answer = Self.parse(response.body)
        guard (200..<300).contains(response.status) else {
            if response.status >= 500 {
                ServerLog.write(.warning, "the API answered with a server error", [
                    "request_id": .string(context.caller.requestID), "tool": .string(tool), "status": .int(response.status),
                ])
            }
            if let template = declaration.errorTemplate(forStatus: response.status) {
                return context.failure(template.render(arguments: arguments, answer: answer))
            }
            return context.failure("The API answered HTTP \(response.status).")
        }
        // An empty 2xx answer (204) is an empty object: there is nothing more to show.
        let document: Value
        if response.body.allSatisfy(Self.isWhitespace) {
            document = .object([:])
        } else if let answer {
            document = answer
        } else {
            return context.failure(for: .badResponse("the body is not JSON"), tool: tool)
        }
        let structured: Value
        switch structuredContent(document) {
        case .success(let value): structured = value
        case .failure(let problem): return context.failure(for: problem, tool: tool)
        }
        let text = declaration.text?.render(arguments: arguments, answer: document)
            ?? String(decoding: JSONText.encode(structured), as: UTF8.self)
        return context.success(text: text, structured: structured)
    }

    /// MCP 2025-06-18 server/tools §Structured Content: a JSON object.
    private func structuredContent(_ document: Value) -> Result<Value, APIError> {
        switch declaration.structuredContent {
        case .pointer(let pointer):
            // The pointer as the manifest writes it, not the parsed value's dump.
            guard let value = pointer.resolve(in: document) else {
                return .failure(.badResponse("the answer has nothing at \"\(pointer.text)\""))
            }
            guard case .object = value else {
                let place = pointer.text.isEmpty ? "the answer" : "the answer at \"\(pointer.text)\""
                return .failure(.badResponse("\(place) is not a JSON object"))
            }
            return .success(value)
        case .fields(let fields):
            var object: [String: Value] = [:]
            for field in fields {
                if let value = field.pointer.resolve(in: document) { object[field.key] = value }
            }
            return .success(.object(object))
        }
    }

    private static func parse(_ body: [UInt8]) -> Value? {
        try? JSONText.parse(body)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
