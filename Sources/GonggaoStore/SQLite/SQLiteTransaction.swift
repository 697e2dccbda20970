import Foundation
import GonggaoCore

/// The reader/writer handed to a transaction closure. Rows hold a JSON body (the source of truth
/// for reads) beside the columns that queries and constraints need.
final class SQLiteTransaction: StoreWriter {
    let db: SQLiteConnection
    var appendedHead: AuditHead?
    /// The store's decoded notice versions and projects (nil: decode every body).
    let memo: SQLiteDecodeMemo?

    init(_ db: SQLiteConnection, memo: SQLiteDecodeMemo? = nil) {
        self.db = db
        self.memo = memo
    }

    // MARK: projects

    func project(_ key: String) throws -> Project? {
        try db.rows("SELECT body FROM projects WHERE key = \(key)").first.map { try decode(Project.self, $0, memoKey: key) }
    }

    func projects() throws -> [Project] {
        try db.rows("SELECT body FROM projects ORDER BY key").map { try decode(Project.self, $0) }
    }

    func projectKey(ofParcel key: String) throws -> String? {
        try db.rows("SELECT project_key FROM parcels WHERE key = \(key)").first?.text(0)
    }

    func saveProject(_ project: Project) throws {
        for parcel in project.parcels {
            if let owner = try projectKey(ofParcel: parcel.key), owner != project.key {
                throw StoreError.conflict("parcel \(parcel.key) belongs to project \(owner)")
            }
        }
        let body = try encode(project)
        try db.rows("""
            INSERT INTO projects (key, body, updated_at_ms) VALUES (\(project.key), \(body), \(Self.millis(Date())))
            ON CONFLICT (key) DO UPDATE SET body = excluded.body, updated_at_ms = excluded.updated_at_ms
            """)
        try db.rows("DELETE FROM parcels WHERE project_key = \(project.key)")
        for parcel in project.parcels {
            try db.rows("INSERT INTO parcels (key, project_key) VALUES (\(parcel.key), \(project.key))")
        }
    }

    // MARK: notices

    func noticeVersions(_ id: String) throws -> [NoticeVersion] {
        try db.rows("SELECT version, body FROM notice_versions WHERE notice_id = \(id) ORDER BY version").map {
            try decode(NoticeVersion.self, $0, column: 1, memoKey: "\(id)/\($0.int(0) ?? 0)")
        }
    }

    func noticeVersion(_ id: String, version: Int) throws -> NoticeVersion? {
        try db.rows("SELECT body FROM notice_versions WHERE notice_id = \(id) AND version = \(version)").first
            .map { try decode(NoticeVersion.self, $0, memoKey: "\(id)/\(version)") }
    }

    func noticeSequence(_ id: String) throws -> Int? {
        try db.rows("SELECT seq FROM notices WHERE notice_id = \(id)").first?.int(0).map(Int.init)
    }

    func notices(_ filter: NoticeFilter) throws -> [NoticeVersion] {
        var sql: SQL = """
            SELECT v.body FROM notices n JOIN notice_versions v
              ON v.notice_id = n.notice_id AND v.version = n.latest_version WHERE 1 = 1
            """
        if let state = filter.state { sql.append(" AND v.state = \(state.rawValue)") }
        if let kind = filter.kind { sql.append(" AND v.kind = \(kind.rawValue)") }
        if let project = filter.project { sql.append(" AND v.project_key = \(project)") }
        sql.append(" ORDER BY n.seq DESC LIMIT \(filter.limit)")
        return try db.rows(sql).map { try decode(NoticeVersion.self, $0) }
    }

    func insertNoticeVersion(_ v: NoticeVersion) throws {
        if try noticeVersion(v.id, version: v.version) != nil {
            throw StoreError.conflict("notice \(v.reference) exists")
        }
        try db.rows("""
            INSERT INTO notices (notice_id, latest_version) VALUES (\(v.id), \(v.version))
            ON CONFLICT (notice_id) DO UPDATE SET latest_version = MAX(latest_version, excluded.latest_version)
            """)
        try db.rows("""
            INSERT INTO notice_versions (notice_id, version, project_key, kind, state, drafter, content_hash, updated_at_ms, body)
            VALUES (\(v.id), \(v.version), \(v.content.project), \(v.content.kind.rawValue), \(v.state.rawValue),
                    \(v.drafter), \(v.contentHash), \(Self.millis(v.updatedAt)), \(try encode(v)))
            """)
    }

    func updateNoticeVersion(_ v: NoticeVersion) throws {
        try db.rows("""
            UPDATE notice_versions SET project_key = \(v.content.project), kind = \(v.content.kind.rawValue),
              state = \(v.state.rawValue), drafter = \(v.drafter), content_hash = \(v.contentHash),
              updated_at_ms = \(Self.millis(v.updatedAt)), body = \(try encode(v))
            WHERE notice_id = \(v.id) AND version = \(v.version)
            """)
        if try db.changes() == 0 { throw StoreError.notFound("notice \(v.reference)") }
    }

    // MARK: deliveries

    func delivery(_ id: String) throws -> Delivery? {
        try db.rows("SELECT body FROM deliveries WHERE id = \(id)").first.map { try decode(Delivery.self, $0) }
    }

    func deliveries(_ filter: DeliveryFilter) throws -> [Delivery] {
        var sql: SQL = "SELECT body FROM deliveries WHERE 1 = 1"
        if let id = filter.noticeID { sql.append(" AND notice_id = \(id)") }
        if let version = filter.version { sql.append(" AND version = \(version)") }
        if let state = filter.state { sql.append(" AND state = \(state.rawValue)") }
        if let channel = filter.channel { sql.append(" AND channel = \(channel)") }
        sql.append(" ORDER BY rowid LIMIT \(filter.limit)")
        return try db.rows(sql).map { try decode(Delivery.self, $0) }
    }

    func insertDelivery(_ d: Delivery) throws {
        do {
            try db.rows("""
                INSERT INTO deliveries (id, notice_id, version, channel, purpose, state, next_attempt_ms, lease_owner, lease_expires_ms, body)
                VALUES (\(d.id), \(d.noticeID), \(d.version), \(d.channel), \(d.purpose.rawValue), \(d.state.rawValue),
                        \(Self.millis(d.nextAttemptAt)), \(d.leaseOwner), \(d.leaseExpiresAt.map(Self.millis)), \(try encode(d)))
                """)
        } catch let e as SQLiteError where e.isConstraintViolation {
            throw StoreError.conflict("a \(d.purpose.rawValue) delivery of \(d.noticeID)/v\(d.version) to \(d.channel) exists")
        }
    }

    func updateDelivery(_ d: Delivery) throws {
        try db.rows("""
            UPDATE deliveries SET state = \(d.state.rawValue), next_attempt_ms = \(Self.millis(d.nextAttemptAt)),
              lease_owner = \(d.leaseOwner), lease_expires_ms = \(d.leaseExpiresAt.map(Self.millis)), body = \(try encode(d))
            WHERE id = \(d.id)
            """)
        if try db.changes() == 0 { throw StoreError.notFound("delivery \(d.id)") }
    }

    func attempts(deliveryID: String) throws -> [DeliveryAttempt] {
        try db.rows("SELECT body FROM attempts WHERE delivery_id = \(deliveryID) ORDER BY number").map { try decode(DeliveryAttempt.self, $0) }
    }

    func appendAttempt(_ a: DeliveryAttempt) throws {
        try db.rows("INSERT INTO attempts (delivery_id, number, body) VALUES (\(a.deliveryID), \(a.number), \(try encode(a)))")
    }

    // MARK: queue

    func nextDueTime(channel: String) throws -> Date? {
        let row = try db.rows("""
            SELECT MIN(CASE WHEN state = 'in-flight' THEN lease_expires_ms ELSE next_attempt_ms END)
            FROM deliveries WHERE channel = \(channel) AND state IN ('pending', 'retrying', 'in-flight')
            """).first
        return row?.int(0).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    func channelStates() throws -> [ChannelStatus] {
        try db.rows("SELECT channel, paused, changed_by, changed_at_ms FROM channel_state ORDER BY channel").map { r in
            ChannelStatus(channel: r.text(0) ?? "", paused: r.int(1) == 1, changedBy: r.text(2) ?? "",
                          changedAt: Date(timeIntervalSince1970: Double(r.int(3) ?? 0) / 1000))
        }
    }

    func channelCircuits() throws -> [ChannelCircuit] {
        try db.rows("SELECT body FROM channel_circuit ORDER BY channel").map { try decode(ChannelCircuit.self, $0) }
    }

    func recordChannelCircuit(_ c: ChannelCircuit) throws {
        try db.rows("""
            INSERT INTO channel_circuit (channel, state, updated_at_ms, body)
            VALUES (\(c.channel), \(c.state), \(Self.millis(c.recordedAt)), \(try encode(c)))
            ON CONFLICT (channel) DO UPDATE SET state = excluded.state, updated_at_ms = excluded.updated_at_ms, body = excluded.body
            """)
    }

    func setChannelPaused(_ channel: String, paused: Bool, by actor: String, at: Date) throws {
        try db.rows("""
            INSERT INTO channel_state (channel, paused, changed_by, changed_at_ms)
            VALUES (\(channel), \(paused ? 1 : 0), \(actor), \(Self.millis(at)))
            ON CONFLICT (channel) DO UPDATE SET paused = excluded.paused, changed_by = excluded.changed_by,
              changed_at_ms = excluded.changed_at_ms
            """)
    }

    /// First from a bounded window of the earliest due rows (ordered scans of the partial indexes of
    /// migration 6, so a claim costs the same at a queue depth of ten thousand or a million); only when
    /// that window does not fill the batch (its rows wait behind earlier ones) is the whole queue searched.
    func claimDue(channel: String, now: Date, owner: String, leaseUntil: Date, limit: Int) throws -> [Delivery] {
        guard limit > 0 else { return [] }
        var due = try claimable(channel: channel, now: now, limit: limit, window: limit * 8 + 32)
        if due.count < limit {
            let taken = Set(due.map(\.id))
            due += try claimable(channel: channel, now: now, limit: limit, window: nil).filter { !taken.contains($0.id) }
                .prefix(limit - due.count)
        }
        return try due.map { d in
            var claimed = d
            claimed.state = .inFlight
            claimed.leaseOwner = owner
            claimed.leaseExpiresAt = leaseUntil
            claimed.attempts += 1
            claimed.updatedAt = now
            try updateDelivery(claimed)
            return claimed
        }
    }

    /// Due, unblocked deliveries of `channel` in order; among the first `window` waiting and `window`
    /// expired rows only, when a window is given.
    private func claimable(channel: String, now: Date, limit: Int, window: Int?) throws -> [Delivery] {
        let nowMs = Self.millis(now)
        var sql: SQL
        if let window {
            // CROSS JOIN makes the window the outer loop: the deliveries are looked up by rowid, never scanned.
            sql = """
                SELECT d.body FROM (SELECT rowid AS r FROM (SELECT rowid FROM deliveries INDEXED BY deliveries_waiting
                                   WHERE channel = \(channel) AND state IN ('pending', 'retrying') AND next_attempt_ms <= \(nowMs)
                                   ORDER BY next_attempt_ms LIMIT \(window))
                                  UNION ALL
                                  SELECT rowid FROM (SELECT rowid FROM deliveries INDEXED BY deliveries_leased
                                   WHERE channel = \(channel) AND state = 'in-flight' AND lease_expires_ms <= \(nowMs)
                                   ORDER BY lease_expires_ms LIMIT \(window))) AS w
                CROSS JOIN deliveries d ON d.rowid = w.r
                """
        } else {
            sql = "SELECT d.body FROM deliveries d"
        }
        sql.append("""

            WHERE d.channel = \(channel)
              AND ((d.state IN ('pending', 'retrying') AND d.next_attempt_ms <= \(nowMs))
                   OR (d.state = 'in-flight' AND d.lease_expires_ms <= \(nowMs)))

              AND NOT EXISTS (SELECT 1 FROM deliveries e
                              WHERE e.notice_id = d.notice_id AND e.channel = d.channel AND e.rowid < d.rowid
                                AND e.state NOT IN ('delivered', 'dead', 'cancelled'))
              AND NOT EXISTS (SELECT 1 FROM channel_state c WHERE c.channel = d.channel AND c.paused = 1)
            ORDER BY d.next_attempt_ms, d.rowid LIMIT \(limit)
            """)
        return try db.rows(sql).map { try decode(Delivery.self, $0) }
    }

    // MARK: tokens

    func token(hash: String) throws -> APIToken? {
        try db.rows("SELECT body FROM tokens WHERE hash = \(hash)").first.map { try decode(APIToken.self, $0) }
    }

    func tokens(user: String?) throws -> [APIToken] {
        var sql: SQL = "SELECT body FROM tokens"
        if let user { sql.append(" WHERE user_name = \(user)") }
        sql.append(" ORDER BY rowid DESC")
        return try db.rows(sql).map { try decode(APIToken.self, $0) }
    }

    func insertToken(_ token: APIToken) throws {
        do {
            try db.rows("INSERT INTO tokens (id, user_name, hash, body) VALUES (\(token.id), \(token.user), \(token.hash), \(try encode(token)))")
        } catch let e as SQLiteError where e.isConstraintViolation {
            throw StoreError.conflict("token \(token.id) exists")
        }
    }

    func revokeToken(id: String, at: Date) throws {
        guard var t = try db.rows("SELECT body FROM tokens WHERE id = \(id)").first.map({ try decode(APIToken.self, $0) }) else {
            throw StoreError.notFound("token \(id)")
        }
        if t.revokedAt == nil { t.revokedAt = at }
        try db.rows("UPDATE tokens SET body = \(try encode(t)) WHERE id = \(id)")
    }

    // MARK: audit

    func auditEntries(after: Int64, limit: Int) throws -> [AuditEntry] {
        try db.rows("""
            SELECT seq, at_ms, actor, action, subject, detail, prev_hash, hash FROM audit
            WHERE seq > \(after) ORDER BY seq LIMIT \(limit)
            """).map(Self.auditEntry)
    }

    func auditEntry(seq: Int64) throws -> AuditEntry? {
        try db.rows("SELECT seq, at_ms, actor, action, subject, detail, prev_hash, hash FROM audit WHERE seq = \(seq)")
            .first.map(Self.auditEntry)
    }

    func lastAuditEntry() throws -> AuditEntry? {
        try db.rows("SELECT seq, at_ms, actor, action, subject, detail, prev_hash, hash FROM audit ORDER BY seq DESC LIMIT 1")
            .first.map(Self.auditEntry)
    }

    func appendAudit(_ record: AuditRecord) throws -> AuditEntry {
        let e = AuditChain.entry(after: try lastAuditEntry(), record)
        try db.rows("""
            INSERT INTO audit (seq, at_ms, actor, action, subject, detail, prev_hash, hash)
            VALUES (\(e.seq), \(e.atMillis), \(e.actor), \(e.action), \(e.subject), \(e.detail), \(e.prevHash), \(e.hash))
            """)
        appendedHead = AuditHead(seq: e.seq, hash: e.hash)
        return e
    }

    // MARK: coding

    static func auditEntry(_ row: SQLRow) -> AuditEntry {
        AuditEntry(seq: row.int(0) ?? 0, atMillis: row.int(1) ?? 0, actor: row.text(2) ?? "", action: row.text(3) ?? "",
                   subject: row.text(4) ?? "", detail: row.text(5) ?? "", prevHash: row.text(6) ?? "", hash: row.text(7) ?? "")
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    func decode<T: Decodable>(_ type: T.Type, _ row: SQLRow) throws -> T {
        guard let text = row.text(0) else { throw StoreError.corrupt("a \(T.self) row has no body") }
        return try Self.decode(T.self, text)
    }

    /// `decode` through the store's memo: the row's body (in `column`) decoded once per distinct bytes.
    func decode<T: Decodable>(_ type: T.Type, _ row: SQLRow, column: Int = 0, memoKey: String) throws -> T {
        guard let text = row.text(column) else { throw StoreError.corrupt("a \(T.self) row has no body") }
        guard let memo else { return try Self.decode(T.self, text) }
        return try memo.value(T.self, key: memoKey, body: text) { try Self.decode(T.self, $0) }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoreError.corrupt("a \(T.self) row does not decode: \(error)")
        }
    }
}
