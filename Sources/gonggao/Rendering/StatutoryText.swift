import GonggaoCore
import GonggaoStore

/// Text output of postings, warnings and evaluations.
enum StatutoryText {
    /// A legal date as officers read it: `2026-10-16`, or `2027-01-12 (暂定, provisional)`.
    static func date(_ d: LegalDate?) -> String {
        guard let d else { return "—" }
        return d.provisional ? "\(d.date) (暂定 provisional: no calendar for \(d.missingYears.map(String.init).joined(separator: ", ")))" : d.date.description
    }

    static func report(_ r: PostingReport) -> [String] {
        var lines = ["\(r.noticeID)/v\(r.version) \(r.kind.rawValue) (\(r.kind.chineseName)), \(r.state.rawValue)"]
        var table = Table("PLACE", "POSTED ON", "BY", "CONFIRMED AT", "PHOTO", "BOARD")
        for p in r.places {
            if let c = p.confirmation {
                table.add(p.place, c.postedOn.description, c.confirmedBy, ShanghaiTime.text(c.confirmedAt),
                          c.photoSHA256.map { "sha256:\($0)" } ?? "—", c.board)
            } else {
                table.add(p.place, "not posted", "—", "—", "—", "—")
            }
        }
        lines += table.lines
        lines.append("post by:         \(date(r.postBy))")
        if let start = r.periodStart {
            lines.append("posting period:  \(start.adding(days: 1)) – \(date(r.periodEnd)) (\(r.period ?? "no minimum"))")
        } else {
            lines.append("posting period:  not started (every place must confirm its posting)\(r.period.map { "; minimum \($0)" } ?? "")")
        }
        if let next = r.nextStage {
            lines.append("next stage:      \(next.kind.rawValue) (\(next.kind.chineseName)) from \(next.earliest.map { date($0) } ?? "— (period not started)")")
        }
        return lines
    }

    static func warnings(_ warnings: [StatutoryWarning]) -> [String] {
        guard !warnings.isEmpty else { return ["no warnings"] }
        var table = Table("ID", "KIND", "SEVERITY", "STATE", "DUE", "PROJECT", "MESSAGE")
        for w in warnings {
            table.add(w.id, w.kind.rawValue, w.severity.rawValue, w.state.rawValue, date(w.due), w.project, w.message)
        }
        return table.lines
    }

    static func evaluation(_ e: WarningDesk.Evaluation) -> [String] {
        var lines: [String] = []
        for w in e.raised { lines.append("raised \(w.id) \(w.kind.rawValue) \(w.severity.rawValue) due \(date(w.due)): \(w.message)") }
        for w in e.escalated { lines.append("escalated \(w.id) \(w.kind.rawValue) breached \(date(w.due)): \(w.message)") }
        for w in e.resolved { lines.append("resolved \(w.id) \(w.kind.rawValue): \(w.message)") }
        lines.append("\(e.raised.count) raised, \(e.escalated.count) escalated, \(e.resolved.count) resolved, \(e.active) active")
        return lines
    }
}
