import GonggaoHTTP
import Testing

@Suite struct RouterTests {
    private func router() -> Router {
        var r = Router()
        r.get("/items/{id:int}") { .text("int \($0.parameters.get("id", as: Int.self)!)") }
        r.get("/items/new") { _ in .text("literal") }
        r.get("/items/{key}") { .text("key \($0.parameters["key"]!)") }
        r.put("/items/{id:int}", bodyLimit: 10) { _ in .text("put") }
        r.get("/") { _ in .text("root") }
        return r
    }

    @Test func literalBeatsIntBeatsString() async {
        let r = router()
        #expect(await r.respond(to: HTTPRequest(method: .get, path: "/items/new")).body == Array("literal".utf8))
        #expect(await r.respond(to: HTTPRequest(method: .get, path: "/items/42")).body == Array("int 42".utf8))
        #expect(await r.respond(to: HTTPRequest(method: .get, path: "/items/abc")).body == Array("key abc".utf8))
        #expect(await r.respond(to: HTTPRequest(method: .get, path: "/")).body == Array("root".utf8))
    }

    @Test func unknownPathIs404AndWrongMethodIs405WithAllow() async {
        let r = router()
        let missing = await r.respond(to: HTTPRequest(method: .get, path: "/nothing/here"))
        #expect(missing.status == 404)
        #expect(await r.respond(to: HTTPRequest(method: .get, path: "/items")).status == 404)
        #expect(await r.respond(to: HTTPRequest(method: .get, path: "/items/")).status == 404)
        let wrong = await r.respond(to: HTTPRequest(method: .delete, path: "/items/7"))
        #expect(wrong.status == 405)
        #expect(wrong.headers["allow"] == "GET, PUT, HEAD")
    }

    @Test func headUsesTheGetRoute() async {
        #expect(await router().respond(to: HTTPRequest(method: .head, path: "/items/new")).status == 200)
    }

    @Test func typedParameterRequireNamesTheParameter() {
        let p = PathParameters(["id": "x1"])
        #expect(throws: HTTPError.self) { try p.require("id", as: Int.self) }
        do {
            _ = try p.require("id", as: Int.self)
        } catch {
            #expect(error.field == "id")
            #expect(error.status == 400)
        }
        #expect(p.get("id", as: String.self) == "x1")
    }

    @Test func routesAreListedForOpenAPIConformance() {
        let described = router().routes.map { "\($0.method) \($0.pattern)" }
        #expect(described.contains("PUT /items/{id:int}"))
        #expect(router().routes.first { $0.method == .put }?.bodyLimit == 10)
    }
}
