import Foundation
import GonggaoCore
import GonggaoStore
import HTTPTestSupport
import TestSupport
import Testing

@testable import GonggaoService

/// Notices in every state the console acts on, made through the API.
struct ConsoleScene {
    let draft: String
    let submitted: String
    /// Another submitted notice (for reject, so approve and reject can both succeed in one test).
    let rejectable: String
    let approved: String
    /// Another approved notice (for correct), with a dead publish delivery `dead`.
    let correctable: String
    let dead: String

    static func make(_ h: ServiceHarness, title: String? = nil) async throws -> ConsoleScene {
        try await h.importProject()
        var content = Fixtures.preAnnouncement()
        if let title { content.title = title }
        let draft = try await h.draft(content)
        let submitted = try await h.draft(content)
        _ = try await h.call("POST", "/api/notices/\(submitted)/submit", as: "alice")
        let rejectable = try await h.draft(content)
        _ = try await h.call("POST", "/api/notices/\(rejectable)/submit", as: "alice")
        let approved = try await h.publish(content)
        let correctable = try await h.publish(content)
        let dead = try await kill(channel: "provincial-portal", of: correctable, h)
        return ConsoleScene(
            draft: draft, submitted: submitted, rejectable: rejectable, approved: approved,
            correctable: correctable, dead: dead)
    }

    /// Marks `notice`'s publish delivery on `channel` dead, as a worker would after its last attempt.
    static func kill(channel: String, of notice: String, _ h: ServiceHarness) async throws -> String {
        let at = h.clock.now()
        return try await h.store.write { tx in
            var d = try tx.deliveries(DeliveryFilter(noticeID: notice, channel: channel, limit: 10)).first!
            d.state = .dead
            d.attempts = 8
            d.lastError = "HTTP 503 from the portal"
            d.updatedAt = at
            try tx.updateDelivery(d)
            return d.id
        }
    }
}

/// The console's actions: the API's rules for who may act, the CSRF token on every POST, the
/// confirmation step, four-eyes, the audit log and escaping.
@Suite(.serialized) struct ConsoleActionTests {
    /// Every console POST, with the users whose roles may not use it (the API route's rules).
    static func actions(_ s: ConsoleScene) -> [(
        name: String, path: String, fields: [(String, String)], wrong: [String], right: String
    )] {
        let notDrafters = ["bob", "pete", "polly", "vera"]
        let notApprovers = ["alice", "pete", "polly", "vera"]
        let draftFields: [(String, String)] = [
            ("kind", "pre-announcement"), ("title", "新公告"), ("issuer", "安吉县人民政府"), ("documentNumber", "安政征预〔2026〕99号"),
            ("dateWritten", "2026-12-01"), ("parcels", Fixtures.parcel1), ("body", "第一段。\n\n第二段。"),
        ]
        return [
            ("create", "/console/projects/\(Fixtures.projectKey)/notices", draftFields, notDrafters, "alice"),
            ("edit", "/console/notices/\(s.draft)/edit", draftFields, notDrafters, "alice"),
            ("submit", "/console/notices/\(s.draft)/submit", [], notDrafters, "alice"),
            ("approve", "/console/notices/\(s.submitted)/approve", [("confirm", "yes")], notApprovers, "bob"),
            ("reject", "/console/notices/\(s.rejectable)/reject", [("reason", "请补充附图")], notApprovers, "bob"),
            (
                "withdraw", "/console/notices/\(s.approved)/withdraw", [("reason", "依法撤回"), ("confirm", "yes")],
                notApprovers, "bob"
            ),
            ("correct", "/console/notices/\(s.correctable)/correct", [], notDrafters, "alice"),
            ("retry", "/console/deliveries/\(s.dead)/retry", [], notApprovers, "bob"),
            ("replay", "/console/dead-letters/replay", [("channel", ""), ("since", "")], notApprovers, "bob"),
        ]
    }

    static func reason(_ html: String) -> String? {
        guard let tag = HTMLProbe.tag(id: "error", in: html), let r = tag.range(of: "data-reason=\"") else {
            return nil
        }
        let rest = tag[r.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func auditHead(_ h: ServiceHarness) async throws -> Int64 {
        try await h.store.read { tx in try tx.lastAuditEntry()?.seq ?? 0 }
    }

    @Test func everyActionIsRefusedForTheWrongRole() async throws {
        try await ServiceHarness.withConsole { h in
            let scene = try await ConsoleScene.make(h)
            let head = try await Self.auditHead(h)
            var clients: [String: ConsoleClient] = [:]
            for action in Self.actions(scene) {
                for user in action.wrong {
                    if clients[user] == nil { clients[user] = try await h.console(as: user) }
                    let r = try await clients[user]!.post(action.path, action.fields)
                    #expect(r.status == 403, "\(action.name) as \(user): \(r.status)")
                    #expect(Self.reason(r.text) == "forbidden", "\(action.name) as \(user)")
                }
            }
            #expect(try await Self.auditHead(h) == head, "no refused action changed anything")
        }
    }

    @Test func everyActionIsRefusedWithoutOrWithAWrongCSRFToken() async throws {
        try await ServiceHarness.withConsole { h in
            let scene = try await ConsoleScene.make(h)
            let head = try await Self.auditHead(h)
            for action in Self.actions(scene) {
                let c = try await h.console(as: action.right)
                for choice in [
                    ConsoleClient.CSRFChoice.none, .value("0000"), .value(String(repeating: "a", count: 64)),
                ] {
                    let r = try await c.post(action.path, action.fields, csrf: choice)
                    #expect(r.status == 403, "\(action.name) with \(choice): \(r.status)")
                    #expect(Self.reason(r.text) == "csrf", "\(action.name) with \(choice)")
                }
                // Another session's token is no better than none.
                let other = try await h.console(as: action.right)
                let r = try await c.post(action.path, action.fields, csrf: .value(other.csrf!))
                #expect(Self.reason(r.text) == "csrf", "\(action.name) with another session's token")
            }
            let out = try await h.console(as: "alice").post("/console/signout", csrf: .none)
            #expect(out.status == 403, "even signing out needs the token")
            #expect(try await Self.auditHead(h) == head)
        }
    }

    @Test func everyActionWorksForTheRightRoleAndIsAuditedAsTheConsoleUser() async throws {
        try await ServiceHarness.withConsole { h in
            let scene = try await ConsoleScene.make(h)
            for action in Self.actions(scene) where action.name != "create" {
                let head = try await Self.auditHead(h)
                let r = try await h.console(as: action.right).post(action.path, action.fields)
                #expect(r.status == 303, "\(action.name): \(r.status) \(r.text.prefix(300))")
                let entries = try await h.store.read { tx in try tx.auditEntries(after: head, limit: 100) }
                #expect(!entries.isEmpty, "\(action.name) left no audit entry")
                #expect(entries.allSatisfy { $0.actor == action.right }, "\(action.name): \(entries.map(\.actor))")
            }
            let head = try await Self.auditHead(h)
            let created = try await h.console(as: "alice").post(
                "/console/projects/\(Fixtures.projectKey)/notices",
                Self.actions(scene)[0].fields)
            #expect(created.status == 303)
            let entry = try #require(try await h.store.read { tx in try tx.auditEntries(after: head, limit: 10) }.first)
            #expect(entry.actor == "alice" && entry.action == "notice.draft")
        }
    }

    @Test func theDrafterNeverSeesAnEnabledApproveButtonOnTheirOwnNotice() async throws {
        try await ServiceHarness.withConsole { h in
            try await h.importProject()
            // dora holds both roles: only four-eyes stops her.
            let id = try await h.draft(Fixtures.preAnnouncement(), as: "dora")
            _ = try await h.call("POST", "/api/notices/\(id)/submit", as: "dora")
            let dora = try await h.console(as: "dora")
            let own = try await dora.get("/console/notices/\(id)")
            #expect(own.status == 200)
            #expect(HTMLProbe.isDisabled(id: "action-approve", in: own.text))
            #expect(HTMLProbe.isDisabled(id: "approve-confirm", in: own.text))
            #expect(HTMLProbe.has(id: "four-eyes-note", in: own.text))
            // …and posting the approval anyway is refused by the workflow.
            let forced = try await dora.post("/console/notices/\(id)/approve", [("confirm", "yes")])
            #expect(forced.status == 403)
            #expect(Self.reason(forced.text) == "four-eyes")

            let alice = try await h.console(as: "alice").get("/console/notices/\(id)")
            #expect(
                !HTMLProbe.has(id: "action-approve", in: alice.text),
                "a drafter without the approver role sees no approve button")
            let bob = try await h.console(as: "bob").get("/console/notices/\(id)")
            #expect(
                HTMLProbe.has(id: "action-approve", in: bob.text)
                    && !HTMLProbe.isDisabled(id: "action-approve", in: bob.text))
        }
    }

    @Test func aClosedStageGateStopsTheApproverAndOnlyAnAdminOverridesIt() async throws {
        try await ServiceHarness.withConsole { h in
            try await h.importProject()
            _ = try await h.publish(Fixtures.preAnnouncement())
            let plan = try await h.draft(Fixtures.compensationPlan())
            _ = try await h.call("POST", "/api/notices/\(plan)/submit", as: "alice")
            let bob = try await h.console(as: "bob")
            #expect(!HTMLProbe.has(id: "approve-override", in: try await bob.get("/console/notices/\(plan)").text))
            let early = try await bob.post("/console/notices/\(plan)/approve", [("confirm", "yes")])
            #expect(early.status == 409)
            #expect(Self.reason(early.text) == "stage-gate")
            let forced = try await bob.post("/console/notices/\(plan)/approve", [("confirm", "yes"), ("overrideGate", "急需")])
            #expect(forced.status == 403, "only an admin overrides a gate, as through the API")

            let root = try await h.console(as: "root")
            #expect(HTMLProbe.has(id: "approve-override", in: try await root.get("/console/notices/\(plan)").text))
            let overridden = try await root.post(
                "/console/notices/\(plan)/approve", [("confirm", "yes"), ("overrideGate", "县政府专题会议决定提前")])
            #expect(overridden.status == 303)
            let audit = try await h.store.read { tx in try tx.auditEntries(after: 0, limit: 1000) }
            let entry = try #require(audit.first { $0.action == "notice.gate-override" })
            #expect(entry.actor == "root" && entry.detail.contains("县政府专题会议决定提前"))
        }
    }

    @Test func approveAndWithdrawNeedTheConfirmation() async throws {
        try await ServiceHarness.withConsole { h in
            let scene = try await ConsoleScene.make(h)
            let bob = try await h.console(as: "bob")
            let unconfirmed = try await bob.post("/console/notices/\(scene.submitted)/approve", [("version", "1")])
            #expect(unconfirmed.status == 422)
            #expect(HTMLProbe.has(id: "error-approve-confirm", in: unconfirmed.text))
            #expect(HTMLProbe.text(id: "notice-state", in: unconfirmed.text) == "submitted")
            #expect(try await h.store.read { tx in try tx.noticeVersions(scene.submitted).last!.state } == .submitted)

            let ticked = try await bob.post(
                "/console/notices/\(scene.submitted)/approve", [("version", "1"), ("confirm", "yes")])
            #expect(ticked.status == 303)
            #expect(ticked.header("Location") == "/console/notices/\(scene.submitted)?done=approved")
            let page = try await bob.get(ticked.header("Location")!)
            #expect(HTMLProbe.text(id: "notice-state", in: page.text) == "approved")
            #expect(HTMLProbe.has(id: "flash", in: page.text))
            #expect(h.wakes > 0, "the console's approval wakes the workers, as the API's does")

            let noConfirm = try await bob.post("/console/notices/\(scene.approved)/withdraw", [("reason", "依法撤回")])
            #expect(noConfirm.status == 422)
            #expect(HTMLProbe.has(id: "error-withdraw-confirm", in: noConfirm.text))
            #expect(noConfirm.text.contains(">依法撤回</textarea>"), "the reason typed is kept")
            let noReason = try await bob.post("/console/notices/\(scene.approved)/withdraw", [("confirm", "yes")])
            #expect(noReason.status == 422)
            #expect(HTMLProbe.has(id: "error-withdraw-reason", in: noReason.text))
            #expect(try await h.store.read { tx in try tx.noticeVersions(scene.approved).last!.state } == .approved)
        }
    }

    @Test func aHostileTitleIsEscapedOnEveryConsolePage() async throws {
        let hostile = "<img src=x onerror=alert(1)>"
        try await ServiceHarness.withConsole { h in
            let scene = try await ConsoleScene.make(h, title: hostile)
            let pages = [
                ("alice", "/console"), ("bob", "/console"), ("bob", "/console/projects/\(Fixtures.projectKey)"),
                ("bob", "/console/notices/\(scene.submitted)"), ("bob", "/console/notices/\(scene.approved)"),
                ("alice", "/console/notices/\(scene.draft)/edit"), ("bob", "/console/dead-letters"),
            ]
            for (user, path) in pages {
                let r = try await h.console(as: user).get(path)
                #expect(r.status == 200, "\(path): \(r.status)")
                #expect(r.text.contains("&lt;img src=x onerror=alert(1)&gt;"), "\(path) does not show the title")
                #expect(!r.text.contains(hostile), "\(path) renders the title unescaped")
            }
        }
    }

    @Test func validationMessagesAppearNextToTheirFieldsWithTheValuesKept() async throws {
        try await ServiceHarness.withConsole { h in
            try await h.importProject()
            let alice = try await h.console(as: "alice")
            let form = try await alice.get("/console/projects/\(Fixtures.projectKey)/notices/new")
            #expect(form.status == 200)
            #expect(HTMLProbe.has(id: "draft-parcel-\(Fixtures.parcel1)", in: form.text))
            let path = "/console/projects/\(Fixtures.projectKey)/notices"
            let base: [(String, String)] = [
                ("kind", "pre-announcement"), ("issuer", "安吉县人民政府"), ("documentNumber", "安政征预〔2026〕41号"),
                ("dateWritten", "2026-12-01"), ("parcels", Fixtures.parcel2), ("body", "第一段 <b>粗</b>\n\n第二段"),
            ]
            let noTitle = try await alice.post(path, base + [("title", "  ")])
            #expect(noTitle.status == 422)
            // The API's own message for the same mistake.
            let api = try await h.call(
                "POST", "/api/notices", as: "alice",
                json: try ProjectJSON.object(
                    {
                        var c = Fixtures.preAnnouncement()
                        c.title = " "
                        return c
                    }()))
            let apiMessage = try #require(api.json?["message"] as? String)
            #expect(api.json?["field"] as? String == "title")
            #expect(HTMLProbe.text(id: "error-title", in: noTitle.text)?.contains(apiMessage) == true)
            #expect(HTMLProbe.tag(id: "error-title", in: noTitle.text)?.contains("class=\"field-error\"") == true)
            #expect(
                HTMLProbe.tag(id: "draft-documentNumber", in: noTitle.text)?.contains("value=\"安政征预〔2026〕41号\"") == true
            )
            #expect(noTitle.text.contains("第一段 &lt;b&gt;粗&lt;/b&gt;\n\n第二段</textarea>"))
            #expect(
                HTMLProbe.tag(id: "draft-parcel-\(Fixtures.parcel2)", in: noTitle.text)?.contains("checked") == true)
            #expect(
                HTMLProbe.tag(id: "draft-parcel-\(Fixtures.parcel1)", in: noTitle.text)?.contains("checked") == false)

            let badDate = try await alice.post(
                path, base.filter { $0.0 != "dateWritten" } + [("title", "标题"), ("dateWritten", "2026-13-01")])
            #expect(badDate.status == 422)
            #expect(HTMLProbe.has(id: "error-dateWritten", in: badDate.text))
            let noParcels = try await alice.post(path, base.filter { $0.0 != "parcels" } + [("title", "标题")])
            #expect(HTMLProbe.has(id: "error-parcels", in: noParcels.text))
            let expropriation = try await alice.post(
                path, base.filter { $0.0 != "kind" } + [("title", "标题"), ("kind", "expropriation")])
            #expect(HTMLProbe.has(id: "error-approval", in: expropriation.text))
            #expect(
                try await h.store.read { tx in try tx.notices(NoticeFilter(limit: 10)) }.isEmpty, "nothing was drafted")

            let ok = try await alice.post(path, base + [("title", "预公告")])
            #expect(ok.status == 303)
            let page = try await alice.get(ok.header("Location")!)
            #expect(HTMLProbe.text(id: "notice-title", in: page.text) == "预公告")
            #expect(HTMLProbe.text(id: "notice-state", in: page.text) == "draft")
        }
    }
}
