import HTTPMessages
import Routes
import Testing

@Suite struct RouterTests {
    struct Teapot: HTTPResponseError {
        func response() -> Response { .text("short and stout", status: 418) }
    }
    struct Unexpected: Error {}

    let router: Router = {
        var router = Router()
        router.get("/hello") { _ in .text("hi") }
        router.post("/hello") { request in .text("posted \(request.body.count)") }
        router.get("/teapot") { _ in throw Teapot() }
        router.get("/broken") { _ in throw Unexpected() }
        return router
    }()

    @Test func dispatchesByPathAndMethod() {
        #expect(router.respond(to: Request(method: "GET", target: "/hello")).bodyText == "hi")
        #expect(router.respond(to: Request(method: "post", target: "/hello", body: [1, 2])).bodyText == "posted 2")
    }

    @Test func unknownPathIsJSON404() {
        let response = router.respond(to: Request(method: "GET", target: "/nope?x=1"))
        #expect(response.status == 404)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.bodyText.contains("\"error\":\"not_found\""))
    }

    @Test func knownPathWithOtherMethodIs405WithAllow() {
        let response = router.respond(to: Request(method: "DELETE", target: "/hello"))
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, POST")
    }

    @Test func headIsAnsweredLikeGetWithoutBody() {
        let response = router.respond(to: Request(method: "HEAD", target: "/hello"))
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
    }

    @Test func thrownHTTPErrorsRenderThemselves() {
        #expect(router.respond(to: Request(method: "GET", target: "/teapot")).status == 418)
    }

    @Test func unexpectedErrorsBecomeAGeneric500() {
        let response = router.respond(to: Request(method: "GET", target: "/broken"))
        #expect(response.status == 500)
        #expect(!response.bodyText.contains("Unexpected"))
    }
}
