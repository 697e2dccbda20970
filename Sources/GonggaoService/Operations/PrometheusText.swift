import Foundation

/// Writes the Prometheus text exposition format (version 0.0.4): `# HELP`, `# TYPE`, then samples.
struct PrometheusText {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private(set) var text = ""
    private var declared: Set<String> = []

    /// Declares a metric family once; later calls for the same name do nothing.
    mutating func family(_ name: String, _ type: String, _ help: String) {
        guard declared.insert(name).inserted else { return }
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
        }
        text += " " + Self.format(value) + "\n"
    }

    /// A histogram's cumulative buckets, `+Inf`, sum and count.
    mutating func histogram(_ name: String, _ labels: [(String, String)], _ h: Histogram) {
        var cumulative = 0
        for (bound, count) in zip(h.bounds, h.counts) {
            cumulative += count
            sample(name + "_bucket", labels + [("le", Self.format(bound))], Double(cumulative))
        }
        sample(name + "_bucket", labels + [("le", "+Inf")], Double(h.count))
        sample(name + "_sum", labels, h.sum)
        sample(name + "_count", labels, Double(h.count))
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    static func escapeLabel(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func escapeHelp(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}

/// Observations in fixed buckets (upper bounds, seconds).
struct Histogram: Sendable {
    let bounds: [Double]
    private(set) var counts: [Int]
    private(set) var sum = 0.0
    private(set) var count = 0

    init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count)
    }

    mutating func observe(_ value: Double) {
        sum += value
        count += 1
        if let i = bounds.firstIndex(where: { value <= $0 }) { counts[i] += 1 }
    }
}
