import Foundation
import GonggaoCore

/// Evaluates the statutory warning rules against the store and keeps the stored warnings in step:
/// each condition raised once, escalated once at its breach, resolved when it clears — all in one
/// transaction per evaluation, each change audited.
public struct WarningDesk: Sendable {
    public let store: any NoticeStore
    public let clock: StatutoryClock
    public let users: UserDirectory
    public let now: @Sendable () -> Date
    /// When set, every raised or escalated warning gets an alert delivery on this (alert) channel,
    /// pushed by an `AlertDispatcher`.
    public var alertChannel: String?

    public init(store: any NoticeStore, clock: StatutoryClock, users: UserDirectory, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.clock = clock
        self.users = users
        self.now = now
    }

    /// What one evaluation changed.
    public struct Evaluation: Sendable, Equatable {
        public var raised: [StatutoryWarning] = []
        /// Warnings whose due date passed since the last evaluation (alerted again).
        public var escalated: [StatutoryWarning] = []
        public var resolved: [StatutoryWarning] = []
        /// Every open or acknowledged warning after the evaluation.
        public var active: Int = 0
    }

    /// Evaluates every project (or only `project`) as of today in Asia/Shanghai.
    public func evaluate(project: String? = nil) async throws -> Evaluation {
        let at = now()
        let today = CivilDate(at)
        let engine = WarningRules(rules: clock.rules, calendar: clock.calendar)
        let alertChannel = self.alertChannel
        @Sendable func alerting(_ w: StatutoryWarning) -> StatutoryWarning {
            guard let alertChannel else { return w }
            var w = w
            w.alert = Delivery(id: Identifier.make("alr"), noticeID: w.id, version: (w.alert?.version ?? 0) + 1,
                               channel: alertChannel, purpose: .publish, at: at)
            return w
        }
        return try await store.write { tx in
            let keys = try project.map { [$0] } ?? tx.projects().map(\.key)
            var findings: [WarningFinding] = []
            for key in keys {
                guard let facts = try StatutoryFacts.load(project: key, tx) else { throw WorkflowError.unknownProject(key) }
                findings += engine.evaluate(facts, today: today)
            }
            let active = try tx.warnings(.active)
            let changes = WarningBook.reconcile(active: active, findings: findings, scope: Set(keys), now: at,
                                                newID: { Identifier.make("wrn") })
            var result = Evaluation()
            for change in changes {
                switch change {
                case .raise(let raised):
                    let w = alerting(raised)
                    try tx.saveWarning(w)
                    try Self.audit("warning.raise", w, at, tx)
                    result.raised.append(w)
                case .update(let updated, let alert):
                    let w = alert ? alerting(updated) : updated
                    try tx.saveWarning(w)
                    if alert {
                        try Self.audit("warning.escalate", w, at, tx)
                        result.escalated.append(w)
                    }
                case .resolve(let w):
                    try tx.saveWarning(w)
                    try Self.audit("warning.resolve", w, at, tx)
                    result.resolved.append(w)
                }
            }
            result.active = try tx.warnings(.active).count
            return result
        }
    }

    /// An officer has seen the warning; it stays listed until its condition clears.
    public func acknowledge(_ id: String, as userName: String) async throws -> StatutoryWarning {
        let user = try users.user(userName)
        guard user.has(.drafter) || user.has(.approver) else {
            throw WorkflowError.notPermitted(user: user.name, action: "acknowledge a warning", needs: .approver)
        }
        let at = now()
        return try await store.write { tx in
            guard var w = try tx.warning(id: id) else { throw StoreError.notFound("warning \(id)") }
            guard w.state == .open else { return w }
            w.state = .acknowledged
            w.acknowledgedBy = user.name
            w.updatedAt = at
            try tx.saveWarning(w)
            try tx.appendAudit(AuditRecord(at: at, actor: user.name, action: "warning.acknowledge", subject: w.id, detail: w.key))
            return w
        }
    }

    static func audit(_ action: String, _ w: StatutoryWarning, _ at: Date, _ tx: any StoreWriter) throws {
        try tx.appendAudit(AuditRecord(at: at, actor: "system", action: action, subject: w.id,
                                       detail: "\(w.key) due:\(w.due) \(w.severity.rawValue)"))
    }
}
