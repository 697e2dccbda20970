import Foundation

/// The PostgreSQL schema as numbered migrations (numbered on their own, apart from SQLite's). A
/// migration is never edited once shipped: change the schema by appending a new one.
///
/// The tables mirror SQLite's: a JSON `body` (the source of truth for reads) beside the columns that
/// queries and constraints need. Where SQLite orders by `rowid`, PostgreSQL has a `bigserial seq`.
enum PostgresMigrations {
    static let all: [(version: Int, sql: [String])] = [
        (1, [
            "CREATE TABLE projects (key TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at_ms BIGINT NOT NULL)",
            "CREATE TABLE parcels (key TEXT PRIMARY KEY, project_key TEXT NOT NULL REFERENCES projects(key))",
            // seq: the notice's number, given gap-free under an advisory lock (PostgresLocks.noticeSequence).
            """
            CREATE TABLE notices (
                notice_id TEXT PRIMARY KEY,
                seq BIGINT NOT NULL UNIQUE,
                latest_version INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE notice_versions (
                notice_id TEXT NOT NULL REFERENCES notices(notice_id),
                version INTEGER NOT NULL CHECK (version >= 1),
                project_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                state TEXT NOT NULL,
                drafter TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                updated_at_ms BIGINT NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (notice_id, version)
            )
            """,
            "CREATE INDEX notice_versions_project ON notice_versions (project_key)",
            // One set of deliveries per approved version, held by the UNIQUE constraint.
            """
            CREATE TABLE deliveries (
                id TEXT PRIMARY KEY,
                seq BIGSERIAL NOT NULL UNIQUE,
                notice_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                channel TEXT NOT NULL,
                purpose TEXT NOT NULL,
                state TEXT NOT NULL,
                next_attempt_ms BIGINT NOT NULL,
                lease_owner TEXT,
                lease_expires_ms BIGINT,
                body TEXT NOT NULL,
                UNIQUE (notice_id, version, channel, purpose),
                FOREIGN KEY (notice_id, version) REFERENCES notice_versions (notice_id, version)
            )
            """,
            "CREATE INDEX deliveries_channel ON deliveries (channel, state)",
            // The claim's two ordered scans (PostgresTransaction.claimDue): waiting rows by due time,
            // leased rows by lease expiry. Partial, so finished rows never slow a claim down.
            """
            CREATE INDEX deliveries_waiting ON deliveries (channel, next_attempt_ms, seq)
            WHERE state IN ('pending', 'retrying')
            """,
            "CREATE INDEX deliveries_leased ON deliveries (channel, lease_expires_ms, seq) WHERE state = 'in-flight'",
            "CREATE INDEX deliveries_order ON deliveries (notice_id, channel, seq)",
            """
            CREATE TABLE attempts (
                delivery_id TEXT NOT NULL REFERENCES deliveries(id),
                number INTEGER NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (delivery_id, number)
            )
            """,
            """
            CREATE TABLE audit (
                seq BIGINT PRIMARY KEY,
                at_ms BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                detail TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE channel_state (
                channel TEXT PRIMARY KEY,
                paused BOOLEAN NOT NULL,
                changed_by TEXT NOT NULL,
                changed_at_ms BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE tokens (
                id TEXT PRIMARY KEY,
                seq BIGSERIAL NOT NULL UNIQUE,
                user_name TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE,
                body TEXT NOT NULL
            )
            """,
            "CREATE INDEX tokens_user ON tokens (user_name)",
            """
            CREATE TABLE channel_circuit (
                channel TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                updated_at_ms BIGINT NOT NULL,
                body TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE postings (
                id TEXT PRIMARY KEY,
                seq BIGSERIAL NOT NULL UNIQUE,
                notice_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                place TEXT NOT NULL,
                body TEXT NOT NULL,
                UNIQUE (notice_id, version, place),
                FOREIGN KEY (notice_id, version) REFERENCES notice_versions (notice_id, version)
            )
            """,
            "CREATE TABLE photos (sha256 TEXT PRIMARY KEY, bytes BYTEA NOT NULL)",
            """
            CREATE TABLE payments (
                id TEXT PRIMARY KEY,
                seq BIGSERIAL NOT NULL UNIQUE,
                project_key TEXT NOT NULL,
                parcel TEXT NOT NULL,
                body TEXT NOT NULL
            )
            """,
            "CREATE INDEX payments_project ON payments (project_key)",
            """
            CREATE TABLE warnings (
                id TEXT PRIMARY KEY,
                seq BIGSERIAL NOT NULL UNIQUE,
                key TEXT NOT NULL,
                project_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                state TEXT NOT NULL,
                body TEXT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX warnings_unresolved_key ON warnings (key) WHERE state <> 'resolved'",
        ]),
    ]

    static var latest: Int { all.last?.version ?? 0 }

    /// Applies every missing migration, each in its own transaction, all under a session advisory
    /// lock: two processes starting at once take turns, and the second finds nothing left to do.
    /// - Throws: `StoreError.schemaTooNew` when the database is ahead of this binary.
    static func run(on db: PGConnection) throws {
        try db.rows("SELECT pg_advisory_lock(\(PostgresLocks.migrations))")
        defer { _ = try? db.rows("SELECT pg_advisory_unlock(\(PostgresLocks.migrations))") }
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms BIGINT NOT NULL)")
        let current = Int(try db.rows("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").first?.int(0) ?? 0)
        if current > latest { throw StoreError.schemaTooNew(found: current, known: latest) }
        for migration in all where migration.version > current {
            try db.execute("BEGIN")
            do {
                for statement in migration.sql { try db.execute(statement) }
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                try db.rows("INSERT INTO schema_migrations (version, applied_at_ms) VALUES (\(migration.version), \(now))")
                try db.execute("COMMIT")
            } catch {
                if db.isUsable { try? db.execute("ROLLBACK") }
                throw error
            }
        }
    }

    /// The schema version of the database `db` is connected to (0 when it has none).
    static func version(of db: PGConnection) throws -> Int {
        guard try db.rows("SELECT to_regclass('schema_migrations') IS NOT NULL").first?.int(0) == 1 else { return 0 }
        return Int(try db.rows("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").first?.int(0) ?? 0)
    }
}

/// Advisory lock keys (one bigint space per database). Session locks for migrations; transaction
/// locks (`pg_advisory_xact_lock`, released at COMMIT/ROLLBACK) for the rest.
enum PostgresLocks {
    static let migrations: Int64 = 0x6767_0001
    /// Held while appending to the audit chain: one writer reads the last entry and appends at a time.
    static let audit: Int64 = 0x6767_0002
    /// Held while numbering a new notice.
    static let noticeSequence: Int64 = 0x6767_0003
    /// Held by write transactions that read tokens (the first admin token is made only when none exists).
    static let tokens: Int64 = 0x6767_0004
    /// Held by write transactions that read warnings (a warning is raised once).
    static let warnings: Int64 = 0x6767_0005
}
