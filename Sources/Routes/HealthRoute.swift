import Configuration
import HTTPMessages

/// `GET /health`: liveness plus the two facts operators ask first (environment, storage driver).
enum HealthRoute {
    struct Body: Encodable {
        let status: String
        let environment: String
        let storage: String
    }

    static func register(on router: inout Router, configuration: Configuration) {
        let body = Body(status: "ok", environment: configuration.environment.rawValue,
                        storage: configuration.storageDriver.rawValue)
        router.get("/health") { _ in
            .json(body, headers: HTTPHeaders([("Cache-Control", "no-store")]))
        }
    }
}
