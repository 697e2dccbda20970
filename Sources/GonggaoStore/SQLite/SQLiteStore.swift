import Dispatch
import Foundation
import GonggaoCore

/// The embedded store: one SQLite file in WAL mode, shared by several processes on one machine.
///
/// Writes run in `BEGIN IMMEDIATE` transactions with a busy timeout, so a writer in another process
/// (the CLI beside `serve`) makes this one wait, never fail with "database is locked". All calls on
/// the connection happen on one serial queue, off the cooperative pool.
public final class SQLiteStore: NoticeStore, @unchecked Sendable {
    // @unchecked Sendable: `connection` is only touched on `queue`.
    public let path: String
    public let auditHead: any AuditHeadRecorder
    private let queue: DispatchQueue
    private let connection: SQLiteConnection

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
            return try body(SQLiteTransaction(db))
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        let (result, head) = try await onQueue { db in
            try db.execute("BEGIN IMMEDIATE")
            let tx = SQLiteTransaction(db)
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

    public func close() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            queue.async {
                self.connection.close()
                c.resume()
            }
        }
    }

    /// Copies the live store into a new file at `destination` with SQLite's online backup API.
    public func backup(to destination: String) async throws {
        try await onQueue { db in
            let target = try SQLiteConnection(path: destination, busyTimeoutMillis: 30_000)
            defer { target.close() }
            try db.backup(to: target)
        }
    }

    /// Runs raw SQL (tests that tamper with rows, tools). Never for user input.
    func execute(unsafeSQL: String) async throws {
        try await onQueue { db in try db.execute(unsafeSQL) }
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
