import Foundation
import GonggaoCore

/// Postings, photos, payments and warnings, as `SQLiteTransaction+Statutory` (ordered by `seq`).
extension PostgresTransaction {
    func postings(noticeID: String) throws -> [PostingConfirmation] {
        try db.rows("SELECT body FROM postings WHERE notice_id = \(noticeID) ORDER BY seq").map { try decode(PostingConfirmation.self, $0) }
    }

    func photo(sha256: String) throws -> [UInt8]? {
        guard let row = try db.rows("SELECT bytes FROM photos WHERE sha256 = \(sha256)").first else { return nil }
        if case .blob(let bytes) = row.values[0] { return bytes }
        return nil
    }

    func payments(project: String) throws -> [PaymentRecord] {
        try db.rows("SELECT body FROM payments WHERE project_key = \(project) ORDER BY seq").map { try decode(PaymentRecord.self, $0) }
    }

    func warnings(_ filter: WarningFilter) throws -> [StatutoryWarning] {
        // A writer that looks for active warnings (to raise one once) holds them until it commits.
        if writable { try lock(PostgresLocks.warnings) }
        var sql: SQL = "SELECT body FROM warnings WHERE 1 = 1"
        if let project = filter.project { sql.append(" AND project_key = \(project)") }
        if let kind = filter.kind { sql.append(" AND kind = \(kind.rawValue)") }
        sql.append(" ORDER BY seq DESC")
        return Array(try db.rows(sql).map { try decode(StatutoryWarning.self, $0) }.filter(filter.matches).prefix(filter.limit))
    }

    func warning(id: String) throws -> StatutoryWarning? {
        try db.rows("SELECT body FROM warnings WHERE id = \(id)\(unsafeSQL: forUpdate)").first.map { try decode(StatutoryWarning.self, $0) }
    }

    func insertPosting(_ p: PostingConfirmation) throws {
        try db.rows("""
            INSERT INTO postings (id, notice_id, version, place, body)
            VALUES (\(p.id), \(p.noticeID), \(p.version), \(p.place.id), \(try encode(p)))
            ON CONFLICT DO NOTHING
            """)
        if db.changes == 0 { throw StoreError.conflict("\(p.place) already confirmed posting \(p.noticeID)/v\(p.version)") }
    }

    func insertPhoto(sha256: String, bytes: [UInt8]) throws {
        try db.rows("INSERT INTO photos (sha256, bytes) VALUES (\(sha256), \(SQLBlob(bytes))) ON CONFLICT (sha256) DO NOTHING")
    }

    func insertPayment(_ p: PaymentRecord) throws {
        try db.rows("""
            INSERT INTO payments (id, project_key, parcel, body) VALUES (\(p.id), \(p.project), \(p.parcel), \(try encode(p)))
            ON CONFLICT DO NOTHING
            """)
        if db.changes == 0 { throw StoreError.conflict("payment \(p.id) exists") }
    }

    /// An unresolved warning with the same key is refused by the partial unique index (23505): the
    /// transaction is then aborted, and the store reports the conflict.
    func saveWarning(_ w: StatutoryWarning) throws {
        do {
            try db.rows("""
                INSERT INTO warnings (id, key, project_key, kind, state, body)
                VALUES (\(w.id), \(w.key), \(w.project), \(w.kind.rawValue), \(w.state.rawValue), \(try encode(w)))
                ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body
                """)
        } catch let e as PostgresError where e.isConstraintViolation {
            throw StoreError.conflict("an unresolved warning \(w.key) exists")
        }
    }
}
