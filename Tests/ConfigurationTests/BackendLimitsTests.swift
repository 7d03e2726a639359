import Configuration
import Testing

/// The limits of calls to the user's API: total and connect time, and the answer size cap.
@Suite struct BackendLimitsTests {
    @Test func defaults() throws {
        let configuration = try Configuration.load(from: [:])
        #expect(configuration.backendTimeoutSeconds == 10)
        #expect(configuration.backendConnectTimeoutSeconds == 5)
        #expect(configuration.backendMaxResponseBytes == 1 << 20)
    }

    /// Unset, the connect limit never exceeds a short total (the e2e suites set 2 or 3 s).
    @Test func defaultConnectLimitFollowsAShortTotal() throws {
        let configuration = try Configuration.load(from: ["BACKEND_TIMEOUT_SECONDS": "2"])
        #expect(configuration.backendConnectTimeoutSeconds == 2)
    }

    @Test func explicitValues() throws {
        let configuration = try Configuration.load(from: [
            "BACKEND_TIMEOUT_SECONDS": "20", "BACKEND_CONNECT_TIMEOUT_SECONDS": "1.5", "BACKEND_MAX_RESPONSE_BYTES": "65536",
        ])
        #expect(configuration.backendTimeoutSeconds == 20)
        #expect(configuration.backendConnectTimeoutSeconds == 1.5)
        #expect(configuration.backendMaxResponseBytes == 65536)
    }

    @Test func connectLimitEqualToTheTotalIsAllowed() throws {
        let configuration = try Configuration.load(from: ["BACKEND_TIMEOUT_SECONDS": "3", "BACKEND_CONNECT_TIMEOUT_SECONDS": "3"])
        #expect(configuration.backendConnectTimeoutSeconds == 3)
    }

    @Test func connectLimitAboveTheTotalIsRefused() {
        #expect(throws: ConfigurationError("BACKEND_CONNECT_TIMEOUT_SECONDS",
                                           "must not exceed BACKEND_TIMEOUT_SECONDS (the connect time counts toward the total)")) {
            try Configuration.load(from: ["BACKEND_TIMEOUT_SECONDS": "3", "BACKEND_CONNECT_TIMEOUT_SECONDS": "4"])
        }
        // Also against the default total of 10 s.
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(from: ["BACKEND_CONNECT_TIMEOUT_SECONDS": "11"])
        }
    }

    @Test(arguments: ["0", "-1", "abc", "0.05", "301", "nan"])
    func invalidConnectLimitNamesTheVariable(_ value: String) {
        #expect(throws: ConfigurationError("BACKEND_CONNECT_TIMEOUT_SECONDS", "must be a number of seconds from 0.1 to 300")) {
            try Configuration.load(from: ["BACKEND_CONNECT_TIMEOUT_SECONDS": value])
        }
    }

    @Test(arguments: ["0", "1023", "16777217", "1MiB", "-1048576", "1.5"])
    func invalidSizeCapNamesTheVariable(_ value: String) {
        #expect(throws: ConfigurationError("BACKEND_MAX_RESPONSE_BYTES", "must be a whole number from 1024 to 16777216")) {
            try Configuration.load(from: ["BACKEND_MAX_RESPONSE_BYTES": value])
        }
    }

    @Test(arguments: ["1024", "16777216"])
    func sizeCapBoundsAreInclusive(_ value: String) throws {
        #expect(try Configuration.load(from: ["BACKEND_MAX_RESPONSE_BYTES": value]).backendMaxResponseBytes == Int(value))
    }
}
