import Foundation
import Testing
import TestSupport

/// Where the config does not trust local operators, the CLI's write commands act only with the
/// user's token, so `--as` cannot borrow another officer's name to get around four-eyes.
@Suite(.serialized) struct CLITokenTests {
    static let project = GonggaoBinary.sample("anji-meixi-2026-37.project.json")
    static let notice = GonggaoBinary.sample("anji-meixi-2026-37.pre-announcement.json")

    @Test func writeCommandsNeedTheUsersTokenAndAsMustMatchIt() async throws {
        let sandbox = try CLISandbox(trustLocalOperators: false)
        defer { sandbox.cleanup() }
        _ = try await sandbox.ok(["init"])
        let admin = try await sandbox.ok(["token", "create", "--user", "admin"])
        let asAdmin = ["GONGGAO_TOKEN": admin]
        let drafter = try await sandbox.ok(["token", "create", "--user", "zhang.wei"], extra: asAdmin)
        let approver = try await sandbox.ok(["token", "create", "--user", "li.na"], extra: asAdmin)
        let approverFile = try sandbox.write("li.na.token", approver + "\n")

        let before = try await sandbox.dump()
        let bare = try await sandbox.run(["project", "import", Self.project, "--as", "zhang.wei"])
        #expect(bare.status == 3, "\(bare)")
        #expect(bare.stderrLines.count == 1 && bare.stderr.contains("GONGGAO_TOKEN") && bare.stderr.contains("--token-file"))
        #expect(try await sandbox.dump() == before, "a refused command changes nothing")

        let asDrafter = ["GONGGAO_TOKEN": drafter]
        #expect(try await sandbox.ok(["project", "import", Self.project], extra: asDrafter) == "330523-2026-37")
        let id = try await sandbox.ok(["notice", "draft", Self.notice], extra: asDrafter)
        #expect(try await sandbox.ok(["notice", "submit", id, "--as", "zhang.wei"], extra: asDrafter) == "submitted \(id)/v1")

        let before2 = try await sandbox.dump()
        let borrowed = try await sandbox.run(["notice", "approve", id, "--as", "li.na"], extra: asDrafter)
        #expect(borrowed.status == 3 && borrowed.stderr.contains("does not match the token"), "\(borrowed)")
        #expect(!borrowed.stderr.contains(drafter), "the token is never echoed")
        let own = try await sandbox.run(["notice", "approve", id], extra: asDrafter)
        #expect(own.status == 3, "the drafter's own token cannot approve: \(own)")
        let garbage = try await sandbox.run(["notice", "approve", id], extra: ["GONGGAO_TOKEN": "ggt_not-a-real-token"])
        #expect(garbage.status == 3 && garbage.stderr.contains("refused") && !garbage.stderr.contains("ggt_not-a-real-token"))
        #expect(try await sandbox.dump() == before2)

        let approved = try await sandbox.ok(["notice", "approve", id, "--token-file", approverFile])
        #expect(approved == "approved \(id)/v1, 4 deliveries queued")
        #expect(try await sandbox.ok(["notice", "show", id]).contains("approved   li.na"))

        let listed = try await sandbox.ok(["token", "list", "--user", "zhang.wei"])
        let tokenID = try #require(listed.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("tok_") }.map(String.init))
        let notAdmin = try await sandbox.run(["token", "revoke", tokenID], extra: asDrafter)
        #expect(notAdmin.status == 3 && notAdmin.stderr.contains("admin"), "\(notAdmin)")
        _ = try await sandbox.ok(["token", "revoke", tokenID], extra: asAdmin)
        let revoked = try await sandbox.run(["notice", "draft", Self.notice], extra: asDrafter)
        #expect(revoked.status == 3 && revoked.stderr.contains("revoked"), "\(revoked)")
        let missingFile = try await sandbox.run(["notice", "draft", Self.notice, "--token-file", "/nonexistent/token"])
        #expect(missingFile.status == 2 && missingFile.stderr.contains("--token-file"))
    }

    /// Minting a token is an admin's act: otherwise anyone at the CLI could mint the approver's token
    /// and approve their own notice. Only the first admin token is made without one.
    @Test func tokensAreMintedByAnAdminOnlyAfterTheFirst() async throws {
        let sandbox = try CLISandbox(trustLocalOperators: false)
        defer { sandbox.cleanup() }
        _ = try await sandbox.ok(["init"])
        let before = try await sandbox.dump()
        let approverWithoutAdmin = try await sandbox.run(["token", "create", "--user", "li.na"])
        #expect(approverWithoutAdmin.status == 3 && approverWithoutAdmin.stderrLines.count == 1, "\(approverWithoutAdmin)")
        #expect(approverWithoutAdmin.stderr.contains("admin's token"))
        #expect(try await sandbox.dump() == before, "a refused command changes nothing")

        let admin = try await sandbox.ok(["token", "create", "--user", "admin"])
        let second = try await sandbox.run(["token", "create", "--user", "admin"])
        #expect(second.status == 3 && second.stderr.contains("a valid admin token exists"), "\(second)")

        let drafter = try await sandbox.ok(["token", "create", "--user", "zhang.wei"], extra: ["GONGGAO_TOKEN": admin])
        let byDrafter = try await sandbox.run(["token", "create", "--user", "li.na"], extra: ["GONGGAO_TOKEN": drafter])
        #expect(byDrafter.status == 3 && byDrafter.stderr.contains("not an admin"), "\(byDrafter)")
        #expect(!byDrafter.stderr.contains(drafter), "the token is never echoed")
        let audit = try await sandbox.ok(["audit", "verify"])
        #expect(audit.contains("audit chain OK"))
    }

    @Test func aTrustingConfigTakesAsAloneButStillNeedsIt() async throws {
        let sandbox = try CLISandbox(trustLocalOperators: true)
        defer { sandbox.cleanup() }
        _ = try await sandbox.ok(["init"])
        let missing = try await sandbox.run(["project", "import", Self.project])
        #expect(missing.status == 2 && missing.stderr.contains("--as USER"), "\(missing)")
        #expect(try await sandbox.ok(["project", "import", Self.project, "--as", "zhang.wei"]) == "330523-2026-37")
    }
}
