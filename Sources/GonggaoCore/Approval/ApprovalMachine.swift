import Foundation

/// The approval workflow of one notice version, as a pure function of (version, action, actor, now).
///
/// draft → submitted → approved; submitted → draft on rejection; approved → superseded by a
/// correction's approval, or → withdrawn. Approving an approved version is a no-op.
public enum ApprovalMachine {
    public enum Action: Sendable, Equatable {
        case edit(NoticeContent)
        case submit
        case approve
        case reject(reason: String)
        case withdraw(reason: String)
        /// Done by the workflow when version n+1 is approved; `by` is the new version.
        case supersede(by: Int)
    }

    /// The outcome: the new version and the audit action to record, or nothing to do.
    public enum Transition: Sendable, Equatable {
        case changed(NoticeVersion, audit: String)
        case unchanged(NoticeVersion, note: String)
    }

    public static func apply(_ action: Action, to v: NoticeVersion, by actor: User, at now: Date) throws(WorkflowError) -> Transition {
        var next = v
        next.updatedAt = now
        switch action {
        case .edit(let content):
            try requireAuthor(actor, of: v, action: "edit")
            guard v.state == .draft else { throw .wrongState(notice: v.reference, action: "edit", state: v.state) }
            guard content != v.content else { throw .unchanged(notice: v.reference) }
            next.content = content
            next.contentHash = content.contentHash
            return .changed(next, audit: "notice.edit")

        case .submit:
            try requireAuthor(actor, of: v, action: "submit")
            if v.state == .submitted { return .unchanged(v, note: "already submitted") }
            guard v.state == .draft else { throw .wrongState(notice: v.reference, action: "submit", state: v.state) }
            next.state = .submitted
            next.submittedBy = actor.name
            next.submittedAt = now
            return .changed(next, audit: "notice.submit")

        case .approve:
            guard actor.has(.approver) else { throw .notPermitted(user: actor.name, action: "approve", needs: .approver) }
            guard actor.name != v.drafter else { throw .fourEyes(user: actor.name, notice: v.reference) }
            if v.state == .approved { return .unchanged(v, note: "already approved") }
            guard v.state == .submitted else { throw .wrongState(notice: v.reference, action: "approve", state: v.state) }
            next.state = .approved
            next.approvedBy = actor.name
            next.approvedAt = now
            next.rejectionReason = nil
            next.rejectedBy = nil
            return .changed(next, audit: "notice.approve")

        case .reject(let reason):
            guard actor.has(.approver) else { throw .notPermitted(user: actor.name, action: "reject", needs: .approver) }
            guard actor.name != v.drafter else { throw .fourEyes(user: actor.name, notice: v.reference) }
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .reasonRequired(action: "reject") }
            guard v.state == .submitted else { throw .wrongState(notice: v.reference, action: "reject", state: v.state) }
            next.state = .draft
            next.rejectionReason = reason
            next.rejectedBy = actor.name
            next.submittedBy = nil
            next.submittedAt = nil
            return .changed(next, audit: "notice.reject")

        case .withdraw(let reason):
            guard actor.has(.approver) else { throw .notPermitted(user: actor.name, action: "withdraw", needs: .approver) }
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .reasonRequired(action: "withdraw") }
            if v.state == .withdrawn { return .unchanged(v, note: "already withdrawn") }
            guard v.state == .approved else { throw .wrongState(notice: v.reference, action: "withdraw", state: v.state) }
            next.state = .withdrawn
            next.withdrawnBy = actor.name
            next.withdrawnAt = now
            next.withdrawalReason = reason
            return .changed(next, audit: "notice.withdraw")

        case .supersede(let newer):
            guard v.state == .approved else { throw .wrongState(notice: v.reference, action: "supersede", state: v.state) }
            next.state = .superseded
            next.supersededBy = newer
            return .changed(next, audit: "notice.supersede")
        }
    }

    /// Starts a correction: version n+1 as a draft, from the approved latest version n.
    public static func correct(_ latest: NoticeVersion, content: NoticeContent?, by actor: User, at now: Date) throws(WorkflowError) -> NoticeVersion {
        guard actor.has(.drafter) else { throw .notPermitted(user: actor.name, action: "correct", needs: .drafter) }
        guard latest.state == .approved else {
            if latest.state == .draft || latest.state == .submitted {
                throw .correctionOpen(notice: latest.id, version: latest.version)
            }
            throw .wrongState(notice: latest.reference, action: "correct", state: latest.state)
        }
        return NoticeVersion(id: latest.id, version: latest.version + 1, content: content ?? latest.content,
                             drafter: actor.name, at: now)
    }

    /// Drafting, editing and submitting belong to the version's drafter (or an admin).
    static func requireAuthor(_ actor: User, of v: NoticeVersion, action: String) throws(WorkflowError) {
        guard actor.has(.drafter) else { throw .notPermitted(user: actor.name, action: action, needs: .drafter) }
        guard actor.name == v.drafter || actor.roles.contains(.admin) else {
            throw .notDrafter(user: actor.name, notice: v.reference, drafter: v.drafter)
        }
    }
}
