import Foundation
import ServerLog
import Testing

@Suite struct ServerLogTests {
    @Test func timestampsAreISO8601UTCWithMilliseconds() {
        #expect(ServerLog.timestamp(Date(timeIntervalSince1970: 1_795_769_465.123)) == "2026-11-27T08:51:05.123Z")
        #expect(ServerLog.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(ServerLog.timestamp(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }
}
