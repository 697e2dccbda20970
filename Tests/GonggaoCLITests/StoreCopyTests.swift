import Foundation
import GonggaoCore
import GonggaoStore
import Testing
import TestSupport

/// `gonggao store copy`: a realistic SQLite store moved into an empty PostgreSQL database, read back
/// through the command line on a PostgreSQL config; refusals leave the destination as it was.
@Suite(.serialized, .enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.notInstalledReason)))
struct StoreCopyTests {
    /// A store with drafts, an approved-corrected-withdrawn notice, delivered outbox rows with their
    /// attempts, a paused channel, a token and a posting with a photo.
    static func sourceStore() async throws -> (sandbox: CLISandbox, corrected: String, draft: String) {
        let s = try CLISandbox(configJSON: PostgresCLITests.config(#"{"sqlite": "gonggao.sqlite"}"#))
        _ = try await s.ok(["init"])
        _ = try await s.ok(["project", "import", Flow.project, "--as", "zhang.wei"])
        let corrected = try await Flow.submitted(s)
        _ = try await s.ok(["notice", "approve", corrected, "--as", "li.na"])
        _ = try await s.ok(["worker", "--until-idle"])
        let photo = s.directory.appendingPathComponent("board.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 64) + [0xFF, 0xD9]).write(to: photo)
        _ = try await s.ok(["posting", "confirm", corrected, "--place", "township:梅溪镇", "--board", "镇政府公告栏",
                            "--photo", photo.path, "--as", "admin"])
        #expect(try await s.ok(["notice", "correct", corrected, "--as", "zhang.wei"]) == "\(corrected)/v2")
        _ = try await s.ok(["notice", "submit", corrected, "--as", "zhang.wei"])
        _ = try await s.ok(["notice", "approve", corrected, "--as", "li.na"])
        _ = try await s.ok(["worker", "--until-idle"])
        _ = try await s.ok(["notice", "withdraw", corrected, "--as", "li.na", "--reason", "项目调整"])
        _ = try await s.ok(["worker", "--until-idle"])
        let draft = try await Flow.draft(s)
        _ = try await s.ok(["token", "create", "--user", "zhang.wei"])
        _ = try await s.ok(["channel", "pause", "print", "--as", "admin"])
        return (s, corrected, draft)
    }

    /// What the command line shows of a store; equal on the source and the copy.
    static func views(_ s: CLISandbox, _ ids: [String], env: [String: String] = [:]) async throws -> [String] {
        var out = [try await s.ok(["notice", "list"], extra: env), try await s.ok(["notice", "list", "--json"], extra: env),
                   try await s.ok(["deliveries", "list"], extra: env), try await s.ok(["token", "list"], extra: env),
                   try await s.ok(["project", "list", "--json"], extra: env), try await s.ok(["channel", "list", "--json"], extra: env),
                   try await s.ok(["warnings"], extra: env)]
        for id in ids {
            out.append(try await s.ok(["notice", "show", id, "--json"], extra: env))
            out.append(try await s.ok(["posting", "list", id], extra: env))
            let deliveries = try CLIJSON.decode([Delivery].self, try await s.ok(["deliveries", "list", "--notice", id, "--json"], extra: env))
            for d in deliveries { out.append(try await s.ok(["deliveries", "show", d.id, "--json"], extra: env)) }
        }
        return out
    }

    @Test func copiesEverythingAndTheAuditChainVerbatim() async throws {
        let server = try await PostgresTestServer.sharedOffPool()
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        let (source, corrected, draft) = try await Self.sourceStore()
        defer { source.cleanup() }
        let url = "postgres://\(PostgresTestServer.passwordRole)@127.0.0.1:\(server.port)/\(database)"
        let target = try CLISandbox(configJSON: PostgresCLITests.config(#"{"postgres": {"passwordFile": "db.pass", "auditHead": "node-a.audit-head"}}"#))
        defer { target.cleanup() }
        let passFile = try target.write("db.pass", server.password + "\n")
        let env = ["GONGGAO_DATABASE_URL": url]

        let copy = try await target.run(["store", "copy", "--from", "sqlite:\(source.storePath)", "--to", "postgres:\(url)",
                                         "--password-file", passFile])
        #expect(copy.status == 0, "\(copy)")
        #expect(copy.stdout.hasPrefix("copied ") && !copy.stdout.contains(server.password) && !copy.stderr.contains(server.password))

        #expect(try await target.ok(["audit", "verify"], extra: env).hasPrefix("audit chain OK: "))
        let sourceHead = try AuditHeadFile(besideStore: source.storePath).read()
        let copiedHead = try AuditHeadFile(path: target.directory.appendingPathComponent("node-a.audit-head").path).read()
        #expect(sourceHead != nil && copiedHead == sourceHead)
        let ids = [corrected, draft]
        let before = try await Self.views(source, ids)
        let after = try await Self.views(target, ids, env: env)
        #expect(before == after)
        #expect(before[2].contains("delivered"), "\(before[2])")
        let numbers = try server.psql("SELECT notice_id || ' ' || seq FROM notices ORDER BY seq", database: database)
        let store = try SQLiteStore.openExisting(path: source.storePath)
        let sourceNumbers = try await store.read { r in try [corrected, draft].map { "\($0) \(try r.noticeSequence($0) ?? 0)" } }
        await store.close()
        #expect(numbers.split(whereSeparator: \.isNewline).map(String.init) == sourceNumbers, "\(numbers)")

        // The copy goes on as a store: a new entry links to the copied chain.
        _ = try await target.ok(["notice", "submit", draft, "--as", "zhang.wei"], extra: env)
        #expect(try await target.ok(["audit", "verify"], extra: env).hasPrefix("audit chain OK: "))

        // A second copy into the same (now non-empty) database is refused and changes nothing.
        let rows = try server.psql("SELECT count(*) FROM audit", database: database)
        let again = try await target.run(["store", "copy", "--from", "sqlite:\(source.storePath)", "--to", "postgres:\(url)",
                                          "--password-file", passFile])
        #expect(again.status == 3 && again.stderrLines.count == 1 && again.stderr.contains("not empty"), "\(again)")
        #expect(!again.stderr.contains(server.password))
        #expect(try server.psql("SELECT count(*) FROM audit", database: database) == rows)
    }

    @Test func refusesAMissingOrForeignSourceWithoutTouchingTheDestination() async throws {
        let server = try await PostgresTestServer.sharedOffPool()
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        let url = "postgres://\(PostgresTestServer.passwordRole):\(server.password)@127.0.0.1:\(server.port)/\(database)"
        let target = try CLISandbox(configJSON: PostgresCLITests.config(#"{"postgres": {"auditHead": "node-a.audit-head"}}"#))
        defer { target.cleanup() }
        let tables = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"

        let missing = try await target.run(["store", "copy", "--from", "sqlite:\(target.directory.path)/nope.sqlite", "--to", "postgres:\(url)"])
        #expect(missing.status == 3 && missing.stderrLines.count == 1 && missing.stderr.contains("nope.sqlite"), "\(missing)")
        #expect(!missing.stderr.contains(server.password) && !missing.stdout.contains(server.password))
        let foreign = try target.write("foreign.sqlite", "not a database at all, just text")
        let notAStore = try await target.run(["store", "copy", "--from", "sqlite:\(foreign)", "--to", "postgres:\(url)"])
        #expect(notAStore.status == 3 && notAStore.stderr.contains("not a Gonggao store"), "\(notAStore)")
        #expect(try String(contentsOfFile: foreign, encoding: .utf8) == "not a database at all, just text")

        // A store written by a newer gonggao.
        let newer = try CLISandbox(configJSON: PostgresCLITests.config(#"{"sqlite": "gonggao.sqlite"}"#))
        defer { newer.cleanup() }
        _ = try await newer.ok(["init"])
        let bump = try await ProcessRunner.run("/usr/bin/sqlite3", [newer.storePath, "INSERT INTO schema_migrations VALUES (999, 0)"],
                                               environment: [:], directory: newer.directory, scratch: newer.directory)
        #expect(bump.status == 0, "\(bump)")
        let tooNew = try await target.run(["store", "copy", "--from", "sqlite:\(newer.storePath)", "--to", "postgres:\(url)"])
        #expect(tooNew.status == 3 && tooNew.stderrLines.count == 1 && tooNew.stderr.contains("999"), "\(tooNew)")

        #expect(try server.psql(tables, database: database).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(!FileManager.default.fileExists(atPath: target.directory.appendingPathComponent("node-a.audit-head").path))
    }
}
