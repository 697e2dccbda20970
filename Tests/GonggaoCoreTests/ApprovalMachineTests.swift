import Foundation
import GonggaoCore
import TestSupport
import Testing

/// The approval workflow as a pure function: every legal transition and every refusal.
@Suite struct ApprovalMachineTests {
    static let later = Fixtures.t0.addingTimeInterval(3600)

    static func user(_ name: String) -> User { try! Fixtures.users.user(name) }

    /// Version 1 of the sample pre-announcement, drafted by `drafter`, in `state`.
    static func version(_ state: NoticeState, drafter: String = "alice") -> NoticeVersion {
        var v = NoticeVersion(
            id: "ntc_test00000000", version: 1, content: Fixtures.preAnnouncement(), drafter: drafter,
            at: Fixtures.t0)
        v.state = state
        if state != .draft {
            v.submittedBy = drafter
            v.submittedAt = Fixtures.t0
        }
        if [.approved, .superseded, .withdrawn].contains(state) {
            v.approvedBy = "bob"
            v.approvedAt = Fixtures.t0
        }
        return v
    }

    static func apply(
        _ action: ApprovalMachine.Action, _ v: NoticeVersion, by name: String
    ) throws(WorkflowError)
        -> ApprovalMachine.Transition
    {
        try ApprovalMachine.apply(action, to: v, by: user(name), at: later)
    }

    /// The changed version of a transition, or a recorded failure.
    static func changed(
        _ t: ApprovalMachine.Transition, audit expected: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> NoticeVersion? {
        guard case .changed(let v, let audit) = t else {
            Issue.record("expected a change, got \(t)", sourceLocation: sourceLocation)
            return nil
        }
        #expect(audit == expected, sourceLocation: sourceLocation)
        #expect(v.updatedAt == later, sourceLocation: sourceLocation)
        return v
    }

    // MARK: legal transitions

    @Test func draftStartsAsDraftWithItsHash() {
        let v = Self.version(.draft)
        #expect(v.state == .draft)
        #expect(v.contentHash == Fixtures.preAnnouncement().contentHash)
        #expect(v.reference == "ntc_test00000000/v1")
    }

    @Test func drafterSubmitsOwnDraft() throws {
        let v = try #require(
            Self.changed(try Self.apply(.submit, Self.version(.draft), by: "alice"), audit: "notice.submit"))
        #expect(v.state == .submitted)
        #expect(v.submittedBy == "alice")
        #expect(v.submittedAt == Self.later)
    }

    @Test func submittingTwiceIsUnchanged() throws {
        let v = Self.version(.submitted)
        #expect(try Self.apply(.submit, v, by: "alice") == .unchanged(v, note: "already submitted"))
    }

    @Test(arguments: ["bob", "carol", "root"])
    func anotherApproverApprovesASubmittedVersion(approver: String) throws {
        var submitted = Self.version(.submitted)
        submitted.rejectionReason = "old reason"
        submitted.rejectedBy = "carol"
        let v = try #require(Self.changed(try Self.apply(.approve, submitted, by: approver), audit: "notice.approve"))
        #expect(v.state == .approved)
        #expect(v.approvedBy == approver)
        #expect(v.approvedAt == Self.later)
        #expect(v.rejectionReason == nil && v.rejectedBy == nil)
        #expect(v.content == submitted.content && v.contentHash == submitted.contentHash)
    }

    @Test(arguments: ["bob", "carol"])
    func approvingAnApprovedVersionChangesNothing(approver: String) throws {
        let v = Self.version(.approved)
        #expect(try Self.apply(.approve, v, by: approver) == .unchanged(v, note: "already approved"))
    }

    @Test func rejectionReturnsToDraftKeepingTheReason() throws {
        let t = try Self.apply(.reject(reason: "地块面积有误"), Self.version(.submitted), by: "bob")
        let v = try #require(Self.changed(t, audit: "notice.reject"))
        #expect(v.state == .draft)
        #expect(v.rejectionReason == "地块面积有误")
        #expect(v.rejectedBy == "bob")
        #expect(v.submittedBy == nil && v.submittedAt == nil)
        // … and the drafter may fix it and submit again.
        let again = try #require(Self.changed(try Self.apply(.submit, v, by: "alice"), audit: "notice.submit"))
        #expect(again.state == .submitted)
        #expect(again.rejectionReason == "地块面积有误", "the reason stays visible until approval")
    }

    @Test func withdrawFromApproved() throws {
        let v = try #require(
            Self.changed(
                try Self.apply(.withdraw(reason: "批文撤销"), Self.version(.approved), by: "carol"),
                audit: "notice.withdraw"))
        #expect(v.state == .withdrawn)
        #expect(v.withdrawnBy == "carol")
        #expect(v.withdrawnAt == Self.later)
        #expect(v.withdrawalReason == "批文撤销")
    }

    @Test func withdrawingTwiceIsUnchanged() throws {
        let v = Self.version(.withdrawn)
        #expect(try Self.apply(.withdraw(reason: "again"), v, by: "bob") == .unchanged(v, note: "already withdrawn"))
    }

    @Test func supersedeAnApprovedVersion() throws {
        let v = try #require(
            Self.changed(
                try Self.apply(.supersede(by: 2), Self.version(.approved), by: "root"),
                audit: "notice.supersede"))
        #expect(v.state == .superseded)
        #expect(v.supersededBy == 2)
    }

    @Test func drafterEditsOwnDraft() throws {
        var content = Fixtures.preAnnouncement()
        content.title += "（更正）"
        let v = try #require(
            Self.changed(try Self.apply(.edit(content), Self.version(.draft), by: "alice"), audit: "notice.edit"))
        #expect(v.content == content)
        #expect(v.contentHash == content.contentHash)
        #expect(v.contentHash != Fixtures.preAnnouncement().contentHash)
        #expect(v.state == .draft)
    }

    @Test func adminMayEditAndSubmitAnotherDraft() throws {
        var content = Fixtures.preAnnouncement()
        content.title += "（修改）"
        let edited = try #require(
            Self.changed(try Self.apply(.edit(content), Self.version(.draft), by: "root"), audit: "notice.edit"))
        #expect(edited.drafter == "alice", "editing does not change who drafted the version")
        _ = try #require(Self.changed(try Self.apply(.submit, edited, by: "root"), audit: "notice.submit"))
    }

    @Test func correctionStartsTheNextVersionAsADraft() throws {
        let approved = Self.version(.approved)
        let copy = try ApprovalMachine.correct(approved, content: nil, by: Self.user("erin"), at: Self.later)
        #expect(copy.id == approved.id)
        #expect(copy.version == 2)
        #expect(copy.state == .draft)
        #expect(copy.drafter == "erin")
        #expect(copy.content == approved.content)
        #expect(copy.createdAt == Self.later)
        #expect(copy.approvedBy == nil && copy.submittedBy == nil)

        var content = approved.content
        content.body.append("六、本公告为更正公告。")
        let fresh = try ApprovalMachine.correct(approved, content: content, by: Self.user("alice"), at: Self.later)
        #expect(fresh.content == content)
        #expect(fresh.contentHash == content.contentHash)
    }

    // MARK: refusals

    struct Refusal: Sendable, CustomStringConvertible {
        let description: String
        let state: NoticeState
        let drafter: String
        let action: ApprovalMachine.Action
        let actor: String
        let error: WorkflowError
    }

    static let ref = "ntc_test00000000/v1"
    static func edited() -> NoticeContent {
        var c = Fixtures.preAnnouncement()
        c.title = "新标题"
        return c
    }

    static let refusals: [Refusal] = [
        // four-eyes
        Refusal(
            description: "drafter-approver approves own", state: .submitted, drafter: "dora", action: .approve,
            actor: "dora", error: .fourEyes(user: "dora", notice: ref)),
        Refusal(
            description: "admin approves own", state: .submitted, drafter: "root", action: .approve,
            actor: "root", error: .fourEyes(user: "root", notice: ref)),
        Refusal(
            description: "drafter-approver rejects own", state: .submitted, drafter: "dora",
            action: .reject(reason: "x"), actor: "dora", error: .fourEyes(user: "dora", notice: ref)),
        Refusal(
            description: "four-eyes even when already approved", state: .approved, drafter: "dora", action: .approve,
            actor: "dora", error: .fourEyes(user: "dora", notice: ref)),
        // roles
        Refusal(
            description: "drafter cannot approve", state: .submitted, drafter: "erin", action: .approve,
            actor: "alice", error: .notPermitted(user: "alice", action: "approve", needs: .approver)),
        Refusal(
            description: "drafter approving own lacks the role", state: .submitted, drafter: "alice", action: .approve,
            actor: "alice", error: .notPermitted(user: "alice", action: "approve", needs: .approver)),
        Refusal(
            description: "viewer cannot approve", state: .submitted, drafter: "alice", action: .approve,
            actor: "vera", error: .notPermitted(user: "vera", action: "approve", needs: .approver)),
        Refusal(
            description: "viewer cannot reject", state: .submitted, drafter: "alice", action: .reject(reason: "x"),
            actor: "vera", error: .notPermitted(user: "vera", action: "reject", needs: .approver)),
        Refusal(
            description: "viewer cannot submit", state: .draft, drafter: "alice", action: .submit,
            actor: "vera", error: .notPermitted(user: "vera", action: "submit", needs: .drafter)),
        Refusal(
            description: "approver cannot edit", state: .draft, drafter: "alice", action: .edit(edited()),
            actor: "bob", error: .notPermitted(user: "bob", action: "edit", needs: .drafter)),
        Refusal(
            description: "drafter cannot withdraw", state: .approved, drafter: "erin", action: .withdraw(reason: "x"),
            actor: "alice", error: .notPermitted(user: "alice", action: "withdraw", needs: .approver)),
        // authorship
        Refusal(
            description: "another drafter cannot submit", state: .draft, drafter: "alice", action: .submit,
            actor: "erin", error: .notDrafter(user: "erin", notice: ref, drafter: "alice")),
        Refusal(
            description: "another drafter cannot edit", state: .draft, drafter: "alice", action: .edit(edited()),
            actor: "erin", error: .notDrafter(user: "erin", notice: ref, drafter: "alice")),
        // states
        Refusal(
            description: "approve a draft never submitted", state: .draft, drafter: "alice", action: .approve,
            actor: "bob", error: .wrongState(notice: ref, action: "approve", state: .draft)),
        Refusal(
            description: "approve a superseded version", state: .superseded, drafter: "alice", action: .approve,
            actor: "bob", error: .wrongState(notice: ref, action: "approve", state: .superseded)),
        Refusal(
            description: "approve a withdrawn version", state: .withdrawn, drafter: "alice", action: .approve,
            actor: "bob", error: .wrongState(notice: ref, action: "approve", state: .withdrawn)),
        Refusal(
            description: "reject a draft", state: .draft, drafter: "alice", action: .reject(reason: "x"),
            actor: "bob", error: .wrongState(notice: ref, action: "reject", state: .draft)),
        Refusal(
            description: "reject an approved version", state: .approved, drafter: "alice", action: .reject(reason: "x"),
            actor: "bob", error: .wrongState(notice: ref, action: "reject", state: .approved)),
        Refusal(
            description: "submit an approved version", state: .approved, drafter: "alice", action: .submit,
            actor: "alice", error: .wrongState(notice: ref, action: "submit", state: .approved)),
        Refusal(
            description: "edit a submitted version", state: .submitted, drafter: "alice", action: .edit(edited()),
            actor: "alice", error: .wrongState(notice: ref, action: "edit", state: .submitted)),
        Refusal(
            description: "edit an approved version", state: .approved, drafter: "alice", action: .edit(edited()),
            actor: "alice", error: .wrongState(notice: ref, action: "edit", state: .approved)),
        Refusal(
            description: "withdraw a draft", state: .draft, drafter: "alice", action: .withdraw(reason: "x"),
            actor: "bob", error: .wrongState(notice: ref, action: "withdraw", state: .draft)),
        Refusal(
            description: "withdraw a submitted version", state: .submitted, drafter: "alice",
            action: .withdraw(reason: "x"),
            actor: "bob", error: .wrongState(notice: ref, action: "withdraw", state: .submitted)),
        Refusal(
            description: "withdraw a superseded version", state: .superseded, drafter: "alice",
            action: .withdraw(reason: "x"), actor: "bob",
            error: .wrongState(notice: ref, action: "withdraw", state: .superseded)),
        Refusal(
            description: "supersede a draft", state: .draft, drafter: "alice", action: .supersede(by: 2),
            actor: "root", error: .wrongState(notice: ref, action: "supersede", state: .draft)),
        Refusal(
            description: "supersede a submitted version", state: .submitted, drafter: "alice",
            action: .supersede(by: 2),
            actor: "root", error: .wrongState(notice: ref, action: "supersede", state: .submitted)),
        // reasons and no-op edits
        Refusal(
            description: "reject without a reason", state: .submitted, drafter: "alice", action: .reject(reason: ""),
            actor: "bob", error: .reasonRequired(action: "reject")),
        Refusal(
            description: "reject with a blank reason", state: .submitted, drafter: "alice",
            action: .reject(reason: " \n\t"),
            actor: "bob", error: .reasonRequired(action: "reject")),
        Refusal(
            description: "withdraw without a reason", state: .approved, drafter: "alice",
            action: .withdraw(reason: "  "),
            actor: "bob", error: .reasonRequired(action: "withdraw")),
        Refusal(
            description: "edit with identical content", state: .draft, drafter: "alice",
            action: .edit(Fixtures.preAnnouncement()), actor: "alice", error: .unchanged(notice: ref)),
    ]

    @Test(arguments: refusals)
    func refused(_ r: Refusal) {
        let v = Self.version(r.state, drafter: r.drafter)
        #expect(throws: r.error) { try Self.apply(r.action, v, by: r.actor) }
        #expect(!r.error.description.contains("\n"), "an error reads as one line")
    }

    @Test func correctionRefusals() {
        #expect(throws: WorkflowError.correctionOpen(notice: "ntc_test00000000", version: 1)) {
            try ApprovalMachine.correct(Self.version(.draft), content: nil, by: Self.user("alice"), at: Self.later)
        }
        #expect(throws: WorkflowError.correctionOpen(notice: "ntc_test00000000", version: 1)) {
            try ApprovalMachine.correct(Self.version(.submitted), content: nil, by: Self.user("alice"), at: Self.later)
        }
        #expect(throws: WorkflowError.wrongState(notice: Self.ref, action: "correct", state: .withdrawn)) {
            try ApprovalMachine.correct(Self.version(.withdrawn), content: nil, by: Self.user("alice"), at: Self.later)
        }
        #expect(throws: WorkflowError.wrongState(notice: Self.ref, action: "correct", state: .superseded)) {
            try ApprovalMachine.correct(Self.version(.superseded), content: nil, by: Self.user("alice"), at: Self.later)
        }
        #expect(throws: WorkflowError.notPermitted(user: "bob", action: "correct", needs: .drafter)) {
            try ApprovalMachine.correct(Self.version(.approved), content: nil, by: Self.user("bob"), at: Self.later)
        }
    }

    @Test func usersAndRoles() throws {
        #expect(throws: WorkflowError.unknownUser("mallory")) { try Fixtures.users.user("mallory") }
        let root = Self.user("root")
        #expect(Role.allCases.allSatisfy { root.has($0) }, "admin holds every role")
        #expect(!Self.user("alice").has(.approver))
        #expect(Self.user("dora").has(.approver) && Self.user("dora").has(.drafter))
        #expect(Fixtures.users.all.map(\.name) == Fixtures.users.all.map(\.name).sorted())
    }
}
