@testable import HTTPClient
import Testing

@Suite struct ResponseHeaderCollectorTests {
    private func collect(_ lines: [String]) -> [String: String] {
        var collector = ResponseHeaderCollector()
        for line in lines { collector.consume(line: line) }
        return collector.headers
    }

    @Test func onlyTheFinalResponseBlockIsKept() {
        let headers = collect([
            "HTTP/1.1 100 Continue\r\n", "X-Interim: yes\r\n", "\r\n",
            "HTTP/1.1 200 OK\r\n", "Content-Type: text/plain\r\n", "Set-Cookie: a=1\r\n", "set-cookie: b=2\r\n", "\r\n",
            // Chunked trailers arrive after the block ended.
            "X-Trailer: late\r\n",
        ])
        #expect(headers == ["content-type": "text/plain", "set-cookie": "a=1, b=2"])
    }

    @Test func valuesAreTrimmedAndFoldedLinesJoined() {
        let headers = collect(["HTTP/2 200\r\n", "X-A:   spaced  \r\n", "X-B: first\r\n", "\t second\r\n", "X-Empty:\r\n", "\r\n"])
        #expect(headers == ["x-a": "spaced", "x-b": "first second", "x-empty": ""])
    }
}
