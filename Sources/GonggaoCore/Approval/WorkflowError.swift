/// Why the workflow refused an action. Every case reads as one line naming the problem.
public enum WorkflowError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownUser(String)
    case notPermitted(user: String, action: String, needs: Role)
    case fourEyes(user: String, notice: String)
    case notDrafter(user: String, notice: String, drafter: String)
    case wrongState(notice: String, action: String, state: NoticeState)
    case notLatest(notice: String, latest: Int)
    case correctionOpen(notice: String, version: Int)
    case reasonRequired(action: String)
    case unknownNotice(String)
    case unknownVersion(notice: String, version: Int)
    case unknownProject(String)
    case unknownDelivery(String)
    case unchanged(notice: String)
    /// A stage gate is closed: the rule, why, and the earliest allowed date when known.
    case stageGate(notice: String, rule: String, reason: String, earliest: LegalDate?)
    /// An action on a posting place the notice is not posted at.
    case unknownPlace(notice: String, place: String, places: [String])
    case alreadyPosted(notice: String, place: String)

    public var description: String {
        switch self {
        case .unknownUser(let u): "unknown user '\(u)' (not in the config's users)"
        case .notPermitted(let u, let a, let r): "user '\(u)' may not \(a): needs the \(r.rawValue) role"
        case .fourEyes(let u, let n): "four-eyes rule: '\(u)' drafted \(n) and may not approve it"
        case .notDrafter(let u, let n, let d): "user '\(u)' may not change \(n): it was drafted by '\(d)'"
        case .wrongState(let n, let a, let s): "cannot \(a) \(n): it is \(s.rawValue)"
        case .notLatest(let n, let l): "\(n) is not the latest version (v\(l) is)"
        case .correctionOpen(let n, let v): "\(n) already has an open correction, v\(v)"
        case .reasonRequired(let a): "a reason is required to \(a)"
        case .unknownNotice(let id): "unknown notice '\(id)'"
        case .unknownVersion(let id, let v): "notice '\(id)' has no version \(v)"
        case .unknownProject(let k): "unknown project '\(k)' (import it first)"
        case .unknownDelivery(let id): "unknown delivery '\(id)'"
        case .unchanged(let n): "\(n): the edit changes nothing"
        case .stageGate(let n, let rule, let reason, let earliest):
            "stage gate: \(n) may not be approved yet: \(reason)\(earliest.map { "; earliest allowed date \($0)" } ?? "") (\(rule)); an admin may override with a written reason"
        case .unknownPlace(let n, let p, let places):
            "\(n) is not posted at '\(p)': its posting places are \(places.joined(separator: ", "))"
        case .alreadyPosted(let n, let p): "\(p) already confirmed posting \(n)"
        }
    }
}
