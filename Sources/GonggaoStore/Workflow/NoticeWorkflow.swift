import Foundation
import GonggaoCore

/// The officer actions, each one store transaction: validate, apply the approval machine, write the
/// version, its audit entry and — on approval — one delivery per enabled channel, together.
public struct NoticeWorkflow: Sendable {
    public let store: any NoticeStore
    public let users: UserDirectory
    /// Channels that receive every approved version, in config order.
    public let channels: [String]
    /// Channels that are also told when a notice is withdrawn (a paper poster cannot be).
    public let withdrawChannels: [String]
    public let now: @Sendable () -> Date
    /// The statutory rules and calendar: with them, approvals pass the stage gates; nil = no gates.
    public let statutory: StatutoryClock?

    public init(store: any NoticeStore, users: UserDirectory, channels: [String], withdrawChannels: [String],
                now: @escaping @Sendable () -> Date, statutory: StatutoryClock? = nil) {
        self.store = store
        self.users = users
        self.channels = channels
        self.withdrawChannels = withdrawChannels
        self.now = now
        self.statutory = statutory
    }

    /// The result of an approval: the approved version, its deliveries, and whether this call did it.
    public struct Approval: Sendable, Equatable {
        public var version: NoticeVersion
        public var deliveries: [Delivery]
        /// False when the version was already approved and nothing changed.
        public var changed: Bool
    }

    // MARK: projects

    /// Validates and stores a project (insert or replace), audited as `project.import`.
    public func importProject(_ project: Project, as userName: String) async throws -> Project {
        let user = try users.user(userName)
        guard user.has(.drafter) else { throw WorkflowError.notPermitted(user: user.name, action: "import a project", needs: .drafter) }
        try project.validate()
        let at = now()
        return try await store.write { tx in
            let existed = try tx.project(project.key) != nil
            if existed { try Self.refuseDroppingUsedParcels(project, tx) }
            try tx.saveProject(project)
            try tx.appendAudit(AuditRecord(at: at, actor: user.name, action: existed ? "project.update" : "project.import",
                                           subject: project.key, detail: "\(project.parcels.count) parcels"))
            return project
        }
    }

    /// A re-import may change parcels but never drop one that a notice of the project names: that
    /// notice's posters, parcel page and deliveries would point at nothing.
    static func refuseDroppingUsedParcels(_ project: Project, _ tx: any StoreReader) throws {
        let kept = Set(project.parcels.map(\.key))
        for latest in try tx.notices(NoticeFilter(project: project.key, limit: .max)) {
            for version in try tx.noticeVersions(latest.id) {
                if let dropped = version.content.parcels.first(where: { !kept.contains($0) }) {
                    throw ValidationError(field: "parcels", "parcel '\(dropped)' is named by notice \(version.reference) and cannot be removed from project '\(project.key)'")
                }
            }
        }
    }

    // MARK: notices

    /// Creates version 1 of a new notice as a draft.
    public func draft(_ content: NoticeContent, as userName: String) async throws -> NoticeVersion {
        let user = try users.user(userName)
        guard user.has(.drafter) else { throw WorkflowError.notPermitted(user: user.name, action: "draft", needs: .drafter) }
        let at = now()
        let id = Identifier.make("ntc")
        return try await store.write { tx in
            try Self.validate(content, tx)
            let v = NoticeVersion(id: id, version: 1, content: content, drafter: user.name, at: at)
            try tx.insertNoticeVersion(v)
            try tx.appendAudit(AuditRecord(at: at, actor: user.name, action: "notice.draft", subject: v.reference,
                                           detail: "\(content.kind.rawValue) sha256:\(v.contentHash)"))
            return v
        }
    }

    /// Replaces the content of the latest version while it is a draft.
    public func edit(_ id: String, content: NoticeContent, as userName: String) async throws -> NoticeVersion {
        try await transition(id, version: nil, .edit(content), as: userName).version
    }

    public func submit(_ id: String, as userName: String) async throws -> (version: NoticeVersion, changed: Bool) {
        try await transition(id, version: nil, .submit, as: userName)
    }

    public func reject(_ id: String, reason: String, as userName: String) async throws -> NoticeVersion {
        try await transition(id, version: nil, .reject(reason: reason), as: userName).version
    }

    /// Approves the latest (or the given) version: approval, audit entry and deliveries in one
    /// transaction; a version already approved is returned unchanged with its deliveries.
    /// - Parameter overrideGate: an admin's written reason to approve although a stage gate is closed.
    public func approve(_ id: String, version: Int? = nil, as userName: String, overrideGate: String? = nil) async throws -> Approval {
        let user = try users.user(userName)
        let at = now()
        let channels = self.channels
        let statutory = self.statutory
        return try await store.write { tx in
            let target = try Self.target(id, version: version, tx)
            switch try ApprovalMachine.apply(.approve, to: target, by: user, at: at) {
            case .unchanged(let v, _):
                return Approval(version: v, deliveries: try tx.deliveries(DeliveryFilter(noticeID: id, version: v.version)), changed: false)
            case .changed(let v, let action):
                try Self.checkStageGate(v, clock: statutory, override: overrideGate, by: user, at: at, tx)
                try tx.updateNoticeVersion(v)
                try tx.appendAudit(AuditRecord(at: at, actor: user.name, action: action, subject: v.reference,
                                               detail: "sha256:\(v.contentHash) channels:\(channels.joined(separator: ","))"))
                try Self.supersedeOlder(than: v, tx, at: at, actor: user.name)
                var created: [Delivery] = []
                for channel in channels {
                    let d = Delivery(id: Identifier.make("dlv"), noticeID: v.id, version: v.version, channel: channel,
                                     purpose: .publish, at: at)
                    try tx.insertDelivery(d)
                    created.append(d)
                }
                return Approval(version: v, deliveries: created, changed: true)
            }
        }
    }

    /// Withdraws the approved latest version: cancels its unfinished deliveries and enqueues a
    /// withdrawal on every channel that takes one.
    public func withdraw(_ id: String, reason: String, as userName: String) async throws -> (version: NoticeVersion, changed: Bool) {
        let user = try users.user(userName)
        let at = now()
        let channels = withdrawChannels
        return try await store.write { tx in
            let target = try Self.target(id, version: nil, tx)
            switch try ApprovalMachine.apply(.withdraw(reason: reason), to: target, by: user, at: at) {
            case .unchanged(let v, _):
                return (v, false)
            case .changed(let v, let action):
                try tx.updateNoticeVersion(v)
                try tx.appendAudit(AuditRecord(at: at, actor: user.name, action: action, subject: v.reference, detail: reason))
                try Self.cancelUnfinished(of: v, tx, at: at, because: "withdrawn")
                for channel in channels {
                    try tx.insertDelivery(Delivery(id: Identifier.make("dlv"), noticeID: v.id, version: v.version,
                                                   channel: channel, purpose: .withdraw, at: at))
                }
                return (v, true)
            }
        }
    }

    /// Starts a correction (更正): version n+1 as a draft, from `content` or a copy of version n.
    public func correct(_ id: String, content: NoticeContent?, as userName: String) async throws -> NoticeVersion {
        let user = try users.user(userName)
        let at = now()
        return try await store.write { tx in
            let versions = try tx.noticeVersions(id)
            guard let latest = versions.last else { throw WorkflowError.unknownNotice(id) }
            if let content {
                try Self.validate(content, tx)
                if content.project != latest.content.project {
                    throw ValidationError(field: "project", "a correction cannot move the notice to another project")
                }
            }
            let next = try ApprovalMachine.correct(latest, content: content, by: user, at: at)
            try tx.insertNoticeVersion(next)
            try tx.appendAudit(AuditRecord(at: at, actor: user.name, action: "notice.correct", subject: next.reference,
                                           detail: "corrects v\(latest.version) sha256:\(next.contentHash)"))
            return next
        }
    }

    // MARK: helpers inside a transaction

    private func transition(_ id: String, version: Int?, _ action: ApprovalMachine.Action, as userName: String) async throws -> (version: NoticeVersion, changed: Bool) {
        let user = try users.user(userName)
        let at = now()
        return try await store.write { tx in
            let target = try Self.target(id, version: version, tx)
            if case .edit(let content) = action {
                try Self.validate(content, tx)
                if content.project != target.content.project {
                    throw ValidationError(field: "project", "an edit cannot move the notice to another project")
                }
            }
            switch try ApprovalMachine.apply(action, to: target, by: user, at: at) {
            case .unchanged(let v, _):
                return (v, false)
            case .changed(let v, let auditAction):
                try tx.updateNoticeVersion(v)
                var detail = ""
                if case .reject(let reason) = action { detail = reason }
                if case .edit = action { detail = "sha256:\(v.contentHash)" }
                try tx.appendAudit(AuditRecord(at: at, actor: user.name, action: auditAction, subject: v.reference, detail: detail))
                return (v, true)
            }
        }
    }

    /// The latest version, or `version` when given (which must then be the latest for any change).
    static func target(_ id: String, version: Int?, _ tx: any StoreReader) throws -> NoticeVersion {
        let versions = try tx.noticeVersions(id)
        guard let latest = versions.last else { throw WorkflowError.unknownNotice(id) }
        guard let version else { return latest }
        guard let v = versions.first(where: { $0.version == version }) else {
            throw WorkflowError.unknownVersion(notice: id, version: version)
        }
        if v.version != latest.version && v.state != .approved && v.state != .superseded {
            throw WorkflowError.notLatest(notice: v.reference, latest: latest.version)
        }
        return v
    }

    static func validate(_ content: NoticeContent, _ tx: any StoreReader) throws {
        guard let project = try tx.project(content.project) else { throw WorkflowError.unknownProject(content.project) }
        try content.validate(in: project)
    }

    /// Marks every approved older version superseded and cancels its unfinished deliveries.
    static func supersedeOlder(than v: NoticeVersion, _ tx: any StoreWriter, at: Date, actor: String) throws {
        for older in try tx.noticeVersions(v.id) where older.version < v.version && older.state == .approved {
            let system = User(name: actor, roles: [.admin])
            if case .changed(let s, let action) = try ApprovalMachine.apply(.supersede(by: v.version), to: older, by: system, at: at) {
                try tx.updateNoticeVersion(s)
                try tx.appendAudit(AuditRecord(at: at, actor: actor, action: action, subject: s.reference, detail: "by v\(v.version)"))
                try cancelUnfinished(of: s, tx, at: at, because: "superseded by v\(v.version)")
            }
        }
    }

    /// Cancels (records, never deletes) the waiting publish deliveries of `v`. One in flight is left
    /// to finish: its worker sees the version is no longer current and cancels it instead of
    /// retrying, and the later delivery on that channel waits for it (order per notice and channel).
    static func cancelUnfinished(of v: NoticeVersion, _ tx: any StoreWriter, at: Date, because reason: String) throws {
        for var d in try tx.deliveries(DeliveryFilter(noticeID: v.id, version: v.version))
        where (d.state == .pending || d.state == .retrying) && d.purpose == .publish {
            d.state = .cancelled
            d.updatedAt = at
            d.lastError = reason
            d.leaseOwner = nil
            d.leaseExpiresAt = nil
            try tx.updateDelivery(d)
        }
    }
}
