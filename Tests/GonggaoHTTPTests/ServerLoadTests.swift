import Foundation
import GonggaoCore
@testable import GonggaoHTTP
import HTTPTestSupport
import Testing

@Suite(.serialized) struct ServerLoadTests {
    private static var router: Router {
        var r = Router()
        r.get("/quick/{n:int}") { .text("\($0.parameters.get("n", as: Int.self)!)") }
        r.post("/echo") { .json(bytes: $0.body) }
        r.get("/nap") { _ in
            try? await Task.sleep(for: .milliseconds(50))
            return .text("ok")
        }
        return r
    }

    /// Handlers that answer at once race the suspend/resume hand-over; hundreds must all arrive.
    @Test(arguments: [HTTPServerConfiguration.EventLoop.epoll, .poll])
    func manyQuickRequestsOnKeptAliveConnections(eventLoop: HTTPServerConfiguration.EventLoop) async throws {
        try await withServer(config { $0.eventLoop = eventLoop }, router: Self.router) { server in
            let port = server.port
            let ok = try await withThrowingTaskGroup(of: Int.self) { group in
                for client in 0..<8 {
                    group.addTask {
                        try await Loopback.offPool {
                            let c = try LoopbackConnection(port: port)
                            var good = 0
                            for i in 0..<60 {
                                let n = client * 1000 + i
                                if i % 3 == 0 {
                                    let body = Array("{\"n\":\(n)}".utf8)
                                    try c.send(
                                        Loopback.requestBytes(
                                            port: port, method: "POST", path: "/echo", body: body, keepAlive: true))
                                    if try c.readResponse().body == body { good += 1 }
                                } else {
                                    try c.send(
                                        Loopback.requestBytes(
                                            port: port, method: "GET", path: "/quick/\(n)", keepAlive: true))
                                    if try c.readResponse().text == "\(n)" { good += 1 }
                                }
                            }
                            return good
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(ok == 8 * 60)
            // MHD reports completion just after the last byte left; the client may be faster.
            for _ in 0..<100 where server.inFlightRequests > 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(server.inFlightRequests == 0)
        }
    }

    /// More clients than the connection limit: the excess waits in the backlog and is served as
    /// connections close; everyone is answered.
    @Test func moreClientsThanTheLimitAreAllAnsweredInTime() async throws {
        try await withServer(config { $0.connectionLimit = 16 }, router: Self.router) { server in
            let port = server.port
            let start = ContinuousClock.now
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<120 { group.addTask { try await Loopback.request(port: port, "GET", "/nap").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 120 && statuses.allSatisfy { $0 == 200 })
            #expect(ContinuousClock.now - start < .seconds(5))
            let health = try await Loopback.request(port: port, "GET", "/quick/1", timeout: .seconds(1))
            #expect(health.status == 200)
        }
    }
}
