import MCP

/// A violation on its way up: each level adds its field, so no path is built unless a check fails.
struct PendingViolation: Error {
    enum Step {
        case key(String)
        case index(Int)
    }

    /// Innermost first.
    var steps: [Step]
    let problem: String

    init(_ problem: String) {
        self.steps = []
        self.problem = problem
    }

    /// `filter.tags[2]`.
    var violation: ArgumentViolation {
        var field = ""
        for step in steps.reversed() {
            switch step {
            case .key(let key): field += field.isEmpty ? key : ".\(key)"
            case .index(let index): field += "[\(index)]"
            }
        }
        return ArgumentViolation(field: field, problem: problem)
    }
}

/// The checks of JSON Schema 2020-12 validation §6, each applying only to its kind of value.
enum SchemaCheck {
    static func check(_ value: Value, against node: SchemaNode) throws(PendingViolation) {
        // §6.1.1 type
        if let types = node.types, !types.matches(value) { throw PendingViolation(types.requirement) }
        // §6.1.3 const
        if let constant = node.constant, !JSONEquality.equal(value, constant) {
            throw PendingViolation("must be \(JSONText.encodedString(constant))")
        }
        // §6.1.2 enum
        if let allowed = node.allowedValues, !allowed.contains(where: { JSONEquality.equal(value, $0) }) {
            throw PendingViolation("must be one of \(allowed.map(JSONText.encodedString).joined(separator: ", "))")
        }
        switch value {
        case .string(let text): try checkString(text, against: node)
        case .int(let number): try checkNumber(Double(number), against: node)
        case .double(let number): try checkNumber(number, against: node)
        case .array(let elements): try checkArray(elements, against: node)
        case .object(let members): try checkObject(members, against: node, isTopLevel: false)
        default: break
        }
    }

    // §6.3: lengths count Unicode code points (RFC 8259 characters), not UTF-16 units or graphemes.
    private static func checkString(_ text: String, against node: SchemaNode) throws(PendingViolation) {
        if node.minLength != nil || node.maxLength != nil {
            let length = text.unicodeScalars.count
            if let minimum = node.minLength, length < minimum { throw PendingViolation("must be at least \(minimum) characters") }
            if let maximum = node.maxLength, length > maximum { throw PendingViolation("must be at most \(maximum) characters") }
        }
        if let pattern = node.pattern, !pattern.matches(text) {
            throw PendingViolation("must match the pattern \(pattern.source)")
        }
    }

    // §6.2
    private static func checkNumber(_ number: Double, against node: SchemaNode) throws(PendingViolation) {
        if let bound = node.minimum, number < bound.value { throw PendingViolation("must be at least \(bound.text)") }
        if let bound = node.maximum, number > bound.value { throw PendingViolation("must be at most \(bound.text)") }
        if let bound = node.exclusiveMinimum, number <= bound.value { throw PendingViolation("must be greater than \(bound.text)") }
        if let bound = node.exclusiveMaximum, number >= bound.value { throw PendingViolation("must be less than \(bound.text)") }
    }

    // §6.4 and core §10.3.1.2 items
    private static func checkArray(_ elements: [Value], against node: SchemaNode) throws(PendingViolation) {
        if let minimum = node.minItems, elements.count < minimum { throw PendingViolation("must have at least \(minimum) items") }
        if let maximum = node.maxItems, elements.count > maximum { throw PendingViolation("must have at most \(maximum) items") }
        if node.uniqueItems {
            for (position, element) in elements.enumerated() where elements[..<position].contains(where: { JSONEquality.equal($0, element) }) {
                var pending = PendingViolation("must not repeat an earlier item")
                pending.steps.append(.index(position))
                throw pending
            }
        }
        if let items = node.items?.node {
            for (position, element) in elements.enumerated() {
                do throws(PendingViolation) {
                    try check(element, against: items)
                } catch {
                    var pending = error
                    pending.steps.append(.index(position))
                    throw pending
                }
            }
        }
    }

    // §6.5.3 required, core §10.3.2.1 properties, §10.3.2.3 additionalProperties
    static func checkObject(_ members: [String: Value], against node: SchemaNode, isTopLevel: Bool) throws(PendingViolation) {
        for name in node.required where members[name] == nil {
            throw located(PendingViolation("is required"), name)
        }
        for name in node.propertyOrder {
            guard let value = members[name], let property = node.properties[name] else { continue }
            do throws(PendingViolation) {
                try check(value, against: property)
            } catch {
                throw located(error, name)
            }
        }
        switch node.additionalProperties {
        case .allowed:
            return
        case .forbidden:
            // The smallest unknown name, so the answer does not depend on dictionary order.
            var unknown: String?
            for name in members.keys where node.properties[name] == nil {
                if unknown.map({ name.utf8.lexicographicallyPrecedes($0.utf8) }) ?? true { unknown = name }
            }
            if let unknown {
                throw located(PendingViolation(isTopLevel ? "is not a parameter of this tool" : "is not a known field"), unknown)
            }
        case .schema(let schema):
            let names = members.keys.filter { node.properties[$0] == nil }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for name in names {
                do throws(PendingViolation) {
                    try check(members[name] ?? .null, against: schema.node)
                } catch {
                    throw located(error, name)
                }
            }
        }
    }

    private static func located(_ pending: PendingViolation, _ key: String) -> PendingViolation {
        var pending = pending
        pending.steps.append(.key(key))
        return pending
    }
}
