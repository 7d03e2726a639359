/// The seam callers depend on, so they can be tested with a fake instead of the network.
/// `send` blocks the calling thread until the transfer ends.
public protocol HTTPFetching: Sendable {
    func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse
}
