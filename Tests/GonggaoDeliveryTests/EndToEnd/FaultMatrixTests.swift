import Foundation
import GonggaoCore
import GonggaoSandbox
import Testing

/// The fault matrix: every fault the sandbox portals can inject, against the real engine, the real
/// adapters (libcurl, signing, templates) and a SQLite store. Each row aims its fault at one notice
/// on all three portals and checks that every delivery ends as the retry policy says, with the
/// right attempts, the same webhook-id on every try, and at most one publication per portal.
@Suite("Fault matrix against the sandbox portals", .serialized)
struct FaultMatrixTests {
    /// Four attempts: the first at once, then three retries 150 ms apart (no jitter).
    static let policy = RetryPolicy(delays: Array(repeating: .milliseconds(150), count: 3), jitter: 0)
    /// Each adapter's timeout: a `hang` or `slow` fault beyond it is a timeout; every other answer
    /// comes well inside it, even on a loaded machine.
    static let timeout = 3.0

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var fault: SandboxFault
        var state: DeliveryState
        /// The attempt log's outcomes, in order (their count is the attempt count).
        var outcomes: [DeliveryAttempt.Outcome]
        /// Found in the first attempt's detail (the attempt log says what went wrong).
        var detail: String
        /// The least time between a failed attempt's end and the next start: the policy's delay, or
        /// the portal's Retry-After when that is longer.
        var gap: Duration = .milliseconds(150)
        /// The sandbox log's outcomes for the notice, in order.
        var portalLog: [String]
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "500 twice, then delivered", fault: SandboxFault(mode: .status, status: 500, count: 2),
            state: .delivered, outcomes: [.retryable, .retryable, .delivered], detail: "HTTP 500 injected-fault",
            portalLog: ["fault:status", "fault:status", "created"]),
        Row(name: "500 on every attempt: dead letter", fault: SandboxFault(mode: .status, status: 500, count: 4),
            state: .dead, outcomes: Array(repeating: .retryable, count: 4), detail: "HTTP 500 injected-fault",
            portalLog: Array(repeating: "fault:status", count: 4)),
        Row(name: "400: permanent at once", fault: SandboxFault(mode: .status, status: 400),
            state: .dead, outcomes: [.rejected], detail: "HTTP 400 injected-fault", portalLog: ["fault:status"]),
        Row(name: "503 + Retry-After", fault: SandboxFault(mode: .unavailable, retryAfter: 1),
            state: .delivered, outcomes: [.retryable, .delivered], detail: "HTTP 503 injected-fault", gap: .seconds(1),
            portalLog: ["fault:unavailable", "created"]),
        Row(name: "429 + Retry-After on every attempt: dead letter",
            fault: SandboxFault(mode: .rateLimited, count: 4, retryAfter: 1),
            state: .dead, outcomes: Array(repeating: .retryable, count: 4), detail: "HTTP 429 injected-fault",
            gap: .seconds(1), portalLog: Array(repeating: "fault:rate-limited", count: 4)),
        Row(name: "hang past the timeout", fault: SandboxFault(mode: .hang, seconds: 4.5),
            state: .delivered, outcomes: [.retryable, .delivered], detail: "curl 28", portalLog: ["fault:hang", "created"]),
        Row(name: "reset twice", fault: SandboxFault(mode: .reset, count: 2),
            state: .delivered, outcomes: [.retryable, .retryable, .delivered], detail: "curl ",
            portalLog: ["fault:reset", "fault:reset", "created"]),
        Row(name: "slow within the timeout", fault: SandboxFault(mode: .slow, delayMs: 300),
            state: .delivered, outcomes: [.delivered], detail: "HTTP 201", portalLog: ["created"]),
        // Published, but the answer comes after the sender gave up: the retry carries the same
        // webhook-id and gets the same answer back, never a second publication.
        Row(name: "slow past the timeout", fault: SandboxFault(mode: .slow, delayMs: 4000),
            state: .delivered, outcomes: [.retryable, .delivered], detail: "curl 28", portalLog: ["created", "duplicate"]),
        Row(name: "huge answer", fault: SandboxFault(mode: .huge, bytes: 3 << 20),
            state: .delivered, outcomes: [.delivered], detail: "read in part", portalLog: ["created"]),
        Row(name: "huge 503 answer", fault: SandboxFault(mode: .huge, status: 503, bytes: 2 << 20),
            state: .delivered, outcomes: [.retryable, .delivered], detail: "HTTP 503", portalLog: ["fault:huge", "created"]),
    ]

    @Test(arguments: rows)
    func faultEndsAsThePolicySays(_ row: Row) async throws {
        let world = try await PortalWorld(policy: Self.policy, timeoutSeconds: Self.timeout)
        world.run()
        let id = try await world.submittedNotice()
        for portal in PortalWorld.portals {
            var fault = row.fault
            fault.noticeId = id
            try world.sandbox.inject(fault, into: portal)
        }
        try await world.approve(id)
        let settled = try await eventually(timeout: .seconds(20)) {
            try await world.deliveries(id).allSatisfy(\.state.isFinal)
        }
        let states = try await world.deliveries(id).map(\.state)
        #expect(settled, "\(row.name): deliveries did not settle: \(states)")

        for d in try await world.deliveries(id) {
            let portal = SandboxPortal(channel: d.channel)
            let attempts = try await world.attempts(d.id)
            let what = "\(row.name) on \(d.channel)"
            #expect(d.state == row.state, "\(what): \(d.state) \(d.lastError ?? "")")
            #expect(d.attempts == row.outcomes.count, "\(what): \(d.attempts) attempts")
            #expect(attempts.map(\.outcome) == row.outcomes, "\(what): \(attempts.map(\.detail))")
            #expect(attempts.map(\.number) == Array(1...row.outcomes.count))
            #expect(attempts.first?.detail.contains(row.detail) == true, "\(what): \(attempts.first?.detail ?? "-")")
            for (failed, next) in zip(attempts, attempts.dropFirst()) {
                let waited = next.startedAt.timeIntervalSince(failed.finishedAt)
                #expect(waited >= row.gap.seconds, "\(what): retried after \(waited) s, expected ≥ \(row.gap)")
                #expect(waited < row.gap.seconds + 5, "\(what): retried only after \(waited) s")
            }
            switch row.state {
            case .delivered:
                #expect(d.receipt?.publicationID?.hasPrefix(portal.publicationPrefix) == true,
                        "\(what): receipt \(String(describing: d.receipt))")
            case .dead:
                let last = try #require(attempts.last)
                let expected = row.outcomes.last == .rejected
                    ? "rejected: " : "gave up after \(row.outcomes.count) attempts: "
                #expect(d.lastError?.hasPrefix(expected) == true, "\(what): \(d.lastError ?? "-")")
                #expect(d.lastError?.contains(row.detail) == true && last.detail.contains(row.detail))
            default:
                Issue.record("\(what): unexpected final state \(d.state)")
            }

            // The portal's side: one request per attempt, all under the delivery's id, at most one publication.
            let log = world.log(portal, notice: id)
            #expect(log.map(\.outcome) == row.portalLog, "\(what): portal saw \(log.map(\.outcome))")
            #expect(log.allSatisfy { $0.webhookId == d.id }, "\(what): every try carries the delivery id")
            let item = world.sandbox.item(id, of: portal)
            #expect((item?.publications ?? 0) == (row.state == .delivered ? 1 : 0), "\(what): \(String(describing: item?.history))")
            if row.state == .delivered {
                #expect(item?.publicationId == d.receipt?.publicationID && item?.version == 1 && item?.status == .published)
            }
            #expect(world.sandbox.faults(of: portal).isEmpty, "\(what): the injected fault was used up")
        }
        await world.stop()
    }
}
