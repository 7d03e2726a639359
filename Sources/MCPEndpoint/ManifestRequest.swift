import AppManifest
import Backend
import MCP
import WebRules

/// Fills a manifest tool's call in from the arguments: the path (each `{name}` one encoded
/// segment), the query, the body and the manifest's extra headers.
struct ManifestRequest: Sendable {
    let call: CallDeclaration
    /// Arguments the path or query consume, left out of an `"arguments"` body.
    private let consumed: Set<String>

    init(_ call: CallDeclaration) {
        self.call = call
        consumed = Set(call.path.argumentNames).union(call.query)
    }

    func make(_ arguments: [String: Value]) throws(ArgumentViolation) -> APIRequest {
        var target = try call.path.render(arguments)
        let query = queryString(arguments)
        if !query.isEmpty { target += "?" + query }
        return APIRequest(method: call.method, target: target, headers: call.headers, body: body(arguments),
                          timeout: call.timeoutSeconds)
    }

    /// `name=value` pairs in the manifest's order; an absent argument is left out and an array
    /// repeats the name (the form most APIs read, e.g. `tag=a&tag=b`).
    private func queryString(_ arguments: [String: Value]) -> String {
        var pairs: [String] = []
        for name in call.query {
            guard let value = arguments[name] else { continue }
            let values: [Value] = if case .array(let elements) = value { elements } else { [value] }
            for element in values {
                pairs.append(PercentEncoding.component(name) + "=" + PercentEncoding.component(Self.queryText(element)))
            }
        }
        return pairs.joined(separator: "&")
    }

    /// Strings as they are, anything else as its JSON text (`true`, `12`, `{"a":1}`).
    private static func queryText(_ value: Value) -> String {
        if case .string(let text) = value { return text }
        return String(decoding: JSONText.encode(value), as: UTF8.self)
    }

    private func body(_ arguments: [String: Value]) -> [UInt8]? {
        switch call.body {
        case .none:
            return nil
        case .arguments:
            return JSONText.encode(.object(arguments.filter { !consumed.contains($0.key) }))
        case .template(let template):
            return JSONText.encode(template.render(arguments))
        }
    }
}
