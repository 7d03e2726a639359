import Foundation
import MCP
@testable import MCPEndpoint
import Testing
import WebRules

/// The hand-written `tools/call` answer must be exactly what JSONEncoder writes for the same
/// `Response<CallTool>`, and must step aside for what it does not cover.
@Suite struct CallToolReplyJSONTests {
    static let awkwardText = "quote \" backslash \\ slash / controls \u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f} del \u{7f} é ✓ 🙂 \u{2028}"

    static let results: [CallTool.Result] = [
        result(content: [.text(text: "You have 3 items: 2 open, 1 done.", annotations: nil, _meta: nil)],
                        structuredContent: ["items": [["id": "item-1", "title": "Connect", "status": "done", "createdAt": "2026-11-27T09:00:00Z"]]],
                        isError: false,
                        _meta: Metadata(additionalFields: ["listView": ["backend": "demo", "updatedAt": "2026-11-27T09:00:00Z"]])),
        result(content: [.text(text: awkwardText, annotations: nil, _meta: nil)], isError: true,
                        _meta: Metadata(additionalFields: ["mcp/www_authenticate": [.string("Bearer error=\"invalid_token\"")]])),
        result(content: [], structuredContent: .null),
        result(content: [.text(text: "a", annotations: nil, _meta: nil), .text(text: "", annotations: nil, _meta: nil)],
                        structuredContent: ["A": 1, "B": .bool(true), "Z": -7, "_m": .null, "a": [], "a10": [:], "a9": [1, "x", [:]],
                                            "é": .string(awkwardText), awkwardText: "key", "": ""]),
    ]

    /// The SDK's non-throwing initializer (its generic one would take a `Value` too, and throw).
    static func result(content: [Tool.Content], structuredContent: Value? = nil, isError: Bool? = nil,
                       _meta: Metadata? = nil) -> CallTool.Result {
        CallTool.Result(content: content, structuredContent: structuredContent, isError: isError, _meta: _meta)
    }

    @Test(arguments: results)
    func matchesJSONEncoder(_ result: CallTool.Result) throws {
        for id in [ID.number(1), .number(-42), .string("req \"7\"/é")] {
            let expected = JSONOutput.encode(Response<CallTool>(id: id, result: result))
            let written = try #require(CallToolReplyJSON.reply(id: id, result: result))
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        }
    }

    @Test(arguments: [
        Self.result(content: [.text(text: "x", annotations: nil, _meta: nil)], structuredContent: ["ratio": .double(0.5)]),
        Self.result(content: [.image(data: "AAAA", mimeType: "image/png", annotations: nil, _meta: nil)]),
        Self.result(content: [.text(text: "x", annotations: nil, _meta: Metadata(additionalFields: ["k": "v"]))]),
        Self.result(content: [], structuredContent: ["blob": .data(mimeType: "text/plain", Data("hi".utf8))]),
    ])
    func leavesOtherShapesToJSONEncoder(_ result: CallTool.Result) {
        #expect(CallToolReplyJSON.reply(id: .number(1), result: result) == nil)
    }
}
