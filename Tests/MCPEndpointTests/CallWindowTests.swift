import Foundation
import MCPEndpoint
import Testing

/// The fixed windows the per-user budgets count in, and the `Retry-After` they give
/// (RFC 9110 §10.2.3: whole seconds, never 0 here).
@Suite struct CallWindowTests {
    /// 2026-01-01T00:00:00Z, the start of a minute.
    static let minute = Date(timeIntervalSince1970: 1_767_225_600)

    @Test(arguments: [
        (0.0, 0.0), (0.001, 0.0), (30.5, 0.0), (59.999, 0.0), (60.0, 60.0), (61.0, 60.0), (3599.0, 3540.0),
    ])
    func windowsStartOnTheMinute(offset: Double, expectedStart: Double) {
        let window = CallWindow(containing: Self.minute + offset)
        #expect(window.start == Self.minute + expectedStart)
        #expect(window.end == Self.minute + expectedStart + 60)
    }

    @Test func windowsBeforeTheEpochAreAlignedToo() {
        #expect(CallWindow(containing: Date(timeIntervalSince1970: -1)).start == Date(timeIntervalSince1970: -60))
    }

    /// Rounded up, so a retry after that many seconds lands in the next window; at least 1.
    @Test(arguments: [(0.0, 60), (0.5, 60), (1.0, 59), (29.5, 31), (59.0, 1), (59.2, 1), (59.999, 1)])
    func retryAfterIsTheWholeSecondsLeft(offset: Double, seconds: Int) {
        let now = Self.minute + offset
        #expect(CallWindow(containing: now).secondsUntilEnd(from: now) == seconds)
    }

    @Test func otherLengthsWork() {
        let window = CallWindow(containing: Self.minute + 7, length: 5)
        #expect(window.start == Self.minute + 5)
        #expect(window.secondsUntilEnd(from: Self.minute + 7) == 3)
    }
}
