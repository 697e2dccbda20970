internal import CSQLite
import Foundation

/// An error from SQLite: its extended result code and message (never the SQL or its parameters).
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let message: String

    /// The primary result code (e.g. SQLITE_CONSTRAINT for every constraint violation).
    public var primaryCode: Int32 { code & 0xff }
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }
    public var description: String { "SQLite error \(code): \(message)" }
}

/// One open `sqlite3*` connection.
///
/// - Important: not thread-safe by itself; `SQLiteStore` uses it from one serial queue only.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    let path: String

    /// Opens (creating if missing) the database at `path` with a busy timeout, WAL and full sync.
    init(path: String, busyTimeoutMillis: Int32) throws {
        self.path = path
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: "cannot open \(path): \(message)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        // "the handler will sleep multiple times until at least ms milliseconds of sleeping have accumulated"
        sqlite3_busy_timeout(db, busyTimeoutMillis)
        try enableWAL(timeoutMillis: busyTimeoutMillis)
        // FULL: the WAL is synced at every commit, so an acknowledged approval survives power loss.
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=ON")
    }

    /// Opens an existing database read-only, as it is (no WAL switch, no pragmas): a backup file.
    init(readOnly path: String) throws {
        self.path = path
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: "cannot open \(path): \(message)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    /// Switches the file to WAL (a no-op once it is). Switching needs an exclusive lock, and when
    /// several connections open a new file at once SQLite answers SQLITE_BUSY without calling the
    /// busy handler, or returns the old mode unchanged; so retry until the busy timeout is spent.
    private func enableWAL(timeoutMillis: Int32) throws {
        var waited: Int32 = 0
        while true {
            do {
                if try rows("PRAGMA journal_mode=WAL").first?.text(0)?.lowercased() == "wal" { return }
            } catch let e as SQLiteError where e.primaryCode == SQLITE_BUSY || e.primaryCode == SQLITE_LOCKED {
                if waited >= timeoutMillis { throw e }
            }
            if waited >= timeoutMillis { throw SQLiteError(code: SQLITE_BUSY, message: "cannot switch \(path) to WAL mode") }
            sqlite3_sleep(10)
            waited += 10
        }
    }

    /// Closes the connection; idempotent.
    func close() {
        if let h = handle {
            sqlite3_close_v2(h)
            handle = nil
        }
    }

    private func db() throws -> OpaquePointer {
        guard let handle else { throw StoreError.closed }
        return handle
    }

    private func check(_ rc: Int32, _ db: OpaquePointer) throws {
        guard rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE else {
            throw SQLiteError(code: sqlite3_extended_errcode(db), message: String(cString: sqlite3_errmsg(db)))
        }
    }

    /// Runs statements without results (pragmas, DDL, BEGIN/COMMIT).
    func execute(_ sql: String) throws {
        let db = try db()
        var rows: [SQLRow] = []
        try run(SQL(stringLiteral: sql), db, into: &rows)
    }

    /// Runs one statement, returning every result row.
    @discardableResult
    func rows(_ sql: SQL) throws -> [SQLRow] {
        var rows: [SQLRow] = []
        try run(sql, try db(), into: &rows)
        return rows
    }

    /// Rows changed by the last INSERT/UPDATE/DELETE.
    func changes() throws -> Int { Int(sqlite3_changes(try db())) }

    private func run(_ sql: SQL, _ db: OpaquePointer, into rows: inout [SQLRow]) throws {
        var stmt: OpaquePointer?
        try check(sqlite3_prepare_v2(db, sql.text, -1, &stmt, nil), db)
        guard let stmt else { return } // empty statement
        defer { sqlite3_finalize(stmt) }
        for (i, value) in sql.bindings.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(stmt, index)
            case .integer(let v): rc = sqlite3_bind_int64(stmt, index, v)
            case .real(let v): rc = sqlite3_bind_double(stmt, index, v)
            case .text(let s): rc = sqlite3_bind_text(stmt, index, s, -1, Self.transient)
            case .blob(let b): rc = b.withUnsafeBytes { sqlite3_bind_blob(stmt, index, $0.baseAddress, Int32($0.count), Self.transient) }
            }
            try check(rc, db)
        }
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { try check(rc, db); return }
            let count = sqlite3_column_count(stmt)
            var values: [SQLValue] = []
            values.reserveCapacity(Int(count))
            for c in 0..<count {
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(stmt, c)))
                case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(stmt, c)))
                case SQLITE_TEXT: values.append(.text(String(cString: sqlite3_column_text(stmt, c))))
                case SQLITE_BLOB:
                    let n = Int(sqlite3_column_bytes(stmt, c))
                    let p = sqlite3_column_blob(stmt, c)
                    values.append(.blob(n == 0 || p == nil ? [] : Array(UnsafeRawBufferPointer(start: p, count: n))))
                default: values.append(.null)
                }
            }
            rows.append(SQLRow(values: values))
        }
    }

    /// SQLITE_TRANSIENT (-1): SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// The online backup API: copies this database into `destination` page by page.
    func backup(to destination: SQLiteConnection) throws {
        let src = try db()
        let dst = try destination.db()
        guard let b = sqlite3_backup_init(dst, "main", src, "main") else {
            throw SQLiteError(code: sqlite3_extended_errcode(dst), message: String(cString: sqlite3_errmsg(dst)))
        }
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(b, 256)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(20) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        let finish = sqlite3_backup_finish(b)
        guard rc == SQLITE_DONE, finish == SQLITE_OK else {
            throw SQLiteError(code: finish == SQLITE_OK ? rc : finish, message: String(cString: sqlite3_errmsg(dst)))
        }
    }
}
