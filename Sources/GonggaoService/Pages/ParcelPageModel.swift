import Foundation
import GonggaoCore
import GonggaoStore

/// Turns a `PublicRecord` into the values the `parcel` and `project` templates render. Personal
/// names of surveyed households are masked here, before any template sees them.
struct ParcelPageModel {
    let record: PublicRecord
    /// The statutory rules and calendar (posting periods, the next stage's earliest date); nil: not shown.
    var clock: StatutoryClock? = nil

    var templateName: String { record.parcel == nil ? "project" : "parcel" }

    var value: PageValue {
        let p = record.project
        var page: [String: PageValue] = [
            "key": .text(record.key),
            "project": projectValue(p),
            "stages": .list(stages),
            "progress": .list(progress),
            "currentStage": .text(currentStage),
            "hasNotices": .bool(!record.notices.isEmpty),
        ]
        if let parcel = record.parcel {
            page["title"] = .text(parcel.displayName)
            page["parcel"] = parcelValue(parcel, project: p)
            page["map"] = .html(BoundaryMap.svg([parcel.boundary], title: "\(parcel.displayName)范围示意图"))
        } else {
            page["title"] = .text(p.name)
            page["parcels"] = .list(p.parcels.enumerated().map { i, parcel in
                [
                    "number": .text("\(i + 1)"), "displayName": .text(parcel.displayName), "key": .text(parcel.key),
                    "village": .text(parcel.village), "areaMu": .text(Area.format(parcel.areaMu)),
                ]
            })
            page["map"] = .html(BoundaryMap.svg(p.parcels.map(\.boundary), labels: p.parcels.indices.map { "\($0 + 1)" },
                                                title: "\(p.name)范围示意图"))
        }
        return .object(page)
    }

    // MARK: project and parcel

    private func projectValue(_ p: Project) -> PageValue {
        [
            "key": .text(p.key), "name": .text(p.name), "purpose": .text(p.purpose),
            "location": .text(location(p.county, township: p.township, village: nil)),
            "approvalAuthority": .optional(p.approvalAuthority),
            "totalAreaMu": .text(Area.format(p.totalAreaMu)), "totalAreaM2": .text("\(Int(p.totalAreaM2.rounded()))"),
            "parcelCount": .text("\(p.parcels.count)"),
        ]
    }

    private func parcelValue(_ parcel: Parcel, project p: Project) -> PageValue {
        let households = parcel.survey.households ?? []
        let names = households.map(\.name)
        return [
            "key": .text(parcel.key),
            "displayName": .text(parcel.displayName),
            "location": .text(location(p.county, township: parcel.township, village: parcel.village, countyName: parcel.countyName)),
            "villageCode": .optional(parcel.villageCode),
            "owner": .text(parcel.owner),
            "areaMu": .text(Area.format(parcel.areaMu)),
            "areaM2": .text("\(Int(parcel.areaM2.rounded()))"),
            "landUse": .list(parcel.landUse.map { line in
                ["code": .text(line.code), "name": .text(line.name), "areaMu": .text(Area.format(line.areaMu))]
            }),
            "survey": [
                "dwellings": .text("\(parcel.survey.dwellings)"),
                "attachments": .optional(NameMask.redact(parcel.survey.attachments, names: names)),
                "crops": .optional(NameMask.redact(parcel.survey.crops, names: names)),
                "hasHouseholds": .bool(!households.isEmpty),
                "households": .list(households.map { h in
                    [
                        "name": .text(NameMask.mask(h.name)),
                        "dwellingAreaM2": .optional(h.dwellingAreaM2.map { Area.format($0) }),
                        "items": .optional(h.items.map { NameMask.redact($0, names: names) }),
                    ]
                }),
            ],
        ]
    }

    private func location(_ county: County, township: String, village: String?, countyName: String? = nil) -> String {
        [county.province, county.city, countyName ?? county.name, township, village].compactMap { $0 }.joined()
    }

    // MARK: stages

    /// Kinds in the law's order, each with its notices (in order of first publication).
    private var stages: [PageValue] {
        NoticeKind.allCases.compactMap { kind -> PageValue? in
            let notices = record.notices.filter { $0.last?.content.kind == kind }
                .sorted { a, b in
                    let (x, y) = (a.first!, b.first!)
                    let (tx, ty) = (x.approvedAt ?? x.createdAt, y.approvedAt ?? y.createdAt)
                    return tx != ty ? tx < ty : x.id < y.id
                }
            guard !notices.isEmpty else { return nil }
            return [
                "kind": .text(kind.rawValue), "name": .text(kind.chineseName),
                "isCurrent": .bool(kind == currentKind),
                "notices": .list(notices.map(noticeValue)),
            ]
        }
    }

    /// The furthest stage with a notice in force (approved, neither superseded nor withdrawn).
    private var currentKind: NoticeKind? {
        NoticeKind.allCases.last { kind in
            record.notices.contains { versions in versions.contains { $0.state == .approved && $0.content.kind == kind } }
        }
    }

    private var currentStage: String {
        if let currentKind { return currentKind.chineseName }
        return record.notices.isEmpty ? "尚未发布公告" : "暂无有效公告"
    }

    private var progress: [PageValue] {
        let reached = Set(record.notices.flatMap { $0.map(\.content.kind) })
        return NoticeKind.allCases.map { kind in
            let state = kind == currentKind ? "current" : reached.contains(kind) ? "done" : "pending"
            return ["name": .text(kind.chineseName), "state": .text(state), "isCurrent": .bool(kind == currentKind)]
        }
    }

    private func noticeValue(_ versions: [NoticeVersion]) -> PageValue {
        let newestFirst = versions.reversed()
        let head = newestFirst.first!
        return [
            "id": .text(head.id),
            "title": .text(head.content.title),
            "documentNumber": .text(head.content.documentNumber),
            "withdrawn": .bool(head.state == .withdrawn),
            "versions": .list(newestFirst.map(versionValue)),
        ]
    }

    private func versionValue(_ v: NoticeVersion) -> PageValue {
        let c = v.content
        let status: (label: String, css: String) =
            switch v.state {
            case .superseded: ("已更正（superseded）", "superseded")
            case .withdrawn: ("已撤回（withdrawn）", "withdrawn")
            default: ("现行有效", "current")
            }
        let publishedOn = (v.approvedAt.map { CivilDate($0) } ?? c.dateWritten).chinese
        var value: [String: PageValue] = [
            "number": .text("\(v.version)"),
            "isCurrent": .bool(v.state == .approved),
            "statusLabel": .text(status.label),
            "statusClass": .text(status.css),
            "title": .text(c.title),
            "issuer": .text(c.issuer),
            "documentNumber": .text(c.documentNumber),
            "dateWritten": .text(c.dateWritten.chinese),
            "publishedOn": .text(publishedOn),
            "postingPeriod": .optional(c.kind.postingPeriodLine),
            "paragraphs": .list(c.body.map { .text($0) }),
            "verificationCode": .text(VerificationCode.of(contentHash: v.contentHash) ?? ""),
            "posterURL": .text(ParcelLinks.publicPosterPath(key: record.key, notice: v.id, version: v.version, type: .pdf)),
            "supersededBy": .optional(v.supersededBy.map { "已由第\($0)版更正" }),
            "correctionOf": .optional(v.version > 1 ? "更正第\(v.version - 1)版" : nil),
        ]
        if let a = c.approval {
            value["approval"] = ["authority": .text(a.authority), "documentNumber": .text(a.documentNumber), "date": .text(a.date.chinese)]
        }
        if let h = c.hearing {
            value["hearing"] = ["date": .text(h.date.chinese), "place": .text(h.place)]
        }
        if let posting = postingValue(v) { value["posting"] = posting }
        if v.state == .withdrawn {
            value["withdrawal"] = [
                "on": .text(v.withdrawnAt.map { CivilDate($0).chinese } ?? ""),
                "reason": .optional(v.withdrawalReason),
            ]
        }
        return .object(value)
    }

    /// The approved version's posting period (from the day after the last place's posting to its end)
    /// and the next stage's earliest date; provisional dates are marked （暂定）.
    private func postingValue(_ v: NoticeVersion) -> PageValue? {
        guard let clock, v.state == .approved else { return nil }
        let report = PostingReport(version: v, project: record.project, postings: record.postings[v.id] ?? [], clock: clock)
        let posted = report.places.filter { $0.postedOn != nil }.count
        var value: [String: PageValue] = [
            "places": .text(report.places.map(\.name).joined(separator: "、")),
            "posted": .text("\(posted)/\(report.places.count)"),
        ]
        if let start = report.periodStart, let end = report.periodEnd {
            value["period"] = ["from": .text(start.adding(days: 1).chinese), "to": .text(end.chinese)]
        }
        if let next = report.nextStage {
            value["next"] = ["stage": .text(next.kind.chineseName), "earliest": .optional(next.earliest?.chinese)]
        }
        return .object(value)
    }
}
