import Foundation
import GonggaoCore
import Synchronization
import Testing
import TestSupport

@testable import GonggaoStore

/// Posting confirmations, stage gates, payments and warnings through the workflow, on every store
/// backend, with a clock set day by day (never today's date).
@Suite struct StatutoryWorkflowTests {
    final class DayClock: Sendable {
        private let current = Mutex(Date())
        init(_ day: String) { set(day) }
        /// 10:00 in Shanghai on `day`.
        func set(_ day: String) { current.withLock { $0 = CivilDate(iso: day)!.startInstant.addingTimeInterval(36_000) } }
        var function: @Sendable () -> Date { { self.current.withLock { $0 } } }
    }

    static let users = UserDirectory([
        User(name: "alice", roles: [.drafter]), User(name: "bob", roles: [.approver]),
        User(name: "root", roles: [.admin]), User(name: "pat", roles: [.poster]), User(name: "vera", roles: [.viewer]),
    ])

    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 64) + [0xFF, 0xD9]

    struct World {
        let ts: TestStore
        let clock: DayClock
        let workflow: NoticeWorkflow
        let desk: WarningDesk

        init(_ ts: TestStore, day: String) throws {
            self.ts = ts
            clock = DayClock(day)
            let statutory = StatutoryClock(calendar: try Fixtures.shippedCalendar())
            workflow = NoticeWorkflow(store: ts.store, users: StatutoryWorkflowTests.users, channels: ["print"],
                                      withdrawChannels: ["print"], now: clock.function, statutory: statutory)
            desk = WarningDesk(store: ts.store, clock: statutory, users: StatutoryWorkflowTests.users, now: clock.function)
        }

        func approved(_ content: NoticeContent) async throws -> NoticeVersion {
            let draft = try await workflow.draft(content, as: "alice")
            _ = try await workflow.submit(draft.id, as: "alice")
            return try await workflow.approve(draft.id, as: "bob").version
        }

        func postEverywhere(_ v: NoticeVersion) async throws {
            for place in ["township:梅溪镇", "village:红庙村", "荆湾村"] {
                _ = try await workflow.confirmPosting(v.id, place: place, board: "公告栏", as: "pat")
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func postingsAreConfirmedPerPlaceAndBadOnesChangeNothing(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let w = try World(ts, day: "2026-09-25")
            _ = try await w.workflow.importProject(Fixtures.sampleProject(), as: "alice")
            let v = try await w.approved(Fixtures.preAnnouncement())
            let first = try await w.workflow.confirmPosting(v.id, place: "village:红庙村", board: "村委会公告栏", photo: Self.jpeg, as: "pat")
            #expect(first.place == PostingPlace(.village, "红庙村") && first.photoSHA256?.count == 64 && first.postedOn.description == "2026-09-25")
            let photo = try await ts.store.read { tx in try tx.photo(sha256: first.photoSHA256!) }
            #expect(photo == Self.jpeg)

            let before = try await ts.store.read { tx in try tx.auditEntries(after: 0, limit: 1000).count }
            await #expect(throws: WorkflowError.alreadyPosted(notice: v.reference, place: "village:红庙村")) {
                try await w.workflow.confirmPosting(v.id, place: "红庙村", board: "x", as: "pat")
            }
            await #expect(throws: WorkflowError.self) { try await w.workflow.confirmPosting(v.id, place: "village:塔下洲村", board: "x", as: "pat") }
            await #expect(throws: WorkflowError.notPermitted(user: "vera", action: "confirm a posting", needs: .poster)) {
                try await w.workflow.confirmPosting(v.id, place: "梅溪镇", board: "x", as: "vera")
            }
            await #expect(throws: ValidationError(field: "photo", "is not a JPEG image")) {
                try await w.workflow.confirmPosting(v.id, place: "梅溪镇", board: "x", photo: Array("GIF89a".utf8), as: "pat")
            }
            await #expect(throws: ValidationError.self) {
                try await w.workflow.confirmPosting(v.id, place: "梅溪镇", board: "x", photo: Self.jpeg + Array(repeating: 0, count: 10 << 20), as: "pat")
            }
            await #expect(throws: ValidationError.self) {
                try await w.workflow.confirmPosting(v.id, place: "梅溪镇", board: "x", postedOn: CivilDate(iso: "2026-09-26"), as: "pat")
            }
            await #expect(throws: ValidationError.self) {
                try await w.workflow.confirmPosting(v.id, place: "梅溪镇", board: "  ", as: "pat")
            }
            let after = try await ts.store.read { tx in try tx.auditEntries(after: 0, limit: 1000).count }
            #expect(after == before, "refused confirmations change nothing")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aStageGateIsRefusedThenOverriddenByAnAdminWithAReason(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let w = try World(ts, day: "2026-09-25")
            _ = try await w.workflow.importProject(Fixtures.sampleProject(), as: "alice")
            let pre = try await w.approved(Fixtures.preAnnouncement())
            w.clock.set("2026-09-29")
            try await w.postEverywhere(pre)

            w.clock.set("2026-10-19")
            let plan = try await w.workflow.draft(Fixtures.compensationPlan(), as: "alice")
            _ = try await w.workflow.submit(plan.id, as: "alice")
            do {
                _ = try await w.workflow.approve(plan.id, as: "bob")
                Issue.record("the gate must refuse before 2026-10-20")
            } catch let WorkflowError.stageGate(_, rule, reason, earliest) {
                #expect(rule.contains("第二十六条") && reason.contains("2026-10-19") && earliest?.date.description == "2026-10-20")
            }
            await #expect(throws: WorkflowError.notPermitted(user: "bob", action: "override a stage gate", needs: .admin)) {
                try await w.workflow.approve(plan.id, as: "bob", overrideGate: "县政府要求提前")
            }
            let approval = try await w.workflow.approve(plan.id, as: "root", overrideGate: "县政府专题会议纪要〔2026〕8号要求提前")
            #expect(approval.changed && approval.version.state == .approved)
            let audit = try await ts.store.read { tx in try tx.auditEntries(after: 0, limit: 1000) }
            let override = try #require(audit.first { $0.action == "notice.gate-override" })
            #expect(override.actor == "root" && override.detail.contains("专题会议纪要") && override.detail.contains("第二十六条"))

            // On the first allowed day no override is needed.
            w.clock.set("2026-10-20")
            let second = try await w.workflow.draft(Fixtures.compensationPlan(), as: "alice")
            _ = try await w.workflow.submit(second.id, as: "alice")
            #expect(try await w.workflow.approve(second.id, as: "bob").changed)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func warningsAreRaisedOnceAndResolvedWhenTheConditionClears(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let w = try World(ts, day: "2026-12-01")
            _ = try await w.workflow.importProject(Fixtures.sampleProject(), as: "alice")
            let v = try await w.approved(Fixtures.preAnnouncement())
            #expect(try await w.desk.evaluate().raised.isEmpty, "nothing due yet")
            w.clock.set("2026-12-02")
            let first = try await w.desk.evaluate()
            #expect(first.raised.filter { $0.kind == .notPosted }.count == 3)
            #expect(try await w.desk.evaluate().raised.isEmpty, "raised once, not once per evaluation")
            w.clock.set("2026-12-07")
            let breach = try await w.desk.evaluate()
            #expect(breach.escalated.filter { $0.kind == .notPosted }.count == 3 && breach.raised.filter { $0.kind == .notPosted }.isEmpty)
            let ack = try await w.desk.acknowledge(first.raised[0].id, as: "bob")
            #expect(ack.state == .acknowledged && ack.acknowledgedBy == "bob")
            try await w.postEverywhere(v)
            let cleared = try await w.desk.evaluate()
            #expect(cleared.resolved.filter { $0.kind == .notPosted }.count == 3)
            let stored = try await ts.store.read { tx in try tx.warnings(WarningFilter(kind: .notPosted)) }
            #expect(stored.count == 3 && stored.allSatisfy { $0.state == .resolved })

            _ = try await w.workflow.recordPayment(project: Fixtures.projectKey, parcel: Fixtures.parcel1, payeeGroup: "红庙村股份经济合作社",
                                                   amountYuan: 1_250_000, paidOn: CivilDate(iso: "2026-12-07")!, as: "bob")
            await #expect(throws: ValidationError.self) {
                try await w.workflow.recordPayment(project: Fixtures.projectKey, parcel: "330523-2026-37-9", payeeGroup: "x",
                                                   amountYuan: 1, paidOn: CivilDate(iso: "2026-12-07")!, as: "bob")
            }
            let payments = try await ts.store.read { tx in try tx.payments(project: Fixtures.projectKey) }
            #expect(payments.count == 1 && payments[0].amountYuan == 1_250_000)
            #expect(try await AuditCheck.verify(ts.store).isValid)
        }
    }
}
