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
        // Leap days (2000 is a leap year, 2100 is not), month and year ends, before 1970.
        var instants: [Double] = [0, 951_782_400.999, 1_795_769_465.123, 4_102_444_799, 4_107_542_399, 4_107_542_400,
                                  -1, -86_400, -2_208_988_800, 253_402_300_799]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 { instants.append(Double(Int64.random(in: -2_208_988_800...253_402_300_799, using: &generator))) }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(UTCTimestamp.iso8601(date) == date.ISO8601Format(), "\(seconds)")
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
