import Foundation
import GonggaoCore
import GonggaoHTTP
import Synchronization

/// `/readyz`'s answer.
struct Readiness: Encodable, Sendable {
    let status: String
    let checks: [String: String]
}

extension ServiceApp {
    var operationEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/healthz", .everyone) { _ in
                .json(["status": "ok"]).adding("Cache-Control", "no-store")
            },
            Endpoint(.get, "/readyz", .everyone) { [self] _ in await readiness() },
            Endpoint(.get, "/metrics", .everyone) { [self] _ in try await metrics() },
            Endpoint(.get, "/openapi.json", .everyone) { [self] _ in
                .json(bytes: openAPIBody).adding("Cache-Control", "public, max-age=3600")
            },
        ]
    }

    /// Ready when the store answers within 2 s and, if this process runs workers, they run.
    func readiness() async -> HTTPResponse {
        var checks: [String: String] = [:]
        var ready = true
        let store = environment.store
        let reachable = await Self.firstOf(timeout: .seconds(2), timedOut: "timed out after 2 s") {
            do {
                _ = try await store.read { tx in try tx.lastAuditEntry()?.seq }
                return "ok"
            } catch {
                return "unreachable: \(error)"
            }
        }
        checks["store"] = reachable
        if reachable != "ok" { ready = false }
        if let running = environment.workersRunning {
            let ok = running()
            checks["workers"] = ok ? "ok" : "stopped"
            if !ok { ready = false }
        } else {
            checks["workers"] = "not-configured"
        }
        return .json(Readiness(status: ready ? "ready" : "not-ready", checks: checks), status: ready ? 200 : 503)
            .adding("Cache-Control", "no-store")
    }

    /// `work`'s answer, or `timedOut` when it takes longer than `timeout` (a hung store must not
    /// hang `/readyz`; the work is left to finish on its own).
    static func firstOf(timeout: Duration, timedOut: String, _ work: @escaping @Sendable () async -> String) async -> String {
        let once = Once()
        return await withCheckedContinuation { (c: CheckedContinuation<String, Never>) in
            Task {
                let text = await work()
                if once.claim() { c.resume(returning: text) }
            }
            Task {
                try? await Task.sleep(for: timeout)
                if once.claim() { c.resume(returning: timedOut) }
            }
        }
    }

    func metrics() async throws -> HTTPResponse {
        let channels = environment.desk.channels
        let now = environment.now()
        let store = environment.store
        let fromStore = try await storeMetrics.get {
            try await store.read { tx in try StoreMetrics.read(tx, channels: channels, now: now) }
        }
        var out = PrometheusText()
        fromStore.write(to: &out)
        let lanes = environment.laneStatus()
        out.family("gonggao_channel_circuit_state", "gauge", "1 for the circuit breaker's current state of each channel's lane.")
        for lane in lanes.sorted(by: { $0.channel < $1.channel }) {
            for state in ["closed", "open", "half-open"] {
                out.sample("gonggao_channel_circuit_state", [("channel", lane.channel), ("state", state)], lane.circuit == state ? 1 : 0)
            }
        }
        out.family("gonggao_channel_in_flight", "gauge", "Sends in flight in this process, per channel.")
        for lane in lanes.sorted(by: { $0.channel < $1.channel }) {
            out.sample("gonggao_channel_in_flight", [("channel", lane.channel)], Double(lane.inFlight))
        }
        httpMetrics.write(to: &out)
        return .text(out.text, contentType: PrometheusText.contentType).adding("Cache-Control", "no-store")
    }
}

/// True for the first caller of `claim()` only.
final class Once: Sendable {
    private let claimed = Mutex(false)

    func claim() -> Bool {
        claimed.withLock { done in
            defer { done = true }
            return !done
        }
    }
}
