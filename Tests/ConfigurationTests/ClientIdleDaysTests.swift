import Configuration
import Testing

/// `CLIENT_IDLE_DAYS`: days after its last token an unused registered client is deleted.
@Suite struct ClientIdleDaysTests {
    @Test func defaultIsNinetyDays() throws {
        #expect(try Configuration.load(from: [:]).clientIdleDays == 90)
    }

    @Test func explicitValue() throws {
        #expect(try Configuration.load(from: ["CLIENT_IDLE_DAYS": "30"]).clientIdleDays == 30)
    }

    @Test(arguments: ["0", "-1", "3651", "abc", "1.5"])
    func invalidValueNamesTheVariable(_ value: String) {
        #expect(throws: ConfigurationError("CLIENT_IDLE_DAYS", "must be a whole number from 1 to 3650")) {
            try Configuration.load(from: ["CLIENT_IDLE_DAYS": value])
        }
    }
}
