import Foundation
import GonggaoCore

/// The statutory side of the officer actions: stage gates on approval, posting confirmations and
/// compensation payments — each one transaction with its audit entry.
extension NoticeWorkflow {
    /// Refuses (or, with an admin's written reason, records an override of) a closed stage gate
    /// before `v` is approved. A correction of a stage approved before is not gated again.
    static func checkStageGate(_ v: NoticeVersion, clock: StatutoryClock?, override: String?, by user: User, at: Date,
                               _ tx: any StoreWriter) throws {
        guard let clock, clock.rules.gates.contains(where: { $0.kind == v.content.kind }) else { return }
        if try tx.noticeVersions(v.id).contains(where: { $0.version < v.version && $0.approvedAt != nil }) { return }
        guard let facts = try StatutoryFacts.load(project: v.content.project, tx) else { return }
        let earlier = facts.stageSchedules(rules: clock.rules, calendar: clock.calendar)
        let verdict = StageGate.check(kind: v.content.kind, today: CivilDate(at), earlier: earlier, rules: clock.rules)
        guard case .closed(let rule, let reason, let earliest) = verdict else { return }
        guard let override = override?.trimmingCharacters(in: .whitespacesAndNewlines), !override.isEmpty else {
            throw WorkflowError.stageGate(notice: v.reference, rule: rule, reason: reason, earliest: earliest)
        }
        guard user.roles.contains(.admin) else {
            throw WorkflowError.notPermitted(user: user.name, action: "override a stage gate", needs: .admin)
        }
        try tx.appendAudit(AuditRecord(at: at, actor: user.name, action: "notice.gate-override", subject: v.reference,
                                       detail: "rule: \(rule); gate: \(reason); reason: \(override)"))
    }

    /// Confirms that the paper poster of `id` (its approved version, or `version`) is up at `place`
    /// (`township:NAME`, `village:NAME` or just the name), on `board`, on `postedOn` (default today),
    /// optionally with a JPEG photo. Audited as `posting.confirm`.
    public func confirmPosting(_ id: String, version: Int? = nil, place: String, board: String, postedOn: CivilDate? = nil,
                               photo: [UInt8]? = nil, as userName: String) async throws -> PostingConfirmation {
        let user = try users.user(userName)
        guard user.has(.poster) || user.has(.printer) else {
            throw WorkflowError.notPermitted(user: user.name, action: "confirm a posting", needs: .poster)
        }
        let board = board.trimmingCharacters(in: .whitespacesAndNewlines)
        if board.isEmpty { throw ValidationError(field: "board", "is required (e.g. 村委会公告栏)") }
        if board.count > 100 { throw ValidationError(field: "board", "is \(board.count) characters, at most 100 allowed") }
        let photoHash = try photo.map { bytes throws(ValidationError) in try PostingPhoto.check(bytes) }
        let at = now()
        let today = CivilDate(at)
        let day = postedOn ?? today
        if day > today { throw ValidationError(field: "postedOn", "\(day) is in the future") }
        return try await store.write { tx in
            let versions = try tx.noticeVersions(id)
            guard !versions.isEmpty else { throw WorkflowError.unknownNotice(id) }
            let v: NoticeVersion
            if let version {
                guard let found = versions.first(where: { $0.version == version }) else {
                    throw WorkflowError.unknownVersion(notice: id, version: version)
                }
                v = found
            } else {
                v = versions.last { $0.state == .approved } ?? versions.last!
            }
            guard v.state == .approved, let approvedAt = v.approvedAt else {
                throw WorkflowError.wrongState(notice: v.reference, action: "confirm the posting of", state: v.state)
            }
            if day < CivilDate(approvedAt) {
                throw ValidationError(field: "postedOn", "\(day) is before the approval on \(CivilDate(approvedAt))")
            }
            guard let project = try tx.project(v.content.project) else { throw WorkflowError.unknownProject(v.content.project) }
            let places = v.content.postingPlaces(in: project)
            guard let target = PostingPlace(id: place).flatMap({ p in places.first { $0 == p } })
                    ?? places.first(where: { $0.name == place }) else {
                throw WorkflowError.unknownPlace(notice: v.reference, place: place, places: places.map(\.id))
            }
            if try tx.postings(noticeID: v.id).contains(where: { $0.version == v.version && $0.place == target }) {
                throw WorkflowError.alreadyPosted(notice: v.reference, place: target.id)
            }
            let confirmation = PostingConfirmation(
                id: Identifier.make("pst"), noticeID: v.id, version: v.version, place: target, board: board, postedOn: day,
                confirmedBy: user.name, confirmedAt: at, photoSHA256: photoHash, photoBytes: photo?.count)
            if let photo, let photoHash { try tx.insertPhoto(sha256: photoHash, bytes: photo) }
            try tx.insertPosting(confirmation)
            try tx.appendAudit(AuditRecord(
                at: at, actor: user.name, action: "posting.confirm", subject: v.reference,
                detail: "place:\(target.id) board:\(board) postedOn:\(day)" + (photoHash.map { " photo:sha256:\($0)" } ?? "")))
            return confirmation
        }
    }

    /// Records compensation paid for one parcel to one payee group. Audited as `payment.record`.
    public func recordPayment(project key: String, parcel: String, payeeGroup: String, amountYuan: Double, paidOn: CivilDate,
                              as userName: String) async throws -> PaymentRecord {
        let user = try users.user(userName)
        guard user.has(.drafter) || user.has(.approver) else {
            throw WorkflowError.notPermitted(user: user.name, action: "record a payment", needs: .approver)
        }
        let group = payeeGroup.trimmingCharacters(in: .whitespacesAndNewlines)
        if group.isEmpty { throw ValidationError(field: "payeeGroup", "is required") }
        if group.count > 200 { throw ValidationError(field: "payeeGroup", "is \(group.count) characters, at most 200 allowed") }
        guard amountYuan.isFinite, amountYuan > 0, amountYuan < 1e12 else {
            throw ValidationError(field: "amountYuan", "must be a positive amount of yuan")
        }
        let at = now()
        if paidOn > CivilDate(at) { throw ValidationError(field: "paidOn", "\(paidOn) is in the future") }
        return try await store.write { tx in
            guard let project = try tx.project(key) else { throw WorkflowError.unknownProject(key) }
            guard project.parcels.contains(where: { $0.key == parcel }) else {
                throw ValidationError(field: "parcel", "parcel '\(parcel)' is not in project '\(key)'")
            }
            let payment = PaymentRecord(id: Identifier.make("pay"), project: key, parcel: parcel, payeeGroup: group,
                                        amountYuan: amountYuan, paidOn: paidOn, recordedBy: user.name, recordedAt: at)
            try tx.insertPayment(payment)
            try tx.appendAudit(AuditRecord(at: at, actor: user.name, action: "payment.record", subject: key,
                                           detail: "parcel:\(parcel) payee:\(group) yuan:\(amountYuan) paidOn:\(paidOn)"))
            return payment
        }
    }
}
