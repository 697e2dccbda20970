import Foundation
import GonggaoCore

extension SQLiteStore {
    /// Opens the Gonggao store at `path` only if it is one: never creates a file, and looks first
    /// through a read-only connection so that a file that is not a store is left as it is.
    /// - Throws: `StoreError.notFound` when there is no file, `StoreError.corrupt` when it is not a
    ///   Gonggao store, `StoreError.schemaTooNew` when a newer Gonggao wrote it.
    public static func openExisting(path: String) throws -> SQLiteStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.notFound("\(path): no such store") }
        do {
            let probe = try SQLiteConnection(readOnly: path)
            defer { probe.close() }
            guard try probe.rows("SELECT name FROM sqlite_master WHERE name = 'schema_migrations'").count == 1 else {
                throw StoreError.corrupt("\(path) is not a Gonggao store")
            }
            let version = Int(try probe.rows("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").first?.int(0) ?? 0)
            if version > SQLiteMigrations.latest {
                throw StoreError.schemaTooNew(found: version, known: SQLiteMigrations.latest)
            }
        } catch is SQLiteError {
            throw StoreError.corrupt("\(path) is not a Gonggao store")
        }
        return try SQLiteStore(path: path)
    }
}
