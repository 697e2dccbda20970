import Synchronization

/// Requests served, by method, route pattern and status, and their durations.
final class HTTPMetrics: Sendable {
    struct Key: Hashable, Sendable {
        let method: String
        let route: String
        let status: Int
    }

    static let durationBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct State {
        var requests: [Key: Int] = [:]
        var durations = Histogram(bounds: HTTPMetrics.durationBounds)
    }

    private let state = Mutex(State())

    func record(method: String, route: String, status: Int, seconds: Double) {
        state.withLock { s in
            s.requests[Key(method: method, route: route, status: status), default: 0] += 1
            s.durations.observe(seconds)
        }
    }

    func write(to out: inout PrometheusText) {
        let (requests, durations) = state.withLock { ($0.requests, $0.durations) }
        out.family("gonggao_http_requests_total", "counter", "HTTP requests answered, by method, route pattern and status.")
        let sorted = requests.sorted { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }
        for (key, count) in sorted {
            out.sample("gonggao_http_requests_total",
                       [("method", key.method), ("route", key.route), ("status", "\(key.status)")], Double(count))
        }
        out.family("gonggao_http_request_duration_seconds", "histogram", "Time from a complete request to its answer.")
        out.histogram("gonggao_http_request_duration_seconds", [], durations)
    }
}
