/// Whether a stage may be approved today, given the project's earlier stages (rules' `gates`).
public enum StageGate {
    public enum Verdict: Equatable, Sendable {
        case open
        /// Refused: the rule, why, and the earliest allowed date when it is known.
        case closed(rule: String, reason: String, earliest: LegalDate?)
    }

    /// - Parameter earlier: the schedule of the latest approved version of each earlier stage of the
    ///   project (nil entries mean the stage was never approved).
    public static func check(kind: NoticeKind, today: CivilDate, earlier: [NoticeKind: PostingSchedule],
                             rules: StatutoryRules) -> Verdict {
        for gate in rules.gates where gate.kind == kind {
            let before = gate.after
            guard let schedule = earlier[before] else {
                return .closed(rule: gate.rule, reason: "the project has no approved \(before.rawValue) (\(before.chineseName)) yet",
                               earliest: nil)
            }
            guard let earliest = schedule.nextStageEarliest else {
                let missing = schedule.places.filter { $0.postedOn == nil }.map(\.place.id)
                return .closed(rule: gate.rule,
                               reason: "the \(before.rawValue) is not confirmed as posted at \(missing.joined(separator: ", ")): its period has not started",
                               earliest: nil)
            }
            if today < earliest.date {
                return .closed(rule: gate.rule,
                               reason: "the \(before.rawValue)'s posting period (\(schedule.period?.description ?? "?")) runs until \(schedule.periodEnd!)",
                               earliest: earliest)
            }
        }
        return .open
    }
}
