import Foundation
import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao store backup FILE`.
    static let storeBackup = CommandSpec(
        path: ["store", "backup"],
        summary: "take a consistent backup of the live SQLite store into a new file (online: workers may go on)",
        arguments: [ArgumentSpec(name: "FILE", help: "the backup file to create (must not exist)")],
        discussion: """
            Uses SQLite's online backup API: the copy is one consistent snapshot even while 'gonggao serve' or
            workers write. Writes FILE.audit-head beside it (the copy's audit head) and prints the head.
            Restore with 'gonggao store restore FILE'. Only an admin (token) unless the config trusts local operators.
            """,
        adminOnly: true
    ) { inv, ctx in
        let file = URL(fileURLWithPath: inv.argument("FILE")).standardizedFileURL.path
        let head = try await ctx.withSQLiteStore { store in
            do {
                return try await store.backup(to: file)
            } catch StoreError.conflict(let why) {
                throw CommandFailure(.refused, why)
            }
        }
        try AuditHeadFile(besideStore: file).reset(to: head)
        ctx.output.line("backed up \(ctx.storePath) to \(file), audit head \(head)")
    }

    /// `gonggao store restore FILE`.
    static let storeRestore = CommandSpec(
        path: ["store", "restore"],
        summary: "replace the store's content with a backup; the audit head follows and the restore is audited",
        arguments: [ArgumentSpec(name: "FILE", help: "a file made by 'gonggao store backup'")],
        discussion: """
            Everything written after the backup is lost: stop 'gonggao serve' and workers first. The audit head
            beside the store is reset to the backup's and a 'store.restore' entry records the restore, so
            'gonggao audit verify' passes afterwards. Only an admin (token) unless the config trusts local operators.
            """,
        adminOnly: true
    ) { inv, ctx in
        let file = URL(fileURLWithPath: inv.argument("FILE")).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: file) else { throw UsageError("\(file): no such file") }
        let (restored, previous) = try await ctx.withSQLiteStore { store in
            do {
                return try await store.restore(from: file, by: inv.actor, at: ctx.now())
            } catch StoreError.corrupt(let why) {
                throw CommandFailure(.refused, why)
            } catch let e as StoreError {
                if case .backend = e { throw CommandFailure(.refused, "\(file) cannot be restored: \(e)") }
                throw e
            }
        }
        ctx.output.line("restored \(file) into \(ctx.storePath): audit head \(restored) (was \(previous?.description ?? "none"))")
    }
}

extension Context {
    /// Like `withStore`, for commands that only the SQLite store supports.
    func withSQLiteStore<T>(_ body: (SQLiteStore) async throws -> T) async throws -> T {
        try await withStore { store in
            guard let sqlite = store as? SQLiteStore else {
                throw CommandFailure(.refused, "this command needs the SQLite store (for PostgreSQL use pg_dump, see the README)")
            }
            return try await body(sqlite)
        }
    }
}
