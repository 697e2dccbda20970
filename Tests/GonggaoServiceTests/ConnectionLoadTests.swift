#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import GonggaoHTTP
import HTTPTestSupport
import Testing

/// The service under a crowd and a trickle: 1,000 connections at once, and a client that sends its
/// headers one byte a second.
@Suite(.serialized) struct ConnectionLoadTests {
    /// Client and server share this process: 1,000 connections need about 2,100 descriptors.
    static func raiseFileLimit(to wanted: rlim_t = 8_192) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < wanted else { return }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    enum Outcome: Sendable, Equatable {
        case answered(Int)
        case closed
        case timedOut
        case failed(String)
    }

    @Test func thousandConcurrentConnections() async throws {
        Self.raiseFileLimit()
        try await ServiceHarness.with(http: { $0.connectionLimit = 256 }) { h in
            try await h.importProject()
            let port = h.port
            let start = ContinuousClock.now
            let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                for i in 0..<1_000 {
                    let path = i % 2 == 0 ? "/healthz" : "/p/330523-2026-37-1"
                    group.addTask {
                        do {
                            let r = try await Loopback.request(port: port, "GET", path, timeout: .seconds(5))
                            return .answered(r.status)
                        } catch LoopbackError.timedOut {
                            return .timedOut
                        } catch LoopbackError.closedWithoutResponse, LoopbackError.reset {
                            return .closed
                        } catch {
                            return .failed("\(error)")
                        }
                    }
                }
                return try await group.reduce(into: [Outcome]()) { $0.append($1) }
            }
            let elapsed = ContinuousClock.now - start
            let ok = outcomes.filter { $0 == .answered(200) }.count
            let busy = outcomes.filter { $0 == .answered(503) || $0 == .closed }.count
            #expect(ok >= 256, "only \(ok) answered 200")
            #expect(ok + busy == 1_000, "\(outcomes.filter { $0 != .answered(200) && $0 != .answered(503) && $0 != .closed })")
            #expect(elapsed < .seconds(8))
            // Timed at the socket (connect → whole answer), not through the test's task scheduling,
            // which the rest of the suite can delay on a busy machine.
            let (health, took) = try await Loopback.offPool { () -> (LoopbackResponse, Duration) in
                let started = ContinuousClock.now
                let connection = try LoopbackConnection(port: port)
                defer { connection.close() }
                try connection.send(Loopback.requestBytes(port: port, method: "GET", path: "/healthz"))
                let response = try connection.readResponse(timeout: .seconds(1))
                return (response, ContinuousClock.now - started)
            }
            #expect(health.status == 200)
            #expect(took < .seconds(1), "/healthz took \(took) after the storm")
        }
    }

    @Test func aClientSendingHeadersOneBytePerSecondIsCutOff() async throws {
        try await ServiceHarness.with(http: { $0.requestTimeout = .seconds(2) }) { h in
            let port = h.port
            let started = ContinuousClock.now
            let cutAfter = try await Loopback.offPool { () -> Int? in
                let c = try LoopbackConnection(port: port)
                defer { c.close() }
                let request = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 0123456789\r\n\r\n".utf8)
                for (i, byte) in request.enumerated() {
                    do { try c.send([byte]) } catch { return i }
                    if !c.staysSilent(for: .seconds(1)) { return i + 1 }
                }
                return nil
            }
            #expect(cutAfter != nil, "the slow client was never cut off")
            #expect(ContinuousClock.now - started < .seconds(6))
            #expect(try await h.call("GET", "/healthz").status == 200)
        }
    }
}
