import Dispatch
import Foundation
import GonggaoCore

/// The shared store for several processes on several machines: one PostgreSQL database via libpq.
///
/// Transactions run on a small pool of connections (`PGPool`), each on its own DispatchQueue. Reads
/// are REPEATABLE READ snapshots; writes are READ COMMITTED with explicit locks (`PostgresTransaction`
/// says which). A write is retried:
/// - once on a fresh connection when the connection broke before COMMIT was sent (the server
///   restarted; nothing of the attempt committed);
/// - a few times after a serialization failure (40001) or a deadlock (40P01).
/// A connection lost while COMMIT was in flight is not retried: the outcome is unknown, and the
/// error says so.
public final class PostgresStore: NoticeStore, Sendable {
    /// The NOTIFY channel every new delivery is announced on (the payload is its channel name).
    public static let deliveriesChannel = "gonggao_deliveries"

    public let configuration: PostgresConfiguration
    public let auditHead: any AuditHeadRecorder
    private let pool: PGPool
    /// How many times a transaction is run again after 40001/40P01.
    static let serializationRetries = 5

    /// Connects, brings the schema up to date (under an advisory lock) and keeps the connection.
    ///
    /// - Parameter auditHead: where the audit head is recorded outside the database (a file on the
    ///   machine, or a recorder the deployment shares between nodes).
    /// - Important: blocks while it connects; from async code use `open(_:auditHead:)`.
    /// - Throws: `StoreError.backend` with a one-line message naming what failed (never the
    ///   password), `StoreError.schemaTooNew` when the database is ahead of this binary.
    public init(_ configuration: PostgresConfiguration, auditHead: any AuditHeadRecorder) throws {
        self.configuration = configuration
        self.auditHead = auditHead
        self.pool = PGPool(configuration)
        do {
            let first = try PGConnection(configuration)
            try PostgresMigrations.run(on: first)
            pool.adopt(first)
        } catch let e as PostgresError {
            throw e.storeError
        }
    }

    /// `init` on a DispatchQueue thread, off the cooperative pool.
    public static func open(_ configuration: PostgresConfiguration, auditHead: any AuditHeadRecorder) async throws -> PostgresStore {
        try await withCheckedThrowingContinuation { c in
            DispatchQueue.global().async {
                c.resume(with: Result { try PostgresStore(configuration, auditHead: auditHead) })
            }
        }
    }

    /// The schema version this binary brings a database up to.
    public static var schemaVersion: Int { PostgresMigrations.latest }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        try await transaction(writable: false) { try body($0) }.result
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await write(synced: true, body)
    }

    /// `synchronous_commit` off for this transaction only: committed and visible at once, on disk
    /// with the WAL writer's next flush (at most a few hundred milliseconds later).
    public func writeLease<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await write(synced: false, body)
    }

    private func write<T: Sendable>(synced: Bool, _ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        let (result, head) = try await transaction(writable: true) { tx in
            if !synced { try tx.db.execute("SET LOCAL synchronous_commit TO OFF") }
            return try body(tx)
        }
        if let head { try auditHead.advance(to: head) }
        return result
    }

    public func close() async { await pool.close() }

    /// Runs raw SQL in its own transaction (tests that tamper with rows, tools). Never for user input.
    func execute(unsafeSQL: String) async throws {
        _ = try await transaction(writable: true) { tx in try tx.db.execute(unsafeSQL) }
    }

    // MARK: transactions

    private struct Outcome<T: Sendable>: Sendable {
        var result: T
        var head: AuditHead?
    }

    func transaction<T: Sendable>(
        writable: Bool, _ body: @escaping @Sendable (PostgresTransaction) throws -> T
    ) async throws -> (result: T, head: AuditHead?) {
        let outcome = try await pool.withSlot { slot in
            try Self.run(slot, writable: writable, body)
        }
        return (outcome.result, outcome.head)
    }

    /// One transaction with its retries, on the slot's queue.
    private static func run<T: Sendable>(
        _ slot: PGPool.Slot, writable: Bool, _ body: (PostgresTransaction) throws -> T
    ) throws -> Outcome<T> {
        var reconnected = false
        var retries = 0
        while true {
            let db: PGConnection
            do {
                db = try slot.connected()
            } catch let e as PostgresError {
                throw e.storeError
            }
            db.resetTransactionError()
            var commitSent = false
            do {
                try db.execute(writable ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                let tx = PostgresTransaction(db, writable: writable)
                let result = try body(tx)
                // The body caught a failed statement and went on: PostgreSQL has aborted the
                // transaction (its COMMIT would quietly roll back), so report that failure.
                if let failed = db.transactionError { throw failed }
                commitSent = true
                if writable {
                    try db.execute("COMMIT")
                } else {
                    // A read has what it read; a connection that broke just now is replaced on next use.
                    _ = try? db.execute("COMMIT")
                }
                return Outcome(result: result, head: tx.appendedHead)
            } catch {
                let failure = db.transactionError ?? (error as? PostgresError)
                if db.isUsable && !commitSent {
                    _ = try? db.execute("ROLLBACK")
                }
                if !db.isUsable || failure?.connectionLost == true {
                    slot.drop()
                    if commitSent {
                        throw StoreError.backend(
                            code: PostgresError.numericCode(failure?.sqlState),
                            message: "the connection to PostgreSQL broke while COMMIT was in flight: the change may or may not have been saved")
                    }
                    if !reconnected {
                        reconnected = true
                        continue
                    }
                }
                if let failure, failure.isRetryable, retries < serializationRetries {
                    retries += 1
                    // A short, growing, jittered pause lets the other transaction finish first.
                    usleep(UInt32.random(in: 1_000...5_000) * UInt32(retries))
                    continue
                }
                if let e = error as? PostgresError { throw e.storeError }
                throw error
            }
        }
    }
}
