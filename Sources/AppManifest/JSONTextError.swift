/// Why bytes are not JSON (RFC 8259), and where: the offset of the first byte that cannot be read.
public struct JSONTextError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reason) at byte \(offset)" }
}
