import Foundation

/// Someone who posted the paper poster confirms it: which version, which place and board, when,
/// and optionally a photo (stored by its SHA-256).
public struct PostingConfirmation: Codable, Equatable, Sendable {
    public var id: String
    public var noticeID: String
    public var version: Int
    public var place: PostingPlace
    /// The notice board, e.g. 村委会公告栏.
    public var board: String
    /// The day the poster went up, in Asia/Shanghai.
    public var postedOn: CivilDate
    public var confirmedBy: String
    public var confirmedAt: Date
    /// SHA-256 (hex) of the JPEG photo of the posted notice, when one was given.
    public var photoSHA256: String?
    public var photoBytes: Int?

    public init(id: String, noticeID: String, version: Int, place: PostingPlace, board: String, postedOn: CivilDate,
                confirmedBy: String, confirmedAt: Date, photoSHA256: String? = nil, photoBytes: Int? = nil) {
        self.id = id
        self.noticeID = noticeID
        self.version = version
        self.place = place
        self.board = board
        self.postedOn = postedOn
        self.confirmedBy = confirmedBy
        self.confirmedAt = confirmedAt
        self.photoSHA256 = photoSHA256
        self.photoBytes = photoBytes
    }
}

/// The statutory clock of one approved notice version: by when each place must post it, when its
/// posting period starts (the last place's posting) and ends, and the next stage's earliest date.
public struct PostingSchedule: Equatable, Sendable {
    public let kind: NoticeKind
    public let approvedOn: CivilDate
    /// Every place the notice must be posted at, and the day each posted it (nil: not yet).
    public let places: [(place: PostingPlace, postedOn: CivilDate?)]
    /// Each place must have posted by this day.
    public let postBy: LegalDate
    /// The day after which the period counts: the last place's posting; nil until every place posted.
    public let periodStart: CivilDate?
    /// The last day of the minimum posting period; nil while unposted or when the kind has none.
    public let periodEnd: LegalDate?
    public let period: StatutoryRules.Period?

    public init(kind: NoticeKind, approvedOn: CivilDate, places: [PostingPlace], confirmations: [PostingConfirmation],
                rules: StatutoryRules, calendar: WorkingDayCalendar) {
        self.kind = kind
        self.approvedOn = approvedOn
        let firstPosting = Dictionary(confirmations.map { ($0.place, $0.postedOn) }, uniquingKeysWith: min)
        self.places = places.map { ($0, firstPosting[$0]) }
        self.postBy = calendar.adding(rules.postWithin.days, rules.postWithin.unit, to: approvedOn)
        let posted = self.places.compactMap(\.postedOn)
        let start = posted.count == places.count && !places.isEmpty ? posted.max() : nil
        self.periodStart = start
        self.period = rules.postingPeriods[kind]
        if let start, let period {
            periodEnd = calendar.adding(period.days, period.unit, to: start)
        } else {
            periodEnd = nil
        }
    }

    /// The first day the next stage may be approved: the day after the period's last day.
    public var nextStageEarliest: LegalDate? {
        periodEnd.map { LegalDate($0.date.adding(days: 1), missingYears: $0.missingYears) }
    }

    public static func == (a: PostingSchedule, b: PostingSchedule) -> Bool {
        a.kind == b.kind && a.approvedOn == b.approvedOn && a.postBy == b.postBy && a.periodStart == b.periodStart
            && a.periodEnd == b.periodEnd && a.places.map(\.place) == b.places.map(\.place)
            && a.places.map(\.postedOn) == b.places.map(\.postedOn)
    }
}
