import Foundation

/// The fixed window of time a call is counted in: windows of `length` seconds aligned to the
/// Unix epoch, so every process and host puts a call made at the same instant in the same
/// window, with no state shared but the count.
///
/// A fixed window lets a caller spend one budget at the end of a window and the next at the
/// start of the following one, so at most twice the budget passes in any one span of `length`;
/// for budgets set far above normal use that is the simple bound worth its single counter.
public struct CallWindow: Sendable, Equatable {
    public let start: Date
    public let length: TimeInterval

    public init(containing instant: Date, length: TimeInterval = 60) {
        precondition(length > 0, "a window has a length")
        let seconds = instant.timeIntervalSince1970
        self.start = Date(timeIntervalSince1970: (seconds / length).rounded(.down) * length)
        self.length = length
    }

    public var end: Date { start.addingTimeInterval(length) }

    /// Whole seconds from `now` until the window ends and a new budget starts, rounded up and at
    /// least 1, as `Retry-After` carries them (RFC 9110 §10.2.3: a non-negative whole number of
    /// seconds; 0 would invite an immediate retry that is refused again).
    public func secondsUntilEnd(from now: Date) -> Int {
        max(1, Int(end.timeIntervalSince(now).rounded(.up)))
    }
}
