import AppManifest
import MCP
import Testing

@Suite struct ArgumentSchemaTests {
    /// A search tool's schema exercising every supported keyword.
    private static let schema: Value = [
        "type": "object",
        "properties": [
            "q": ["type": "string", "minLength": 2, "maxLength": 5, "description": "words"],
            "limit": ["type": "integer", "minimum": 1, "maximum": 50],
            "ratio": ["type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5],
            "sort": ["enum": ["new", "old"]],
            "kind": ["const": "note"],
            "code": ["type": "string", "pattern": "^[A-Z]{3}$"],
            "maybe": ["type": ["string", "null"]],
            "filter": [
                "type": "object",
                "properties": [
                    "tags": ["type": "array", "items": ["type": "string", "minLength": 1], "minItems": 1, "maxItems": 3, "uniqueItems": true],
                    "owner": ["type": "string"],
                ],
                "required": ["owner"],
                "additionalProperties": false,
            ],
            "extra": ["type": "object", "additionalProperties": ["type": "integer"]],
        ],
        "required": ["q"],
        "additionalProperties": false,
    ]

    private static let compiled = try! ArgumentSchema(compiling: schema)

    /// A named table row: arguments and, for a rejection, the violation.
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String: Value]
        var violation: ArgumentViolation?
        var testDescription: String { name }
    }

    private static let acceptedRows: [Row] = [
        Row(name: "only the required argument", arguments: ["q": "ab"]),
        Row(name: "every argument", arguments: ["q": "abcde", "limit": 50, "ratio": 1.25, "sort": "old", "kind": "note", "code": "ABC",
                                                "maybe": .null, "filter": ["tags": ["a", "b"], "owner": "me"] as Value, "extra": ["n": 1] as Value]),
        Row(name: "an integral double is an integer", arguments: ["q": "ab", "limit": .double(3)]),
        Row(name: "an integer is a number", arguments: ["q": "ab", "ratio": .int(1)]),
        Row(name: "length counts code points", arguments: ["q": "😀😀"]),
    ]

    @Test(arguments: acceptedRows)
    func accepted(row: Row) throws {
        try Self.compiled.check(row.arguments)
    }

    private static let rejectedRows: [Row] = [
        Row(name: "missing required", arguments: [:], violation: ArgumentViolation(field: "q", problem: "is required")),
        Row(name: "unknown parameter", arguments: ["q": "ab", "zzz": 1, "other": 2], violation: ArgumentViolation(field: "other", problem: "is not a parameter of this tool")),
        Row(name: "wrong type", arguments: ["q": 12], violation: ArgumentViolation(field: "q", problem: "must be a string")),
        Row(name: "too short", arguments: ["q": "a"], violation: ArgumentViolation(field: "q", problem: "must be at least 2 characters")),
        Row(name: "too long", arguments: ["q": "abcdef"], violation: ArgumentViolation(field: "q", problem: "must be at most 5 characters")),
        Row(name: "not an integer", arguments: ["q": "ab", "limit": 1.5], violation: ArgumentViolation(field: "limit", problem: "must be an integer")),
        Row(name: "a string is not an integer", arguments: ["q": "ab", "limit": "3"], violation: ArgumentViolation(field: "limit", problem: "must be an integer")),
        Row(name: "below minimum", arguments: ["q": "ab", "limit": 0], violation: ArgumentViolation(field: "limit", problem: "must be at least 1")),
        Row(name: "above maximum", arguments: ["q": "ab", "limit": 51], violation: ArgumentViolation(field: "limit", problem: "must be at most 50")),
        Row(name: "exclusive minimum", arguments: ["q": "ab", "ratio": 0], violation: ArgumentViolation(field: "ratio", problem: "must be greater than 0")),
        Row(name: "exclusive maximum", arguments: ["q": "ab", "ratio": 1.5], violation: ArgumentViolation(field: "ratio", problem: "must be less than 1.5")),
        Row(name: "not in enum", arguments: ["q": "ab", "sort": "top"], violation: ArgumentViolation(field: "sort", problem: "must be one of \"new\", \"old\"")),
        Row(name: "not the const", arguments: ["q": "ab", "kind": "task"], violation: ArgumentViolation(field: "kind", problem: "must be \"note\"")),
        Row(name: "pattern", arguments: ["q": "ab", "code": "abc"], violation: ArgumentViolation(field: "code", problem: "must match the pattern ^[A-Z]{3}$")),
        Row(name: "type list", arguments: ["q": "ab", "maybe": 1], violation: ArgumentViolation(field: "maybe", problem: "must be a string or null")),
        Row(name: "nested required", arguments: ["q": "ab", "filter": [:] as Value], violation: ArgumentViolation(field: "filter.owner", problem: "is required")),
        Row(name: "nested unknown field", arguments: ["q": "ab", "filter": ["owner": "me", "x": 1] as Value], violation: ArgumentViolation(field: "filter.x", problem: "is not a known field")),
        Row(name: "too few items", arguments: ["q": "ab", "filter": ["owner": "me", "tags": []] as Value], violation: ArgumentViolation(field: "filter.tags", problem: "must have at least 1 items")),
        Row(name: "too many items", arguments: ["q": "ab", "filter": ["owner": "me", "tags": ["a", "b", "c", "d"]] as Value], violation: ArgumentViolation(field: "filter.tags", problem: "must have at most 3 items")),
        Row(name: "repeated item", arguments: ["q": "ab", "filter": ["owner": "me", "tags": ["a", "b", "a"]] as Value], violation: ArgumentViolation(field: "filter.tags[2]", problem: "must not repeat an earlier item")),
        Row(name: "bad item", arguments: ["q": "ab", "filter": ["owner": "me", "tags": ["a", ""]] as Value], violation: ArgumentViolation(field: "filter.tags[1]", problem: "must be at least 1 characters")),
        Row(name: "additional schema", arguments: ["q": "ab", "extra": ["n": "x"] as Value], violation: ArgumentViolation(field: "extra.n", problem: "must be an integer")),
        Row(name: "required before properties", arguments: ["limit": 0], violation: ArgumentViolation(field: "q", problem: "is required")),
        Row(name: "properties in sorted order", arguments: ["q": "ab", "limit": 0, "code": "x"], violation: ArgumentViolation(field: "code", problem: "must match the pattern ^[A-Z]{3}$")),
    ]

    @Test(arguments: rejectedRows)
    func rejected(row: Row) {
        #expect(throws: row.violation!) { try Self.compiled.check(row.arguments) }
    }

    @Test func violationMessageNamesTheField() {
        #expect(ArgumentViolation(field: "limit", problem: "must be at most 50").message == "Invalid argument \"limit\": must be at most 50")
    }

    @Test func compilingReportsEveryUnsupportedKeyword() {
        let schema: Value = [
            "type": "object",
            "properties": ["q": ["oneOf": [], "pattern": "(", "minLength": -1, "type": "text"]],
            "$ref": "#/x",
            "additionalProperties": 3,
        ]
        #expect(throws: ManifestProblems.self) { try ArgumentSchema(compiling: schema) }
        do {
            _ = try ArgumentSchema(compiling: schema)
        } catch {
            #expect(error.problems.map(\.description) == [
                "$ref: is not supported by the argument check",
                "additionalProperties: must be a boolean or an object",
                "properties.q.minLength: must be a non-negative integer",
                "properties.q.oneOf: is not supported by the argument check",
                "properties.q.pattern: is not a valid regular expression",
                "properties.q.type: \"text\" is not a JSON Schema type",
            ])
        }
    }

    @Test func namesOfProperties() {
        #expect(Self.compiled.propertyNames == ["code", "extra", "filter", "kind", "limit", "maybe", "q", "ratio", "sort"])
        #expect(Self.compiled.requiredNames == ["q"])
    }
}
