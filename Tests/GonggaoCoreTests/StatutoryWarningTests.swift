import Foundation
import GonggaoCore
import Testing
import TestSupport

/// Posting schedules, stage gates and the warning rules with a fixed calendar and fixed days.
@Suite struct StatutoryWarningTests {
    static func d(_ text: String) -> CivilDate { CivilDate(iso: text)! }
    /// 10:00 in Shanghai on `day`.
    static func at(_ day: String) -> Date { d(day).startInstant.addingTimeInterval(10 * 3600) }

    let calendar = try! StatutoryClockTests.shippedCalendar()
    let rules = StatutoryRules()
    let project = Fixtures.sampleProject()

    func approved(_ content: NoticeContent, on day: String, id: String = "ntc_pre000000000") -> NoticeVersion {
        var v = NoticeVersion(id: id, version: 1, content: content, drafter: "alice", at: Self.at(day))
        v.state = .approved
        v.approvedAt = Self.at(day)
        v.approvedBy = "bob"
        return v
    }

    func posting(_ v: NoticeVersion, _ place: PostingPlace, on day: String) -> PostingConfirmation {
        PostingConfirmation(id: "pst_\(place.name)", noticeID: v.id, version: v.version, place: place, board: "公告栏",
                            postedOn: Self.d(day), confirmedBy: "poster", confirmedAt: Self.at(day))
    }

    static let township = PostingPlace(.township, "梅溪镇")
    static let hongmiao = PostingPlace(.village, "红庙村")
    static let jingwan = PostingPlace(.village, "荆湾村")

    @Test func postingPlacesAreTheTownshipAndEveryVillage() {
        #expect(Fixtures.preAnnouncement().postingPlaces(in: project) == [Self.township, Self.hongmiao, Self.jingwan])
        #expect(PostingPlace(id: "village:红庙村") == Self.hongmiao)
        #expect(PostingPlace(id: "town:梅溪镇") == nil && PostingPlace(id: "village:") == nil)
    }

    @Test func thePeriodRunsFromTheLastPlacesPostingAcross国庆() {
        let v = approved(Fixtures.preAnnouncement(), on: "2026-09-25")
        var facts = ProjectFacts(project: project, notices: [v], postings: [
            posting(v, Self.township, on: "2026-09-27"), posting(v, Self.hongmiao, on: "2026-09-28"),
        ], payments: [])
        let partial = facts.schedule(of: v, rules: rules, calendar: calendar)!
        #expect(partial.periodStart == nil && partial.periodEnd == nil, "one village has not posted")
        #expect(partial.postBy.date == Self.d("2026-09-30"), "3 working days after Friday 09-25: 09-28, 09-29, 09-30")

        facts.postings.append(posting(v, Self.jingwan, on: "2026-09-29"))
        let full = facts.schedule(of: v, rules: rules, calendar: calendar)!
        #expect(full.periodStart == Self.d("2026-09-29"))
        #expect(full.periodEnd?.date == Self.d("2026-10-19"))
        #expect(full.nextStageEarliest?.date == Self.d("2026-10-20"))
    }

    @Test func aStageGateRefusesUntilThePeriodHasRunAndCitesTheRule() {
        let pre = approved(Fixtures.preAnnouncement(), on: "2026-09-25")
        let facts = ProjectFacts(project: project, notices: [pre], postings: [Self.township, Self.hongmiao, Self.jingwan].map {
            posting(pre, $0, on: "2026-09-29")
        }, payments: [])
        let earlier = facts.stageSchedules(rules: rules, calendar: calendar)
        let early = StageGate.check(kind: .compensationPlan, today: Self.d("2026-10-19"), earlier: earlier, rules: rules)
        guard case .closed(let rule, let reason, let earliest) = early else {
            Issue.record("the gate must be closed on 10-19: \(early)")
            return
        }
        #expect(rule.contains("第二十六条") && reason.contains("2026-10-19"))
        #expect(earliest?.date == Self.d("2026-10-20"))
        #expect(StageGate.check(kind: .compensationPlan, today: Self.d("2026-10-20"), earlier: earlier, rules: rules) == .open)
        #expect(StageGate.check(kind: .preAnnouncement, today: Self.d("2026-09-01"), earlier: [:], rules: rules) == .open,
                "the first stage has no gate")
        let never = StageGate.check(kind: .expropriation, today: Self.d("2027-06-01"), earlier: earlier, rules: rules)
        guard case .closed(_, let why, nil) = never else {
            Issue.record("no compensation plan: closed without a date: \(never)")
            return
        }
        #expect(why.contains("no approved compensation-plan"))
    }

    @Test func aPreAnnouncementNeverPostedWarnsBeforeAndAtTheBreachPerPlace() {
        let v = approved(Fixtures.preAnnouncement(), on: "2026-12-01")
        let facts = ProjectFacts(project: project, notices: [v], postings: [posting(v, Self.township, on: "2026-12-01")], payments: [])
        let engine = WarningRules(rules: rules, calendar: calendar)
        #expect(engine.evaluate(facts, today: Self.d("2026-12-01")).filter { $0.kind == .notPosted }.isEmpty,
                "due 12-04; the 2-working-day lead starts 12-02")
        let before = engine.evaluate(facts, today: Self.d("2026-12-02")).filter { $0.kind == .notPosted }
        #expect(before.map(\.subject).sorted() == ["village:红庙村", "village:荆湾村"])
        #expect(before.allSatisfy { $0.severity == .upcoming && $0.due.date == Self.d("2026-12-04") })
        let after = engine.evaluate(facts, today: Self.d("2026-12-07")).filter { $0.kind == .notPosted }
        #expect(after.count == 2 && after.allSatisfy { $0.severity == .breached })
    }

    @Test func aProjectIdleFor60DaysWarns() {
        let v = approved(Fixtures.preAnnouncement(), on: "2026-10-09")
        let facts = ProjectFacts(project: project, notices: [v], postings: [Self.township, Self.hongmiao, Self.jingwan].map {
            posting(v, $0, on: "2026-10-10")
        }, payments: [])
        let engine = WarningRules(rules: rules, calendar: calendar)
        #expect(engine.evaluate(facts, today: Self.d("2026-12-04")).filter { $0.kind == .noProgress }.isEmpty)
        let idle = engine.evaluate(facts, today: Self.d("2026-12-10")).filter { $0.kind == .noProgress }
        #expect(idle.count == 1 && idle[0].severity == .breached && idle[0].due.date == Self.d("2026-12-09"))
    }

    @Test func aDeadlineReachingIntoAMissingYearIsProvisionalAndWarnsOfTheCalendar() {
        let v = approved(Fixtures.preAnnouncement(), on: "2026-12-30")
        let facts = ProjectFacts(project: project, notices: [v], postings: [], payments: [])
        let findings = WarningRules(rules: rules, calendar: calendar).evaluate(facts, today: Self.d("2027-01-05"))
        let notPosted = findings.filter { $0.kind == .notPosted }
        #expect(!notPosted.isEmpty && notPosted.allSatisfy { $0.due.provisional && $0.due.date == Self.d("2027-01-04") })
        let missing = findings.filter { $0.kind == .calendarMissing }
        #expect(missing.map(\.subject) == ["2027"] && missing[0].message.contains("CN-2027.json"))
    }

    @Test func paymentAndExpropriationDeadlines() {
        var plan = Fixtures.compensationPlan()
        plan.payment = PaymentTerms(dueDate: Self.d("2026-12-31"))
        let v = approved(plan, on: "2026-11-02", id: "ntc_plan00000000")
        var expropriation = Fixtures.content(.expropriation)
        expropriation.approval = ApprovalReference(authority: "浙江省人民政府", documentNumber: "浙土字〔2026〕99号",
                                                   date: Self.d("2026-12-01"))
        let draft = NoticeVersion(id: "ntc_exp000000000", version: 1, content: expropriation, drafter: "alice",
                                  at: Self.at("2026-12-02"))
        let paid = PaymentRecord(id: "pay_1", project: project.key, parcel: Fixtures.parcel1, payeeGroup: "红庙村股份经济合作社",
                                 amountYuan: 1_000_000, paidOn: Self.d("2026-12-20"), recordedBy: "bob", recordedAt: Self.at("2026-12-20"))
        let facts = ProjectFacts(project: project, notices: [v, draft], postings: [], payments: [paid])
        let findings = WarningRules(rules: rules, calendar: calendar).evaluate(facts, today: Self.d("2026-12-30"))
        let unpaid = findings.filter { $0.kind == .paymentOverdue }
        #expect(unpaid.map(\.subject) == [Fixtures.parcel2], "parcel 1 is paid")
        let late = findings.filter { $0.kind == .expropriationDeadline }
        #expect(late.count == 1 && late[0].due.date == Self.d("2026-12-22") && late[0].severity == .breached)
    }

    @Test func aWarningIsRaisedOnceEscalatedOnceAndResolvedWhenItClears() {
        let v = approved(Fixtures.preAnnouncement(), on: "2026-12-01")
        var facts = ProjectFacts(project: project, notices: [v], postings: [], payments: [])
        let engine = WarningRules(rules: rules, calendar: calendar)
        var stored: [StatutoryWarning] = []
        var alerts = 0
        var n = 0
        func run(_ day: String) {
            let changes = WarningBook.reconcile(active: stored.filter { $0.state != .resolved },
                                                findings: engine.evaluate(facts, today: Self.d(day)), scope: [project.key],
                                                now: Self.at(day), newID: { n += 1; return "wrn_\(n)" })
            for change in changes {
                switch change {
                case .raise(let w): stored.append(w); alerts += 1
                case .update(let w, let alert):
                    stored[stored.firstIndex { $0.id == w.id }!] = w
                    if alert { alerts += 1 }
                case .resolve(let w): stored[stored.firstIndex { $0.id == w.id }!] = w
                }
            }
        }
        run("2026-12-02")
        #expect(stored.count == 3 && alerts == 3, "three places, raised once each")
        run("2026-12-03")
        #expect(stored.count == 3 && alerts == 3, "evaluating again raises nothing new")
        run("2026-12-07")
        #expect(stored.allSatisfy { $0.severity == .breached } && alerts == 6, "escalated once at the breach")
        run("2026-12-08")
        #expect(alerts == 6)
        facts.postings = [Self.township, Self.hongmiao, Self.jingwan].map { posting(v, $0, on: "2026-12-08") }
        run("2026-12-08")
        #expect(stored.filter { $0.kind == .notPosted }.allSatisfy { $0.state == .resolved && $0.resolvedAt != nil })
    }

    @Test func rulesDecodeWithDefaultsAndNameBadValues() throws {
        let partial = try JSONDecoder().decode(StatutoryRules.self, from: Data(#"{"noProgress": {"days": 45, "unit": "calendar"}}"#.utf8))
        #expect(partial.noProgress == StatutoryRules.Period(45, .calendar))
        #expect(partial.postingPeriods == StatutoryRules.defaultPostingPeriods)
        let shipped = try JSONDecoder().decode(StatutoryRules.self, from: Data(contentsOf: GonggaoBinary.repositoryRoot
            .appendingPathComponent("Config/rules.json")))
        #expect(shipped == StatutoryRules(), "Config/rules.json documents exactly the defaults")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(StatutoryRules.self, from: Data(#"{"postingPeriods": {"notice": {"days": 1, "unit": "working"}}}"#.utf8))
        }
        var bad = StatutoryRules()
        bad.postingPeriods[.preAnnouncement] = .init(0, .working)
        #expect(bad.problem == "postingPeriods.pre-announcement.days: must be 1…366 (got 0)")
    }
}

extension StatutoryWarningTests {
    /// The calendar warning stays while any shown date is provisional — also after every place posted.
    @Test func theCalendarWarningStaysWhileAPeriodEndIsProvisional() {
        let v = approved(Fixtures.preAnnouncement(), on: "2026-12-21")
        let facts = ProjectFacts(project: project, notices: [v], postings: [Self.township, Self.hongmiao, Self.jingwan].map {
            posting(v, $0, on: "2026-12-22")
        }, payments: [])
        let findings = WarningRules(rules: rules, calendar: calendar).evaluate(facts, today: Self.d("2026-12-23"))
        #expect(findings.filter { $0.kind == .notPosted }.isEmpty)
        let missing = findings.filter { $0.kind == .calendarMissing }
        #expect(missing.map(\.subject) == ["2027"], "the period 12-22 + 10 working days ends in 2027")
        #expect(missing.first?.due.date == Self.d("2027-01-05"))
    }
}
