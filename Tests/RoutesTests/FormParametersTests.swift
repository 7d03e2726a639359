import HTTPMessages
import Routes
import Testing

@Suite struct FormParametersTests {
    @Test func decodesPercentAndPlus() throws {
        let form = try FormParameters(urlEncoded: "redirect_uri=https%3A%2F%2Fchatgpt.com%2Fcb&scope=read+write&empty=&flag")
        #expect(form["redirect_uri"] == "https://chatgpt.com/cb")
        #expect(form["scope"] == "read write")
        #expect(form["empty"] == "")
        #expect(form["flag"] == "")
        #expect(form["missing"] == nil)
    }

    @Test func decodesUTF8() throws {
        #expect(try FormParameters(urlEncoded: "name=Caf%C3%A9")["name"] == "Café")
    }

    @Test(arguments: ["a=%", "a=%4", "a=%zz", "a=%C3"])
    func rejectsMalformedEncoding(_ text: String) {
        #expect(throws: HTTPError.self) { try FormParameters(urlEncoded: text) }
    }

    @Test func reportsRepeatedNames() throws {
        let form = try FormParameters(urlEncoded: "state=a&code=1&state=b&state=c")
        #expect(form.repeatedNames == ["state"])
        #expect(form["state"] == "a")
    }

    @Test func encodingRoundTrips() throws {
        let pairs = [("redirect_uri", "https://x.test/cb?a=b&c"), ("state", "ü ~/+")]
        let form = try FormParameters(urlEncoded: FormParameters.encode(pairs))
        #expect(form == FormParameters(pairs))
        #expect(FormParameters.percentEncode("a b/~") == "a%20b%2F~")
    }
}
