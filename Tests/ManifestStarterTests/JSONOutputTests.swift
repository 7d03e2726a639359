import Foundation
@testable import ManifestStarter
import Testing

/// The manifest text: RFC 8259 strings, booleans that stay booleans, integers without ".0".
@Suite struct JSONOutputTests {
    @Test func booleansStayBooleansAndNumbersKeepTheirKind() throws {
        let object = try FoundationJSONReading.object(from: Array(#"""
            {"t": true, "f": false, "one": 1, "zero": 0, "half": 0.5, "two": 2.0, "e": 1e3, "neg": -7, "big": 9007199254740993,
             "list": [true, 1, false, 0]}
            """#.utf8))
        #expect(object["t"] == .bool(true))
        #expect(object["f"] == .bool(false))
        #expect(object["one"] == .number("1"))
        #expect(object["zero"] == .number("0"))
        #expect(object["half"] == .number("0.5"))
        #expect(object["two"] == .number("2"))
        #expect(object["e"] == .number("1000"))
        #expect(object["neg"] == .number("-7"))
        #expect(object["big"] == .number("9007199254740993"))
        #expect(object["list"] == .array([.bool(true), .number("1"), .bool(false), .number("0")]))
    }

    /// The NSNumber of a JSON boolean reports "c"; of 1 and 0 something else, though `1 as? Bool`
    /// succeeds on Linux: the reason the reading asks `objCType`.
    @Test func objCTypeTellsBooleansFromNumbers() throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(#"[true, 1, 0, 1.5]"#.utf8)) as? [NSNumber] ?? []
        #expect(parsed.map { String(cString: $0.objCType) == "c" } == [true, false, false, false])
    }

    @Test func booleansAndNumbersThroughAWholeManifest() throws {
        let document = Fixture.document(paths: """
            {"/flags": {"get": {"parameters": [
                {"name": "on", "in": "query", "schema": {"type": "boolean", "default": true, "enum": [true, false]}},
                {"name": "level", "in": "query", "schema": {"type": "integer", "default": 1, "enum": [0, 1], "maximum": 5.0}},
                {"name": "ratio", "in": "query", "schema": {"type": "number", "default": 0.25}}
              ], "responses": {}}}}
            """)
        let text = try OpenAPIStarter.manifest(openAPI: document, includes: ["GET /flags"]).text
        #expect(text.contains("""
                    "on": {
                      "type": "boolean",
                      "enum": [
                        true,
                        false
                      ],
                      "default": true
                    },
                    "level": {
                      "type": "integer",
                      "enum": [
                        0,
                        1
                      ],
                      "maximum": 5,
                      "default": 1
                    },
                    "ratio": {
                      "type": "number",
                      "default": 0.25
                    }
          """))
    }

    @Test func stringsAreEscapedPerRFC8259() {
        #expect(JSONPrettyPrinter.quoted("say \"hi\" \\ / é 😀") == #""say \"hi\" \\ / é 😀""#)
        #expect(JSONPrettyPrinter.quoted("a\nb\tc\r\u{08}\u{0C}\u{01}\u{1F}") == #""a\nb\tc\r\b\f\u0001\u001f""#)
    }

    @Test func prettyPrintingIndentsTwoSpacesAndKeepsKeyOrder() {
        var inner = JSONObject()
        inner["z"] = .number("1")
        inner["a"] = .array([])
        inner["m"] = .object(JSONObject())
        let text = JSONPrettyPrinter.text(of: .object(JSONObject(["b": .array([.null, .string("x")]), "a": .object(inner)])))
        #expect(text == """
            {
              "b": [
                null,
                "x"
              ],
              "a": {
                "z": 1,
                "a": [],
                "m": {}
              }
            }

            """)
    }

    @Test func settingAKeyAgainKeepsItsPlace() {
        var object = JSONObject(["a": .number("1"), "b": .number("2")])
        object["a"] = .number("3")
        object["b"] = nil
        object["c"] = .null
        #expect(object.keys == ["a", "c"])
        #expect(object["a"] == .number("3"))
    }

    @Test func theManifestParsesBackAsJSON() throws {
        let result = try OpenAPIStarter.manifest(openAPI: Fixture.bytes("notes-openapi.json"), includes: ["GET /notes", "POST /notes"])
        #expect(result.text.hasSuffix("}\n"))
        let parsed = try Fixture.parsed(result)
        #expect(parsed["$schema"] as? String == "schema/app-manifest.schema.json")
        #expect(result.text.hasPrefix("{\n  \"$schema\": \"schema/app-manifest.schema.json\",\n  \"server\": {\n    \"name\": \"notes-api\","))
    }
}
