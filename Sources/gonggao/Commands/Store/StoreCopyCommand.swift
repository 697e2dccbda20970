import Foundation
import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao store copy --from sqlite:PATH --to postgres:URL`.
    static let storeCopy = CommandSpec(
        path: ["store", "copy"],
        summary: "copy everything from an SQLite store into an empty PostgreSQL database (one transaction)",
        options: [
            OptionSpec(name: "from", value: "sqlite:PATH", required: true,
                       help: "the SQLite store to copy (read only; an older schema is first brought up to date)"),
            OptionSpec(name: "to", value: "postgres:URL", required: true,
                       help: "the PostgreSQL database (postgres://user@host:5432/db); must hold no Gonggao data"),
            OptionSpec(name: "password-file", value: "FILE", help: "a file whose first line is the database password"),
            OptionSpec(name: "audit-head", value: "FILE",
                       help: "the destination's audit head file to set (default: the config's store.postgres.auditHead, "
                           + "else gonggao.audit-head beside the config)"),
        ],
        discussion: """
            Copies projects, notices (every version, with their numbers), deliveries, attempts, the audit chain
            verbatim, channel states, tokens, postings and photos, payments and warnings, in one PostgreSQL
            transaction: all or nothing. Refuses a destination that already holds data, a source that is not a
            Gonggao store or was written by a newer Gonggao. Sets the audit head file to the copied chain's head,
            so 'gonggao audit verify' passes on the new store. Stop 'gonggao serve' and workers first.
            Only an admin (token) unless the config trusts local operators.
            """,
        adminOnly: true
    ) { inv, ctx in
        let source = try StoreCopyEndpoints.sqlitePath(inv.option("from") ?? "")
        let url = try StoreCopyEndpoints.postgresURL(inv.option("to") ?? "")
        var password: String?
        if let file = inv.option("password-file") {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw UsageError("--password-file: cannot read \(file)")
            }
            password = String(decoding: data, as: UTF8.self).split(separator: "\n", maxSplits: 1).first.map(String.init)
                ?? ""
        }
        let pg: PostgresConfiguration
        do {
            pg = try PostgresConfiguration(url: url, password: password)
        } catch let e as PostgresError {
            throw UsageError("--to: \(e.message)")
        }
        let headFile = AuditHeadFile(path: inv.option("audit-head") ?? ctx.defaultPostgresAuditHead)

        // The source first: a missing or foreign source must not create anything in the destination.
        let snapshot: StoreSnapshot
        do {
            let store = try SQLiteStore.openExisting(path: source)
            do {
                snapshot = try await store.read { try StoreSnapshot.read(from: $0) }
                await store.close()
            } catch {
                await store.close()
                throw error
            }
        } catch let e as StoreError {
            switch e {
            case .notFound, .corrupt, .schemaTooNew: throw CommandFailure(.refused, "cannot copy from \(source): \(e)")
            default: throw e
            }
        }
        let destination: PostgresStore
        do {
            destination = try await PostgresStore.open(pg, auditHead: headFile)
        } catch let e as StoreError {
            if case .schemaTooNew = e { throw CommandFailure(.refused, "cannot copy to \(pg): \(e)") }
            throw CommandFailure(.failure, "cannot open the PostgreSQL store \(pg): \(e)")
        }
        do {
            try await destination.importSnapshot(snapshot)
            await destination.close()
        } catch StoreError.conflict(let why) {
            await destination.close()
            throw CommandFailure(.refused, "cannot copy to \(pg): \(why)")
        } catch {
            await destination.close()
            throw error
        }
        if let head = snapshot.auditHead { try headFile.reset(to: head) }
        let versions = snapshot.notices.reduce(0) { $0 + $1.versions.count }
        ctx.output.line("""
            copied \(source) to \(pg): \(snapshot.projects.count) projects, \(snapshot.notices.count) notices \
            (\(versions) versions), \(snapshot.deliveries.count) deliveries, \(snapshot.attempts.count) attempts, \
            \(snapshot.audit.count) audit entries; audit head \(snapshot.auditHead?.description ?? "none") in \(headFile.path)
            """)
    }
}

/// The `--from sqlite:PATH` and `--to postgres:URL` spellings of `store copy`.
enum StoreCopyEndpoints {
    static func sqlitePath(_ value: String) throws -> String {
        guard value.hasPrefix("sqlite:"), value.count > "sqlite:".count else {
            throw UsageError("--from: expected sqlite:PATH")
        }
        return URL(fileURLWithPath: String(value.dropFirst("sqlite:".count))).standardizedFileURL.path
    }

    /// `postgres:postgres://…`, or the URL itself (`postgres://…`, `postgresql://…`).
    static func postgresURL(_ value: String) throws -> String {
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") { return value }
        guard value.hasPrefix("postgres:"), value.count > "postgres:".count else {
            throw UsageError("--to: expected postgres:URL")
        }
        return String(value.dropFirst("postgres:".count))
    }
}

extension Context {
    /// The audit head file a PostgreSQL config here would use: the configured one, else the default
    /// `gonggao.audit-head` beside the config file.
    var defaultPostgresAuditHead: String {
        if case .postgres(let s) = config.store { return s.auditHead }
        return URL(fileURLWithPath: config.file).deletingLastPathComponent().appendingPathComponent("gonggao.audit-head").path
    }
}
