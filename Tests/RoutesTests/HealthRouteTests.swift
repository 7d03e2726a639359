import Configuration
import HTTPMessages
import Routes
import Testing

@Suite struct HealthRouteTests {
    @Test func reportsEnvironmentAndStorage() throws {
        let response = TestServices.application.respond(to: Request(method: "GET", target: "/health"))
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"environment":"development","status":"ok","storage":"memory"}"#)
        #expect(response.headers["X-Request-Id"] != nil)
    }
}
