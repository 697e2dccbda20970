import Foundation
import GonggaoCore
import Testing
import TestSupport

/// `audit verify` and `audit head` through the binary.
@Suite(.serialized) struct AuditCommandTests {
    @Test func verifyPassesAfterTheFlowAndFailsAfterTheHeadFileIsEdited() async throws {
        let sandbox = try await Flow.withProject()
        defer { sandbox.cleanup() }
        let id = try await Flow.submitted(sandbox)
        _ = try await sandbox.ok(["notice", "approve", id, "--as", "li.na"])

        let head = try await sandbox.ok(["audit", "head"])
        let recorded = try String(contentsOfFile: sandbox.auditHeadPath, encoding: .utf8)
        #expect(head == recorded.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(head.hasPrefix("4 "))
        #expect(try await sandbox.ok(["audit", "verify"]) == "audit chain OK: 4 entries, head \(head)")

        // Someone rewrites the recorded head (as they would after recomputing a tampered chain).
        let forged = AuditHead(seq: 4, hash: String(repeating: "ab", count: 32))
        try Data((forged.description + "\n").utf8).write(to: URL(fileURLWithPath: sandbox.auditHeadPath))
        let broken = try await sandbox.run(["audit", "verify"])
        #expect(broken.status == 1)
        #expect(broken.stderrLines.count == 1)
        #expect(broken.stderr.hasPrefix("gonggao: audit chain verification failed: "))
        #expect(broken.stdout.contains("entry 4 differs from the head file's hash"), "\(broken)")

        // A head that claims more entries than the store holds: a truncated tail.
        try Data("9 \(String(repeating: "0", count: 64))\n".utf8).write(to: URL(fileURLWithPath: sandbox.auditHeadPath))
        let truncated = try await sandbox.run(["audit", "verify"])
        #expect(truncated.status == 1 && truncated.stdout.contains("truncated"), "\(truncated)")

        // No head file at all while the store holds entries.
        try FileManager.default.removeItem(atPath: sandbox.auditHeadPath)
        let missing = try await sandbox.run(["audit", "verify"])
        #expect(missing.status == 1 && missing.stdout.contains("no head file"), "\(missing)")
        let noHead = try await sandbox.run(["audit", "head"])
        #expect(noHead.status == 1 && noHead.stderrLines.count == 1, "\(noHead)")
    }

    @Test func anEmptyStoreVerifies() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.cleanup() }
        _ = try await sandbox.ok(["init"])
        #expect(try await sandbox.ok(["audit", "verify"]) == "audit chain OK: 0 entries, head 0 \(AuditChain.genesis)")
        #expect(try await sandbox.ok(["audit", "head"]) == "0 \(AuditChain.genesis)")
    }
}
