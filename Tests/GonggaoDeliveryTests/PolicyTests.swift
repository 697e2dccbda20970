import Foundation
import GonggaoCore
import Testing

@Suite("Retry policy and delivery machine")
struct PolicyTests {
    let t0 = Date(timeIntervalSince1970: 1_796_090_400)

    @Test func standardScheduleWithoutJitter() {
        let p = RetryPolicy.standard
        #expect(p.maxAttempts == 10)
        let expected: [Double] = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400]
        for (i, seconds) in expected.enumerated() {
            let at = p.nextAttempt(after: i + 1, now: t0, retryAfter: nil, random: 0.5)
            #expect(at == t0.addingTimeInterval(seconds))
        }
        #expect(p.nextAttempt(after: 10, now: t0, retryAfter: nil, random: 0.5) == nil)
    }

    @Test(arguments: [0.0, 0.25, 0.999_999])
    func jitterStaysWithinTwentyPercent(random: Double) throws {
        let at = try #require(RetryPolicy.standard.nextAttempt(after: 2, now: t0, retryAfter: nil, random: random))
        let delay = at.timeIntervalSince(t0)
        #expect(delay >= 240 - 0.001 && delay <= 360 + 0.001)
    }

    @Test func retryAfterIsHonouredWithinTheCap() throws {
        let p = RetryPolicy.standard
        let honoured = try #require(p.nextAttempt(after: 1, now: t0, retryAfter: .seconds(120), random: 0.5))
        #expect(honoured == t0.addingTimeInterval(120))
        let capped = try #require(p.nextAttempt(after: 1, now: t0, retryAfter: .seconds(999_999), random: 0.5))
        #expect(capped == t0.addingTimeInterval(3600))
        // A Retry-After shorter than the schedule never brings a retry forward.
        let longer = try #require(p.nextAttempt(after: 3, now: t0, retryAfter: .seconds(1), random: 0.5))
        #expect(longer == t0.addingTimeInterval(1800))
    }

    func delivery(attempts: Int, purpose: DeliveryPurpose = .publish) -> Delivery {
        var d = Delivery(id: "dlv_x", noticeID: "ntc_x", version: 1, channel: "provincial-portal", purpose: purpose, at: t0)
        d.state = .inFlight
        d.attempts = attempts
        d.leaseOwner = "w"
        return d
    }

    @Test func rejectedIsDeadAtOnce() {
        let a = DeliveryMachine.attemptFinished(delivery(attempts: 1), result: .rejected(reason: "HTTP 400"), stillCurrent: true,
                                                policy: .standard, now: t0, random: 0.5)
        #expect(a == .dead(reason: "rejected: HTTP 400"))
    }

    @Test func retryableRetriesThenDies() {
        let retry = DeliveryMachine.attemptFinished(delivery(attempts: 1), result: .retryable(reason: "HTTP 500", retryAfter: nil),
                                                    stillCurrent: true, policy: .standard, now: t0, random: 0.5)
        #expect(retry == .retry(at: t0.addingTimeInterval(5), reason: "HTTP 500"))
        let dead = DeliveryMachine.attemptFinished(delivery(attempts: 10), result: .retryable(reason: "HTTP 500", retryAfter: nil),
                                                   stillCurrent: true, policy: .standard, now: t0, random: 0.5)
        #expect(dead == .dead(reason: "gave up after 10 attempts: HTTP 500"))
    }

    @Test func aSupersededVersionIsCancelledNotRetried() {
        let a = DeliveryMachine.attemptFinished(delivery(attempts: 1), result: .retryable(reason: "timeout", retryAfter: nil),
                                                stillCurrent: false, policy: .standard, now: t0, random: 0.5)
        guard case .cancel = a else { Issue.record("expected cancel, got \(a)"); return }
        // A withdrawal is always carried through.
        let w = DeliveryMachine.attemptFinished(delivery(attempts: 1, purpose: .withdraw),
                                                result: .retryable(reason: "timeout", retryAfter: nil),
                                                stillCurrent: false, policy: .standard, now: t0, random: 0.5)
        guard case .retry = w else { Issue.record("expected retry, got \(w)"); return }
    }

    @Test func applyReleasesTheLease() {
        let d = DeliveryMachine.apply(.retry(at: t0.addingTimeInterval(5), reason: "HTTP 503"), to: delivery(attempts: 1), now: t0)
        #expect(d.state == .retrying && d.leaseOwner == nil && d.leaseExpiresAt == nil && d.lastError == "HTTP 503")
        let r = DeliveryMachine.requeue(DeliveryMachine.apply(.dead(reason: "x"), to: d, now: t0), now: t0)
        #expect(r.state == .pending && r.attempts == 0 && r.nextAttemptAt == t0)
    }

    @Test func circuitBreakerOpensProbesAndCloses() {
        var b = CircuitBreaker(threshold: 3, cooldown: .seconds(10), maxCooldown: .seconds(40))
        #expect(b.permits(4, now: t0) == 4)
        for _ in 0..<2 { b.record(success: false, now: t0) }
        #expect(b.name == "closed")
        b.record(success: false, now: t0)
        #expect(b.name == "open")
        #expect(b.permits(4, now: t0.addingTimeInterval(9)) == 0)
        #expect(b.permits(4, now: t0.addingTimeInterval(10)) == 1)
        #expect(b.name == "half-open")
        #expect(b.permits(4, now: t0.addingTimeInterval(10)) == 0) // one probe at a time
        b.record(success: false, now: t0.addingTimeInterval(11))
        #expect(b.reopensAt == t0.addingTimeInterval(31)) // cooldown doubled
        #expect(b.permits(1, now: t0.addingTimeInterval(31)) == 1)
        b.releaseProbe()
        #expect(b.permits(1, now: t0.addingTimeInterval(31)) == 1)
        b.record(success: true, now: t0.addingTimeInterval(32))
        #expect(b.name == "closed" && b.consecutiveFailures == 0)
        #expect(b.permits(4, now: t0.addingTimeInterval(32)) == 4)
    }

    @Test func rateLimiterRefills() {
        var r = RateLimiter(rate: 2, burst: 2)
        #expect(r.take(5, now: t0) == 2)
        #expect(r.take(1, now: t0) == 0)
        #expect(r.nextToken(now: t0) == t0.addingTimeInterval(0.5))
        #expect(r.take(5, now: t0.addingTimeInterval(1)) == 2)
        r.giveBack(1)
        #expect(r.take(5, now: t0.addingTimeInterval(1)) == 1)
    }
}
