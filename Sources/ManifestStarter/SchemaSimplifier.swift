/// Turns an OpenAPI Schema Object into the JSON Schema subset the manifest's argument check
/// understands (docs/MANIFEST.md, "The argument check"), which refuses any keyword it does not
/// know rather than leave a rule silently unenforced. So the starter resolves `$ref`s, merges
/// `allOf`, rewrites OpenAPI 3.0's `nullable`, `example` and boolean `exclusiveMinimum`, and
/// drops the rest with one warning per keyword, naming where it was.
struct SchemaSimplifier {
    /// The whole OpenAPI document, which `#/…` references are read against.
    let document: JSONValue

    /// The keywords kept, in the order they are written: what the value is first, then its
    /// constraints, then the annotations the check ignores.
    static let keywordOrder = [
        "type", "format", "title", "description", "enum", "const",
        "minLength", "maxLength", "pattern",
        "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum",
        "items", "minItems", "maxItems", "uniqueItems",
        "properties", "required", "additionalProperties",
        "default", "examples", "deprecated", "readOnly", "writeOnly", "$comment",
    ]

    /// `schema` simplified; `location` is its JSON Pointer in the document, for warnings.
    func simplify(_ schema: JSONValue, at location: String, warnings: inout StarterWarnings) -> JSONObject {
        simplify(schema, at: location, followed: [], warnings: &warnings)
    }

    /// `followed` holds the references being expanded around this schema, to see a cycle.
    private func simplify(_ schema: JSONValue, at location: String, followed: [String], warnings: inout StarterWarnings) -> JSONObject {
        let object: JSONObject
        switch schema {
        case .object(let value):
            object = value
        case .bool(true):
            // JSON Schema 2020-12 §4.3.2: `true` is the schema that accepts everything, `{}`.
            return JSONObject()
        default:
            warnings.add("\(location): a schema must be an object; replaced by {}")
            return JSONObject()
        }
        if let reference = object["$ref"] {
            return follow(reference, beside: object, at: location, followed: followed, warnings: &warnings)
        }

        var combined: JSONObject?
        var addsNull = false
        if let allOf = object["allOf"] {
            combined = mergedAllOf(allOf, at: JSONPointer.appending(location, "allOf"), followed: followed, warnings: &warnings)
        }
        for keyword in ["anyOf", "oneOf"] {
            guard let alternatives = object[keyword] else { continue }
            let here = JSONPointer.appending(location, keyword)
            // OpenAPI 3.1's way to say nullable: `anyOf: [{…}, {"type": "null"}]`, which the
            // check can express as a type list.
            if combined == nil, let members = alternatives.arrayValue, members.count == 2,
               let nullIndex = members.firstIndex(where: Self.isNullSchema) {
                let other = 1 - nullIndex
                combined = simplify(members[other], at: JSONPointer.appending(here, String(other)), followed: followed, warnings: &warnings)
                addsNull = true
            } else {
                warnings.add("\(here): dropped \"\(keyword)\": the manifest's argument check does not support it, so the alternatives are not checked")
            }
        }

        let own = keywords(of: object, at: location, followed: followed, warnings: &warnings)
        if own.nullable { addsNull = true }
        var result = own.schema
        if let combined {
            result = Self.merge(combined, under: result, at: location, warnings: &warnings)
        }
        // OpenAPI 3.0 §4.7.24 `nullable: true` adds null to the allowed types; without a
        // `type` null is allowed already.
        if addsNull, let types = SchemaShape.types(of: result), !types.contains("null") {
            result["type"] = .array((types + ["null"]).map(JSONValue.string))
        }
        if result["examples"] == nil, let example = own.example {
            result["examples"] = .array([example])
        }
        return Self.ordered(result)
    }

    /// A `$ref` replaced by what it points at, keywords beside it laid over (OpenAPI 3.1 follows
    /// JSON Schema 2020-12 §8.2.3.1, where they apply too; mostly they are a `description`).
    private func follow(_ reference: JSONValue, beside object: JSONObject, at location: String, followed: [String],
                        warnings: inout StarterWarnings) -> JSONObject {
        let here = JSONPointer.appending(location, "$ref")
        guard let reference = reference.stringValue else {
            warnings.add("\(here): $ref is not a string; replaced by {}")
            return JSONObject()
        }
        guard reference.hasPrefix("#") else {
            warnings.add("\(here): external $ref \"\(reference)\" is not followed (only references inside the document are); replaced by {}")
            return JSONObject()
        }
        guard !followed.contains(reference) else {
            warnings.add("\(here): $ref \"\(reference)\" leads back to a schema that contains it (a cycle); replaced by {}")
            return JSONObject()
        }
        guard followed.count < ReferenceResolver.maximumDepth else {
            warnings.add("\(here): more than \(ReferenceResolver.maximumDepth) nested $refs; replaced by {}")
            return JSONObject()
        }
        guard let target = JSONPointer.resolve(reference, in: document) else {
            warnings.add("\(here): $ref \"\(reference)\" points at nothing in the document; replaced by {}")
            return JSONObject()
        }
        guard var merged = target.objectValue else {
            return simplify(target, at: reference, followed: followed + [reference], warnings: &warnings)
        }
        for (key, value) in object.entries where key != "$ref" { merged[key] = value }
        return simplify(.object(merged), at: reference, followed: followed + [reference], warnings: &warnings)
    }

    /// `allOf` flattened into one schema: properties and `required` joined, other keywords taken
    /// from the last member that has them. Exact when members only add properties (the usual
    /// `allOf: [Base, {properties…}]`); members of different types cannot be merged and the
    /// keyword is dropped.
    private func mergedAllOf(_ allOf: JSONValue, at location: String, followed: [String], warnings: inout StarterWarnings) -> JSONObject? {
        guard let members = allOf.arrayValue else {
            warnings.add("\(location): dropped \"allOf\": it is not a list of schemas")
            return nil
        }
        let simplified = members.enumerated().map { index, member in
            simplify(member, at: JSONPointer.appending(location, String(index)), followed: followed, warnings: &warnings)
        }
        let types = Set(simplified.compactMap { SchemaShape.types(of: $0).map { Set($0) } })
        guard types.count <= 1 else {
            warnings.add("\(location): dropped \"allOf\": its schemas have different types, so they cannot be merged into one the manifest can check")
            return nil
        }
        return simplified.reduce(JSONObject()) { merged, member in
            Self.merge(merged, under: member, at: location, warnings: &warnings)
        }
    }

    /// `over` laid on `base`: `properties` and `required` joined, any other keyword of `over` wins.
    /// A property both describe keeps `over`'s description, with a warning.
    static func merge(_ base: JSONObject, under over: JSONObject, at location: String, warnings: inout StarterWarnings) -> JSONObject {
        var result = base
        for (key, value) in over.entries {
            switch (key, result[key], value) {
            case ("properties", .object(var properties)?, .object(let more)):
                for (name, schema) in more.entries {
                    if let existing = properties[name], existing != schema {
                        warnings.add("\(location): property \"\(name)\" is described twice in \"allOf\"; kept the later description")
                    }
                    properties[name] = schema
                }
                result["properties"] = .object(properties)
            case ("required", .array(let names)?, .array(let more)):
                result["required"] = .array(names + more.filter { !names.contains($0) })
            default:
                result[key] = value
            }
        }
        return result
    }

    /// What one schema's own keywords (all but `$ref`, `allOf`, `anyOf`, `oneOf`) become.
    private struct OwnKeywords {
        var schema = JSONObject()
        var nullable = false
        var example: JSONValue?
    }

    private func keywords(of object: JSONObject, at location: String, followed: [String], warnings: inout StarterWarnings) -> OwnKeywords {
        var own = OwnKeywords()
        for (key, value) in object.entries {
            let here = JSONPointer.appending(location, key)
            switch key {
            case "allOf", "anyOf", "oneOf":
                continue
            case "type":
                if value.stringValue != nil || value.arrayValue?.allSatisfy({ $0.stringValue != nil }) == true {
                    own.schema[key] = value
                } else {
                    warnings.add("\(here): dropped \"type\": it is neither a type name nor a list of them")
                }
            case "properties":
                guard let properties = value.objectValue else {
                    warnings.add("\(here): dropped \"properties\": it is not an object")
                    continue
                }
                var simplified = JSONObject()
                for (name, schema) in properties.entries {
                    simplified[name] = .object(simplify(schema, at: JSONPointer.appending(here, name), followed: followed, warnings: &warnings))
                }
                own.schema[key] = .object(simplified)
            case "items":
                if value.arrayValue != nil {
                    // Draft 4's tuple form; 2020-12 calls it `prefixItems`, which the check lacks.
                    warnings.add("\(here): dropped \"items\": a list of schemas (a tuple) is not supported by the manifest's argument check")
                } else {
                    own.schema[key] = .object(simplify(value, at: here, followed: followed, warnings: &warnings))
                }
            case "additionalProperties":
                if value.boolValue != nil {
                    own.schema[key] = value
                } else {
                    own.schema[key] = .object(simplify(value, at: here, followed: followed, warnings: &warnings))
                }
            case "required":
                if value.arrayValue?.allSatisfy({ $0.stringValue != nil }) == true {
                    own.schema[key] = value
                } else {
                    // OpenAPI 3.0 lets a property say `required: true`; that belongs in the parent.
                    warnings.add("\(here): dropped \"required\": it must be a list of property names")
                }
            case "exclusiveMinimum", "exclusiveMaximum":
                if case .number = value {
                    own.schema[key] = value
                } else if value.boolValue == true {
                    // OpenAPI 3.0 §4.7.24 (JSON Schema Wright-00): a boolean that makes
                    // `minimum`/`maximum` exclusive; 2020-12 puts the bound in the keyword.
                    if let bound = object[Self.bound(madeExclusiveBy: key)], case .number = bound { own.schema[key] = bound }
                }
            case "minimum", "maximum":
                // Taken into `exclusiveMinimum`/`exclusiveMaximum` above when that is `true`.
                if object[Self.exclusiveKeyword(of: key)]?.boolValue != true {
                    keepNumber(value, as: key, in: &own.schema, at: here, warnings: &warnings)
                }
            case "minLength", "maxLength", "minItems", "maxItems":
                keepNumber(value, as: key, in: &own.schema, at: here, warnings: &warnings)
            case "uniqueItems", "deprecated", "readOnly", "writeOnly":
                if value.boolValue != nil { own.schema[key] = value } else { warnings.add("\(here): dropped \"\(key)\": it is not a boolean") }
            case "pattern", "title", "description", "format", "$comment":
                if value.stringValue != nil { own.schema[key] = value } else { warnings.add("\(here): dropped \"\(key)\": it is not a string") }
            case "enum":
                if value.arrayValue != nil { own.schema[key] = value } else { warnings.add("\(here): dropped \"enum\": it is not a list") }
            case "const", "default":
                own.schema[key] = value
            case "examples":
                if value.arrayValue != nil { own.schema[key] = value } else { warnings.add("\(here): dropped \"examples\": it is not a list") }
            case "example":
                // OpenAPI 3.0 §4.7.24 `example`, deprecated in 3.1 for JSON Schema's `examples`.
                own.example = value
            case "nullable":
                own.nullable = value.boolValue == true
            default:
                warnings.add("\(here): dropped \"\(key)\": the manifest's argument check does not support it")
            }
        }
        return own
    }

    private static func exclusiveKeyword(of bound: String) -> String {
        bound == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum"
    }

    private static func bound(madeExclusiveBy keyword: String) -> String {
        keyword == "exclusiveMinimum" ? "minimum" : "maximum"
    }

    private func keepNumber(_ value: JSONValue, as key: String, in schema: inout JSONObject, at location: String,
                            warnings: inout StarterWarnings) {
        if case .number = value {
            schema[key] = value
        } else {
            warnings.add("\(location): dropped \"\(key)\": it is not a number")
        }
    }

    /// `{"type": "null"}`, the other half of 3.1's nullable `anyOf`.
    private static func isNullSchema(_ schema: JSONValue) -> Bool {
        guard let object = schema.objectValue else { return false }
        return object["type"] == .string("null") || object["type"] == .array([.string("null")])
    }

    /// Keywords in `keywordOrder`; the simplifier keeps no others.
    static func ordered(_ schema: JSONObject) -> JSONObject {
        var result = JSONObject()
        for key in keywordOrder {
            if let value = schema[key] { result[key] = value }
        }
        return result
    }
}
