/// The SQLite schema as numbered migrations. A migration is never edited once shipped: change the
/// schema by appending a new one.
enum SQLiteMigrations {
    static let all: [(version: Int, sql: [String])] = [
        (1, [
            """
            CREATE TABLE projects (
                key TEXT PRIMARY KEY,
                body TEXT NOT NULL,
                updated_at_ms INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE parcels (
                key TEXT PRIMARY KEY,
                project_key TEXT NOT NULL REFERENCES projects(key)
            )
            """,
            """
            CREATE TABLE notices (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                notice_id TEXT NOT NULL UNIQUE,
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
                updated_at_ms INTEGER NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (notice_id, version)
            )
            """,
            """
            CREATE TABLE deliveries (
                id TEXT PRIMARY KEY,
                notice_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                channel TEXT NOT NULL,
                purpose TEXT NOT NULL,
                state TEXT NOT NULL,
                next_attempt_ms INTEGER NOT NULL,
                lease_owner TEXT,
                lease_expires_ms INTEGER,
                body TEXT NOT NULL,
                UNIQUE (notice_id, version, channel, purpose),
                FOREIGN KEY (notice_id, version) REFERENCES notice_versions(notice_id, version)
            )
            """,
            "CREATE INDEX deliveries_due ON deliveries(state, next_attempt_ms)",
            "CREATE INDEX deliveries_channel ON deliveries(channel, state)",
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
                seq INTEGER PRIMARY KEY,
                at_ms INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                detail TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
        ]),
        (2, [
            """
            CREATE TABLE channel_state (
                channel TEXT PRIMARY KEY,
                paused INTEGER NOT NULL,
                changed_by TEXT NOT NULL,
                changed_at_ms INTEGER NOT NULL
            )
            """,
            "CREATE INDEX deliveries_order ON deliveries(notice_id, channel)",
        ]),
        (3, [
            """
            CREATE TABLE tokens (
                id TEXT PRIMARY KEY,
                user_name TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE,
                body TEXT NOT NULL
            )
            """,
            "CREATE INDEX tokens_user ON tokens(user_name)",
        ]),
        // Workers record each channel's circuit breaker so `channel list` can show it.
        (4, [
            """
            CREATE TABLE channel_circuit (
                channel TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                updated_at_ms INTEGER NOT NULL,
                body TEXT NOT NULL
            )
            """,
        ]),
        // Posting confirmations (and their photos), compensation payments and statutory warnings.
        (5, [
            """
            CREATE TABLE postings (
                id TEXT PRIMARY KEY,
                notice_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                place TEXT NOT NULL,
                body TEXT NOT NULL,
                UNIQUE (notice_id, version, place),
                FOREIGN KEY (notice_id, version) REFERENCES notice_versions(notice_id, version)
            )
            """,
            "CREATE TABLE photos (sha256 TEXT PRIMARY KEY, bytes BLOB NOT NULL)",
            """
            CREATE TABLE payments (
                id TEXT PRIMARY KEY,
                project_key TEXT NOT NULL,
                parcel TEXT NOT NULL,
                body TEXT NOT NULL
            )
            """,
            "CREATE INDEX payments_project ON payments(project_key)",
            """
            CREATE TABLE warnings (
                id TEXT PRIMARY KEY,
                key TEXT NOT NULL,
                project_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                state TEXT NOT NULL,
                body TEXT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX warnings_unresolved_key ON warnings(key) WHERE state <> 'resolved'",
        ]),
        // Claims read a bounded window of the earliest due rows through these (see `claimDue`).
        (6, [
            "CREATE INDEX deliveries_waiting ON deliveries(channel, next_attempt_ms) WHERE state IN ('pending', 'retrying')",
            "CREATE INDEX deliveries_leased ON deliveries(channel, lease_expires_ms) WHERE state = 'in-flight'",
        ]),
    ]

    static var latest: Int { all.last?.version ?? 0 }

    /// Applies every missing migration, each in its own `BEGIN IMMEDIATE` transaction, so two
    /// processes opening a new store at once do not race.
    static func run(on db: SQLiteConnection) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)")
        for migration in all {
            try db.execute("BEGIN IMMEDIATE")
            do {
                let current = try db.rows("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").first?.int(0) ?? 0
                if current > latest {
                    throw StoreError.schemaTooNew(found: Int(current), known: latest)
                }
                if current < migration.version {
                    for statement in migration.sql { try db.execute(statement) }
                    let now = Int64(Date().timeIntervalSince1970 * 1000)
                    try db.rows("INSERT INTO schema_migrations (version, applied_at_ms) VALUES (\(migration.version), \(now))")
                }
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        }
    }
}

import Foundation
