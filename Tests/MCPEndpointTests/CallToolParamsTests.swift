import Foundation
import MCP
@testable import MCPEndpoint
import Testing

/// The shortcut must give exactly the parameters the SDK's decoding gives, and step aside
/// wherever it could differ.
@Suite struct CallToolParamsTests {
    static func viaShortcut(_ json: String) throws -> CallTool.Parameters? {
        CallToolParams.fromParsed(try parsedParams(json))
    }

    static func viaDecoder(_ json: String) throws -> CallTool.Parameters {
        try MethodParams.decode(CallTool.Parameters.self, from: MessageParams(body: Data(json.utf8), parsed: try parsedParams(json)))
    }

    private static func parsedParams(_ json: String) throws -> [String: Any]? {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return object["params"] as? [String: Any]
    }

    @Test(arguments: [
        #"{"params":{"name":"get-items"}}"#,
        #"{"params":{"name":"get-items","arguments":null}}"#,
        #"{"params":{"name":"get-items","arguments":{}}}"#,
        #"{"params":{"name":"item-action","arguments":{"item_id":"item-1","action":"complete"}}}"#,
        #"{"params":{"arguments":{"n":-42,"zero":0,"max":9223372036854775807,"t":true,"f":false,"none":null},"name":"x"}}"#,
        #"{"params":{"name":"é ✓ \"q\"","arguments":{"list":[1,"two",[true,null],{"k":"v"}],"nested":{"a":{"b":[]}},"":"empty key"}}}"#,
        #"{"params":{"name":"x","arguments":{"text":"not a data: url","slash":"a\/b","escaped":"\u00e9\n"}}}"#,
    ])
    func plainParamsMatchTheSDKsDecoding(_ json: String) throws {
        let shortcut = try #require(try Self.viaShortcut(json))
        #expect(shortcut == (try Self.viaDecoder(json)))
    }

    @Test(arguments: [
        #"{"params":{"name":"x","arguments":{"ratio":1.5}}}"#,
        #"{"params":{"name":"x","arguments":{"whole":1.0}}}"#,
        #"{"params":{"name":"x","arguments":{"exp":1e2}}}"#,
        #"{"params":{"name":"x","arguments":{"big":9223372036854775808}}}"#,
        #"{"params":{"name":"x","arguments":{"file":"data:text/plain;base64,aGk="}}}"#,
        #"{"params":{"name":"x","_meta":{"progressToken":1}}}"#,
        #"{"params":{"name":7}}"#,
        #"{"params":{"arguments":{}}}"#,
        #"{"params":{"name":"x","arguments":[1]}}"#,
        #"{"params":{"name":"x","extra":1}}"#,
    ])
    func everythingElseIsLeftToTheSDK(_ json: String) throws {
        #expect(try Self.viaShortcut(json) == nil)
    }
}
