import Foundation
import Testing
import TestSupport

/// `gonggao store backup` takes a consistent copy while other processes write, and `store restore`
/// brings it back with an audit chain that still verifies.
@Suite(.serialized) struct StoreBackupTests {
    @Test func backupWhileWritesFlowThenRestoreAndVerify() async throws {
        let sandbox = try await Flow.withProject()
        defer { sandbox.cleanup() }
        let first = try await Flow.submitted(sandbox)
        _ = try await sandbox.ok(["notice", "approve", first, "--as", "li.na"])
        let backup = sandbox.directory.appendingPathComponent("backup.sqlite").path

        // Twelve drafts written by other processes while the backup runs.
        let (backupLine, drafted) = try await withThrowingTaskGroup(of: (String?, Int).self) { group in
            group.addTask {
                var n = 0
                for _ in 0..<12 {
                    _ = try await Flow.draft(sandbox)
                    n += 1
                }
                return (nil, n)
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(150))
                return (try await sandbox.ok(["store", "backup", backup]), 0)
            }
            var line: String?
            var total = 0
            for try await (l, n) in group {
                if let l { line = l }
                total += n
            }
            return (line ?? "", total)
        }
        #expect(drafted == 12)
        #expect(backupLine.hasPrefix("backed up ") && backupLine.contains("audit head "), "\(backupLine)")
        let backupHead = try String(contentsOfFile: backup + ".audit-head", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(backupLine.hasSuffix(backupHead))

        let again = try await sandbox.run(["store", "backup", backup])
        #expect(again.status == 3 && again.stderr.contains("exists"), "never overwrites a backup: \(again)")

        // After the backup: more work, then restore it.
        _ = try await Flow.draft(sandbox)
        let notesBefore = try await sandbox.ok(["notice", "list"]).split(separator: "\n").count
        let restored = try await sandbox.ok(["store", "restore", backup])
        #expect(restored.contains("restored ") && restored.contains(backupHead), "\(restored)")
        let notesAfter = try await sandbox.ok(["notice", "list"]).split(separator: "\n").count
        #expect(notesAfter < notesBefore, "the draft written after the backup is gone")
        #expect(try await sandbox.ok(["notice", "show", first]).contains("approved"))
        let verify = try await sandbox.ok(["audit", "verify"])
        #expect(verify.hasPrefix("audit chain OK: "), "\(verify)")
        let audit = try await sandbox.ok(["audit", "head"])
        #expect(audit != backupHead, "the restore itself is the newest audit entry")

        let notAStore = try sandbox.write("not-a-store.sqlite", "hello")
        let bad = try await sandbox.run(["store", "restore", notAStore])
        #expect(bad.status == 3 && bad.stderrLines.count == 1, "\(bad)")
        #expect(try await sandbox.ok(["audit", "verify"]).hasPrefix("audit chain OK: "), "a refused restore changes nothing")
    }
}
