import Configuration
import Testing

/// The per-user budgets: `MCP_CALLS_PER_USER_PER_MINUTE` and `BACKEND_CALLS_PER_USER_PER_MINUTE`.
@Suite struct CallBudgetSettingsTests {
    @Test func defaultsAreGenerous() throws {
        let configuration = try Configuration.load(from: [:])
        #expect(configuration.mcpCallsPerUserPerMinute == 600)
        #expect(configuration.backendCallsPerUserPerMinute == 1200)
    }

    @Test func zeroTurnsABudgetOff() throws {
        let configuration = try Configuration.load(from: ["MCP_CALLS_PER_USER_PER_MINUTE": "0", "BACKEND_CALLS_PER_USER_PER_MINUTE": "5"])
        #expect(configuration.mcpCallsPerUserPerMinute == 0)
        #expect(configuration.backendCallsPerUserPerMinute == 5)
    }

    @Test(arguments: ["MCP_CALLS_PER_USER_PER_MINUTE", "BACKEND_CALLS_PER_USER_PER_MINUTE"],
          ["-1", "ten", "1.5", "1000001"])
    func invalidValuesNameTheVariable(_ name: String, _ value: String) {
        #expect(throws: ConfigurationError(name, "must be a whole number from 0 to 1000000")) {
            try Configuration.load(from: [name: value])
        }
    }
}
