import Foundation
import GonggaoCore

/// Where one notice version stands on its statutory clock: each posting place and its confirmation,
/// the posting period (from the last place's posting to its end) and the next stage's earliest date.
/// Shown by `gonggao posting list`, `GET /api/notices/{id}/postings` and the parcel page.
public struct PostingReport: Sendable, Encodable {
    public struct Place: Sendable, Encodable {
        public var place: String
        public var level: String
        public var name: String
        public var postedOn: CivilDate?
        public var confirmation: PostingConfirmation?
    }

    /// The stage that may be approved only after this one's period, and from when.
    public struct NextStage: Sendable, Encodable {
        public var kind: NoticeKind
        public var earliest: LegalDate?
    }

    public var noticeID: String
    public var version: Int
    public var kind: NoticeKind
    public var state: NoticeState
    public var places: [Place]
    /// Each place must have posted by this day (nil until approved).
    public var postBy: LegalDate?
    /// The day of the last place's posting: the period runs from the day after it.
    public var periodStart: CivilDate?
    /// The last day of the minimum posting period.
    public var periodEnd: LegalDate?
    /// The minimum period, e.g. `10 working days`.
    public var period: String?
    public var nextStage: NextStage?

    /// Whether a date shown here is provisional (the calendar lacks a year it reached into).
    public var provisional: Bool {
        (postBy?.provisional ?? false) || (periodEnd?.provisional ?? false) || (nextStage?.earliest?.provisional ?? false)
    }

    public init(version v: NoticeVersion, project: Project, postings: [PostingConfirmation], clock: StatutoryClock) {
        noticeID = v.id
        version = v.version
        kind = v.content.kind
        state = v.state
        let mine = postings.filter { $0.noticeID == v.id && $0.version == v.version }
        let placeList = v.content.postingPlaces(in: project)
        places = placeList.map { p in
            let c = mine.filter { $0.place == p }.min { $0.postedOn < $1.postedOn }
            return Place(place: p.id, level: p.level.rawValue, name: p.name, postedOn: c?.postedOn, confirmation: c)
        }
        let gate = clock.rules.gates.first { $0.after == v.content.kind }
        if let at = v.approvedAt {
            let s = PostingSchedule(kind: v.content.kind, approvedOn: CivilDate(at), places: placeList, confirmations: mine,
                                    rules: clock.rules, calendar: clock.calendar)
            postBy = s.postBy
            periodStart = s.periodStart
            periodEnd = s.periodEnd
            period = s.period?.description
            nextStage = gate.map { NextStage(kind: $0.kind, earliest: s.nextStageEarliest) }
        } else {
            period = clock.rules.postingPeriods[v.content.kind]?.description
            nextStage = gate.map { NextStage(kind: $0.kind, earliest: nil) }
        }
    }

    enum CodingKeys: String, CodingKey {
        case noticeID, version, kind, state, places, postBy, periodStart, periodEnd, period, nextStage, provisional
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(noticeID, forKey: .noticeID)
        try c.encode(version, forKey: .version)
        try c.encode(kind, forKey: .kind)
        try c.encode(state, forKey: .state)
        try c.encode(places, forKey: .places)
        try c.encodeIfPresent(postBy, forKey: .postBy)
        try c.encodeIfPresent(periodStart, forKey: .periodStart)
        try c.encodeIfPresent(periodEnd, forKey: .periodEnd)
        try c.encodeIfPresent(period, forKey: .period)
        try c.encodeIfPresent(nextStage, forKey: .nextStage)
        try c.encode(provisional, forKey: .provisional)
    }

    /// The report of notice `id`: its approved version (or `version`; else its latest).
    /// - Throws: `WorkflowError.unknownNotice`, `.unknownVersion`, `.unknownProject`.
    public static func load(_ id: String, version: Int? = nil, clock: StatutoryClock, _ tx: any StoreReader) throws -> PostingReport {
        let versions = try tx.noticeVersions(id)
        guard let latest = versions.last else { throw WorkflowError.unknownNotice(id) }
        let v: NoticeVersion
        if let version {
            guard let found = versions.first(where: { $0.version == version }) else {
                throw WorkflowError.unknownVersion(notice: id, version: version)
            }
            v = found
        } else {
            v = versions.last { $0.state == .approved } ?? latest
        }
        guard let project = try tx.project(v.content.project) else { throw WorkflowError.unknownProject(v.content.project) }
        return PostingReport(version: v, project: project, postings: try tx.postings(noticeID: id), clock: clock)
    }
}
