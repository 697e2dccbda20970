/// Everything the rules look at for one project on one day (read from the store by the caller).
public struct ProjectFacts: Sendable {
    public var project: Project
    /// The latest version of each of the project's notices.
    public var notices: [NoticeVersion]
    public var postings: [PostingConfirmation]
    public var payments: [PaymentRecord]
    /// For each approved version (`ntc_…/v1`): its portal channels and the day each delivered it
    /// (nil while not delivered).
    public var channelDeliveries: [String: [String: CivilDate?]]

    public init(project: Project, notices: [NoticeVersion], postings: [PostingConfirmation], payments: [PaymentRecord],
                channelDeliveries: [String: [String: CivilDate?]] = [:]) {
        self.project = project
        self.notices = notices
        self.postings = postings
        self.payments = payments
        self.channelDeliveries = channelDeliveries
    }

    /// The statutory schedule of an approved version.
    public func schedule(of v: NoticeVersion, rules: StatutoryRules, calendar: WorkingDayCalendar) -> PostingSchedule? {
        guard v.state == .approved, let at = v.approvedAt else { return nil }
        return PostingSchedule(
            kind: v.content.kind, approvedOn: CivilDate(at), places: v.content.postingPlaces(in: project),
            confirmations: postings.filter { $0.noticeID == v.id && $0.version == v.version }, rules: rules, calendar: calendar)
    }

    /// The schedule of the latest approved notice of each kind (for stage gates).
    public func stageSchedules(rules: StatutoryRules, calendar: WorkingDayCalendar) -> [NoticeKind: PostingSchedule] {
        var result: [NoticeKind: PostingSchedule] = [:]
        for v in notices where v.state == .approved {
            guard let s = schedule(of: v, rules: rules, calendar: calendar) else { continue }
            if let existing = result[v.content.kind], existing.approvedOn > s.approvedOn { continue }
            result[v.content.kind] = s
        }
        return result
    }

    /// The last day anything moved: an approval, a posting, a payment; nil when nothing has.
    public var lastProgress: CivilDate? {
        let approvals = notices.compactMap { $0.approvedAt.map(CivilDate.init) }
        return (approvals + postings.map(\.postedOn) + payments.map(\.paidOn)).max()
    }
}

/// The statutory warning rules: what is due, by when, and how close it is, on `today`.
public struct WarningRules: Sendable {
    public let rules: StatutoryRules
    public let calendar: WorkingDayCalendar

    public init(rules: StatutoryRules, calendar: WorkingDayCalendar) {
        self.rules = rules
        self.calendar = calendar
    }

    public func evaluate(_ facts: ProjectFacts, today: CivilDate) -> [WarningFinding] {
        var findings: [WarningFinding] = []
        let projectKey = facts.project.key
        func consider(_ kind: WarningKind, key: String, notice: String?, subject: String, due: LegalDate, _ message: String) {
            guard let severity = severity(due: due, today: today) else { return }
            findings.append(WarningFinding(key: "\(kind.rawValue)|\(key)", kind: kind, project: projectKey, notice: notice,
                                           subject: subject, due: due, severity: severity, message: message))
        }

        for v in facts.notices {
            if let s = facts.schedule(of: v, rules: rules, calendar: calendar) {
                for (place, posted) in s.places where posted == nil {
                    consider(.notPosted, key: "\(v.reference)|\(place.id)", notice: v.reference, subject: place.id, due: s.postBy,
                             "\(v.content.kind.chineseName) \(v.reference) 尚未在\(place.name)张贴确认（应于\(s.postBy.chinese)前）")
                }
                if rules.channelsConfirmedByPostingStart {
                    let start = s.periodStart.map { LegalDate($0) } ?? s.postBy
                    for (channel, delivered) in (facts.channelDeliveries[v.reference] ?? [:]).sorted(by: { $0.key < $1.key })
                    where delivered == nil {
                        consider(.channelUnconfirmed, key: "\(v.reference)|\(channel)", notice: v.reference, subject: channel,
                                 due: start, "\(v.reference) 尚未由渠道 \(channel) 确认发布（张贴开始：\(start.chinese)）")
                    }
                }
                if v.content.kind == .compensationPlan, let due = v.content.payment?.dueDate {
                    let paid = Set(facts.payments.map(\.parcel))
                    for parcel in v.content.parcels where !paid.contains(parcel) {
                        consider(.paymentOverdue, key: "\(v.id)|\(parcel)", notice: v.reference, subject: parcel, due: LegalDate(due),
                                 "地块 \(parcel) 的征地补偿款尚未登记支付（应于\(due.chinese)前支付）")
                    }
                }
            } else if v.content.kind == .expropriation, v.state == .draft || v.state == .submitted,
                      let received = v.content.approval?.date {
                let due = calendar.adding(rules.expropriationWithin.days, rules.expropriationWithin.unit, to: received)
                consider(.expropriationDeadline, key: v.id, notice: v.reference, subject: received.description, due: due,
                         "征收土地公告应于收到批准文件后\(rules.expropriationWithin.chinese)内发布（\(due.chinese)前），\(v.reference) 尚未批准")
            }
        }

        if let last = facts.lastProgress {
            let due = calendar.adding(rules.noProgress.days, rules.noProgress.unit, to: last)
            consider(.noProgress, key: projectKey, notice: nil, subject: projectKey, due: due,
                     "项目 \(projectKey) 自\(last.chinese)起无进展，\(rules.noProgress.chinese)期限至\(due.chinese)")
        }

        // Every date shown for the project counts, not only warnings' due dates: a posting period's end
        // or a next stage's earliest date reaching into a year without a calendar keeps the warning open
        // until that year's file is added.
        var shown = findings.map(\.due)
        for v in facts.notices {
            guard let s = facts.schedule(of: v, rules: rules, calendar: calendar) else { continue }
            shown.append(s.postBy)
            if let end = s.periodEnd { shown.append(end) }
        }
        let years = Set(shown.flatMap(\.missingYears))
        for year in years.sorted() {
            let first = shown.filter { $0.missingYears.contains(year) }.min()!
            findings.append(WarningFinding(
                key: "\(WarningKind.calendarMissing.rawValue)|\(year)", kind: .calendarMissing, project: projectKey, notice: nil,
                subject: "\(year)", due: first, severity: .upcoming,
                message: "缺少\(year)年工作日历（Config/calendars/CN-\(year).json）：相关日期按周末推算，为暂定日期"))
        }
        return findings
    }

    /// nil while the due date is further off than the lead time.
    func severity(due: LegalDate, today: CivilDate) -> WarningSeverity? {
        if today > due.date { return .breached }
        let from = rules.warningLead.unit == .working
            ? calendar.subtractingWorkingDays(rules.warningLead.days, from: due.date).date
            : due.date.adding(days: -rules.warningLead.days)
        return today >= from ? .upcoming : nil
    }
}
