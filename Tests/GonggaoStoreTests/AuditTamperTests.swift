import Foundation
import GonggaoCore
import GonggaoStore
import TestSupport
import Testing

/// `AuditCheck.verify` on every backend after someone changed the stored rows or the head file.
@Suite struct AuditTamperTests {
    /// A store with a real history: project import, two notices drafted, submitted, one approved.
    static func history(_ ts: TestStore) async throws -> [AuditEntry] {
        let wf = ts.workflow()
        let id = try await ts.submittedSample(wf)
        _ = try await wf.approve(id, as: "bob")
        let other = try await wf.draft(Fixtures.compensationPlan(), as: "erin")
        _ = try await wf.submit(other.id, as: "erin")
        let entries = try await ts.auditEntries()
        #expect(entries.count == 6)
        let report = try await ts.verify()
        #expect(report.isValid, "\(report.problems)")
        return entries
    }

    static func problems(_ ts: TestStore) async throws -> [AuditProblem] {
        try await ts.verify().problems
    }

    @Test(arguments: StoreBackend.allCases)
    func anEditedRowIsDetected(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            _ = try await Self.history(ts)
            try await ts.tamperEditDetail(seq: 4, to: "sha256:0000 channels:print")
            #expect(try await Self.problems(ts) == [.hashMismatch(seq: 4)])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anEditedLastRowIsDetected(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            _ = try await Self.history(ts)
            try await ts.tamperEditDetail(seq: 6, to: "nothing to see")
            #expect(try await Self.problems(ts) == [.hashMismatch(seq: 6)])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aDeletedRowIsDetected(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            _ = try await Self.history(ts)
            try await ts.tamperDelete([3])
            #expect(try await Self.problems(ts) == [.gap(expected: 3, found: 4)])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aTruncatedTailIsDetected(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            _ = try await Self.history(ts)
            try await ts.tamperDelete([5, 6])
            #expect(try await Self.problems(ts) == [.truncated(headSeq: 6, storeLast: 4)])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aWhollyRecomputedChainIsDetected(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            var entries = try await Self.history(ts)
            // Hide who approved, then recompute every hash so the chain is consistent again.
            entries[3].actor = "carol"
            for i in entries.indices {
                entries[i].prevHash = i == 0 ? AuditChain.genesis : entries[i - 1].hash
                entries[i].hash = AuditChain.hash(of: entries[i])
            }
            try await ts.tamperRewrite(entries)
            #expect(try await ts.auditEntries() == entries)
            #expect(try await Self.problems(ts) == [.headMismatch(seq: 6)])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aRecomputedAndTruncatedChainIsDetected(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            var entries = Array(try await Self.history(ts).prefix(4))
            entries[3].detail = "rewritten"
            entries[3].hash = AuditChain.hash(of: entries[3])
            try await ts.tamperRewrite(entries)
            #expect(try await Self.problems(ts) == [.truncated(headSeq: 6, storeLast: 4)])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aStoreAheadOfItsHeadIsDetected(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let entries = try await Self.history(ts)
            try await ts.tamperHead(AuditHead(seq: 4, hash: entries[3].hash))
            // On PostgreSQL each machine keeps its own head: entries past it are other machines' writes.
            let expected: [AuditProblem] = backend == .postgres ? [] : [.aheadOfHead(headSeq: 4, storeLast: 6)]
            #expect(try await Self.problems(ts) == expected)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aMissingHeadIsDetected(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            _ = try await Self.history(ts)
            try await ts.tamperHead(nil)
            // On PostgreSQL a machine that never wrote has no head of its own yet.
            let expected: [AuditProblem] = backend == .postgres ? [] : [.headMissing(storeLast: 6)]
            #expect(try await Self.problems(ts) == expected)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aForgedHeadIsDetected(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            _ = try await Self.history(ts)
            try await ts.tamperHead(AuditHead(seq: 6, hash: String(repeating: "ab", count: 32)))
            #expect(try await Self.problems(ts) == [.headMismatch(seq: 6)])
        }
    }

    @Test func aGarbledHeadFileIsReportedAsCorrupt() async throws {
        try await StoreBackend.sqlite.withStore { ts in
            _ = try await Self.history(ts)
            let head = try #require(ts.store.auditHead as? AuditHeadFile)
            #expect(head.path == ts.path! + ".audit-head")
            try Data("not a head\n".utf8).write(to: URL(fileURLWithPath: head.path))
            await expectStoreError("corrupt") { _ = try await ts.verify() }
        }
    }

    @Test func theHeadFileHoldsOneLine() async throws {
        try await StoreBackend.sqlite.withStore { ts in
            let entries = try await Self.history(ts)
            let text = try String(contentsOfFile: ts.path! + ".audit-head", encoding: .utf8)
            #expect(text == "6 \(entries[5].hash)\n")
        }
    }
}
