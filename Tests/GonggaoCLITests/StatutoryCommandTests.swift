import Foundation
import GonggaoCore
import Testing
import TestSupport

/// Postings, stage gates, payments and warnings through the built binary, with GONGGAO_CLOCK moved
/// day by day across December 2026 (the shipped working-day calendars).
@Suite(.serialized) struct StatutoryCommandTests {
    static let usersJSON = """
        [
          { "name": "zhang.wei", "roles": ["drafter"] },
          { "name": "li.na", "roles": ["approver"] },
          { "name": "pat", "displayName": "张贴员", "roles": ["poster"] },
          { "name": "admin", "roles": ["admin"] }
        ]
        """

    /// The shipped calendars and rules unless `calendars`/`rules` name others.
    static func sandbox(calendars: String? = nil, rules: String? = nil, extra: String = "") throws -> CLISandbox {
        let root = GonggaoBinary.repositoryRoot
        let calendars = calendars ?? root.appendingPathComponent("Config/calendars").path
        let rules = rules ?? root.appendingPathComponent("Config/rules.json").path
        return try CLISandbox(configJSON: """
            {
              "store": { "sqlite": "gonggao.sqlite" },
              "publicBaseURL": "https://gonggao.example.gov.cn",
              "users": \(usersJSON),
              "channels": [{ "name": "print", "type": "print" }],
              "templates": "\(root.appendingPathComponent("Templates").path)",
              "calendars": "\(calendars)",
              "rules": "\(rules)",
              "http": { "trustLocalOperators": true }\(extra)
            }
            """)
    }

    /// `GONGGAO_CLOCK` at 10:00 in Shanghai on `day`.
    static func on(_ day: String) -> [String: String] { ["GONGGAO_CLOCK": "\(day)T10:00:00+08:00"] }

    @Test func postingsGatesWarningsAndPaymentsAcrossDays() async throws {
        let s = try Self.sandbox()
        defer { s.cleanup() }
        let d1 = Self.on("2026-12-01")
        _ = try await s.ok(["init"])
        _ = try await s.ok(["project", "import", Flow.project, "--as", "zhang.wei"], extra: d1)
        let pre = try await s.ok(["notice", "draft", Flow.preAnnouncement, "--as", "zhang.wei"], extra: d1)
        _ = try await s.ok(["notice", "submit", pre, "--as", "zhang.wei"], extra: d1)
        _ = try await s.ok(["notice", "approve", pre, "--as", "li.na"], extra: d1)
        let plan = try await s.ok(["notice", "draft", Flow.compensationPlan, "--as", "zhang.wei"], extra: d1)
        _ = try await s.ok(["notice", "submit", plan, "--as", "zhang.wei"], extra: d1)

        // The plan waits for the pre-announcement's posting period.
        let unposted = try await s.run(["notice", "approve", plan, "--as", "li.na"], extra: d1)
        #expect(unposted.status == 3, "\(unposted)")
        #expect(unposted.stderr.contains("stage gate") && unposted.stderr.contains("not confirmed as posted at township:梅溪镇"))
        #expect(unposted.stderr.contains("第二十六条"))

        // 2026-12-03: within the lead of the 3-working-day posting deadline (2026-12-04).
        let d3 = Self.on("2026-12-03")
        let evaluated = try await s.ok(["warnings", "evaluate"], extra: d3)
        #expect(evaluated.split(separator: "\n").filter { $0.hasPrefix("raised ") && $0.contains("not-posted") }.count == 3, "\(evaluated)")
        let again = try await s.ok(["warnings", "evaluate"], extra: d3)
        #expect(!again.contains("raised "), "raised once: \(again)")
        let open = try CLIJSON.decode([StatutoryWarning].self, try await s.ok(["warnings", "--state", "open", "--kind", "not-posted", "--json"]))
        #expect(open.count == 3 && open.allSatisfy { $0.severity == .upcoming && $0.due.date.description == "2026-12-04" })
        let acked = try await s.ok(["warnings", "ack", open[0].id, "--as", "li.na"], extra: d3)
        #expect(acked == "acknowledged \(open[0].id) by li.na")
        let listed = try await s.ok(["warnings"])
        #expect(listed.contains("acknowledged") && listed.contains("not-posted"))

        // Each place confirms on 2026-12-03; one with a photo.
        let photo = s.directory.appendingPathComponent("board.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 1, count: 100) + [0xFF, 0xD9]).write(to: photo)
        let township = try await s.ok(["posting", "confirm", pre, "--place", "township:梅溪镇", "--board", "镇政府公告栏",
                                       "--photo", photo.path, "--as", "pat"], extra: d3)
        #expect(township.hasPrefix("confirmed \(pre)/v1 posted at township:梅溪镇 (镇政府公告栏) on 2026-12-03 photo sha256:"))
        _ = try await s.ok(["posting", "confirm", pre, "--place", "红庙村", "--board", "村委会公告栏", "--as", "pat"], extra: d3)
        let twice = try await s.run(["posting", "confirm", pre, "--place", "红庙村", "--board", "x", "--as", "pat"], extra: d3)
        #expect(twice.status == 3 && twice.stderr.contains("already confirmed"))
        _ = try await s.ok(["posting", "confirm", pre, "--place", "village:荆湾村", "--board", "村口公告栏", "--posted-on", "2026-12-02",
                            "--as", "admin"], extra: d3)

        let list = try await s.ok(["posting", "list", pre], extra: d3)
        #expect(list.contains("township:梅溪镇") && list.contains("pat") && list.contains("sha256:"), "\(list)")
        #expect(list.contains("posting period:  2026-12-04 – 2026-12-17 (10 working days)"), "\(list)")
        #expect(list.contains("next stage:      compensation-plan (征地补偿安置方案公告) from 2026-12-18"), "\(list)")

        let resolved = try await s.ok(["warnings", "evaluate"], extra: d3)
        #expect(resolved.split(separator: "\n").filter { $0.hasPrefix("resolved ") && $0.contains("not-posted") }.count == 3, "\(resolved)")

        // Too early; an approver cannot override; on 2026-12-18 the gate is open.
        let early = try await s.run(["notice", "approve", plan, "--as", "li.na"], extra: Self.on("2026-12-17"))
        #expect(early.status == 3 && early.stderr.contains("earliest allowed date 2026-12-18"), "\(early)")
        let notAdmin = try await s.run(["notice", "approve", plan, "--override-gate", "急需", "--as", "li.na"], extra: Self.on("2026-12-17"))
        #expect(notAdmin.status == 3 && notAdmin.stderr.contains("needs the admin role"), "\(notAdmin)")
        let approved = try await s.ok(["notice", "approve", plan, "--as", "li.na"], extra: Self.on("2026-12-18"))
        #expect(approved.hasPrefix("approved \(plan)/v1"))

        let payment = try await s.ok(["payment", "record", "--project", "330523-2026-37", "--parcel", "330523-2026-37-1",
                                      "--payee", "红庙村股份经济合作社", "--amount", "1250000.50", "--paid-on", "2026-12-18",
                                      "--as", "zhang.wei"], extra: Self.on("2026-12-18"))
        #expect(payment.hasPrefix("pay_"))
        let audit = try await s.ok(["audit", "verify"])
        #expect(audit.hasPrefix("audit chain OK"), "\(audit)")
    }

    @Test func anAdminOverridesTheGateWithAReason() async throws {
        let s = try Self.sandbox()
        defer { s.cleanup() }
        let d1 = Self.on("2026-12-01")
        _ = try await s.ok(["init"])
        _ = try await s.ok(["project", "import", Flow.project, "--as", "zhang.wei"], extra: d1)
        let plan = try await s.ok(["notice", "draft", Flow.compensationPlan, "--as", "zhang.wei"], extra: d1)
        _ = try await s.ok(["notice", "submit", plan, "--as", "zhang.wei"], extra: d1)
        let refused = try await s.run(["notice", "approve", plan, "--as", "li.na"], extra: d1)
        #expect(refused.status == 3 && refused.stderr.contains("no approved pre-announcement"), "\(refused)")
        let overridden = try await s.ok(["notice", "approve", plan, "--override-gate", "预公告已线下张贴，系统补录", "--as", "admin"], extra: d1)
        #expect(overridden.hasPrefix("approved \(plan)/v1"))
        let dump = try await s.dump()
        #expect(dump.contains("notice.gate-override") && dump.contains("预公告已线下张贴，系统补录"))
    }

    @Test func aPeriodIntoAYearWithoutACalendarIsProvisional() async throws {
        let s = try Self.sandbox()
        defer { s.cleanup() }
        let day = Self.on("2026-12-30")  // post by: 3 working days, reaching 2027 (no calendar: weekends only)
        _ = try await s.ok(["init"])
        _ = try await s.ok(["project", "import", Flow.project, "--as", "zhang.wei"], extra: day)
        let pre = try await s.ok(["notice", "draft", Flow.preAnnouncement, "--as", "zhang.wei"], extra: day)
        _ = try await s.ok(["notice", "submit", pre, "--as", "zhang.wei"], extra: day)
        _ = try await s.ok(["notice", "approve", pre, "--as", "li.na"], extra: day)
        let evaluated = try await s.ok(["warnings", "evaluate"], extra: Self.on("2026-12-31"))
        #expect(evaluated.contains("calendar-missing"), "\(evaluated)")
        #expect(evaluated.contains("2027-01-04 (暂定 provisional: no calendar for 2027)"), "\(evaluated)")
        for place in ["梅溪镇", "红庙村", "荆湾村"] {
            _ = try await s.ok(["posting", "confirm", pre, "--place", place, "--board", "公告栏", "--as", "pat"], extra: day)
        }
        let list = try await s.ok(["posting", "list", pre], extra: day)
        #expect(list.contains("2026-12-31 – 2027-01-13 (暂定 provisional: no calendar for 2027)"), "\(list)")
        #expect(list.contains("from 2027-01-14 (暂定"), "\(list)")
        let json = try await s.ok(["posting", "list", pre, "--json"], extra: day)
        #expect(json.contains("\"provisional\" : true"), "\(json)")
    }

    @Test func badCalendarsAndRulesAreConfigErrors() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gg-cal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"year": 2027, "holidays": ["2027-01-01"], "makeupWorkingDays": ["2027-01-04"]}"#.utf8)
            .write(to: folder.appendingPathComponent("CN-2027.json"))
        let cases: [(String?, String?, String, [String])] = [
            ("no-such-folder", nil, "", ["calendars", "no folder"]),
            (folder.path, nil, "", ["calendars", "CN-2027.json", "makeupWorkingDays[0]", "is a weekday"]),
            (nil, "no-rules.json", "", ["rules", "no file"]),
            (nil, nil, #", "warnings": {"evaluateEverySeconds": 0}"#, ["warnings.evaluateEverySeconds", "1…86400"]),
        ]
        for (calendars, rules, extra, mentions) in cases {
            let s = try Self.sandbox(calendars: calendars, rules: rules, extra: extra)
            defer { s.cleanup() }
            let result = try await s.run(["notice", "list"])
            #expect(result.status == 2, "\(extra): \(result)")
            #expect(result.stderrLines.count == 1)
            for word in mentions { #expect(result.stderr.contains(word), "'\(word)' in \(result.stderr)") }
        }
        // A rules file whose value cannot work names the key inside it.
        let rules = FileManager.default.temporaryDirectory.appendingPathComponent("gg-rules-\(UUID().uuidString).json")
        try Data(#"{"postWithin": {"days": -1, "unit": "working"}}"#.utf8).write(to: rules)
        defer { try? FileManager.default.removeItem(at: rules) }
        let s = try Self.sandbox(rules: rules.path)
        defer { s.cleanup() }
        let result = try await s.run(["notice", "list"])
        #expect(result.status == 2 && result.stderr.contains("rules") && result.stderr.contains("postWithin.days"), "\(result)")
    }
}
