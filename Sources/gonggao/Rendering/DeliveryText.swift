import GonggaoCore

/// Text forms of deliveries and their attempt logs.
enum DeliveryText {
    static func list(_ deliveries: [Delivery], showNotice: Bool = true) -> [String] {
        guard !deliveries.isEmpty else { return ["no deliveries match"] }
        var table = showNotice
            ? Table("ID", "NOTICE", "CHANNEL", "PURPOSE", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "RECEIPT")
            : Table("ID", "CHANNEL", "PURPOSE", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "RECEIPT")
        for d in deliveries {
            let next = d.state.isFinal ? "-" : ShanghaiTime.text(d.nextAttemptAt)
            let receipt = receiptText(d)
            if showNotice {
                table.add(d.id, "\(d.noticeID)/v\(d.version)", d.channel, d.purpose.rawValue, d.state.rawValue, "\(d.attempts)", next, receipt)
            } else {
                table.add(d.id, d.channel, d.purpose.rawValue, d.state.rawValue, "\(d.attempts)", next, receipt)
            }
        }
        return table.lines
    }

    /// What the channel answered: its publication id and public URL (or the spool path), else the
    /// last error of a waiting or dead delivery.
    static func receiptText(_ d: Delivery) -> String {
        if let r = d.receipt {
            let parts = [r.publicationID, r.publicURL].compactMap { $0 }
            if !parts.isEmpty { return parts.joined(separator: " ") }
            if let excerpt = r.excerpt { return excerpt }
        }
        return d.lastError ?? "-"
    }

    static func show(_ d: Delivery, attempts: [DeliveryAttempt]) -> [String] {
        var lines = [
            "delivery \(d.id)  \(d.state.rawValue)",
            "  notice     \(d.noticeID)/v\(d.version)",
            "  channel    \(d.channel)",
            "  purpose    \(d.purpose.rawValue)",
            "  attempts   \(d.attempts)",
            "  created    \(ShanghaiTime.text(d.createdAt))",
            "  updated    \(ShanghaiTime.text(d.updatedAt))",
        ]
        if !d.state.isFinal { lines.append("  next       \(ShanghaiTime.text(d.nextAttemptAt))") }
        if let owner = d.leaseOwner, let until = d.leaseExpiresAt {
            lines.append("  lease      \(owner) until \(ShanghaiTime.text(until))")
        }
        if let error = d.lastError { lines.append("  last error \(error)") }
        if let r = d.receipt {
            if let id = r.publicationID { lines.append("  receipt    \(id)") }
            if let url = r.publicURL { lines.append("  public url \(url)") }
        }
        if attempts.isEmpty {
            lines.append("  no attempts yet")
        } else {
            lines.append("  attempt log:")
            for a in attempts {
                lines.append("    #\(a.number)  \(ShanghaiTime.text(a.startedAt)) → \(ShanghaiTime.text(a.finishedAt))  \(a.outcome.rawValue)")
                // Attempts logged before these fields existed carry only `detail`.
                guard a.reason != nil || a.httpStatus != nil || a.curlError != nil || a.excerpt != nil else {
                    lines.append("        detail    \(a.detail)")
                    continue
                }
                if let reason = a.reason { lines.append("        reason    \(reason)") }
                if let status = a.httpStatus { lines.append("        http      \(status)") }
                if let curl = a.curlError { lines.append("        curl      error \(curl)") }
                if let excerpt = a.excerpt, !excerpt.isEmpty {
                    let oneLine = excerpt.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
                    lines.append("        response  \(oneLine.count > 200 ? String(oneLine.prefix(200)) + "…" : oneLine)")
                }
            }
        }
        return lines
    }
}
