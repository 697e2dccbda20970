import Foundation
import GonggaoCore
import GonggaoStore
import TestSupport
import Testing

/// The officer actions end to end on every backend: one transaction each, approve-once outbox.
@Suite struct WorkflowTests {
    @Test(arguments: StoreBackend.allCases)
    func draftSubmitApproveQueuesOneDeliveryPerChannel(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let wf = ts.workflow()
            let project = try await wf.importProject(Fixtures.sampleProject(), as: "alice")
            #expect(project == Fixtures.sampleProject())

            let draft = try await wf.draft(Fixtures.preAnnouncement(), as: "alice")
            #expect(draft.state == .draft && draft.version == 1 && draft.drafter == "alice")
            #expect(draft.id.hasPrefix("ntc_") && draft.id.count == 16)
            #expect(draft.contentHash == Fixtures.preAnnouncement().contentHash)

            let submitted = try await wf.submit(draft.id, as: "alice")
            #expect(submitted.changed && submitted.version.state == .submitted)
            let again = try await wf.submit(draft.id, as: "alice")
            #expect(!again.changed, "submitting twice changes nothing")

            let approval = try await wf.approve(draft.id, as: "bob")
            #expect(approval.changed)
            #expect(approval.version.state == .approved && approval.version.approvedBy == "bob")
            #expect(approval.deliveries.map(\.channel) == Fixtures.channels)
            #expect(
                approval.deliveries.allSatisfy {
                    $0.state == .pending && $0.purpose == .publish && $0.noticeID == draft.id && $0.version == 1
                        && $0.attempts == 0
                })
            #expect(Set(approval.deliveries.map(\.id)).count == 4)

            let stored = try await ts.store.read { tx in
                (try tx.noticeVersions(draft.id), try tx.deliveries(DeliveryFilter(noticeID: draft.id)))
            }
            #expect(stored.0 == [approval.version])
            #expect(stored.1 == approval.deliveries)
            #expect(
                try await ts.auditActions() == ["project.import", "notice.draft", "notice.submit", "notice.approve"])
            let approveEntry = try #require(try await ts.store.read { try $0.lastAuditEntry() })
            #expect(approveEntry.actor == "bob" && approveEntry.subject == "\(draft.id)/v1")
            #expect(approveEntry.detail.contains("sha256:\(draft.contentHash)"))

            // Approving again — by anyone allowed — changes nothing and enqueues nothing.
            let before = try await ts.dump()
            for approver in ["bob", "carol", "root"] {
                let repeated = try await wf.approve(draft.id, as: approver)
                #expect(!repeated.changed)
                #expect(repeated.version == approval.version)
                #expect(repeated.deliveries == approval.deliveries)
            }
            #expect(try await ts.dump() == before)

            let report = try await ts.verify()
            #expect(report.isValid, "\(report.problems)")
            #expect(report.entries == 4)
            #expect(report.recordedHead == AuditHead(seq: 4, hash: approveEntry.hash))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func rejectionSendsTheVersionBackToItsDrafter(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let wf = ts.workflow()
            let id = try await ts.submittedSample(wf)
            let rejected = try await wf.reject(id, reason: "第二宗地块面积与测绘报告不符", as: "carol")
            #expect(rejected.state == .draft && rejected.rejectionReason == "第二宗地块面积与测绘报告不符")

            var fixed = Fixtures.preAnnouncement()
            fixed.body[1] = fixed.body[1].replacingOccurrences(of: "58.37", with: "58.38")
            let edited = try await wf.edit(id, content: fixed, as: "alice")
            #expect(edited.contentHash == fixed.contentHash && edited.rejectionReason != nil)
            _ = try await wf.submit(id, as: "alice")
            let approval = try await wf.approve(id, as: "carol")
            #expect(approval.version.rejectionReason == nil && approval.version.content == fixed)

            #expect(
                try await ts.auditActions() == [
                    "project.import", "notice.draft", "notice.submit", "notice.reject",
                    "notice.edit", "notice.submit", "notice.approve",
                ])
            let reject = try #require(try await ts.auditEntries().first { $0.action == "notice.reject" })
            #expect(reject.detail == "第二宗地块面积与测绘报告不符")
            #expect(try await ts.verify().isValid)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anApprovedCorrectionSupersedesAndCancelsTheOldDeliveries(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let wf = ts.workflow()
            let id = try await ts.submittedSample(wf)
            let v1 = try await wf.approve(id, as: "bob")

            // One v1 delivery already went out, one is being sent right now.
            var delivered = v1.deliveries[1]
            delivered.state = .delivered
            var inFlight = v1.deliveries[2]
            inFlight.state = .inFlight
            inFlight.leaseOwner = "worker-1"
            inFlight.leaseExpiresAt = Fixtures.t0.addingTimeInterval(600)
            try await ts.store.write { [delivered, inFlight] tx in
                try tx.updateDelivery(delivered)
                try tx.updateDelivery(inFlight)
            }

            var corrected = Fixtures.preAnnouncement()
            corrected.title = "安吉县人民政府征收土地预公告（更正）"
            let draft2 = try await wf.correct(id, content: corrected, as: "erin")
            #expect(draft2.version == 2 && draft2.state == .draft && draft2.drafter == "erin")
            // Until v2 is approved, v1 stays the published version.
            #expect(try await ts.store.read { try $0.noticeVersion(id, version: 1) }?.state == .approved)
            _ = try await wf.submit(id, as: "erin")
            let v2 = try await wf.approve(id, as: "carol")
            #expect(v2.changed && v2.version.version == 2 && v2.version.state == .approved)
            #expect(v2.deliveries.map(\.channel) == Fixtures.channels)

            let (versions, old) = try await ts.store.read { tx in
                (try tx.noticeVersions(id), try tx.deliveries(DeliveryFilter(noticeID: id, version: 1)))
            }
            #expect(versions.map(\.state) == [.superseded, .approved])
            #expect(versions[0].supersededBy == 2)
            let states = Dictionary(uniqueKeysWithValues: old.map { ($0.channel, $0.state) })
            #expect(
                states == [
                    "print": .cancelled, "provincial-portal": .delivered, "county-column": .inFlight,
                    "mobile-platform": .cancelled,
                ])
            #expect(old.filter { $0.state == .cancelled }.allSatisfy { $0.lastError == "superseded by v2" })
            #expect(
                try await ts.store.read { try $0.deliveries(DeliveryFilter(noticeID: id, version: 2)) } == v2.deliveries
            )
            #expect(try await ts.store.read { try $0.notices(NoticeFilter()) }.map(\.reference) == ["\(id)/v2"])

            #expect(
                try await ts.auditActions().suffix(4) == [
                    "notice.correct", "notice.submit", "notice.approve", "notice.supersede",
                ])

            // Approving v2 again, or the superseded v1, changes nothing.
            let before = try await ts.dump()
            #expect(try await !wf.approve(id, as: "bob").changed)
            await #expect(throws: WorkflowError.wrongState(notice: "\(id)/v1", action: "approve", state: .superseded)) {
                _ = try await wf.approve(id, version: 1, as: "bob")
            }
            #expect(try await ts.dump() == before)
            #expect(try await ts.verify().isValid)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func withdrawalQueuesAWithdrawOnEveryChannel(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let wf = ts.workflow()
            let id = try await ts.submittedSample(wf)
            let approval = try await wf.approve(id, as: "bob")
            var delivered = approval.deliveries[1]
            delivered.state = .delivered
            try await ts.store.write { [delivered] in try $0.updateDelivery(delivered) }

            let withdrawn = try await wf.withdraw(id, reason: "省政府批复撤销", as: "carol")
            #expect(withdrawn.changed && withdrawn.version.state == .withdrawn)
            #expect(withdrawn.version.withdrawalReason == "省政府批复撤销" && withdrawn.version.withdrawnBy == "carol")

            let all = try await ts.store.read { try $0.deliveries(DeliveryFilter(noticeID: id)) }
            let withdraws = all.filter { $0.purpose == .withdraw }
            // Print too: it prints a withdrawal notice (撤回公告) to post over the paper poster.
            #expect(withdraws.map(\.channel) == ["print", "provincial-portal", "county-column", "mobile-platform"])
            #expect(withdraws.allSatisfy { $0.state == .pending && $0.version == 1 })
            let publish = all.filter { $0.purpose == .publish }
            #expect(publish.map(\.state) == [.cancelled, .delivered, .cancelled, .cancelled])
            #expect(try await ts.auditActions().last == "notice.withdraw")

            // Withdrawing twice changes nothing.
            let before = try await ts.dump()
            #expect(try await !wf.withdraw(id, reason: "again", as: "bob").changed)
            #expect(try await ts.dump() == before)
            #expect(try await ts.verify().isValid)
        }
    }

    // MARK: refusals leave the store exactly as it was

    /// A refused action, and how to recognise its error.
    struct Refusal: Sendable {
        let what: String
        let action: @Sendable (NoticeWorkflow, Setup) async throws -> Void
        let matches: @Sendable (any Error) -> Bool
    }

    /// The notices every refusal runs against.
    struct Setup: Sendable {
        /// Drafted by alice, never submitted.
        var draft: String
        /// Drafted by alice, submitted.
        var submitted: String
        /// Drafted and submitted by dora (drafter and approver).
        var dorasSubmitted: String
        /// Drafted by alice, approved by bob.
        var approved: String
    }

    static func validation(_ field: String) -> @Sendable (any Error) -> Bool {
        { ($0 as? ValidationError)?.field == field }
    }

    static func workflowError(_ expected: WorkflowError) -> @Sendable (any Error) -> Bool {
        { ($0 as? WorkflowError) == expected }
    }

    static func content(_ change: @Sendable (inout NoticeContent) -> Void) -> NoticeContent {
        var c = Fixtures.preAnnouncement()
        change(&c)
        return c
    }

    static let refusals: [Refusal] = [
        Refusal(
            what: "the drafter approves her own notice",
            action: { wf, s in _ = try await wf.approve(s.dorasSubmitted, as: "dora") },
            matches: { if case .fourEyes(user: "dora", _) = $0 as? WorkflowError { true } else { false } }),
        Refusal(
            what: "the drafter rejects her own notice",
            action: { wf, s in _ = try await wf.reject(s.dorasSubmitted, reason: "x", as: "dora") },
            matches: { if case .fourEyes = $0 as? WorkflowError { true } else { false } }),
        Refusal(
            what: "approving a draft never submitted",
            action: { wf, s in _ = try await wf.approve(s.draft, as: "bob") },
            matches: { if case .wrongState(_, "approve", .draft) = $0 as? WorkflowError { true } else { false } }),
        Refusal(
            what: "a drafter approves", action: { wf, s in _ = try await wf.approve(s.submitted, as: "erin") },
            matches: workflowError(.notPermitted(user: "erin", action: "approve", needs: .approver))),
        Refusal(
            what: "a viewer approves", action: { wf, s in _ = try await wf.approve(s.submitted, as: "vera") },
            matches: workflowError(.notPermitted(user: "vera", action: "approve", needs: .approver))),
        Refusal(
            what: "an unknown user approves", action: { wf, s in _ = try await wf.approve(s.submitted, as: "mallory") },
            matches: workflowError(.unknownUser("mallory"))),
        Refusal(
            what: "an unknown user drafts",
            action: { wf, _ in _ = try await wf.draft(Fixtures.preAnnouncement(), as: "mallory") },
            matches: workflowError(.unknownUser("mallory"))),
        Refusal(
            what: "approving an unknown id",
            action: { wf, _ in _ = try await wf.approve("ntc_doesnotexist", as: "bob") },
            matches: workflowError(.unknownNotice("ntc_doesnotexist"))),
        Refusal(
            what: "submitting an unknown id",
            action: { wf, _ in _ = try await wf.submit("ntc_doesnotexist", as: "alice") },
            matches: workflowError(.unknownNotice("ntc_doesnotexist"))),
        Refusal(
            what: "approving an unknown version",
            action: { wf, s in _ = try await wf.approve(s.approved, version: 7, as: "bob") },
            matches: { if case .unknownVersion(_, 7) = $0 as? WorkflowError { true } else { false } }),
        Refusal(
            what: "rejecting without a reason",
            action: { wf, s in _ = try await wf.reject(s.submitted, reason: " ", as: "bob") },
            matches: workflowError(.reasonRequired(action: "reject"))),
        Refusal(
            what: "rejecting an approved notice",
            action: { wf, s in _ = try await wf.reject(s.approved, reason: "x", as: "bob") },
            matches: { if case .wrongState(_, "reject", .approved) = $0 as? WorkflowError { true } else { false } }),
        Refusal(
            what: "another drafter submits", action: { wf, s in _ = try await wf.submit(s.draft, as: "erin") },
            matches: {
                if case .notDrafter(user: "erin", _, drafter: "alice") = $0 as? WorkflowError { true } else { false }
            }),
        Refusal(
            what: "another drafter edits",
            action: { wf, s in _ = try await wf.edit(s.draft, content: content { $0.title = "新" }, as: "erin") },
            matches: { if case .notDrafter = $0 as? WorkflowError { true } else { false } }),
        Refusal(
            what: "an edit that changes nothing",
            action: { wf, s in _ = try await wf.edit(s.draft, content: Fixtures.compensationPlan(), as: "alice") },
            matches: { if case .unchanged = $0 as? WorkflowError { true } else { false } }),
        Refusal(
            what: "editing a submitted notice",
            action: { wf, s in _ = try await wf.edit(s.submitted, content: content { $0.title = "新" }, as: "alice") },
            matches: { if case .wrongState(_, "edit", .submitted) = $0 as? WorkflowError { true } else { false } }),
        Refusal(
            what: "an edit moving the notice to another project",
            action: { wf, s in
                _ = try await wf.edit(
                    s.draft,
                    content: content {
                        $0.project = "330782-2026-5"
                        $0.parcels = ["330782-2026-5-1"]
                    },
                    as: "alice")
            },
            matches: validation("project")),
        Refusal(
            what: "an edit with a parcel not in the project",
            action: { wf, s in
                _ = try await wf.edit(s.draft, content: content { $0.parcels = ["330782-2026-5-1"] }, as: "alice")
            },
            matches: validation("parcels[0]")),
        Refusal(
            what: "withdrawing a draft",
            action: { wf, s in _ = try await wf.withdraw(s.draft, reason: "x", as: "bob") },
            matches: { if case .wrongState(_, "withdraw", .draft) = $0 as? WorkflowError { true } else { false } }),
        Refusal(
            what: "withdrawing without a reason",
            action: { wf, s in _ = try await wf.withdraw(s.approved, reason: "", as: "bob") },
            matches: workflowError(.reasonRequired(action: "withdraw"))),
        Refusal(
            what: "a drafter withdraws",
            action: { wf, s in _ = try await wf.withdraw(s.approved, reason: "x", as: "alice") },
            matches: { if case .notPermitted(_, _, .approver) = $0 as? WorkflowError { true } else { false } }),
        Refusal(
            what: "correcting a notice with an open draft",
            action: { wf, s in _ = try await wf.correct(s.draft, content: nil, as: "alice") },
            matches: { if case .correctionOpen = $0 as? WorkflowError { true } else { false } }),
        Refusal(
            what: "an approver corrects",
            action: { wf, s in _ = try await wf.correct(s.approved, content: nil, as: "bob") },
            matches: { if case .notPermitted(_, "correct", .drafter) = $0 as? WorkflowError { true } else { false } }),
        Refusal(
            what: "a correction with a bad parcel",
            action: { wf, s in
                _ = try await wf.correct(
                    s.approved, content: content { $0.parcels[1] = "330523-2026-37-3" }, as: "alice")
            },
            matches: validation("parcels[1]")),
        Refusal(
            what: "correcting an unknown id",
            action: { wf, _ in _ = try await wf.correct("ntc_nope", content: nil, as: "alice") },
            matches: workflowError(.unknownNotice("ntc_nope"))),
        // Drafts with bad content.
        Refusal(
            what: "a draft with a parcel not in the project",
            action: { wf, _ in _ = try await wf.draft(content { $0.parcels.append("330523-2026-37-3") }, as: "alice") },
            matches: validation("parcels[2]")),
        Refusal(
            what: "a draft with a non-ASCII parcel key",
            action: { wf, _ in _ = try await wf.draft(content { $0.parcels[0] = "梅溪-37-1" }, as: "alice") },
            matches: validation("parcels[0]")),
        Refusal(
            what: "a draft with an over-long parcel key",
            action: { wf, _ in
                _ = try await wf.draft(content { $0.parcels[0] = String(repeating: "1", count: 41) }, as: "alice")
            },
            matches: validation("parcels[0]")),
        Refusal(
            what: "a draft with a body over 20,000 characters",
            action: { wf, _ in
                _ = try await wf.draft(content { $0.body.append(String(repeating: "征", count: 20_000)) }, as: "alice")
            },
            matches: validation("body")),
        Refusal(
            what: "a draft without a title",
            action: { wf, _ in _ = try await wf.draft(content { $0.title = "" }, as: "alice") },
            matches: validation("title")),
        Refusal(
            what: "an expropriation without its approval",
            action: { wf, _ in _ = try await wf.draft(content { $0.kind = .expropriation }, as: "alice") },
            matches: validation("approval")),
        Refusal(
            what: "a draft for an unknown project",
            action: { wf, _ in _ = try await wf.draft(content { $0.project = "330523-2026-99" }, as: "alice") },
            matches: workflowError(.unknownProject("330523-2026-99"))),
        Refusal(
            what: "a viewer drafts",
            action: { wf, _ in _ = try await wf.draft(Fixtures.preAnnouncement(), as: "vera") },
            matches: workflowError(.notPermitted(user: "vera", action: "draft", needs: .drafter))),
        // Projects.
        Refusal(
            what: "importing an invalid project",
            action: { wf, _ in
                var p = Fixtures.sampleProject()
                p.county.code = "3305"
                _ = try await wf.importProject(p, as: "alice")
            },
            matches: validation("project.county.code")),
        Refusal(
            what: "importing a project that takes another's parcel",
            action: { wf, _ in
                _ = try await wf.importProject(
                    Fixtures.otherProject(key: "330523-2026-40", parcelKeys: [Fixtures.parcel1]), as: "alice")
            },
            matches: { if case .conflict = $0 as? StoreError { true } else { false } }),
        Refusal(
            what: "an approver imports a project",
            action: { wf, _ in _ = try await wf.importProject(Fixtures.sampleProject(), as: "bob") },
            matches: { if case .notPermitted(_, _, .drafter) = $0 as? WorkflowError { true } else { false } }),
    ]

    @Test(arguments: StoreBackend.allCases)
    func everyRefusedActionLeavesTheStoreAsItWas(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let wf = ts.workflow()
            _ = try await wf.importProject(Fixtures.otherProject(), as: "alice")
            let submitted = try await ts.submittedSample(wf)
            let draft = try await wf.draft(Fixtures.compensationPlan(), as: "alice").id
            let doras = try await wf.draft(Fixtures.content(.surveyResults), as: "dora").id
            _ = try await wf.submit(doras, as: "dora")
            let approved = try await wf.draft(Fixtures.content(.hearing), as: "alice").id
            _ = try await wf.submit(approved, as: "alice")
            _ = try await wf.approve(approved, as: "bob")
            let setup = Setup(draft: draft, submitted: submitted, dorasSubmitted: doras, approved: approved)

            let initial = try await ts.dump()
            for refusal in Self.refusals {
                let before = try await ts.dump()
                do {
                    try await refusal.action(wf, setup)
                    Issue.record("\(refusal.what): was accepted")
                } catch {
                    #expect(refusal.matches(error), "\(refusal.what): \(error)")
                    #expect(!"\(error)".contains("\n"), "\(refusal.what): the error is one line")
                }
                #expect(try await ts.dump() == before, "\(refusal.what) changed the store")
            }
            #expect(try await ts.dump() == initial)
            #expect(try await ts.verify().isValid)
        }
    }
}
