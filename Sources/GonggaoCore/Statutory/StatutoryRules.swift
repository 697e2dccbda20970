/// The statutory clocks as data (`Config/rules.json`), with the defaults the law sets
/// (Land Administration Law 2019 art. 47; Implementing Regulations 2021 art. 26–32).
public struct StatutoryRules: Codable, Equatable, Sendable {
    /// A length of time: so many working or calendar days.
    public struct Period: Codable, Equatable, Sendable, CustomStringConvertible {
        public var days: Int
        public var unit: DayUnit

        public init(_ days: Int, _ unit: DayUnit) {
            self.days = days
            self.unit = unit
        }

        public var description: String { "\(days) \(unit == .working ? "working days" : "days")" }
        public var chinese: String { unit == .working ? "\(days)个工作日" : "\(days)日" }
    }

    /// A stage that may be approved only after an earlier stage's posting period has run.
    public struct Gate: Codable, Equatable, Sendable {
        /// The stage being approved.
        public var kind: NoticeKind
        /// The stage whose posting period must have run first.
        public var after: NoticeKind
        /// The rule, as cited in the refusal.
        public var rule: String
    }

    /// Minimum posting period per notice kind, counted from the day after the last posting place's
    /// confirmed posting. Default: pre-announcement and survey results 10 working days (Reg. 26),
    /// compensation plan 30 days (Law 47, Reg. 28), a hearing's revised plan 10 working days.
    public var postingPeriods: [NoticeKind: Period]
    /// Every posting place must confirm its posting within this many working days of the approval.
    /// Default 3.
    public var postWithin: Period
    /// The expropriation announcement must be approved within this long of receiving the approval
    /// (its `approval.date`). Default 15 working days (Reg. 31).
    public var expropriationWithin: Period
    /// A project with no progress (an approved notice, a posting, a payment) for this long warns.
    /// Default 60 days.
    public var noProgress: Period
    /// Warnings fire this long before a due date, and again at the breach. Default 2 working days.
    public var warningLead: Period
    /// Every portal channel must have confirmed publication by the posting start. Default true.
    public var channelsConfirmedByPostingStart: Bool
    /// Stage gates. Default: the compensation plan after the pre-announcement's period; the
    /// expropriation announcement after the compensation plan's.
    public var gates: [Gate]

    public init(
        postingPeriods: [NoticeKind: Period] = Self.defaultPostingPeriods, postWithin: Period = Period(3, .working),
        expropriationWithin: Period = Period(15, .working), noProgress: Period = Period(60, .calendar),
        warningLead: Period = Period(2, .working), channelsConfirmedByPostingStart: Bool = true,
        gates: [Gate] = Self.defaultGates
    ) {
        self.postingPeriods = postingPeriods
        self.postWithin = postWithin
        self.expropriationWithin = expropriationWithin
        self.noProgress = noProgress
        self.warningLead = warningLead
        self.channelsConfirmedByPostingStart = channelsConfirmedByPostingStart
        self.gates = gates
    }

    public static let defaultPostingPeriods: [NoticeKind: Period] = [
        .preAnnouncement: Period(10, .working),
        .surveyResults: Period(10, .working),
        .compensationPlan: Period(30, .calendar),
        .hearing: Period(10, .working),
    ]

    public static let defaultGates: [Gate] = [
        Gate(kind: .compensationPlan, after: .preAnnouncement,
             rule: "《土地管理法实施条例》第二十六条：征收土地预公告张贴期限不少于十个工作日"),
        Gate(kind: .expropriation, after: .compensationPlan,
             rule: "《土地管理法》第四十七条：征地补偿安置方案公告期限至少三十日"),
    ]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case postingPeriods, postWithin, expropriationWithin, noProgress, warningLead, channelsConfirmedByPostingStart, gates
    }

    /// Every key is optional: a missing one takes its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = StatutoryRules()
        if let periods = try c.decodeIfPresent([String: Period].self, forKey: .postingPeriods) {
            var byKind: [NoticeKind: Period] = [:]
            for (name, period) in periods {
                guard let kind = NoticeKind(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(forKey: .postingPeriods, in: c,
                        debugDescription: "'\(name)' is not a notice kind (one of: \(NoticeKind.names))")
                }
                byKind[kind] = period
            }
            postingPeriods = byKind
        } else {
            postingPeriods = d.postingPeriods
        }
        postWithin = try c.decodeIfPresent(Period.self, forKey: .postWithin) ?? d.postWithin
        expropriationWithin = try c.decodeIfPresent(Period.self, forKey: .expropriationWithin) ?? d.expropriationWithin
        noProgress = try c.decodeIfPresent(Period.self, forKey: .noProgress) ?? d.noProgress
        warningLead = try c.decodeIfPresent(Period.self, forKey: .warningLead) ?? d.warningLead
        channelsConfirmedByPostingStart = try c.decodeIfPresent(Bool.self, forKey: .channelsConfirmedByPostingStart)
            ?? d.channelsConfirmedByPostingStart
        gates = try c.decodeIfPresent([Gate].self, forKey: .gates) ?? d.gates
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Dictionary(uniqueKeysWithValues: postingPeriods.map { ($0.key.rawValue, $0.value) }), forKey: .postingPeriods)
        try c.encode(postWithin, forKey: .postWithin)
        try c.encode(expropriationWithin, forKey: .expropriationWithin)
        try c.encode(noProgress, forKey: .noProgress)
        try c.encode(warningLead, forKey: .warningLead)
        try c.encode(channelsConfirmedByPostingStart, forKey: .channelsConfirmedByPostingStart)
        try c.encode(gates, forKey: .gates)
    }

    /// The first value that cannot work, as `key: reason`.
    public var problem: String? {
        for (kind, p) in postingPeriods.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where p.days < 1 || p.days > 366 {
            return "postingPeriods.\(kind.rawValue).days: must be 1…366 (got \(p.days))"
        }
        let named: [(String, Period)] = [("postWithin", postWithin), ("expropriationWithin", expropriationWithin),
                                         ("noProgress", noProgress), ("warningLead", warningLead)]
        for (name, p) in named where p.days < 0 || p.days > 366 { return "\(name).days: must be 0…366 (got \(p.days))" }
        for (i, g) in gates.enumerated() where g.kind == g.after { return "gates[\(i)]: a stage cannot wait for itself" }
        return nil
    }
}
