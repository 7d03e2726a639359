import AppComposition
import Routes
import TestSupport

/// The application as `make run` wires it (`TestApplication`, through `AppComposition`),
/// `/mcp` included. `shared` is built once per test process.
enum TestServices {
    static let shared = TestApplication.services()

    static func make(environment: [String: String] = [:], adjust: (inout AppParts) -> Void = { _ in }) -> AppServices {
        TestApplication.services(environment: environment, adjust: adjust)
    }

    static var application: Application { Application(services: shared) }
}
