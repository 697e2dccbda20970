import Foundation
import GonggaoCore
import GonggaoStore
import TestSupport
import Testing

/// The head recorded outside the store.
@Suite struct AuditHeadTests {
    static func head(_ seq: Int64) -> AuditHead {
        AuditHead(seq: seq, hash: GonggaoCryptoFree.hash(seq))
    }

    /// Deterministic 64-hex strings without importing the crypto module here.
    enum GonggaoCryptoFree {
        static func hash(_ seq: Int64) -> String {
            let digit = Array("0123456789abcdef")[Int(seq % 16)]
            return String(repeating: digit, count: 64)
        }
    }

    static func recorders() throws -> [(name: String, recorder: any AuditHeadRecorder, cleanup: () -> Void)] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gonggao-tests-head-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return [
            ("memory", MemoryAuditHead(), {}),
            (
                "file", AuditHeadFile(besideStore: directory.appendingPathComponent("s.sqlite").path),
                { try? FileManager.default.removeItem(at: directory) }
            ),
        ]
    }

    @Test func theHeadOnlyMovesForward() throws {
        for (name, recorder, cleanup) in try Self.recorders() {
            defer { cleanup() }
            #expect(try recorder.read() == nil, "\(name)")
            try recorder.advance(to: Self.head(3))
            #expect(try recorder.read() == Self.head(3), "\(name)")
            // A writer that committed earlier but records later does not move the head back.
            try recorder.advance(to: Self.head(2))
            #expect(try recorder.read() == Self.head(3), "\(name)")
            try recorder.advance(to: Self.head(3))
            try recorder.advance(to: Self.head(7))
            #expect(try recorder.read() == Self.head(7), "\(name)")
        }
    }

    @Test func concurrentAdvancesKeepTheHighest() async throws {
        for (name, recorder, cleanup) in try Self.recorders() {
            defer { cleanup() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for t in 0..<4 {
                    group.addTask {
                        for i in stride(from: Int64(t + 1), through: 200, by: 4) {
                            try recorder.advance(to: Self.head(i))
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try recorder.read() == Self.head(200), "\(name)")
        }
    }

    @Test func theHeadFileLivesBesideTheStore() {
        #expect(
            AuditHeadFile(besideStore: "/var/lib/gonggao/store.sqlite").path
                == "/var/lib/gonggao/store.sqlite.audit-head")
    }

    /// `audit verify` run beside busy writers reports no problem that is only a writer caught
    /// between its commit and its head update.
    @Test(arguments: StoreBackend.allCases)
    func verifyingBesideBusyWritersFindsNoProblem(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let store = ts.store
            let writer = Task {
                for i in 0..<60 {
                    _ = try await store.write { tx in
                        try tx.appendAudit(
                            AuditRecord(at: Fixtures.t0, actor: "w", action: "test.busy", subject: "s\(i)"))
                    }
                }
            }
            var reports: [AuditReport] = []
            while true {
                reports.append(try await AuditCheck.verify(store))
                if reports.count >= 300 { break }
                if writer.isCancelled { break }
                if try await store.read({ try $0.lastAuditEntry()?.seq }) == 60 { break }
            }
            try await writer.value
            reports.append(try await AuditCheck.verify(store))
            let problems = reports.flatMap(\.problems)
            #expect(problems.isEmpty, "\(problems.prefix(3)) in \(reports.count) checks")
            #expect(reports.last?.entries == 60)
        }
    }
}
