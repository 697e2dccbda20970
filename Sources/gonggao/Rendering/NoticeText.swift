import Foundation
import GonggaoCore

/// Text forms of notices: the full history of one notice and the one-row-per-notice list.
enum NoticeText {
    static func show(_ versions: [NoticeVersion], deliveries: [Delivery]) -> [String] {
        guard let latest = versions.last else { return [] }
        let c = latest.content
        var lines = [
            "notice \(latest.id)  \(c.kind.rawValue) (\(c.kind.chineseName))  project \(c.project)",
            "  title      \(c.title)",
            "  issuer     \(c.issuer)",
            "  document   \(c.documentNumber), written \(c.dateWritten)",
            "  parcels    \(c.parcels.joined(separator: ", "))",
            "  body       \(c.body.count) paragraphs, \(c.body.reduce(0) { $0 + $1.count }) characters",
        ]
        for v in versions {
            lines.append("")
            lines += version(v, deliveries: deliveries.filter { $0.version == v.version })
        }
        return lines
    }

    static func version(_ v: NoticeVersion, deliveries: [Delivery]) -> [String] {
        var lines = ["\(v.reference)  \(v.state.rawValue)", "  content    sha256:\(v.contentHash)"]
        func who(_ label: String, _ user: String?, _ at: Date?) {
            if let user, let at { lines.append("  " + pad(label, 11) + pad(user, 12) + ShanghaiTime.text(at)) }
        }
        who("drafted", v.drafter, v.createdAt)
        who("submitted", v.submittedBy, v.submittedAt)
        who("approved", v.approvedBy, v.approvedAt)
        if let by = v.rejectedBy, let reason = v.rejectionReason { lines.append("  rejected   \(pad(by, 12))\(reason)") }
        who("withdrawn", v.withdrawnBy, v.withdrawnAt)
        if let reason = v.withdrawalReason { lines.append("  reason     \(reason)") }
        if let newer = v.supersededBy { lines.append("  superseded by v\(newer)") }
        if deliveries.isEmpty {
            if v.state == .approved || v.state == .superseded || v.state == .withdrawn { lines.append("  deliveries none") }
        } else {
            lines.append("  deliveries \(deliveries.count)")
            lines += DeliveryText.list(deliveries, showNotice: false).map { "    " + $0 }
        }
        return lines
    }

    static func list(_ notices: [NoticeVersion]) -> [String] {
        guard !notices.isEmpty else { return ["no notices match"] }
        var table = Table("ID", "VERSION", "STATE", "KIND", "PROJECT", "UPDATED", "TITLE")
        for v in notices {
            table.add(v.id, "v\(v.version)", v.state.rawValue, v.content.kind.rawValue, v.content.project,
                      ShanghaiTime.text(v.updatedAt), v.content.title)
        }
        return table.lines
    }
}
