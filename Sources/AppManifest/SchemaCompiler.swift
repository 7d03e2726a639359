import Foundation
import MCP

/// Compiles a tool's `inputSchema` once, at load. Every keyword the check does not enforce is a
/// problem, so no rule an author wrote is silently ignored. Problem paths are relative to the
/// schema (`properties.q.oneOf`); keys are visited in sorted order, so the list is stable.
struct SchemaCompiler {
    private(set) var problems: [ManifestProblem] = []

    /// JSON Schema 2020-12 annotations (validation §9, core §8.3): they never reject a value.
    private static let annotations: Set<String> = [
        "title", "description", "default", "examples", "format", "deprecated", "readOnly", "writeOnly", "$comment",
    ]

    mutating func compile(_ schema: Value, path: String) -> SchemaNode {
        var node = SchemaNode()
        guard case .object(let keywords) = schema else {
            report(path, "must be an object")
            return node
        }
        for key in keywords.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let value = keywords[key] ?? .null
            let keyPath = Self.join(path, key)
            switch key {
            case "type": node.types = types(value, path: keyPath)
            case "properties": properties(value, path: keyPath, into: &node)
            case "required": node.required = required(value, path: keyPath)
            case "additionalProperties": node.additionalProperties = additionalProperties(value, path: keyPath)
            case "enum":
                guard case .array(let values) = value else {
                    report(keyPath, "must be an array")
                    continue
                }
                node.allowedValues = values
            case "const": node.constant = value
            case "minLength": node.minLength = count(value, path: keyPath)
            case "maxLength": node.maxLength = count(value, path: keyPath)
            case "minItems": node.minItems = count(value, path: keyPath)
            case "maxItems": node.maxItems = count(value, path: keyPath)
            case "pattern": node.pattern = pattern(value, path: keyPath)
            case "minimum": node.minimum = bound(value, path: keyPath)
            case "maximum": node.maximum = bound(value, path: keyPath)
            case "exclusiveMinimum": node.exclusiveMinimum = bound(value, path: keyPath)
            case "exclusiveMaximum": node.exclusiveMaximum = bound(value, path: keyPath)
            case "items":
                guard case .object = value else {
                    report(keyPath, "must be an object (one schema for every item)")
                    continue
                }
                node.items = IndirectSchema(compile(value, path: keyPath))
            case "uniqueItems":
                guard case .bool(let unique) = value else {
                    report(keyPath, "must be a boolean")
                    continue
                }
                node.uniqueItems = unique
            default:
                if !Self.annotations.contains(key) { report(keyPath, "is not supported by the argument check") }
            }
        }
        return node
    }

    private mutating func types(_ value: Value, path: String) -> JSONTypeSet? {
        let written: [Value]
        switch value {
        case .string: written = [value]
        case .array(let list) where !list.isEmpty: written = list
        default:
            report(path, "must be a type name or a non-empty array of them")
            return nil
        }
        var names: [JSONTypeSet.Name] = []
        for (position, entry) in written.enumerated() {
            let entryPath = value.arrayValue == nil ? path : "\(path)[\(position)]"
            guard case .string(let text) = entry, let name = JSONTypeSet.Name(rawValue: text) else {
                report(entryPath, "\(JSONText.encodedString(entry)) is not a JSON Schema type")
                continue
            }
            names.append(name)
        }
        return names.isEmpty ? nil : JSONTypeSet(names: names)
    }

    private mutating func properties(_ value: Value, path: String, into node: inout SchemaNode) {
        guard case .object(let members) = value else {
            report(path, "must be an object")
            return
        }
        node.propertyOrder = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in node.propertyOrder {
            node.properties[name] = compile(members[name] ?? .null, path: Self.join(path, name))
        }
    }

    private mutating func required(_ value: Value, path: String) -> [String] {
        guard case .array(let list) = value else {
            report(path, "must be an array of strings")
            return []
        }
        var names: [String] = []
        for (position, entry) in list.enumerated() {
            guard case .string(let name) = entry else {
                report("\(path)[\(position)]", "must be a string")
                continue
            }
            names.append(name)
        }
        return Set(names).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private mutating func additionalProperties(_ value: Value, path: String) -> AdditionalProperties {
        switch value {
        case .bool(let allowed): return allowed ? .allowed : .forbidden
        case .object: return .schema(IndirectSchema(compile(value, path: path)))
        default:
            report(path, "must be a boolean or an object")
            return .allowed
        }
    }

    private mutating func count(_ value: Value, path: String) -> Int? {
        switch value {
        case .int(let number) where number >= 0: return number
        case .double(let number) where number >= 0 && number == number.rounded() && number < 1e15: return Int(number)
        default:
            report(path, "must be a non-negative integer")
            return nil
        }
    }

    private mutating func bound(_ value: Value, path: String) -> NumericBound? {
        switch value {
        case .int(let number): return NumericBound(value: Double(number), text: String(number))
        case .double(let number): return NumericBound(value: number, text: JSONNumberText.format(number))
        default:
            report(path, "must be a number")
            return nil
        }
    }

    private mutating func pattern(_ value: Value, path: String) -> CompiledPattern? {
        guard case .string(let source) = value else {
            report(path, "must be a string")
            return nil
        }
        guard let expression = try? NSRegularExpression(pattern: source) else {
            report(path, "is not a valid regular expression")
            return nil
        }
        return CompiledPattern(source: source, expression: expression)
    }

    private mutating func report(_ path: String, _ message: String) {
        problems.append(ManifestProblem(path: path, message: message))
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
