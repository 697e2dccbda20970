import Foundation
import GonggaoCore
@testable import GonggaoHTTP
import HTTPTestSupport
import Synchronization
import Testing

@Suite(.serialized) struct ServerBasicsTests {
    private var router: Router {
        var r = Router()
        r.get("/items/{id:int}") { req in
            .json(["id": req.parameters.get("id", as: Int.self)!])
        }
        r.get("/echo") { req in
            .json([
                "q": req.queryValue("q") ?? "", "ua": req.headers["x-test"] ?? "", "remote": req.remoteAddress ?? "",
            ])
        }
        r.post("/upload", bodyLimit: 1024) { req in .json(["bytes": req.body.count]) }
        r.post("/big") { req in .json(["bytes": req.body.count]) }
        return r
    }

    @Test func portZeroGetsAFreePortAndRoutesWithTypedParameters() async throws {
        try await withServer(config(), router: router) { server in
            #expect(server.port != 0)
            let ok = try await Loopback.request(port: server.port, "GET", "/items/42")
            #expect(ok.status == 200)
            #expect(ok.json?["id"] as? Int == 42)
            #expect(ok.header("content-type") == "application/json")
            let notInt = try await Loopback.request(port: server.port, "GET", "/items/x")
            #expect(notInt.status == 404)
            #expect(notInt.json?["error"] as? String == "not-found")
        }
    }

    @Test func headAnswersGetRoutesWithoutABody() async throws {
        try await withServer(config(), router: router) { server in
            let port = server.port
            let head = try await Loopback.offPool {
                let c = try LoopbackConnection(port: port)
                try c.send(Loopback.requestBytes(port: port, method: "HEAD", path: "/items/5", keepAlive: true))
                let first = try c.readResponse(expectBody: false)
                try c.send(Loopback.requestBytes(port: port, method: "GET", path: "/items/6"))
                let second = try c.readResponse()
                return (first.status, first.body.count, second.json?["id"] as? Int)
            }
            #expect(head.0 == 200 && head.1 == 0 && head.2 == 6)
        }
    }

    @Test func methodNotAllowedCarriesAllow() async throws {
        try await withServer(config(), router: router) { server in
            let r = try await Loopback.request(port: server.port, "DELETE", "/items/1")
            #expect(r.status == 405)
            #expect(r.header("allow") == "GET, HEAD")
        }
    }

    @Test func queryHeadersRemoteAndRequestID() async throws {
        try await withServer(config(), router: router) { server in
            let r = try await Loopback.request(
                port: server.port, "GET", "/echo?q=%E5%85%AC%E5%91%8A&x=1",
                headers: [("X-Test", "yes"), ("X-Request-Id", "abc-123")])
            #expect(r.json?["q"] as? String == "公告")
            #expect(r.json?["ua"] as? String == "yes")
            #expect(r.json?["remote"] as? String == "127.0.0.1")
            #expect(r.header("x-request-id") == "abc-123")
            let generated = try await Loopback.request(
                port: server.port, "GET", "/echo", headers: [("X-Request-Id", "bad id!")])
            #expect(generated.header("x-request-id")?.hasPrefix("req_") == true)
        }
    }

    @Test func bodyOverTheRouteLimitIs413() async throws {
        try await withServer(config(), router: router) { server in
            let small = try await Loopback.request(
                port: server.port, "POST", "/upload", body: Array(repeating: 65, count: 1024))
            #expect(small.status == 200)
            #expect(small.json?["bytes"] as? Int == 1024)
            let declared = try await Loopback.request(
                port: server.port, "POST", "/upload",
                headers: [("Expect", "100-continue")], body: Array(repeating: 65, count: 1025))
            #expect(declared.status == 413)
            #expect(declared.json?["error"] as? String == "body-too-large")
            // Without a declared length (chunked), the excess is dropped as it arrives and 413 follows.
            let port = server.port
            let chunked = try await Loopback.offPool {
                let c = try LoopbackConnection(port: port)
                try c.send(
                    "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n")
                for _ in 0..<3 { try c.send("400\r\n" + String(repeating: "b", count: 1024) + "\r\n") }
                try c.send("0\r\n\r\n")
                return try c.readResponse().status
            }
            #expect(chunked == 413)
            let defaultLimit = try await Loopback.request(
                port: server.port, "POST", "/big", body: Array(repeating: 1, count: 300_000))
            #expect(defaultLimit.json?["bytes"] as? Int == 300_000)
        }
    }

    @Test func occupiedPortIsAnErrorNamingIt() async throws {
        try await withServer(config(), router: router) { server in
            let second = HTTPServer(configuration: config { $0.port = server.port }, router: Router(), logger: .discard)
            #expect { try second.start() } throws: { ($0 as? HTTPServerError)?.kind == .bind }
            let badHost = HTTPServer(
                configuration: config { $0.host = "example.org" }, router: Router(), logger: .discard)
            #expect { try badHost.start() } throws: { ($0 as? HTTPServerError)?.kind == .badHost }
        }
    }

    @Test func accessLogHasOneLinePerRequestWithoutSecrets() async throws {
        let capture = LogCapture()
        try await withServer(config(), router: router, logger: capture.logger) { server in
            _ = try await Loopback.request(
                port: server.port, "GET", "/items/7?token=hunter2",
                headers: [("Authorization", "Bearer s3cret-token"), ("X-Request-Id", "log-1")])
        }
        let line = try #require(capture.records.first { $0["http.request_id"] == "log-1" })
        #expect(line["msg"] == "http request")
        #expect(line["http.method"] == "GET")
        #expect(line["http.path"] == "/items/7")
        #expect(line["http.route"] == "/items/{id:int}")
        #expect(line["http.status"] == "200")
        #expect(line["http.outcome"] == "completed")
        #expect(line["http.duration_ms"] != nil && line["http.bytes_out"] != nil)
        #expect(!capture.all.contains { $0.contains("s3cret-token") || $0.contains("hunter2") })
    }

    /// The router's hooks see every exchange: the client address it resolves reaches the handler and
    /// the access log, and `onFinished` is told also of the answers the server gives by itself.
    @Test func routerHooksSeeTheClientAndEveryFinishedExchange() async throws {
        let capture = LogCapture()
        let finished = LockedList<String>()
        var r = router
        r.clientAddress = { req in req.headers["x-forwarded-for"] ?? req.remoteAddress ?? "?" }
        r.onFinished = { req, status, _ in finished.append("\(req.method) \(req.route ?? "unmatched") \(status)") }
        r.get("/client") { req in .json(["client": req.clientAddress ?? ""]) }
        try await withServer(config(), router: r, logger: capture.logger) { server in
            let seen = try await Loopback.request(port: server.port, "GET", "/client",
                                                  headers: [("X-Forwarded-For", "203.0.113.9"), ("X-Request-Id", "xff-1")])
            #expect(seen.json?["client"] as? String == "203.0.113.9")
            #expect(try await Loopback.request(port: server.port, "DELETE", "/items/1").status == 405)
            let tooBig = try await Loopback.request(port: server.port, "POST", "/upload", body: Array(repeating: 65, count: 4096))
            #expect(tooBig.status == 413)
            #expect(try await Loopback.request(port: server.port, "GET", "/nowhere").status == 404)
        }
        let line = try #require(capture.records.first { $0["http.request_id"] == "xff-1" })
        #expect(line["http.client"] == "203.0.113.9" && line["http.remote"] == "127.0.0.1")
        let statuses = finished.items
        #expect(statuses.contains("GET /client 200"), "\(statuses)")
        #expect(statuses.contains("DELETE unmatched 405"), "\(statuses)")
        #expect(statuses.contains("POST /upload 413"), "\(statuses)")
        #expect(statuses.contains("GET unmatched 404"), "\(statuses)")
    }
}

/// A list appended to from server threads.
final class LockedList<T: Sendable>: Sendable {
    private let storage = Mutex<[T]>([])
    func append(_ item: T) { storage.withLock { $0.append(item) } }
    var items: [T] { storage.withLock { $0 } }
}
