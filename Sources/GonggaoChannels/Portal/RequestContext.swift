import Foundation
import GonggaoCore

/// The template context every portal shares, built from one `ChannelRequest`. Adapters add their
/// own top-level object (`county`, `card`). Keys (all documented in `Templates/channels/README.md`):
///
/// `channel.name`, `delivery.id`, `delivery.attempt`, `operation`, `publicURL`,
/// `notice.{id, version, kind, kindName, title, issuer, documentNumber, dateWritten,
/// dateWrittenChinese, publishedOn, paragraphs, body, parcels, approval{authority, documentNumber,
/// date}, hearing{date, place}}`, `corrects{version, title, documentNumber} | null`,
/// `withdrawal{version, reason}`, `project.{key, name, purpose, township, county{code, name}}`.
enum RequestContext {
    static func make(_ request: ChannelRequest, channel: String, extra: [String: TemplateValue] = [:]) -> TemplateValue
    {
        let notice = request.notice
        let content = notice.content
        var members: [String: TemplateValue] = [
            "channel": .object(["name": .string(channel)]),
            "delivery": .object(["id": .string(request.delivery.id), "attempt": .int(request.attempt)]),
            "operation": .string(request.operation.rawValue),
            "publicURL": .string(request.publicURL),
            "notice": .object([
                "id": .string(notice.id),
                "version": .int(notice.version),
                "kind": .string(content.kind.rawValue),
                "kindName": .string(content.kind.chineseName),
                "title": .string(content.title),
                "issuer": .string(content.issuer),
                "documentNumber": .string(content.documentNumber),
                "dateWritten": .string(content.dateWritten.description),
                "dateWrittenChinese": .string(content.dateWritten.chinese),
                "publishedOn": .string(publishedOn(request).description),
                "paragraphs": .strings(content.body),
                "body": .string(content.body.joined(separator: "\n")),
                "parcels": .strings(content.parcels),
                "approval": content.approval.map {
                    .object([
                        "authority": .string($0.authority),
                        "documentNumber": .string($0.documentNumber),
                        "date": .string($0.date.description),
                    ])
                } ?? .null,
                "hearing": content.hearing.map {
                    .object(["date": .string($0.date.description), "place": .string($0.place)])
                } ?? .null,
            ]),
            "corrects": request.corrects.map {
                .object([
                    "version": .int($0.version), "title": .string($0.content.title),
                    "documentNumber": .string($0.content.documentNumber),
                ])
            } ?? .null,
            "withdrawal": .object([
                "version": .int(notice.version),
                "reason": .optional(notice.withdrawalReason.map { TextLimit.cut($0, to: 500) }),
            ]),
            "project": .object([
                "key": .string(request.project.key),
                "name": .string(request.project.name),
                "purpose": .string(request.project.purpose),
                "township": .string(request.project.township),
                "county": .object([
                    "code": .string(request.project.county.code), "name": .string(request.project.county.name),
                ]),
            ]),
        ]
        members.merge(extra) { _, new in new }
        return .object(members)
    }

    /// 发布日期: the day the version was approved (Asia/Shanghai), never before the date written —
    /// stable across retries, unlike the attempt's clock.
    static func publishedOn(_ request: ChannelRequest) -> CivilDate {
        let approved = CivilDate(request.notice.approvedAt ?? request.now)
        return max(approved, request.notice.content.dateWritten)
    }

    /// A complete request with every optional part present, to check templates at start-up.
    static var sample: ChannelRequest {
        let now = Date(timeIntervalSince1970: 1_772_323_200)  // 2026-03-01
        let date = CivilDate(year: 2026, month: 3, day: 1)!
        let content = NoticeContent(
            project: "330523-2026-37", kind: .expropriation, title: "安吉县梅溪镇2026-37-1地块征收土地公告", issuer: "安吉县人民政府",
            documentNumber: "安政征〔2026〕37号", dateWritten: date, parcels: ["330523-2026-37-1"],
            body: ["根据《中华人民共和国土地管理法》第四十七条……", "特此公告。"],
            approval: ApprovalReference(authority: "浙江省人民政府", documentNumber: "浙土字〔2026〕12号", date: date),
            hearing: HearingDetails(date: date, place: "梅溪镇人民政府会议室"))
        var notice = NoticeVersion(id: "ntc_sample000000", version: 2, content: content, drafter: "sample", at: now)
        notice.state = .approved
        notice.approvedAt = now
        notice.withdrawalReason = "项目调整，撤回本公告"
        let corrects = NoticeVersion(id: notice.id, version: 1, content: content, drafter: "sample", at: now)
        let project = Project(
            key: "330523-2026-37", name: "梅溪镇2026年第37批次", county: County(code: "330523", name: "安吉县"),
            township: "梅溪镇", purpose: "城市建设", approvalAuthority: "浙江省人民政府",
            totalAreaMu: 1, totalAreaM2: 666.67, parcels: [])
        let delivery = Delivery(
            id: "dlv_sample000000", noticeID: notice.id, version: 2, channel: "sample", purpose: .publish, at: now)
        return ChannelRequest(
            delivery: delivery, operation: .update, notice: notice, corrects: corrects, project: project,
            publicURL: "https://gonggao.example.gov.cn/p/330523-2026-37-1", priorReceipt: nil, attempt: 1,
            now: now, noticeSequence: 12)
    }
}
