import Configuration
import HTTPMessages
import Routes
import Testing

@Suite struct CGIExchangeTests {
    let application = TestServices.application

    @Test func oversizedBodyIsRefusedWithoutReadingIt() {
        var bytesAsked = 0
        let exchange = CGIExchange(variables: ["REQUEST_METHOD": "POST", "REQUEST_URI": "/health", "CONTENT_LENGTH": "5000"],
                                   maxBodyBytes: 1024, responder: application) { count in
            bytesAsked += count
            return nil
        }
        #expect(exchange.response.status == 413)
        #expect(bytesAsked == 0)
    }

    @Test func shortBodyIsABadRequest() {
        let exchange = CGIExchange(variables: ["REQUEST_METHOD": "POST", "REQUEST_URI": "/health", "CONTENT_LENGTH": "10"],
                                   maxBodyBytes: 1024, responder: application) { _ in nil }
        #expect(exchange.response.status == 400)
    }

    @Test func readsExactlyTheDeclaredLength() {
        var asked: [Int] = []
        let exchange = CGIExchange(variables: ["REQUEST_METHOD": "GET", "REQUEST_URI": "/health", "CONTENT_LENGTH": "7"],
                                   maxBodyBytes: 1024, responder: application) { count in
            asked.append(count)
            return [UInt8](repeating: 0, count: count)
        }
        #expect(asked == [7])
        #expect(exchange.response.status == 200)
        #expect(String(decoding: exchange.output, as: UTF8.self).contains("X-Request-Id: \(exchange.request.requestID)"))
    }
}
