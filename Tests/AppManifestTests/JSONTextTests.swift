import AppManifest
import MCP
import Testing

@Suite struct JSONTextTests {
    private func parse(_ text: String) throws(JSONTextError) -> Value {
        try JSONText.parse(Array(text.utf8))
    }

    @Test(arguments: [
        ("null", Value.null),
        ("true", .bool(true)),
        (" false ", .bool(false)),
        ("0", .int(0)),
        ("-0", .int(0)),
        ("42", .int(42)),
        ("-9223372036854775808", .int(Int.min)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("1.5", .double(1.5)),
        ("1.0", .double(1)),
        ("2e3", .double(2000)),
        ("-1E-2", .double(-0.01)),
        ("\"12\"", .string("12")),
        ("\"true\"", .string("true")),
        ("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", .string("a\"b\\c/d\u{8}\u{C}\n\r\t")),
        ("\"\\u00e9\\u20AC\"", .string("é€")),
        ("\"\\ud83d\\ude00\"", .string("😀")),
        ("\"😀 é\"", .string("😀 é")),
        ("[]", .array([])),
        ("[1,[2,{}]]", .array([.int(1), .array([.int(2), .object([:])])])),
        ("{\"a\":{\"b\":[null]}}", .object(["a": .object(["b": .array([.null])])])),
        ("{\"a\":1,\"a\":2}", .object(["a": .int(2)])),
    ])
    func validText(text: String, expected: Value) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: [
        ("", "unexpected end of input at byte 0"),
        ("[1,]", "unexpected \"]\" at byte 3"),
        ("{\"a\":1,}", "expected a string key at byte 7"),
        ("{\"a\" 1}", "expected \":\" after a key at byte 5"),
        ("[1 2]", "expected \",\" or \"]\" at byte 3"),
        ("// x\n1", "unexpected \"/\" at byte 0"),
        ("01", "unexpected data after the JSON value at byte 1"),
        ("1.", "invalid number at byte 2"),
        ("-", "invalid number at byte 1"),
        ("1e400", "number out of range at byte 0"),
        ("tru", "unexpected \"t\" at byte 0"),
        ("nul!", "unexpected \"!\" at byte 3"),
        ("\"abc", "unterminated string at byte 4"),
        ("\"a\nb\"", "unescaped control character in a string at byte 2"),
        ("\"\\x\"", "invalid escape at byte 1"),
        ("\"\\u12G4\"", "invalid \\u escape at byte 1"),
        ("\"\\ud800\"", "unpaired surrogate in a \\u escape at byte 1"),
        ("\"\\udc00\"", "unpaired surrogate in a \\u escape at byte 1"),
        ("'a'", "unexpected \"'\" at byte 0"),
        ("{a:1}", "expected a string key at byte 1"),
        ("1 2", "unexpected data after the JSON value at byte 2"),
    ])
    func invalidText(text: String, expected: String) {
        #expect(throws: JSONTextError.self) { try parse(text) }
        do {
            _ = try parse(text)
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test(arguments: [
        ([0x22, 0xC3, 0x28, 0x22], 1),  // a lead byte without its continuation
        ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong "/"
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // an encoded surrogate
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
        ([0x22, 0xFF, 0x22], 1),
    ] as [([UInt8], Int)])
    func invalidUTF8(bytes: [UInt8], offset: Int) {
        do {
            _ = try JSONText.parse(bytes)
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error == JSONTextError(offset: offset, reason: "invalid UTF-8"))
        }
    }

    @Test func nestingIsLimited() throws {
        let deep = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try parse(deep)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONTextError(offset: 64, reason: "nesting deeper than 64 levels")) { try parse(tooDeep) }
    }

    @Test(arguments: [
        (Value.object(["b": .int(1), "a": .array([.bool(true), .null]), "é": .string("x"), "Z": .double(0.5)]),
         "{\"Z\":0.5,\"a\":[true,null],\"b\":1,\"é\":\"x\"}"),
        (.string("q\"b\\s/\n\r\t\u{8}\u{C}\u{1}\u{1F}é"), "\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001fé\""),
        (.double(3), "3"),
        (.double(-0.25), "-0.25"),
        (.double(1e300), "1e+300"),
        (.double(.nan), "null"),
        (.double(.infinity), "null"),
        (.int(-7), "-7"),
    ])
    func encoding(value: Value, expected: String) {
        #expect(String(decoding: JSONText.encode(value), as: UTF8.self) == expected)
    }

    @Test func roundTrip() throws {
        let text = "{\"list\":[1,-2.5,\"s\",{\"k\":false}],\"nothing\":null,\"text\":\"é\\\"😀\"}"
        let value = try parse(text)
        #expect(String(decoding: JSONText.encode(value), as: UTF8.self) == text)
        #expect(try JSONText.parse(JSONText.encode(value)) == value)
    }
}
