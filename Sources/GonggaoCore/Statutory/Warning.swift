import Foundation

/// What a statutory warning is about.
public enum WarningKind: String, Codable, Sendable, CaseIterable {
    /// A posting place has not confirmed posting an approved notice.
    case notPosted = "not-posted"
    /// A portal channel has not confirmed publication by the posting start.
    case channelUnconfirmed = "channel-unconfirmed"
    /// The expropriation announcement is not approved within its deadline after the approval.
    case expropriationDeadline = "expropriation-deadline"
    /// Compensation for a parcel is not recorded as paid by the plan's due date.
    case paymentOverdue = "payment-overdue"
    /// A project has had no progress for the rule's period.
    case noProgress = "no-progress"
    /// A date was computed on weekends only: the calendar lacks a year.
    case calendarMissing = "calendar-missing"
}

/// How close a warning's due date is: `upcoming` within the lead time, `breached` after it.
public enum WarningSeverity: String, Codable, Sendable, CaseIterable, Comparable {
    case upcoming
    case breached

    public static func < (a: Self, b: Self) -> Bool { a == .upcoming && b == .breached }
}

/// A condition the rules found on one day: the input of `WarningBook.reconcile`.
public struct WarningFinding: Equatable, Sendable {
    /// Identifies the condition across evaluations (`not-posted|ntc_…/v1|village:红庙村`): the same key
    /// is the same warning, raised once.
    public var key: String
    public var kind: WarningKind
    public var project: String
    public var notice: String?
    /// The place, channel, parcel or year the warning is about.
    public var subject: String
    public var due: LegalDate
    public var severity: WarningSeverity
    public var message: String
}

/// A warning as stored: raised once, then acknowledged by an officer or resolved when its condition
/// clears.
public struct StatutoryWarning: Codable, Equatable, Sendable {
    public enum State: String, Codable, Sendable, CaseIterable {
        case open
        case acknowledged
        case resolved
    }

    public var id: String
    public var key: String
    public var kind: WarningKind
    public var project: String
    public var notice: String?
    public var subject: String
    public var due: LegalDate
    public var severity: WarningSeverity
    public var state: State
    public var message: String
    public var raisedAt: Date
    public var updatedAt: Date
    public var acknowledgedBy: String?
    public var resolvedAt: Date?
    /// The push of this warning's latest event (raised, escalated) to the officers' alert endpoint:
    /// a delivery of its own kind — not one of a notice's channels — whose id (`alr_…`) is the
    /// webhook-id, with the same states, retry policy and dead letter as a notice's deliveries.
    public var alert: Delivery?

    public init(id: String, finding: WarningFinding, at: Date) {
        self.id = id
        key = finding.key
        kind = finding.kind
        project = finding.project
        notice = finding.notice
        subject = finding.subject
        due = finding.due
        severity = finding.severity
        state = .open
        message = finding.message
        raisedAt = at
        updatedAt = at
    }
}

/// Turns one evaluation's findings into changes to the stored warnings, so each condition is raised
/// once (not once per evaluation), escalated once at the breach, and resolved when it clears.
public enum WarningBook {
    public enum Change: Equatable, Sendable {
        /// A new warning: store it and alert the officers.
        case raise(StatutoryWarning)
        /// The due date passed (or moved): store it; alert again when `alert` is true (escalation).
        case update(StatutoryWarning, alert: Bool)
        /// The condition cleared.
        case resolve(StatutoryWarning)
    }

    /// - Parameters:
    ///   - active: the stored warnings that are open or acknowledged.
    ///   - scope: the projects the findings cover; active warnings of other projects are left alone.
    public static func reconcile(active: [StatutoryWarning], findings: [WarningFinding], scope: Set<String>, now: Date,
                                 newID: () -> String) -> [Change] {
        var changes: [Change] = []
        let byKey = Dictionary(active.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        for f in findings where !seen.contains(f.key) {
            seen.insert(f.key)
            guard var w = byKey[f.key] else {
                changes.append(.raise(StatutoryWarning(id: newID(), finding: f, at: now)))
                continue
            }
            let escalated = f.severity > w.severity
            guard escalated || f.due != w.due || f.message != w.message else { continue }
            w.severity = max(w.severity, f.severity)
            w.due = f.due
            w.message = f.message
            w.updatedAt = now
            if escalated { w.state = .open }
            changes.append(.update(w, alert: escalated))
        }
        for w in active where scope.contains(w.project) && !seen.contains(w.key) {
            var resolved = w
            resolved.state = .resolved
            resolved.resolvedAt = now
            resolved.updatedAt = now
            changes.append(.resolve(resolved))
        }
        return changes
    }
}
