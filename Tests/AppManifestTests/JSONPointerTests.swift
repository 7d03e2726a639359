import AppManifest
import MCP
import Testing

@Suite struct JSONPointerTests {
    /// RFC 6901 §5.
    private static let document = try! JSONText.parse(Array("""
        {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\\\j": 5, "k\\"l": 6, " ": 7, "m~n": 8}
        """.utf8))

    @Test(arguments: [
        ("", nil as Value?),
        ("/foo", .array(["bar", "baz"])),
        ("/foo/0", .string("bar")),
        ("/", .int(0)),
        ("/a~1b", .int(1)),
        ("/c%d", .int(2)),
        ("/e^f", .int(3)),
        ("/g|h", .int(4)),
        ("/i\\j", .int(5)),
        ("/k\"l", .int(6)),
        ("/ ", .int(7)),
        ("/m~0n", .int(8)),
    ])
    func rfc6901Examples(pointer: String, expected: Value?) throws {
        let parsed = try #require(JSONPointer(pointer))
        #expect(parsed.resolve(in: Self.document) == (expected ?? Self.document))
    }

    @Test(arguments: ["/foo/2", "/foo/01", "/foo/-", "/foo/bar", "/nothing", "/foo/0/x"])
    func resolvesNothing(pointer: String) throws {
        #expect(try #require(JSONPointer(pointer)).resolve(in: Self.document) == nil)
    }

    @Test(arguments: ["foo", "/a~2", "/a~"])
    func invalidSyntax(pointer: String) {
        #expect(JSONPointer(pointer) == nil)
    }
}
