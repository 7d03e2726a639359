import AppManifest
import MCP
import Testing

@Suite struct PathTemplateTests {
    @Test(arguments: [
        ("/notes/{id}", ["id": "42"] as [String: Value], "/notes/42"),
        ("/notes/{id}", ["id": "../admin"], "/notes/%2E%2E%2Fadmin"),
        ("/notes/{id}", ["id": "a/b"], "/notes/a%2Fb"),
        ("/notes/{id}", ["id": ".."], "/notes/%2E%2E"),
        ("/notes/{id}", ["id": "a b?c#d"], "/notes/a%20b%3Fc%23d"),
        ("/users/{user}/notes/{n}.json", ["user": "é", "n": 7], "/users/%C3%A9/notes/7.json"),
        ("/x/{d}", ["d": 2.5], "/x/2%2E5"),
        ("/x/{d}", ["d": .double(3)], "/x/3"),
        ("/plain", [:], "/plain"),
    ])
    func renders(source: String, arguments: [String: Value], expected: String) throws {
        #expect(try PathTemplate(parsing: source).render(arguments) == expected)
    }

    @Test func argumentNames() throws {
        #expect(try PathTemplate(parsing: "/a/{x}/b/{y}").argumentNames == ["x", "y"])
    }

    @Test(arguments: [
        (["id": ""] as [String: Value], ArgumentViolation(field: "id", problem: "must not be empty")),
        ([:], ArgumentViolation(field: "id", problem: "is required")),
        (["id": true], ArgumentViolation(field: "id", problem: "must be a string, integer or number")),
    ])
    func refuses(arguments: [String: Value], violation: ArgumentViolation) throws {
        let template = try PathTemplate(parsing: "/notes/{id}")
        #expect(throws: violation) { try template.render(arguments) }
    }

    @Test(arguments: [
        ("https://x/y", "must be a path starting with \"/\": absolute URLs are not allowed"),
        ("//host/x", "must be a path starting with \"/\": \"//\" at the start would name a host"),
        ("notes", "must be a path starting with \"/\""),
        ("", "must be a path starting with \"/\""),
        ("/notes?x=1", "must be a path starting with \"/\": \"?\" and \"#\" are not allowed (call.query sends query parameters)"),
        ("/notes#x", "must be a path starting with \"/\": \"?\" and \"#\" are not allowed (call.query sends query parameters)"),
        ("/a/../b", "must be a path starting with \"/\": \".\" and \"..\" segments are not allowed"),
        ("/a/./b", "must be a path starting with \"/\": \".\" and \"..\" segments are not allowed"),
        ("/a/%2E%2e", "must be a path starting with \"/\": \".\" and \"..\" segments are not allowed"),
        ("/notes/{id", "must be a path starting with \"/\": unbalanced \"{\" or \"}\""),
        ("/notes/id}", "must be a path starting with \"/\": unbalanced \"{\" or \"}\""),
        ("/notes/{}", "must be a path starting with \"/\": \"{}\" names no argument"),
        ("/a b", "must be a path starting with \"/\": spaces, control and non-ASCII characters must be percent-encoded"),
        ("/a%zz", "must be a path starting with \"/\": \"%\" must start a percent-encoded byte"),
    ])
    func refusedAtLoad(source: String, message: String) {
        #expect(throws: TemplateSyntaxError(message)) { try PathTemplate(parsing: source) }
    }
}

@Suite struct BodyTemplateTests {
    private static let template = BodyTemplate([
        "note": ["title": "{{title}}", "pinned": "{{pinned}}", "tags": ["{{tag}}", "fixed", "{{other}}"]],
        "source": "chatgpt",
        "literal": "{{/pointer}}",
        "mixed": "say {{title}}",
    ])

    @Test func argumentsKeepTheirTypes() {
        let body = Self.template.render(["title": "Hi", "pinned": true, "tag": 3])
        #expect(body == [
            "note": ["title": "Hi", "pinned": true, "tags": [3, "fixed"]],
            "source": "chatgpt",
            "literal": "{{/pointer}}",
            "mixed": "say {{title}}",
        ])
    }

    @Test func absentArgumentsAreLeftOut() {
        #expect(Self.template.render([:]) == [
            "note": ["tags": ["fixed"]], "source": "chatgpt", "literal": "{{/pointer}}", "mixed": "say {{title}}",
        ])
    }

    @Test func argumentNames() {
        #expect(Self.template.argumentNames == ["pinned", "tag", "other", "title"])
    }

    @Test func wholeBodyArgument() {
        #expect(BodyTemplate("{{items}}").render(["items": [1, 2]]) == [1, 2])
        #expect(BodyTemplate("{{items}}").render([:]) == .null)
    }
}

@Suite struct TextTemplateTests {
    private static let answer: Value = ["items": [1, 2, 3], "note": ["title": "Groceries", "tags": ["a"]], "n": 2.5, "m": ["k": 1]]

    @Test(arguments: [
        ("{{/items|count}} notes for {{q}}", "3 notes for milk"),
        ("{{/note/title}}", "Groceries"),
        ("{{/note/tags}} {{/n}} {{limit}}", "[\"a\"] 2.5 10"),
        ("{{/m|count}}|{{/n|count}}|{{/missing}}|{{absent}}", "1|||"),
        ("no placeholders { } }}", "no placeholders { } }}"),
        ("", ""),
    ])
    func renders(source: String, expected: String) throws {
        let template = try TextTemplate(parsing: source)
        #expect(template.render(arguments: ["q": "milk", "limit": 10], answer: Self.answer) == expected)
    }

    @Test func withoutAnAnswerPointersAreEmpty() throws {
        #expect(try TextTemplate(parsing: "[{{/x}}] {{id}}").render(arguments: ["id": "7"], answer: nil) == "[] 7")
    }

    @Test func valuesAreCutAt200Characters() throws {
        let long = String(repeating: "é", count: 250)
        let text = try TextTemplate(parsing: "{{v}}").render(arguments: ["v": .string(long)], answer: nil)
        #expect(text == String(repeating: "é", count: 200) + "…")
        let exact = String(repeating: "x", count: 200)
        #expect(try TextTemplate(parsing: "{{v}}").render(arguments: ["v": .string(exact)], answer: nil) == exact)
    }

    @Test func namesAndPointers() throws {
        let template = try TextTemplate(parsing: "{{a}} {{/p/0}} {{b}} {{/q|count}}")
        #expect(template.argumentNames == ["a", "b"])
        #expect(template.pointers.map(\.text) == ["/p/0", "/q"])
    }

    @Test(arguments: [
        ("open {{id", "\"{{\" has no closing \"}}\""),
        ("{{}}", "\"{{}}\" names nothing"),
        ("{{/a~2}}", "\"/a~2\" is not a JSON Pointer: \"~\" must be followed by 0 or 1"),
    ])
    func refusedAtLoad(source: String, message: String) {
        #expect(throws: TemplateSyntaxError(message)) { try TextTemplate(parsing: source) }
    }
}
