import Foundation
import GonggaoCore

extension PostgresStore {
    /// Writes `snapshot` (read from another store) into this database in one transaction — all or
    /// nothing — keeping notice numbers, row order and the audit chain verbatim (never re-hashed).
    /// Does not touch the audit head recorder: the caller sets it to `snapshot.auditHead`.
    /// - Throws: `StoreError.conflict` when the database already holds data (nothing is written).
    public func importSnapshot(_ snapshot: StoreSnapshot) async throws {
        _ = try await transaction(writable: true) { tx in try tx.importSnapshot(snapshot) }
    }
}

extension PostgresTransaction {
    /// The tables a store's content lives in; `importSnapshot` refuses unless all are empty.
    static let contentTables = ["projects", "parcels", "notices", "notice_versions", "deliveries", "attempts", "audit",
                                "channel_state", "channel_circuit", "tokens", "postings", "photos", "payments", "warnings"]

    func importSnapshot(_ s: StoreSnapshot) throws {
        // Every appender takes these locks first: nothing slips in between the check and the copy.
        try lock(PostgresLocks.audit)
        try lock(PostgresLocks.noticeSequence)
        try lock(PostgresLocks.tokens)
        try lock(PostgresLocks.warnings)
        for table in Self.contentTables {
            if try !db.rows("SELECT 1 FROM \(unsafeSQL: table) LIMIT 1").isEmpty {
                throw StoreError.conflict("the destination database is not empty (table \(table) has rows)")
            }
        }
        for project in s.projects { try saveProject(project) }
        for notice in s.notices { try insertNotice(sequence: notice.sequence, versions: notice.versions) }
        for d in s.deliveries { try insertDelivery(d) }
        for a in s.attempts { try appendAttempt(a) }
        for e in s.audit { try insertAuditEntry(e) }
        for c in s.channelStates { try setChannelPaused(c.channel, paused: c.paused, by: c.changedBy, at: c.changedAt) }
        for c in s.channelCircuits { try recordChannelCircuit(c) }
        for t in s.tokens { try insertToken(t) }
        for photo in s.photos { try insertPhoto(sha256: photo.sha256, bytes: photo.bytes) }
        for p in s.postings { try insertPosting(p) }
        for p in s.payments { try insertPayment(p) }
        for w in s.warnings { try saveWarning(w) }
    }

    /// A notice with the number it had in its source store, and all its versions.
    func insertNotice(sequence: Int, versions: [NoticeVersion]) throws {
        guard let id = versions.first?.id else { return }
        let latest = versions.map(\.version).max() ?? 1
        try db.rows("INSERT INTO notices (notice_id, seq, latest_version) VALUES (\(id), \(sequence), \(latest))")
        for v in versions { try insertNoticeVersion(v) }
    }

    /// One audit entry as it is (its seq and hashes are not recomputed): for copies only.
    func insertAuditEntry(_ e: AuditEntry) throws {
        try db.rows("""
            INSERT INTO audit (seq, at_ms, actor, action, subject, detail, prev_hash, hash)
            VALUES (\(e.seq), \(e.atMillis), \(e.actor), \(e.action), \(e.subject), \(e.detail), \(e.prevHash), \(e.hash))
            """)
    }
}
