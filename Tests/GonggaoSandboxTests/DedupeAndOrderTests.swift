import Foundation
import GonggaoCore
@testable import GonggaoSandbox
import HTTPTestSupport
import Testing

@Suite(.serialized) struct DedupeAndOrderTests {
    @Test func theSameWebhookIDGetsTheSameAnswerAndPublishesOnce() async throws {
        let h = try SandboxHarness()
        let first = try await h.push(.mobile, "/mobile/cards", Payloads.mobile(), webhookId: "dlv_same")
        let again = try await h.push(.mobile, "/mobile/cards", Payloads.mobile(), webhookId: "dlv_same")
        #expect(first.status == 201 && again.status == 201)
        #expect(first.body == again.body)
        let item = try #require(h.server.item("ntc_m1", of: .mobile))
        #expect(item.history.count == 1)
        #expect(h.server.log(of: .mobile).map(\.outcome) == ["created", "duplicate"])
        // Another delivery id for the same version changes nothing either.
        let other = try await h.push(.mobile, "/mobile/cards", Payloads.mobile(), webhookId: "dlv_other")
        #expect(other.status == 200)
        #expect(other.json?["effect"] as? String == "unchanged")
        #expect(other.json?["publicationId"] as? String == first.json?["publicationId"] as? String)
        #expect(h.server.item("ntc_m1", of: .mobile)?.publications == 1)
        await h.stop()
    }

    @Test func concurrentDuplicatesPublishOnce() async throws {
        let h = try SandboxHarness()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await h.push(.county, "/county/articles", Payloads.county(), webhookId: "dlv_race").status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 201, count: 8))
        #expect(h.server.item("ntc_c1", of: .county)?.history.count == 1)
        #expect(h.server.items(of: .county).count == 1)
        await h.stop()
    }

    @Test func createUpdateWithdrawAreKeptInOrder() async throws {
        let h = try SandboxHarness()
        #expect(
            try await h.push(.provincial, "/provincial/items", Payloads.provincial(), webhookId: "d1").status == 201)
        let update = try await h.push(
            .provincial, "/provincial/items/ntc_a1", Payloads.provincial(version: 2, title: "更正公告"), method: "PUT",
            webhookId: "d2")
        #expect(update.status == 200)
        #expect(update.json?["effect"] as? String == "updated")
        let stale = try await h.push(
            .provincial, "/provincial/items/ntc_a1", Payloads.provincial(version: 1), method: "PUT", webhookId: "d1b")
        #expect(stale.status == 409)
        #expect(stale.json?["error"] as? String == "stale-version")
        let recreate = try await h.push(
            .provincial, "/provincial/items", Payloads.provincial(version: 3), webhookId: "d1c")
        #expect(recreate.json?["error"] as? String == "already-exists")
        let withdraw = try await h.push(
            .provincial, "/provincial/items/ntc_a1/withdraw", ["version": 2, "reason": "撤回"],
            webhookId: "d3")
        #expect(withdraw.status == 200)
        #expect(withdraw.json?["status"] as? String == "withdrawn")
        let after = try await h.push(
            .provincial, "/provincial/items/ntc_a1", Payloads.provincial(version: 3), method: "PUT", webhookId: "d4")
        #expect(after.json?["error"] as? String == "withdrawn")
        let item = try #require(h.server.item("ntc_a1", of: .provincial))
        #expect(item.history.map(\.effect) == [.created, .updated, .withdrawn])
        #expect(item.history.map(\.operation) == ["create", "update", "withdraw"])
        #expect(item.history.map(\.webhookId) == ["d1", "d2", "d3"])
        #expect(item.title == "更正公告")
        let page = try await Loopback.request(port: h.port, "GET", "/provincial/public/\(item.publicationId)")
        #expect(page.status == 410)
        await h.stop()
    }

    @Test func updateCreatesWhereThePortalNeverGotTheItemAndWithdrawOfUnknownIs404() async throws {
        let h = try SandboxHarness()
        let put = try await h.push(
            .provincial, "/provincial/items/ntc_new", Payloads.provincial("ntc_new", version: 2), method: "PUT")
        #expect(put.status == 201)
        #expect(put.json?["effect"] as? String == "created")
        let mismatch = try await h.push(
            .provincial, "/provincial/items/ntc_x", Payloads.provincial("ntc_y"), method: "PUT")
        #expect(mismatch.json?["field"] as? String == "noticeId")
        let unknown = try await h.push(.mobile, "/mobile/cards/ntc_none/withdraw", ["version": 1])
        #expect(unknown.status == 404)
        #expect(unknown.json?["error"] as? String == "unknown-notice")
        await h.stop()
    }

    @Test func bookAloneDeduplicatesWithoutANetwork() {
        var book = PortalBook(portal: .county)
        let t = Date(timeIntervalSince1970: 1_772_438_400)
        let command = PortalCommand.publish(.publish, noticeId: "n1", version: 1, title: "t", payload: .object([:]))
        let a = book.execute(command, operation: "publish", webhookId: "w", at: t, publicBase: "http://x")
        let b = book.execute(command, operation: "publish", webhookId: "w", at: t, publicBase: "http://x")
        #expect(a.status == 201 && b.body == a.body && b.outcome == "duplicate")
        let refused = book.execute(
            .withdraw(noticeId: "zz", version: 1, reason: nil), operation: "withdraw", webhookId: "w2",
            at: t, publicBase: "http://x")
        #expect(refused.status == 404)
        #expect(book.answer(for: "w2") == nil)
    }
}
