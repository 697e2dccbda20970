import Foundation
import GonggaoCore
import GonggaoService
import GonggaoStore
import Testing
import TestSupport

/// `gonggao token create|list|revoke`, run as a user would, against a sandbox store.
@Suite(.serialized) struct TokenCommandTests {
    @Test func createListRevoke() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.cleanup() }
        _ = try await sandbox.ok(["init"])
        let created = try await sandbox.run(["token", "create", "--user", "li.na", "--expires-in", "12h", "--label", "笔记本", "--json"])
        #expect(created.status == 0, "\(created)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])
        let token = try #require(object["token"] as? String)
        let id = try #require(object["id"] as? String)
        #expect(token.hasPrefix("ggt_"))

        let plain = try await sandbox.run(["token", "create", "--user", "zhang.wei"])
        #expect(plain.status == 0)
        #expect(plain.stdoutLines.count == 1 && plain.stdoutLines[0].hasPrefix("ggt_"))
        #expect(plain.stderr.contains("shown only this once"))

        let list = try await sandbox.ok(["token", "list", "--user", "li.na"])
        #expect(list.contains(id) && list.contains("valid") && list.contains("笔记本"))
        #expect(!list.contains(token))

        let users = UserDirectory([User(name: "li.na", roles: [.approver]), User(name: "zhang.wei", roles: [.drafter])])
        let clock = try #require(ISO8601DateFormatter().date(from: "2026-12-01T01:00:00Z"))
        do {
            let store = try SQLiteStore(path: sandbox.storePath)
            #expect(try await TokenIssuer.authenticate(token: token, store: store, users: users, now: clock).name == "li.na")
            await store.close()
        }

        #expect(try await sandbox.ok(["token", "revoke", id]) == "revoked \(id) of li.na")
        #expect(try await sandbox.run(["token", "revoke", "tok_nope"]).status == 3)
        let store = try SQLiteStore(path: sandbox.storePath)
        await #expect(throws: TokenRefusal.revoked(id: id)) {
            try await TokenIssuer.authenticate(token: token, store: store, users: users, now: clock)
        }
        await store.close()

        #expect(try await sandbox.run(["token", "create", "--user", "nobody"]).status == 3)
        let badLifetime = try await sandbox.run(["token", "create", "--user", "li.na", "--expires-in", "2y"])
        #expect(badLifetime.status == 3)
        #expect(badLifetime.stderr.contains("--expires-in"))
        #expect(try await sandbox.run(["token", "create"]).status == 2)
        #expect(try await sandbox.ok(["audit", "verify"]).contains("audit chain OK"))
    }
}
