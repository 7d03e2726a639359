import Foundation
@testable import ServerLog
import Testing

@Suite struct ServerLogTests {
    @Test func timestampsAreISO8601UTCWithMilliseconds() {
        #expect(ServerLog.timestamp(Date(timeIntervalSince1970: 1_795_769_465.123)) == "2026-11-27T08:51:05.123Z")
        #expect(ServerLog.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(ServerLog.timestamp(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }

    @Test func secondsTimestampsMatchFoundations() {
        for seconds in [0.0, 951_782_400.999, 1_795_769_465.123, 4_102_444_799] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(UTCTimestamp.iso8601(date) == date.ISO8601Format())
        }
    }

    @Test(arguments: [(0.0, "0.000"), (1.5, "1.500"), (12.3456, "12.346"), (0.0004, "0.000"), (0.0005, "0.001"),
                      (999.9996, "1000.000"), (-2.25, "-2.250"), (-0.0001, "0.000"), (1234567.891, "1234567.891")])
    func durationsHaveThreeDecimals(_ number: Double, _ expected: String) {
        #expect(ServerLog.fixedThree(number) == expected)
        #expect(ServerLog.fixedThree(number) == String(format: "%.3f", number) || expected == "0.000")
    }

    @Test func nonFiniteDurationsStayValidJSON() throws {
        for number in [Double.nan, .infinity, -.infinity] {
            let line = ServerLog.serialize(["duration_ms": .double(number)])
            _ = try JSONSerialization.jsonObject(with: Data(line.utf8))
        }
    }

    @Test(arguments: ["plain /path", "quote \" and \\ backslash", "line\nbreak\r\ttab", "control \u{01}\u{1f}", "é ✓ 🙂", ""])
    func recordsAreOneLineOfJSONThatRoundTrips(_ text: String) throws {
        let line = ServerLog.serialize(["path": .string(text), "status": .int(200), "ok": .bool(true)])
        #expect(!line.contains("\n") && !line.contains("\r"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(parsed["path"] as? String == text)
        #expect(line.hasPrefix(#"{"ok":true,"path":"#))
    }
}
