import Foundation

extension ChannelConfig {
    /// `channels[i].delivery`: this channel's lane limits and retry policy. Every key is optional and
    /// falls back to the config's global `delivery` block, so one slow portal can get a gentler
    /// rate, a longer retry schedule or a longer lease without touching the others.
    ///
    /// ```json
    /// "delivery": {"concurrency": 2, "ratePerSecond": 5, "breakerThreshold": 3, "breakerCooldownSeconds": 30,
    ///              "retryScheduleSeconds": [0, 10, 600], "retryJitter": 0.1, "leaseSeconds": 120}
    /// ```
    public struct DeliveryOverrides: Sendable, Equatable, Decodable {
        /// Sends in flight at once on this channel (1…256).
        public var concurrency: Int?
        /// Sends started per second, on average (0.01…100000).
        public var ratePerSecond: Double?
        /// Consecutive failures that open the circuit (1…1000).
        public var breakerThreshold: Int?
        /// How long an open circuit waits before one probe, in seconds (0.01…3600).
        public var breakerCooldownSeconds: Double?
        /// Delays in seconds after each failed attempt, then dead-letter (each 0…604800).
        public var retryScheduleSeconds: [Double]?
        /// ± jitter on each retry delay, as a fraction (0…0.9).
        public var retryJitter: Double?
        /// How long a claim holds a delivery, in seconds; must be longer than the channel's timeout
        /// plus the engine's margin. Default: twice the timeout plus 30 s.
        public var leaseSeconds: Double?

        public init(concurrency: Int? = nil, ratePerSecond: Double? = nil, breakerThreshold: Int? = nil,
                    breakerCooldownSeconds: Double? = nil, retryScheduleSeconds: [Double]? = nil, retryJitter: Double? = nil,
                    leaseSeconds: Double? = nil) {
            self.concurrency = concurrency
            self.ratePerSecond = ratePerSecond
            self.breakerThreshold = breakerThreshold
            self.breakerCooldownSeconds = breakerCooldownSeconds
            self.retryScheduleSeconds = retryScheduleSeconds
            self.retryJitter = retryJitter
            self.leaseSeconds = leaseSeconds
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case concurrency, ratePerSecond, breakerThreshold, breakerCooldownSeconds, retryScheduleSeconds, retryJitter
            case leaseSeconds
        }

        public init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownChannelKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency)
            ratePerSecond = try c.decodeIfPresent(Double.self, forKey: .ratePerSecond)
            breakerThreshold = try c.decodeIfPresent(Int.self, forKey: .breakerThreshold)
            breakerCooldownSeconds = try c.decodeIfPresent(Double.self, forKey: .breakerCooldownSeconds)
            retryScheduleSeconds = try c.decodeIfPresent([Double].self, forKey: .retryScheduleSeconds)
            retryJitter = try c.decodeIfPresent(Double.self, forKey: .retryJitter)
            leaseSeconds = try c.decodeIfPresent(Double.self, forKey: .leaseSeconds)
            if let problem = problem() {
                throw decoder.channelConfigProblem(at: problem.keys, problem.message)
            }
        }

        /// The first out-of-range value as (keys below `delivery`, message), or nil.
        func problem() -> (keys: [any CodingKey], message: String)? {
            func outside<T: Comparable>(_ value: T?, _ range: ClosedRange<T>, _ key: CodingKeys) -> (keys: [any CodingKey], message: String)? {
                guard let value, !range.contains(value) else { return nil }
                return ([key], "must be \(range.lowerBound)…\(range.upperBound), not \(value)")
            }
            if let p = outside(concurrency, 1...256, .concurrency) { return p }
            if let p = outside(ratePerSecond, 0.01...100_000, .ratePerSecond) { return p }
            if let p = outside(breakerThreshold, 1...1000, .breakerThreshold) { return p }
            if let p = outside(breakerCooldownSeconds, 0.01...3600, .breakerCooldownSeconds) { return p }
            if let p = outside(retryJitter, 0...0.9, .retryJitter) { return p }
            if let p = outside(leaseSeconds, 1...86_400, .leaseSeconds) { return p }
            for (i, delay) in (retryScheduleSeconds ?? []).enumerated() where !(0...604_800).contains(delay) {
                return ([CodingKeys.retryScheduleSeconds, ChannelConfigKey(index: i)], "must be 0…604800 seconds, not \(delay)")
            }
            return nil
        }
    }

    /// `delivery` problems in `firstProblem`'s form (`["delivery", "retryScheduleSeconds[2]"]`).
    func deliveryProblem() -> (keys: [String], message: String)? {
        guard let problem = delivery?.problem() else { return nil }
        return (["delivery", keyPathText(problem.keys)], problem.message)
    }
}
