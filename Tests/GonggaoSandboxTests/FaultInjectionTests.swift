import Foundation
import GonggaoCore
@testable import GonggaoSandbox
import HTTPTestSupport
import Testing

@Suite(.serialized) struct FaultInjectionTests {
    @Test func failNTimesThenTheSameWebhookIDSucceedsOnce() async throws {
        let h = try SandboxHarness()
        let queued = try await h.fault(.provincial, ["mode": "status", "status": 500, "count": 3])
        #expect(queued.status == 201)
        var statuses: [Int] = []
        for _ in 0..<4 {
            statuses.append(
                try await h.push(.provincial, "/provincial/items", Payloads.provincial(), webhookId: "dlv_r").status)
        }
        #expect(statuses == [500, 500, 500, 201])
        #expect(h.server.item("ntc_a1", of: .provincial)?.publications == 1)
        #expect(
            h.server.log(of: .provincial).map(\.outcome) == ["fault:status", "fault:status", "fault:status", "created"])
        #expect(h.server.faults(of: .provincial).isEmpty)
        await h.stop()
    }

    @Test func unavailableAndRateLimitedCarryRetryAfter() async throws {
        let h = try SandboxHarness()
        _ = try await h.fault(.county, ["mode": "unavailable", "retryAfter": 7])
        _ = try await h.fault(.county, ["mode": "rate-limited"])
        let a = try await h.push(.county, "/county/articles", Payloads.county())
        #expect(a.status == 503)
        #expect(a.header("retry-after") == "7")
        let b = try await h.push(.county, "/county/articles", Payloads.county())
        #expect(b.status == 429)
        #expect(b.header("retry-after") == "2")
        #expect(b.json?["error"] as? String == "injected-fault")
        #expect(try await h.push(.county, "/county/articles", Payloads.county()).status == 201)
        await h.stop()
    }

    @Test func hangHoldsPastTheClientTimeoutWithoutPublishing() async throws {
        let h = try SandboxHarness()
        _ = try await h.fault(.mobile, ["mode": "hang", "seconds": 1.5])
        let start = ContinuousClock.now
        await #expect(throws: LoopbackError.timedOut) {
            try await h.push(
                .mobile, "/mobile/cards", Payloads.mobile(), webhookId: "dlv_h", timeout: .milliseconds(500))
        }
        #expect(ContinuousClock.now - start >= .milliseconds(500))
        #expect(h.server.items(of: .mobile).isEmpty)
        let retry = try await h.push(.mobile, "/mobile/cards", Payloads.mobile(), webhookId: "dlv_h")
        #expect(retry.status == 201)
        await h.stop()
    }

    @Test func resetClosesTheConnectionWithoutAnAnswer() async throws {
        let h = try SandboxHarness()
        _ = try await h.fault(.provincial, ["mode": "reset", "count": 2])
        for _ in 0..<2 {
            await #expect(throws: LoopbackError.self) {
                try await h.push(.provincial, "/provincial/items", Payloads.provincial())
            }
        }
        #expect(h.server.items(of: .provincial).isEmpty)
        #expect(h.server.log(of: .provincial).map(\.status) == [0, 0])
        #expect(try await h.push(.provincial, "/provincial/items", Payloads.provincial()).status == 201)
        await h.stop()
    }

    @Test func slowAnswersLateButPublishes() async throws {
        let h = try SandboxHarness()
        _ = try await h.fault(.county, ["mode": "slow", "delayMs": 700])
        let start = ContinuousClock.now
        let r = try await h.push(.county, "/county/articles", Payloads.county())
        #expect(ContinuousClock.now - start >= .milliseconds(700))
        #expect(r.status == 201)
        #expect(h.server.log(of: .county).last?.fault == "slow")
        await h.stop()
    }

    @Test func hugeBodyIsFiveMebibytesOfValidJSON() async throws {
        let h = try SandboxHarness()
        _ = try await h.fault(.mobile, ["mode": "huge"])
        let r = try await h.push(.mobile, "/mobile/cards", Payloads.mobile())
        #expect(r.status == 201)
        #expect(r.body.count == 5 << 20)
        #expect(r.json?["publicationId"] as? String == "MOB-2026-000001")
        _ = try await h.fault(.mobile, ["mode": "huge", "status": 502, "bytes": 2_000_000])
        let bad = try await h.push(.mobile, "/mobile/cards", Payloads.mobile("ntc_m2"))
        #expect(bad.status == 502)
        #expect(bad.body.count == 2_000_000)
        #expect(h.server.items(of: .mobile).count == 1)
        await h.stop()
    }

    @Test func faultsCanTargetOneNoticeOrOperation() async throws {
        let h = try SandboxHarness()
        _ = try await h.fault(.provincial, ["mode": "status", "status": 500, "noticeId": "ntc_b", "count": 5])
        _ = try await h.fault(.provincial, ["mode": "status", "status": 503, "operation": "withdraw"])
        #expect(try await h.push(.provincial, "/provincial/items", Payloads.provincial("ntc_a")).status == 201)
        #expect(try await h.push(.provincial, "/provincial/items", Payloads.provincial("ntc_b")).status == 500)
        #expect(try await h.push(.provincial, "/provincial/items/ntc_a/withdraw", ["version": 1]).status == 503)
        #expect(try await h.push(.provincial, "/provincial/items/ntc_a/withdraw", ["version": 1]).status == 200)
        let listed = try await Loopback.request(port: h.port, "GET", "/_sandbox/provincial/faults")
        #expect((listed.json?["faults"] as? [[String: Any]])?.first?["remaining"] as? Int == 4)
        await h.stop()
    }

    @Test func badFaultsUnknownPortalsAndReset() async throws {
        let h = try SandboxHarness()
        let bad = try await h.fault(.county, ["mode": "explode"])
        #expect(bad.status == 422)
        #expect(bad.json?["error"] as? String == "bad-fault")
        let badCount = try await h.fault(.county, ["mode": "status", "count": 0])
        #expect(badCount.status == 422)
        let unknown = try await Loopback.request(port: h.port, "GET", "/_sandbox/regional/items")
        #expect(unknown.status == 404)
        let byKind = try await Loopback.request(port: h.port, "GET", "/_sandbox/county-column/log")
        #expect(byKind.status == 200)
        _ = try await h.fault(.county, ["mode": "reset"])
        _ = try await h.push(.mobile, "/mobile/cards", Payloads.mobile())
        let reset = try await Loopback.request(port: h.port, "POST", "/_sandbox/reset")
        #expect(reset.status == 200)
        #expect(h.server.items(of: .mobile).isEmpty && h.server.faults(of: .county).isEmpty)
        let health = try await Loopback.request(port: h.port, "GET", "/_sandbox/health")
        #expect((health.json?["portals"] as? [String: String])?["county"] == "http://127.0.0.1:\(h.port)/county")
        await h.stop()
    }

    @Test func stopCutsOffAHangingRequest() async throws {
        let h = try SandboxHarness()
        _ = try await h.fault(.provincial, ["mode": "hang", "seconds": 120])
        let port = h.port
        let pending = Task {
            try await h.push(.provincial, "/provincial/items", Payloads.provincial(), timeout: .seconds(20))
        }
        try await Task.sleep(for: .milliseconds(200))
        let start = ContinuousClock.now
        await h.stop()
        #expect(ContinuousClock.now - start < .seconds(3))
        await #expect(throws: LoopbackError.self) { try await pending.value }
        _ = port
    }
}
