import GonggaoCore

/// Postings, photos, payments and warnings in memory, with the durable stores' constraints.
extension MemoryTransaction {
    func postings(noticeID: String) throws -> [PostingConfirmation] { state.postings.filter { $0.noticeID == noticeID } }

    func photo(sha256: String) throws -> [UInt8]? { state.photos[sha256] }

    func payments(project: String) throws -> [PaymentRecord] { state.payments.filter { $0.project == project } }

    func warnings(_ filter: WarningFilter) throws -> [StatutoryWarning] {
        Array(state.warnings.reversed().filter(filter.matches).prefix(filter.limit))
    }

    func warning(id: String) throws -> StatutoryWarning? { state.warnings.first { $0.id == id } }

    func insertPosting(_ p: PostingConfirmation) throws {
        if state.postings.contains(where: { $0.noticeID == p.noticeID && $0.version == p.version && $0.place == p.place }) {
            throw StoreError.conflict("\(p.place) already confirmed posting \(p.noticeID)/v\(p.version)")
        }
        guard try noticeVersion(p.noticeID, version: p.version) != nil else { throw StoreError.notFound("notice \(p.noticeID)/v\(p.version)") }
        state.postings.append(p)
    }

    func insertPhoto(sha256: String, bytes: [UInt8]) throws {
        if state.photos[sha256] == nil { state.photos[sha256] = bytes }
    }

    func insertPayment(_ payment: PaymentRecord) throws {
        if state.payments.contains(where: { $0.id == payment.id }) { throw StoreError.conflict("payment \(payment.id) exists") }
        state.payments.append(payment)
    }

    func saveWarning(_ w: StatutoryWarning) throws {
        if w.state != .resolved, state.warnings.contains(where: { $0.key == w.key && $0.id != w.id && $0.state != .resolved }) {
            throw StoreError.conflict("an unresolved warning \(w.key) exists")
        }
        if let i = state.warnings.firstIndex(where: { $0.id == w.id }) {
            state.warnings[i] = w
        } else {
            state.warnings.append(w)
        }
    }
}
