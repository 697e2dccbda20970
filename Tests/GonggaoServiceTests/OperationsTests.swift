import Foundation
import GonggaoStore
import Synchronization
import GonggaoCore
@testable import GonggaoService
import HTTPTestSupport
import Testing
import TestSupport

@Suite(.serialized) struct OperationsTests {
    @Test func healthAndReadiness() async throws {
        try await ServiceHarness.with { h in
            let health = try await h.call("GET", "/healthz")
            #expect(health.status == 200)
            #expect(health.json?["status"] as? String == "ok")
            let ready = try await h.call("GET", "/readyz")
            #expect(ready.status == 200)
            #expect((ready.json?["checks"] as? [String: String])?["workers"] == "not-configured")
        }
        try await ServiceHarness.with(configure: { $0.workersRunning = { false } }) { h in
            let r = try await h.call("GET", "/readyz")
            #expect(r.status == 503)
            #expect((r.json?["checks"] as? [String: String])?["workers"] == "stopped")
        }
        try await ServiceHarness.with { h in
            await h.store.close()
            let r = try await h.call("GET", "/readyz")
            #expect(r.status == 503)
            #expect((r.json?["checks"] as? [String: String])?["store"]?.hasPrefix("unreachable") == true)
        }
    }

    /// A store that stops answering makes `/readyz` say so within its 2 s bound instead of hanging.
    @Test func readinessIsBoundedWhenTheStoreHangs() async throws {
        let hanging = HangingStore()
        try await ServiceHarness.with(configure: { env in
            env.store = hanging
        }) { h in
            hanging.hang.withLock { $0 = true }
            let start = ContinuousClock.now
            let r = try await h.call("GET", "/readyz")
            #expect(r.status == 503)
            #expect((r.json?["checks"] as? [String: String])?["store"] == "timed out after 2 s")
            #expect(ContinuousClock.now - start < .seconds(6), "bounded by the 2 s store check, not by the hang")
            hanging.hang.withLock { $0 = false }
        }
    }

    /// Every line is a comment (`# HELP`/`# TYPE`) or a sample of a declared family, per the text format.
    @Test(arguments: StoreBackend.allCases)
    func metricsParseAsPrometheusText(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            try await h.importProject()
            let id = try await h.publish(Fixtures.preAnnouncement())
            // Deliver one, kill another, leave two waiting (one due 10 minutes ago).
            try await h.store.write { tx in
                var ds = try tx.deliveries(.init(noticeID: id))
                ds[0].state = .delivered
                ds[0].attempts = 1
                ds[0].updatedAt = ds[0].createdAt.addingTimeInterval(42)
                try tx.updateDelivery(ds[0])
                try tx.appendAttempt(DeliveryAttempt(deliveryID: ds[0].id, number: 1, startedAt: ds[0].createdAt,
                                                     finishedAt: ds[0].updatedAt, outcome: .delivered, detail: "200"))
                ds[1].state = .dead
                ds[1].attempts = 1
                try tx.updateDelivery(ds[1])
                try tx.appendAttempt(DeliveryAttempt(deliveryID: ds[1].id, number: 1, startedAt: ds[1].createdAt,
                                                     finishedAt: ds[1].createdAt, outcome: .rejected, detail: "422"))
            }
            h.clock.advance(by: 600)
            _ = try await h.call("GET", "/api/nothing", as: "vera")
            let r = try await h.call("GET", "/metrics")
            #expect(r.status == 200)
            #expect(r.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            let samples = try PrometheusParser.parse(r.text)

            #expect(samples["gonggao_deliveries{channel=\"print\",state=\"delivered\"}"] == 1)
            #expect(samples["gonggao_deliveries{channel=\"provincial-portal\",state=\"dead\"}"] == 1)
            #expect(samples["gonggao_deliveries{channel=\"county-column\",state=\"pending\"}"] == 1)
            #expect(samples["gonggao_delivery_attempts_total{channel=\"print\",outcome=\"delivered\"}"] == 1)
            #expect(samples["gonggao_delivery_attempts_total{channel=\"provincial-portal\",outcome=\"rejected\"}"] == 1)
            #expect(samples["gonggao_delivery_latency_seconds_bucket{channel=\"print\",le=\"15\"}"] == 0)
            #expect(samples["gonggao_delivery_latency_seconds_bucket{channel=\"print\",le=\"60\"}"] == 1)
            #expect(samples["gonggao_delivery_latency_seconds_sum{channel=\"print\"}"] == 42)
            #expect(samples["gonggao_delivery_queue_depth{channel=\"county-column\"}"] == 1)
            #expect(samples["gonggao_delivery_oldest_due_age_seconds{channel=\"county-column\"}"] ?? 0 >= 600)
            #expect(samples["gonggao_channel_circuit_state{channel=\"county-column\",state=\"open\"}"] == 1)
            #expect(samples["gonggao_channel_circuit_state{channel=\"print\",state=\"closed\"}"] == 1)
            #expect(samples["gonggao_notices{state=\"approved\"}"] == 1)
            #expect(samples["gonggao_http_requests_total{method=\"POST\",route=\"/api/notices/{id}/approve\",status=\"200\"}"] == 1)
            #expect(samples["gonggao_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"] == 1)
            #expect(samples["gonggao_http_request_duration_seconds_count"] ?? 0 >= 5)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func deliveriesShowRetryAndReplay(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            try await h.importProject()
            let id = try await h.publish(Fixtures.preAnnouncement())
            let dead = try await h.store.write { tx -> [String] in
                var ids: [String] = []
                for var d in try tx.deliveries(.init(noticeID: id)).prefix(2) {
                    d.state = .dead
                    d.attempts = 8
                    d.lastError = "HTTP 500"
                    try tx.updateDelivery(d)
                    try tx.appendAttempt(DeliveryAttempt(deliveryID: d.id, number: 8, startedAt: d.createdAt,
                                                         finishedAt: d.createdAt, outcome: .retryable, detail: "HTTP 500"))
                    ids.append(d.id)
                }
                return ids
            }
            let show = try await h.call("GET", "/api/deliveries/\(dead[0])", as: "vera")
            #expect(show.status == 200)
            #expect((show.json?["attemptLog"] as? [Any])?.count == 1)
            #expect(try await h.call("GET", "/api/deliveries/dlv_nope", as: "vera").status == 404)
            let list = try await h.call("GET", "/api/deliveries?state=dead", as: "vera")
            #expect(list.json?["count"] as? Int == 2)

            let wakesBefore = h.wakes
            let retried = try await h.call("POST", "/api/deliveries/\(dead[0])/retry", as: "bob")
            #expect(retried.status == 200)
            #expect(retried.json?["state"] as? String == "pending")
            #expect(h.wakes == wakesBefore + 1)
            let again = try await h.call("POST", "/api/deliveries/\(dead[0])/retry", as: "bob")
            #expect(again.status == 409)
            #expect(again.json?["error"] as? String == "not-retryable")

            let channel = try await h.store.read { tx in try tx.delivery(dead[1])!.channel }
            let replay = try await h.call("POST", "/api/deliveries/replay", as: "carol", json: ["channel": channel, "since": "2026-01-01"])
            #expect(replay.status == 200)
            #expect(replay.json?["count"] as? Int == 1)
            let badChannel = try await h.call("POST", "/api/deliveries/replay", as: "carol", json: ["channel": "fax", "since": "2026-01-01"])
            #expect(badChannel.status == 422)
            #expect(badChannel.json?["field"] as? String == "channel")
            let badSince = try await h.call("POST", "/api/deliveries/replay", as: "carol", json: ["channel": channel, "since": "yesterday"])
            #expect(badSince.json?["field"] as? String == "since")

            let paused = try await h.call("POST", "/api/channels/print/pause", as: "bob")
            #expect(paused.json?["paused"] as? Bool == true)
            let channels = try await h.call("GET", "/api/channels", as: "vera")
            let items = channels.json?["items"] as? [[String: Any]] ?? []
            #expect(items.compactMap { $0["channel"] as? String } == Fixtures.channels)
            #expect(items.first { $0["channel"] as? String == "county-column" }?["circuit"] as? String == "open")
            #expect(try await h.call("POST", "/api/channels/fax/pause", as: "bob").status == 404)
        }
    }
}

/// A strict line-by-line reader of the Prometheus text format (0.0.4).
enum PrometheusParser {
    struct Failure: Error, CustomStringConvertible {
        let line: Int
        let text: String
        var description: String { "metrics line \(line): \(text)" }
    }

    /// Samples by `name{labels}` as written; throws on any line that does not fit the format.
    static func parse(_ text: String) throws -> [String: Double] {
        let name = #"[a-zA-Z_:][a-zA-Z0-9_:]*"#
        let label = #"[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\\\|\\"|\\n)*""#
        let sample = try Regex("^(\(name))(\\{\(label)(?:,\(label))*\\})? (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)$")
        let help = try Regex("^# HELP (\(name)) .*$")
        let type = try Regex("^# TYPE (\(name)) (counter|gauge|histogram|summary|untyped)$")
        var declared: [String: String] = [:]
        var samples: [String: Double] = [:]
        guard text.hasSuffix("\n") else { throw Failure(line: 0, text: "the text must end with a newline") }
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let s = String(line)
            if let m = s.wholeMatch(of: type) {
                let family = String(m.output[1].substring!)
                guard declared[family] == nil else { throw Failure(line: i + 1, text: "TYPE twice: \(s)") }
                declared[family] = String(m.output[2].substring!)
            } else if s.wholeMatch(of: help) != nil {
                continue
            } else if let m = s.wholeMatch(of: sample) {
                let metric = String(m.output[1].substring!)
                let family = declared.keys.first { f in
                    metric == f || (declared[f] == "histogram" && ["_bucket", "_sum", "_count"].contains { metric == f + $0 })
                }
                guard family != nil else { throw Failure(line: i + 1, text: "sample of an undeclared family: \(s)") }
                let key = metric + (m.output[2].substring.map(String.init) ?? "")
                guard samples[key] == nil else { throw Failure(line: i + 1, text: "duplicate sample: \(s)") }
                let raw = String(m.output[3].substring!)
                guard let value = raw == "+Inf" ? Double.infinity : raw == "-Inf" ? -Double.infinity : Double(raw) else {
                    throw Failure(line: i + 1, text: "bad value: \(s)")
                }
                samples[key] = value
            } else {
                throw Failure(line: i + 1, text: s)
            }
        }
        return samples
    }
}

/// A memory store whose reads can be made to hang (while `hang` is set).
final class HangingStore: NoticeStore {
    let inner = MemoryStore()
    let hang = Mutex(false)

    var auditHead: any AuditHeadRecorder { inner.auditHead }

    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        while hang.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(20)) }
        return try await inner.read(body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await inner.write(body)
    }

    func close() async { await inner.close() }
}
