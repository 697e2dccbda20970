import Foundation
import GonggaoCore
import HTTPTestSupport
import Testing
import TestSupport

@Suite(.serialized) struct NoticeAPITests {
    @Test(arguments: StoreBackend.allCases)
    func draftSubmitApproveAndShowWithDeliveries(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            try await h.importProject()
            let id = try await h.draft(Fixtures.preAnnouncement())
            let submitted = try await h.call("POST", "/api/notices/\(id)/submit", as: "alice")
            #expect(submitted.status == 200)
            #expect((submitted.json?["notice"] as? [String: Any])?["state"] as? String == "submitted")

            let approved = try await h.call("POST", "/api/notices/\(id)/approve", as: "bob")
            #expect(approved.status == 200)
            #expect(approved.header("Gonggao-Approval") == "created")
            let notice = approved.json?["notice"] as? [String: Any]
            #expect(notice?["state"] as? String == "approved")
            #expect((notice?["verificationCode"] as? String)?.count == 8)
            #expect(notice?["parcelPage"] as? String == "https://gonggao.example.gov.cn/p/330523-2026-37")
            let deliveries = approved.json?["deliveries"] as? [[String: Any]] ?? []
            #expect(deliveries.compactMap { $0["channel"] as? String } == Fixtures.channels)
            #expect(h.wakes == 1)

            let show = try await h.call("GET", "/api/notices/\(id)", as: "vera")
            #expect(show.status == 200)
            #expect(show.header("Cache-Control") == "no-store")
            let channels = show.json?["channels"] as? [[String: Any]] ?? []
            #expect(channels.count == 4)
            #expect(channels.allSatisfy { $0["state"] as? String == "pending" })
            #expect((show.json?["versions"] as? [Any])?.count == 1)

            let list = try await h.call("GET", "/api/notices?state=approved&kind=pre-announcement&project=330523-2026-37", as: "vera")
            #expect(list.json?["count"] as? Int == 1)
            let none = try await h.call("GET", "/api/notices?state=draft", as: "vera")
            #expect(none.json?["count"] as? Int == 0)
        }
    }

    /// A repeated approval answers 200 with the same version and deliveries and enqueues nothing.
    @Test func approveIsIdempotentOverHTTP() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            let id = try await h.draft(Fixtures.preAnnouncement())
            _ = try await h.call("POST", "/api/notices/\(id)/submit", as: "alice")
            let first = try await h.call("POST", "/api/notices/\(id)/approve", as: "bob")
            let second = try await h.call("POST", "/api/notices/\(id)/approve", as: "bob")
            let third = try await h.call("POST", "/api/notices/\(id)/approve", as: "carol", json: ["version": 1])
            #expect([first.status, second.status, third.status].allSatisfy { $0 == 200 })
            #expect(first.body == second.body)
            #expect(first.body == third.body)
            #expect(second.header("Gonggao-Approval") == "existing")
            #expect(h.wakes == 1)
            let deliveries = try await h.call("GET", "/api/deliveries?notice=\(id)", as: "vera")
            #expect(deliveries.json?["count"] as? Int == 4)
        }
    }

    @Test func fourEyesRuleHoldsOverHTTP() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            let id = try await h.draft(Fixtures.preAnnouncement(), as: "dora")
            _ = try await h.call("POST", "/api/notices/\(id)/submit", as: "dora")
            let own = try await h.call("POST", "/api/notices/\(id)/approve", as: "dora")
            #expect(own.status == 403)
            #expect(own.json?["error"] as? String == "four-eyes")
            let ownReject = try await h.call("POST", "/api/notices/\(id)/reject", as: "dora", json: ["reason": "x"])
            #expect(ownReject.json?["error"] as? String == "four-eyes")
            // Even an admin cannot approve a version they drafted.
            let adminDraft = try await h.draft(Fixtures.compensationPlan(), as: "root")
            _ = try await h.call("POST", "/api/notices/\(adminDraft)/submit", as: "root")
            #expect(try await h.call("POST", "/api/notices/\(adminDraft)/approve", as: "root").status == 403)
            #expect(try await h.call("POST", "/api/notices/\(id)/approve", as: "bob").status == 200)
        }
    }

    @Test func editRejectCorrectWithdraw() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            var content = Fixtures.preAnnouncement()
            let id = try await h.draft(content)
            content.title = "安吉县人民政府征收土地预公告（修改）"
            let edited = try await h.call("PUT", "/api/notices/\(id)", as: "alice", json: try ProjectJSON.object(content))
            #expect(edited.status == 200)
            let notMine = try await h.call("PUT", "/api/notices/\(id)", as: "erin", json: try ProjectJSON.object(content))
            #expect(notMine.status == 403)
            #expect(notMine.json?["error"] as? String == "not-drafter")
            let unchanged = try await h.call("PUT", "/api/notices/\(id)", as: "alice", json: try ProjectJSON.object(content))
            #expect(unchanged.status == 409)

            let early = try await h.call("POST", "/api/notices/\(id)/approve", as: "bob")
            #expect(early.status == 409)
            #expect(early.json?["error"] as? String == "wrong-state")

            _ = try await h.call("POST", "/api/notices/\(id)/submit", as: "alice")
            let noReason = try await h.call("POST", "/api/notices/\(id)/reject", as: "bob", json: ["reason": " "])
            #expect(noReason.status == 422)
            #expect(noReason.json?["field"] as? String == "reason")
            let rejected = try await h.call("POST", "/api/notices/\(id)/reject", as: "bob", json: ["reason": "文号有误"])
            #expect(rejected.status == 200)
            #expect((rejected.json?["notice"] as? [String: Any])?["rejectionReason"] as? String == "文号有误")

            _ = try await h.call("POST", "/api/notices/\(id)/submit", as: "alice")
            #expect(try await h.call("POST", "/api/notices/\(id)/approve", as: "bob").status == 200)

            let correction = try await h.call("POST", "/api/notices/\(id)/correct", as: "erin")
            #expect(correction.status == 201)
            #expect(correction.json?["version"] as? Int == 2)
            #expect(correction.header("Location") == "/api/notices/\(id)/versions/2")
            let again = try await h.call("POST", "/api/notices/\(id)/correct", as: "erin")
            #expect(again.json?["error"] as? String == "correction-open")
            let v2 = try await h.call("GET", "/api/notices/\(id)/versions/2", as: "vera")
            #expect(v2.json?["state"] as? String == "draft")
            #expect(try await h.call("GET", "/api/notices/\(id)/versions/9", as: "vera").status == 404)

            let withdrawn = try await h.call("POST", "/api/notices/\(id)/withdraw", as: "carol", json: ["reason": "规划调整"])
            // The latest version is the open correction (a draft): only an approved latest version can be withdrawn.
            #expect(withdrawn.status == 409)
        }
    }

    @Test func withdrawEnqueuesWithdrawals() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            let id = try await h.publish(Fixtures.preAnnouncement())
            let r = try await h.call("POST", "/api/notices/\(id)/withdraw", as: "carol", json: ["reason": "规划调整"])
            #expect(r.status == 200)
            #expect((r.json?["notice"] as? [String: Any])?["state"] as? String == "withdrawn")
            let list = try await h.call("GET", "/api/deliveries?notice=\(id)", as: "vera")
            let purposes = (list.json?["items"] as? [[String: Any]] ?? []).map { $0["purpose"] as? String }
            #expect(purposes.filter { $0 == "withdraw" }.count == Fixtures.withdrawChannels.count)
            #expect(h.wakes == 2)
        }
    }

    @Test func projectsImportListShow() async throws {
        try await ServiceHarness.with { h in
            let created = try await h.call("POST", "/api/projects", as: "alice", json: try ProjectJSON.file(Fixtures.sampleProject()))
            #expect(created.status == 201)
            let replaced = try await h.call("POST", "/api/projects", as: "alice", json: try ProjectJSON.file(Fixtures.sampleProject()))
            #expect(replaced.status == 200)
            let list = try await h.call("GET", "/api/projects", as: "vera")
            #expect(list.json?["count"] as? Int == 1)
            let show = try await h.call("GET", "/api/projects/330523-2026-37", as: "vera")
            #expect(show.status == 200)
            let pages = show.json?["parcelPages"] as? [String: String]
            #expect(pages?["330523-2026-37-1"] == "https://gonggao.example.gov.cn/p/330523-2026-37-1")
            #expect(try await h.call("GET", "/api/projects/nope", as: "vera").status == 404)

            var bad = Fixtures.sampleProject()
            bad.parcels[1].landUse[0].code = "01"
            let invalid = try await h.call("POST", "/api/projects", as: "alice", json: try ProjectJSON.file(bad))
            #expect(invalid.status == 422)
            #expect(invalid.json?["field"] as? String == "parcels[1].landUse[0].code")

            // A parcel key owned by another project is a conflict.
            let thief = Fixtures.otherProject(parcelKeys: [Fixtures.parcel1])
            #expect(try await h.call("POST", "/api/projects", as: "alice", json: try ProjectJSON.file(thief)).status == 409)
        }
    }
}
