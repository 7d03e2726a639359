import Foundation
@testable import ManifestStarter
import Testing

/// Schemas cut down to the keywords the manifest's argument check knows, with a warning for
/// each thing dropped.
@Suite struct SchemaSimplifierTests {
    @Test func keywordsTheCheckKnowsAreKeptInTheirOrder() throws {
        let (schema, warnings) = try CompactJSON.simplified("""
            {"description": "A tag", "maxLength": 32, "minLength": 1, "type": "string", "pattern": "^[a-z]+$",
             "format": "slug", "deprecated": false, "enum": ["a", "b"], "default": "a"}
            """)
        #expect(schema == ##"{"type":"string","format":"slug","description":"A tag","enum":["a","b"],"minLength":1,"maxLength":32,"pattern":"^[a-z]+$","default":"a","deprecated":false}"##)
        #expect(warnings == [])
    }

    @Test func unsupportedKeywordsAreDroppedWithTheirLocation() throws {
        let (schema, warnings) = try CompactJSON.simplified("""
            {"type": "object", "properties": {"n": {"type": "number", "multipleOf": 5}}, "discriminator": {"propertyName": "kind"},
             "xml": {"name": "thing"}, "x-internal": true, "oneOf": [{"type": "object"}, {"type": "string"}]}
            """)
        #expect(schema == ##"{"type":"object","properties":{"n":{"type":"number"}}}"##)
        #expect(warnings == [
            "#/schema/oneOf: dropped \"oneOf\": the manifest's argument check does not support it, so the alternatives are not checked",
            "#/schema/discriminator: dropped \"discriminator\": the manifest's argument check does not support it",
            "#/schema/properties/n/multipleOf: dropped \"multipleOf\": the manifest's argument check does not support it",
            "#/schema/x-internal: dropped \"x-internal\": the manifest's argument check does not support it",
            "#/schema/xml: dropped \"xml\": the manifest's argument check does not support it",
        ])
    }

    @Test func referencesAreReplacedByWhatTheyPointAt() throws {
        let (schema, warnings) = try CompactJSON.simplified(
            ##"{"$ref": "#/components/schemas/Tag", "description": "The note's tag"}"##,
            components: ##"{"schemas": {"Tag": {"type": "string", "description": "A tag", "maxLength": 32}}}"##)
        #expect(schema == ##"{"type":"string","description":"The note's tag","maxLength":32}"##)
        #expect(warnings == [])
    }

    @Test func pointerTokensAreUnescaped() throws {
        let (schema, _) = try CompactJSON.simplified(##"{"$ref": "#/components/schemas/a~1b~0c%20d"}"##,
                                                     components: ##"{"schemas": {"a/b~c d": {"type": "integer"}}}"##)
        #expect(schema == ##"{"type":"integer"}"##)
    }

    @Test func aCycleBecomesAnEmptySchema() throws {
        let (schema, warnings) = try CompactJSON.simplified(##"{"$ref": "#/components/schemas/A"}"##, components: """
            {"schemas": {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                         "B": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}}}
            """)
        #expect(schema == ##"{"type":"object","properties":{"b":{"type":"array","items":{}}}}"##)
        #expect(warnings == ["#/components/schemas/B/items/$ref: $ref \"#/components/schemas/A\" leads back to a schema that contains it (a cycle); replaced by {}"])
    }

    @Test func aSelfReferenceIsACycleToo() throws {
        let (schema, warnings) = try CompactJSON.simplified(##"{"$ref": "#/components/schemas/Loop"}"##,
                                                            components: ##"{"schemas": {"Loop": {"$ref": "#/components/schemas/Loop"}}}"##)
        #expect(schema == "{}")
        #expect(warnings.count == 1)
    }

    @Test func aReferenceUsedTwiceWithoutACycleIsExpandedTwice() throws {
        let (schema, warnings) = try CompactJSON.simplified(
            ##"{"type": "object", "properties": {"from": {"$ref": "#/components/schemas/Day"}, "to": {"$ref": "#/components/schemas/Day"}}}"##,
            components: ##"{"schemas": {"Day": {"type": "string", "format": "date"}}}"##)
        #expect(schema == ##"{"type":"object","properties":{"from":{"type":"string","format":"date"},"to":{"type":"string","format":"date"}}}"##)
        #expect(warnings == [])
    }

    @Test func moreThanThirtyTwoNestedReferencesStop() throws {
        let chain = (0..<40).map { ##""S\##($0)": {"type": "array", "items": {"$ref": "#/components/schemas/S\##($0 + 1)"}}"## }
        let (schema, warnings) = try CompactJSON.simplified(##"{"$ref": "#/components/schemas/S0"}"##,
                                                            components: ##"{"schemas": {\##(chain.joined(separator: ", ")), "S40": {"type": "string"}}}"##)
        #expect(schema.components(separatedBy: "\"array\"").count - 1 == 32)
        #expect(schema.contains(#""items":{}"#))
        #expect(warnings == ["#/components/schemas/S31/items/$ref: more than 32 nested $refs; replaced by {}"])
    }

    @Test func externalAndMissingReferencesBecomeEmptySchemas() throws {
        let (schema, warnings) = try CompactJSON.simplified(
            ##"{"type": "object", "properties": {"a": {"$ref": "common.json#/Tag"}, "b": {"$ref": "#/components/schemas/Nope"}}}"##)
        #expect(schema == ##"{"type":"object","properties":{"a":{},"b":{}}}"##)
        #expect(warnings == [
            "#/schema/properties/a/$ref: external $ref \"common.json#/Tag\" is not followed (only references inside the document are); replaced by {}",
            "#/schema/properties/b/$ref: $ref \"#/components/schemas/Nope\" points at nothing in the document; replaced by {}",
        ])
    }

    @Test func nullableBecomesATypeList() throws {
        #expect(try CompactJSON.simplified(##"{"type": "string", "nullable": true}"##) == (##"{"type":["string","null"]}"##, []))
        #expect(try CompactJSON.simplified(##"{"type": ["integer", "null"], "nullable": true}"##).schema == ##"{"type":["integer","null"]}"##)
        #expect(try CompactJSON.simplified(##"{"type": "string", "nullable": false}"##).schema == ##"{"type":"string"}"##)
        // Untyped, null is allowed already.
        #expect(try CompactJSON.simplified(##"{"description": "anything", "nullable": true}"##) == (##"{"description":"anything"}"##, []))
    }

    @Test func nullableReferenceThroughAllOf() throws {
        // OpenAPI 3.0's way: `allOf: [$ref]` beside `nullable`, since keywords beside `$ref` are ignored there.
        let (schema, warnings) = try CompactJSON.simplified(##"{"allOf": [{"$ref": "#/components/schemas/Day"}], "nullable": true, "description": "Due"}"##,
                                                            components: ##"{"schemas": {"Day": {"type": "string", "format": "date"}}}"##)
        #expect(schema == ##"{"type":["string","null"],"format":"date","description":"Due"}"##)
        #expect(warnings == [])
    }

    @Test func nullableThroughAnyOfWithNull() throws {
        // OpenAPI 3.1's way.
        let (schema, warnings) = try CompactJSON.simplified(##"{"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/Day"}]}"##,
                                                            components: ##"{"schemas": {"Day": {"type": "string", "format": "date"}}}"##)
        #expect(schema == ##"{"type":["string","null"],"format":"date"}"##)
        #expect(warnings == [])
    }

    @Test func allOfOfObjectsMergesPropertiesAndRequired() throws {
        let (schema, warnings) = try CompactJSON.simplified("""
            {"allOf": [{"$ref": "#/components/schemas/Base"},
                       {"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}}],
             "description": "A note"}
            """, components: """
            {"schemas": {"Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}},
                                  "additionalProperties": false}}}
            """)
        #expect(schema == ##"{"type":"object","description":"A note","properties":{"id":{"type":"string"},"title":{"type":"string"}},"required":["id","title"],"additionalProperties":false}"##)
        #expect(warnings == [])
    }

    @Test func allOfOfDifferentTypesIsDropped() throws {
        let (schema, warnings) = try CompactJSON.simplified(##"{"allOf": [{"type": "string"}, {"type": "integer"}], "description": "odd"}"##)
        #expect(schema == ##"{"description":"odd"}"##)
        #expect(warnings == ["#/schema/allOf: dropped \"allOf\": its schemas have different types, so they cannot be merged into one the manifest can check"])
    }

    @Test func allOfDescribingAPropertyTwiceKeepsTheLaterWithAWarning() throws {
        let (schema, warnings) = try CompactJSON.simplified(
            ##"{"allOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"a": {"type": "integer"}}}]}"##)
        #expect(schema == ##"{"properties":{"a":{"type":"integer"}}}"##)
        #expect(warnings == ["#/schema/allOf: property \"a\" is described twice in \"allOf\"; kept the later description"])
    }

    @Test func exampleBecomesExamples() throws {
        #expect(try CompactJSON.simplified(##"{"type": "integer", "example": 7}"##).schema == ##"{"type":"integer","examples":[7]}"##)
        #expect(try CompactJSON.simplified(##"{"type": "integer", "example": 7, "examples": [8]}"##).schema == ##"{"type":"integer","examples":[8]}"##)
    }

    @Test func booleanExclusiveBoundsOfOpenAPI30() throws {
        #expect(try CompactJSON.simplified(##"{"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1, "exclusiveMaximum": false}"##).schema
                == ##"{"type":"number","exclusiveMinimum":0,"maximum":1}"##)
        #expect(try CompactJSON.simplified(##"{"type": "number", "exclusiveMaximum": 10}"##).schema == ##"{"type":"number","exclusiveMaximum":10}"##)
    }

    @Test func tupleItemsAreDropped() throws {
        let (schema, warnings) = try CompactJSON.simplified(##"{"type": "array", "items": [{"type": "string"}]}"##)
        #expect(schema == ##"{"type":"array"}"##)
        #expect(warnings == ["#/schema/items: dropped \"items\": a list of schemas (a tuple) is not supported by the manifest's argument check"])
    }

    @Test func booleanSchemas() throws {
        #expect(try CompactJSON.simplified(##"{"type": "object", "additionalProperties": true, "properties": {"any": true}}"##).schema
                == ##"{"type":"object","properties":{"any":{}},"additionalProperties":true}"##)
    }
}
