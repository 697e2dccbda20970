import Foundation
import Testing
import TestSupport

/// The command line on the PostgreSQL store: the config's `store.postgres` (URL from
/// `GONGGAO_DATABASE_URL`, password from a file), init, the approve-once outbox, a worker woken by
/// NOTIFY, and the audit chain — against the throwaway server, never skipped under CI.
@Suite(.serialized, .enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.notInstalledReason)))
struct PostgresCLITests {
    static func config(_ store: String) -> String {
        """
        {
          "store": \(store),
          "publicBaseURL": "https://gonggao.example.gov.cn",
          "users": \(CLISandbox.usersJSON),
          "channels": [{ "name": "print", "type": "print", "spool": "spool" }],
          "templates": "\(GonggaoBinary.repositoryRoot.appendingPathComponent("Templates").path)",
          "http": { "trustLocalOperators": true }
        }
        """
    }

    @Test func theWholeFlowOnPostgres() async throws {
        let server = try await PostgresTestServer.sharedOffPool()
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        let url = "postgres://\(PostgresTestServer.passwordRole)@127.0.0.1:\(server.port)/\(database)"
        let sandbox = try CLISandbox(configJSON: Self.config(#"{"postgres": {"passwordFile": "db.pass", "auditHead": "node-a.audit-head"}}"#))
        defer { sandbox.cleanup() }
        _ = try sandbox.write("db.pass", server.password + "\n")
        let env = ["GONGGAO_DATABASE_URL": url]

        let initLine = try await sandbox.ok(["init"], extra: env)
        #expect(initLine.hasPrefix("postgres://") && !initLine.contains(server.password), "\(initLine)")
        #expect(try await sandbox.ok(["project", "import", Flow.project, "--as", "zhang.wei"], extra: env) == "330523-2026-37")
        let id = try await sandbox.ok(["notice", "draft", Flow.preAnnouncement, "--as", "zhang.wei"], extra: env)
        _ = try await sandbox.ok(["notice", "submit", id, "--as", "zhang.wei"], extra: env)
        #expect(try await sandbox.ok(["notice", "approve", id, "--as", "li.na"], extra: env) == "approved \(id)/v1, 1 delivery queued")
        #expect(try await sandbox.ok(["notice", "approve", id, "--as", "li.na"], extra: env).hasPrefix("already approved"))
        let worker = try await sandbox.run(["worker", "--until-idle"], extra: env)
        #expect(worker.status == 0, "\(worker)")
        let listed = try await sandbox.ok(["deliveries", "list", "--notice", id], extra: env)
        #expect(listed.contains("delivered") && !listed.contains("pending"), "\(listed)")
        #expect(try await sandbox.ok(["audit", "verify"], extra: env).hasPrefix("audit chain OK: "))
        #expect(!worker.stderr.contains(server.password) && !worker.stdout.contains(server.password))

        // The same database from a second "machine" whose head file has never been written.
        let other = try CLISandbox(configJSON: Self.config(#"{"postgres": {"passwordFile": "db.pass", "auditHead": "node-b.audit-head"}}"#))
        defer { other.cleanup() }
        _ = try other.write("db.pass", server.password + "\n")
        #expect(try await other.ok(["notice", "show", id], extra: env).contains("approved"))
        #expect(try await other.ok(["audit", "verify"], extra: env).hasPrefix("audit chain OK: "))
    }

    @Test func badDatabaseSettingsAreOneLineErrorsWithoutThePassword() async throws {
        let server = try await PostgresTestServer.sharedOffPool()
        let sandbox = try CLISandbox(configJSON: Self.config(#"{"postgres": {"passwordFile": "db.pass"}}"#))
        defer { sandbox.cleanup() }
        _ = try sandbox.write("db.pass", "wrong-secret-123\n")
        let wrongPassword = try await sandbox.run(["init"], extra: [
            "GONGGAO_DATABASE_URL": "postgres://\(PostgresTestServer.passwordRole)@127.0.0.1:\(server.port)/postgres",
        ])
        #expect(wrongPassword.status == 1 && wrongPassword.stderrLines.count == 1, "\(wrongPassword)")
        #expect(wrongPassword.stderr.contains("password") && !wrongPassword.stderr.contains("wrong-secret-123"))
        let missing = try await sandbox.run(["init"], extra: ["GONGGAO_DATABASE_URL": ""])
        #expect(missing.status == 2 && missing.stderr.contains("GONGGAO_DATABASE_URL"), "\(missing)")
        let notAURL = try CLISandbox(configJSON: Self.config(#"{"postgres": {"url": "mysql://x"}}"#))
        defer { notAURL.cleanup() }
        let bad = try await notAURL.run(["init"])
        #expect(bad.status == 2 && bad.stderr.contains("store.postgres.url"), "\(bad)")
    }
}
