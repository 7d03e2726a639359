import MCP
import WebRules

/// `call.path`: literal path text and `{name}` arguments, each rendered as exactly one
/// percent-encoded path segment, so no argument can add a segment, climb with "..", or start a
/// query (`../admin` becomes `%2E%2E%2Fadmin`: `PercentEncoding.pathSegment` encodes every ".").
public struct PathTemplate: Sendable {
    enum Part: Sendable, Equatable {
        case literal(String)
        case argument(String)
    }

    public let source: String
    let parts: [Part]
    /// In order of appearance.
    public let argumentNames: [String]

    /// Every failure message starts `must be a path starting with "/"`, the rule the author broke.
    public init(parsing source: String) throws(TemplateSyntaxError) {
        self.source = source
        self.parts = try PathTemplateSyntax.parts(of: source)
        self.argumentNames = parts.compactMap { part in
            if case .argument(let name) = part { return name }
            return nil
        }
    }

    /// `/items/{id}` with each argument percent-encoded as one segment (RFC 3986 §3.3).
    public func render(_ arguments: [String: Value]) throws(ArgumentViolation) -> String {
        var path = ""
        for part in parts {
            switch part {
            case .literal(let literal):
                path += literal
            case .argument(let name):
                path += PercentEncoding.pathSegment(try Self.segmentText(of: arguments[name], name: name))
            }
        }
        return path
    }

    private static func segmentText(of value: Value?, name: String) throws(ArgumentViolation) -> String {
        switch value {
        case nil:
            throw ArgumentViolation(field: name, problem: "is required")
        case .string(let text):
            // An empty segment would turn "/notes/{id}" into "/notes/", another resource.
            guard !text.isEmpty else { throw ArgumentViolation(field: name, problem: "must not be empty") }
            return text
        case .int(let number):
            return String(number)
        case .double(let number) where number.isFinite:
            return JSONNumberText.format(number)
        default:
            throw ArgumentViolation(field: name, problem: "must be a string, integer or number")
        }
    }
}
