import Foundation
import GonggaoCore
import Testing
import TestSupport

/// The main job, run through the built binary: import, draft, submit, approve with two users.
@Suite(.serialized) struct HappyPathTests {
    @Test func importDraftSubmitApproveQueuesFourDeliveries() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.cleanup() }

        let initialized = try await sandbox.ok(["init"])
        #expect(initialized == sandbox.storePath)
        #expect(FileManager.default.fileExists(atPath: sandbox.storePath))

        #expect(try await sandbox.ok(["project", "import", Flow.project, "--as", "zhang.wei"]) == "330523-2026-37")
        let id = try await sandbox.ok(["notice", "draft", Flow.preAnnouncement, "--as", "zhang.wei"])
        #expect(id.hasPrefix("ntc_") && !id.contains("\n"), "draft prints only the id: \(id)")

        #expect(try await sandbox.ok(["notice", "submit", id, "--as", "zhang.wei"]) == "submitted \(id)/v1")
        #expect(try await sandbox.ok(["notice", "approve", id, "--as", "li.na"]) == "approved \(id)/v1, 4 deliveries queued")

        let again = try await sandbox.run(["notice", "approve", id, "--as", "li.na"])
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("already approved \(id)/v1"))

        let show = try await sandbox.ok(["notice", "show", id])
        #expect(show.contains("\(id)/v1  approved"))
        #expect(show.contains("drafted    zhang.wei"))
        #expect(show.contains("approved   li.na"))
        #expect(show.contains("2026-12-01 09:00:00 +08:00"), "times are shown in Asia/Shanghai")
        #expect(show.contains("sha256:"))

        let list = try await sandbox.ok(["deliveries", "list", "--notice", id])
        let rows = list.split(separator: "\n").dropFirst()
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.contains(" pending ") })
        for channel in CLISandbox.channels { #expect(rows.contains { $0.contains(" \(channel) ") }, "\(channel)") }

        #expect(try await sandbox.ok(["notice", "list", "--state", "approved"]).contains(id))
        #expect(try await sandbox.ok(["deliveries", "list", "--state", "delivered"]) == "no deliveries match")
    }

    @Test func jsonOutputsDecode() async throws {
        let sandbox = try await Flow.withProject()
        defer { sandbox.cleanup() }

        let drafted = try CLIJSON.decode(NoticeVersion.self,
                                         try await sandbox.ok(["notice", "draft", Flow.preAnnouncement, "--as", "zhang.wei", "--json"]))
        #expect(drafted.state == .draft && drafted.version == 1 && drafted.drafter == "zhang.wei")
        #expect(drafted.createdAt == ISO8601DateFormatter().date(from: sandbox.clock))
        let id = drafted.id
        _ = try await sandbox.ok(["notice", "submit", id, "--as", "zhang.wei"])

        struct ActionResult: Decodable { var changed: Bool; var notice: NoticeVersion; var deliveries: [Delivery]? }
        let approved = try CLIJSON.decode(ActionResult.self, try await sandbox.ok(["notice", "approve", id, "--as", "li.na", "--json"]))
        #expect(approved.changed && approved.notice.state == .approved && approved.notice.approvedBy == "li.na")
        #expect(approved.deliveries?.map(\.channel) == CLISandbox.channels)
        let repeated = try CLIJSON.decode(ActionResult.self, try await sandbox.ok(["notice", "approve", id, "--as", "li.na", "--json"]))
        #expect(!repeated.changed && repeated.deliveries?.map(\.id) == approved.deliveries?.map(\.id))

        struct History: Decodable { var id: String; var versions: [NoticeVersion]; var deliveries: [Delivery] }
        let history = try CLIJSON.decode(History.self, try await sandbox.ok(["notice", "show", id, "--json"]))
        #expect(history.id == id && history.versions.count == 1 && history.deliveries.count == 4)
        #expect(history.versions[0].contentHash == history.versions[0].content.contentHash)

        let notices = try CLIJSON.decode([NoticeVersion].self, try await sandbox.ok(["notice", "list", "--json"]))
        #expect(notices.map(\.id) == [id])
        let deliveries = try CLIJSON.decode([Delivery].self, try await sandbox.ok(["deliveries", "list", "--notice", id, "--json"]))
        #expect(deliveries.count == 4 && deliveries.allSatisfy { $0.state == .pending && $0.attempts == 0 })

        struct Detail: Decodable { var delivery: Delivery; var attempts: [DeliveryAttempt] }
        let detail = try CLIJSON.decode(Detail.self, try await sandbox.ok(["deliveries", "show", deliveries[0].id, "--json"]))
        #expect(detail.delivery == deliveries[0] && detail.attempts.isEmpty)

        let projects = try CLIJSON.decode([Project].self, try await sandbox.ok(["project", "list", "--json"]))
        #expect(projects.map(\.key) == ["330523-2026-37"] && projects[0].parcels.count == 2)
        let project = try CLIJSON.decode(Project.self, try await sandbox.ok(["project", "show", "330523-2026-37", "--json"]))
        #expect(project == projects[0])

        let head = try CLIJSON.decode(AuditHead.self, try await sandbox.ok(["audit", "head", "--json"]))
        #expect(head.seq == 4) // import, draft, submit, approve
        struct Verify: Decodable { var ok: Bool; var entries: Int64; var problems: [String] }
        let verify = try CLIJSON.decode(Verify.self, try await sandbox.ok(["audit", "verify", "--json"]))
        #expect(verify.ok && verify.entries == 4 && verify.problems.isEmpty)
    }

    @Test func theRawSharedSampleImportsToo() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.cleanup() }
        _ = try await sandbox.ok(["init"])
        let raw = GonggaoBinary.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/samples/anji-meixi-2026-37.json").path
        let file = FileManager.default.fileExists(atPath: raw) ? raw : Flow.project
        #expect(try await sandbox.ok(["project", "import", file, "--as", "zhang.wei"]) == "330523-2026-37")
        let mapped = try await sandbox.ok(["project", "show", "330523-2026-37", "--json"])
        _ = try await sandbox.ok(["project", "import", Flow.project, "--as", "zhang.wei"])
        #expect(try await sandbox.ok(["project", "show", "330523-2026-37", "--json"]) == mapped, "both files hold the same project")
    }

    @Test func rejectEditResubmitCorrectAndWithdraw() async throws {
        let sandbox = try await Flow.withProject()
        defer { sandbox.cleanup() }
        let id = try await Flow.submitted(sandbox)

        #expect(try await sandbox.ok(["notice", "reject", id, "--as", "li.na", "--reason", "请补充联系电话"]) == "rejected \(id)/v1: back to draft")
        var notice = try Flow.noticeObject()
        notice["title"] = "安吉县人民政府征收土地预公告（修订）"
        let edited = try sandbox.writeJSON("edited.json", notice)
        #expect(try await sandbox.ok(["notice", "edit", id, edited, "--as", "zhang.wei"]).hasPrefix("edited \(id)/v1"))
        _ = try await sandbox.ok(["notice", "submit", id, "--as", "zhang.wei"])
        _ = try await sandbox.ok(["notice", "approve", id, "--as", "li.na"])

        #expect(try await sandbox.ok(["notice", "correct", id, "--as", "zhang.wei"]) == "\(id)/v2")
        _ = try await sandbox.ok(["notice", "submit", id, "--as", "zhang.wei"])
        #expect(try await sandbox.ok(["notice", "approve", id, "--as", "li.na"]) == "approved \(id)/v2, 4 deliveries queued")
        let show = try await sandbox.ok(["notice", "show", id])
        #expect(show.contains("\(id)/v1  superseded") && show.contains("\(id)/v2  approved"))
        let cancelled = try await sandbox.ok(["deliveries", "list", "--notice", id, "--state", "cancelled"])
        #expect(cancelled.split(separator: "\n").count == 5, "v1's four deliveries were cancelled: \(cancelled)")

        #expect(try await sandbox.ok(["notice", "withdraw", id, "--as", "li.na", "--reason", "项目调整"])
            == "withdrawn \(id)/v2, 4 withdrawal deliveries queued")
        #expect(try await sandbox.ok(["audit", "verify"]).hasPrefix("audit chain OK: "))
    }
}
