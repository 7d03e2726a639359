import Configuration
import Testing

/// The original system's names for settings we call otherwise: each is honoured or refused with a
/// line naming it, never ignored.
@Suite struct OriginalSettingsTests {
    @Test func protocolAPIURLIsTheBackendURL() throws {
        let configuration = try Configuration.load(from: ["PROTOCOL_API_URL": "https://api.example.com/v1"])
        #expect(configuration.backendAPIURL == "https://api.example.com/v1")
    }

    @Test(arguments: [
        (["PROTOCOL_API_TIMEOUT_MS": "2500"], 2.5),
        (["PROTOCOL_API_TIMEOUT_MS": "100"], 0.1),
        (["PROTOCOL_API_TIMEOUT_MS": "15000", "BACKEND_TIMEOUT_SECONDS": "15"], 15),
    ] as [([String: String], Double)])
    func protocolAPITimeoutIsHonoured(_ environment: [String: String], _ seconds: Double) throws {
        let configuration = try Configuration.load(from: environment)
        #expect(configuration.backendTimeoutSeconds == seconds)
        #expect(configuration.backendConnectTimeoutSeconds <= seconds)
    }

    /// The original's Express server listened on PORT; in production here nobody does.
    @Test func portInProductionIsReportedAsUnused() throws {
        let production: [String: String] = [
            "NODE_ENV": "production", "PRIVY_APP_ID": "app", "SERVER_BASE_URL": "https://app.example.com",
            "JWT_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----",
            "JWT_PUBLIC_KEY": "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----",
            "PRIVY_SDK_URL": "/vendor/privy-react-auth-2.13.0.js",
        ]
        #expect(try Configuration.load(from: production).startupWarnings.isEmpty)
        let notes = try Configuration.load(from: production.merging(["PORT": "3000"]) { $1 }).startupWarnings
        #expect(notes.count == 1 && notes[0].hasPrefix("PORT=3000 is not used in production"))
        // Locally, PORT is the port `make run` serves on.
        #expect(try Configuration.load(from: ["PORT": "3000"]).startupWarnings.isEmpty)
    }

    @Test(arguments: [
        ["PROTOCOL_API_TIMEOUT_MS": "2.5"], ["PROTOCOL_API_TIMEOUT_MS": "99"], ["PROTOCOL_API_TIMEOUT_MS": "300001"],
        ["PROTOCOL_API_TIMEOUT_MS": "ten"], ["PROTOCOL_API_TIMEOUT_MS": "5000", "BACKEND_TIMEOUT_SECONDS": "10"],
    ])
    func badOrConflictingTimeoutIsRefusedByName(_ environment: [String: String]) {
        do {
            _ = try Configuration.load(from: environment)
            Issue.record("accepted \(environment)")
        } catch {
            #expect(error.variable == "PROTOCOL_API_TIMEOUT_MS", "\(environment)")
        }
    }
}
