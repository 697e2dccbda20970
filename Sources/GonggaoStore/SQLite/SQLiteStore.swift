import Dispatch
import Foundation
import GonggaoCore

/// The embedded store: one SQLite file in WAL mode, shared by several processes on one machine.
///
/// Writes run in `BEGIN IMMEDIATE` transactions with a busy timeout, so a writer in another process
/// (the CLI beside `serve`) makes this one wait, never fail with "database is locked". All calls on
/// the connection happen on one serial queue, off the cooperative pool.
public final class SQLiteStore: NoticeStore, @unchecked Sendable {
    // @unchecked Sendable: `connection`, `memo` and `localWrites` are only touched on `queue`.
    public let path: String
    public let auditHead: any AuditHeadRecorder
    private let queue: DispatchQueue
    private let connection: SQLiteConnection
    /// Decoded notice versions and projects, reused while their stored bytes are unchanged.
    private let memo = SQLiteDecodeMemo()
    /// Writes through this object (its own commits do not move `PRAGMA data_version`).
    private var localWrites: Int64 = 0

    /// Opens (creating if missing) the store at `path` and brings its schema up to date.
    public init(path: String, busyTimeoutMillis: Int32 = 30_000) throws {
        self.path = path
        self.auditHead = AuditHeadFile(besideStore: path)
        self.queue = DispatchQueue(label: "gonggao.sqlite")
        do {
            connection = try SQLiteConnection(path: path, busyTimeoutMillis: busyTimeoutMillis)
            try SQLiteMigrations.run(on: connection)
        } catch let e as SQLiteError {
            throw StoreError.backend(code: e.code, message: e.message)
        }
    }

    /// The schema version this binary brings a store up to.
    public static var schemaVersion: Int { SQLiteMigrations.latest }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        try await onQueue { db in
            try db.execute("BEGIN")
            defer { try? db.execute("COMMIT") }
            return try body(SQLiteTransaction(db, memo: self.memo))
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await write(synced: true, body)
    }

    /// Commits without syncing the WAL (`synchronous=NORMAL` for this one transaction): the next
    /// synced commit writes these frames to disk with its own, in order.
    public func writeLease<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await write(synced: false, body)
    }

    private func write<T: Sendable>(synced: Bool, _ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        let (result, head) = try await onQueue { db in
            self.localWrites += 1
            if !synced { try db.execute("PRAGMA synchronous=NORMAL") }
            // Every other transaction on this connection syncs its commit again.
            defer { if !synced { try? db.execute("PRAGMA synchronous=FULL") } }
            try db.execute("BEGIN IMMEDIATE")
            let tx = SQLiteTransaction(db, memo: self.memo)
            do {
                let result = try body(tx)
                try db.execute("COMMIT")
                return (result, tx.appendedHead)
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        }
        if let head { try auditHead.advance(to: head) }
        return result
    }

    /// `PRAGMA synchronous` of the store's connection (2 = FULL), for tests.
    func synchronousSetting() async throws -> Int64? {
        try await onQueue { db in try db.rows("PRAGMA synchronous").first?.int(0) }
    }

    /// `PRAGMA data_version` of this connection (it moves when any other connection, in any process,
    /// commits to the file) with the count of this object's own writes.
    public func changeStamp() async throws -> StoreChangeStamp? {
        try await onQueue { db in
            StoreChangeStamp(external: try db.rows("PRAGMA data_version").first?.int(0) ?? 0, local: self.localWrites)
        }
    }

    public func close() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            queue.async {
                self.connection.close()
                c.resume()
            }
        }
    }

    /// Copies the live store into a new file at `destination` with SQLite's online backup API — a
    /// consistent snapshot while other processes go on writing — and returns the copy's audit head.
    /// - Throws: `StoreError.conflict` when `destination` exists.
    public func backup(to destination: String) async throws -> AuditHead {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError.conflict("\(destination) exists: back up to a new file")
        }
        return try await onQueue { db in
            let target = try SQLiteConnection(path: destination, busyTimeoutMillis: 30_000)
            defer { target.close() }
            try db.backup(to: target)
            return try Self.head(of: target)
        }
    }

    /// Replaces this store's content with the backup at `source` (SQLite's backup API in reverse, so
    /// other processes on the store wait rather than read a half-copied file), brings its schema up
    /// to date, resets the audit head beside the store to the backup's, and records the restore as
    /// a new audit entry. Returns the backup's head and the head recorded before the restore.
    public func restore(from source: String, by actor: String, at: Date) async throws -> (restored: AuditHead, previous: AuditHead?) {
        let previous = try auditHead.read()
        let restored = try await onQueue { db in
            self.localWrites += 1
            let backup = try SQLiteConnection(readOnly: source)
            defer { backup.close() }
            guard try backup.rows("SELECT name FROM sqlite_master WHERE name = 'schema_migrations'").count == 1 else {
                throw StoreError.corrupt("\(source) is not a Gonggao store")
            }
            let version = Int(try backup.rows("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").first?.int(0) ?? 0)
            if version > SQLiteMigrations.latest { throw StoreError.schemaTooNew(found: version, known: SQLiteMigrations.latest) }
            try backup.backup(to: db)
            try SQLiteMigrations.run(on: db)
            return try Self.head(of: db)
        }
        guard let file = auditHead as? AuditHeadFile else { throw StoreError.corrupt("the audit head is not a file") }
        try file.reset(to: restored)
        try await write { tx in
            _ = try tx.appendAudit(AuditRecord(at: at, actor: actor, action: "store.restore", subject: source,
                                               detail: "restored head \(restored); head before \(previous?.description ?? "none")"))
        }
        return (restored, previous)
    }

    /// The last audit entry of `db` as a head (genesis for an empty chain).
    static func head(of db: SQLiteConnection) throws -> AuditHead {
        guard let row = try db.rows("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").first else {
            return AuditHead(seq: 0, hash: AuditChain.genesis)
        }
        return AuditHead(seq: row.int(0) ?? 0, hash: row.text(1) ?? "")
    }

    /// Runs raw SQL (tests that tamper with rows, tools). Never for user input.
    func execute(unsafeSQL: String) async throws {
        try await onQueue { db in
            self.localWrites += 1
            try db.execute(unsafeSQL)
        }
    }

    private func onQueue<T: Sendable>(_ work: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    continuation.resume(returning: try work(self.connection))
                } catch let e as SQLiteError {
                    continuation.resume(throwing: e.isConstraintViolation
                        ? StoreError.conflict(e.message) : StoreError.backend(code: e.code, message: e.message))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
