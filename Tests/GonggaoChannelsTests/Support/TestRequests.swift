import Foundation
import GonggaoChannels
import GonggaoCore

/// Channel requests for adapter tests: a notice of the sample project, any version and operation.
enum TestRequests {
    static let project = Project(
        key: "330523-2026-37", name: "梅溪镇2026年第37批次", county: County(code: "330523", name: "安吉县"),
        township: "梅溪镇", purpose: "城市建设", approvalAuthority: "浙江省人民政府",
        totalAreaMu: 12.5, totalAreaM2: 8333.33, parcels: [])

    static func make(
        noticeID: String = "ntc_" + UUID().uuidString.prefix(12).lowercased(), version: Int = 1,
        operation: ChannelOperation = .create, title: String = "安吉县梅溪镇2026-37-1地块征收土地预公告",
        body: [String] = ["根据《中华人民共和国土地管理法》第四十七条，拟征收梅溪镇石龙村集体土地。", "特此公告。"],
        deliveryID: String? = nil, sequence: Int? = 12, withdrawalReason: String? = nil,
        now: Date = Date()
    ) -> ChannelRequest {
        func content(_ version: Int) -> NoticeContent {
            NoticeContent(
                project: project.key, kind: .preAnnouncement, title: title, issuer: "安吉县人民政府",
                documentNumber: "安政征预〔2026〕\(version + 36)号", dateWritten: CivilDate(year: 2026, month: 3, day: 1)!,
                parcels: ["330523-2026-37-1"], body: body)
        }
        var notice = NoticeVersion(
            id: noticeID, version: version, content: content(version), drafter: "zhang.wei", at: now)
        notice.state = operation == .withdraw ? .withdrawn : .approved
        notice.approvedAt = now
        notice.withdrawalReason = withdrawalReason
        let corrects =
            version > 1
            ? NoticeVersion(
                id: noticeID, version: version - 1, content: content(version - 1), drafter: "zhang.wei", at: now) : nil
        let delivery = Delivery(
            id: deliveryID ?? "dlv_" + UUID().uuidString.prefix(12).lowercased(), noticeID: noticeID,
            version: version, channel: "test", purpose: operation == .withdraw ? .withdraw : .publish, at: now)
        return ChannelRequest(
            delivery: delivery, operation: operation, notice: notice, corrects: corrects, project: project,
            publicURL: "https://gonggao.example.gov.cn/p/330523-2026-37-1", priorReceipt: nil, attempt: 1,
            now: now, noticeSequence: sequence)
    }
}

/// The repository's `Templates/channels`, found from this file's path.
let repositoryTemplates: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/"
        && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Templates/channels").path)
    {
        url.deleteLastPathComponent()
    }
    return url.appendingPathComponent("Templates/channels").path
}()
