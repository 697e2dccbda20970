import Foundation
import GonggaoCore
@testable import GonggaoHTTP
import HTTPTestSupport
import Synchronization
import Testing

@Suite(.serialized) struct ServerLimitsTests {
    private static func sleepy(_ duration: Duration) -> Router {
        var r = Router()
        r.get("/sleep") { _ in
            try? await Task.sleep(for: duration)
            return .text("slept")
        }
        r.get("/fast") { _ in .text("fast") }
        r.get("/drop") { _ in .closeConnection }
        return r
    }

    @Test func slowHandlersDoNotOccupyServerThreads() async throws {
        // One MHD thread, 40 requests each sleeping 300 ms: the handlers run side by side (serial
        // handling would have one at a time). Counted, not timed: the suite shares the machine.
        let inFlight = Atomic<Int>(0)
        let peak = Atomic<Int>(0)
        var router = Router()
        router.get("/sleep") { _ in
            let now = inFlight.add(1, ordering: .relaxed).newValue
            peak.max(now, ordering: .relaxed)
            try? await Task.sleep(for: .milliseconds(300))
            inFlight.subtract(1, ordering: .relaxed)
            return .text("slept")
        }
        try await withServer(config { $0.threads = 1 }, router: router) { server in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 {
                    group.addTask { try await Loopback.request(port: server.port, "GET", "/sleep").status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 40))
            #expect(peak.load(ordering: .relaxed) >= 10, "handlers in flight at once: \(peak.load(ordering: .relaxed))")
        }
    }

    @Test func aClientSendingHeadersSlowlyIsCutOff() async throws {
        let c = config { $0.requestTimeout = .milliseconds(600) }
        try await withServer(c, router: Self.sleepy(.zero)) { server in
            let port = server.port
            let outcome = try await Loopback.offPool { () -> (sent: Int, closed: Bool) in
                let conn = try LoopbackConnection(port: port)
                let request = Array("GET /fast HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: aaaaaaaaaaaaaaaaaaaa\r\n\r\n".utf8)
                var sent = 0
                for byte in request {
                    do { try conn.send([byte]) } catch { return (sent, true) }
                    sent += 1
                    if !conn.staysSilent(for: .milliseconds(100)) { return (sent, true) }
                }
                return (sent, false)
            }
            #expect(outcome.closed, "the connection should be cut before the request was complete")
            #expect(outcome.sent < 20)
            // The server still answers others.
            #expect(try await Loopback.request(port: server.port, "GET", "/fast").status == 200)
        }
    }

    @Test func idleConnectionsAreClosed() async throws {
        let c = config {
            $0.idleTimeout = .seconds(1); $0.requestTimeout = .seconds(30)
        }
        try await withServer(c, router: Self.sleepy(.zero)) { server in
            let port = server.port
            let closed = try await Loopback.offPool {
                try LoopbackConnection(port: port).waitForClose(timeout: .seconds(4))
            }
            #expect(closed)
        }
    }

    @Test func connectionsBeyondTheLimitWaitUntilOneCloses() async throws {
        let c = config {
            $0.threads = 1; $0.connectionLimit = 2; $0.requestTimeout = .seconds(30)
        }
        try await withServer(c, router: Self.sleepy(.zero)) { server in
            let port = server.port
            let result = try await Loopback.offPool { () -> (silentWhileFull: Bool, status: Int) in
                let a = try LoopbackConnection(port: port)
                let b = try LoopbackConnection(port: port)
                Thread.sleep(forTimeInterval: 0.2)
                let third = try LoopbackConnection(port: port)
                try third.send(Loopback.requestBytes(port: port, method: "GET", path: "/fast"))
                let silent = third.staysSilent(for: .milliseconds(600))
                a.close()
                let status = try third.readResponse(timeout: .seconds(5)).status
                b.close()
                return (silent, status)
            }
            #expect(result.silentWhileFull)
            #expect(result.status == 200)
        }
    }

    @Test func gracefulStopFinishesInFlightRequestsAndRefusesNewOnes() async throws {
        let server = HTTPServer(configuration: config(), router: Self.sleepy(.milliseconds(500)), logger: .discard)
        try server.start()
        let port = server.port
        async let answer = Loopback.request(port: port, "GET", "/sleep")
        try await Task.sleep(for: .milliseconds(150))
        #expect(server.inFlightRequests == 1)
        async let stopped: Void = server.stop(grace: .seconds(5))
        try await Task.sleep(for: .milliseconds(100))
        await #expect(throws: LoopbackError.self) {
            try await Loopback.request(port: port, "GET", "/fast", timeout: .seconds(1))
        }
        let response = try await answer
        #expect(response.status == 200)
        #expect(response.text == "slept")
        await stopped
        #expect(server.inFlightRequests == 0)
    }

    @Test func stopCutsOffHandlersThatOutliveTheGrace() async throws {
        let server = HTTPServer(configuration: config(), router: Self.sleepy(.seconds(60)), logger: .discard)
        try server.start()
        let port = server.port
        let answer = Task { try await Loopback.request(port: port, "GET", "/sleep", timeout: .seconds(10)) }
        try await Task.sleep(for: .milliseconds(150))
        let start = ContinuousClock.now
        await server.stop(grace: .milliseconds(200))
        #expect(ContinuousClock.now - start < .seconds(3))
        await #expect(throws: LoopbackError.self) { try await answer.value }
    }

    @Test func runStopsWhenItsTaskIsCancelled() async throws {
        let server = HTTPServer(configuration: config(), router: Self.sleepy(.zero), logger: .discard)
        let running = Task { try await server.run() }
        while server.port == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try await Loopback.request(port: server.port, "GET", "/fast").status == 200)
        running.cancel()
        try await running.value
        await #expect(throws: LoopbackError.self) {
            try await Loopback.request(port: server.port, "GET", "/fast", timeout: .seconds(1))
        }
    }

    @Test func closeConnectionAnswersNothing() async throws {
        try await withServer(config(), router: Self.sleepy(.zero)) { server in
            let port = server.port
            await #expect(throws: LoopbackError.self) { try await Loopback.request(port: port, "GET", "/drop") }
            let after = try await Loopback.request(port: port, "GET", "/fast")
            #expect(after.status == 200)
        }
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        try await withServer(config(), router: Self.sleepy(.milliseconds(10))) { server in
            let port = server.port
            let statuses = try await Loopback.offPool { () -> [Int] in
                let c = try LoopbackConnection(port: port)
                var out: [Int] = []
                for path in ["/fast", "/sleep", "/fast"] {
                    try c.send(Loopback.requestBytes(port: port, method: "GET", path: path, keepAlive: true))
                    out.append(try c.readResponse().status)
                }
                return out
            }
            #expect(statuses == [200, 200, 200])
        }
    }
}
