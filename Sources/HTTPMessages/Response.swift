import Foundation
import WebRules

/// One HTTP response as a plain value.
public struct Response: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body with `Content-Type: application/json`.
    public static func json(_ value: some Encodable, status: Int = 200, headers: HTTPHeaders = HTTPHeaders()) -> Response {
        var headers = headers
        headers.set("Content-Type", "application/json")
        return Response(status: status, headers: headers, body: JSONOutput.encode(value))
    }

    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: HTTPHeaders([("Content-Type", contentType)]), body: Array(text.utf8))
    }

    /// 202, 204 and the like: nothing in the body.
    public static func empty(status: Int) -> Response {
        Response(status: status)
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
