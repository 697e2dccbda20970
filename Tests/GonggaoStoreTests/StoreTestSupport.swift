import Foundation
import GonggaoCore
import TestSupport
import Testing

@testable import GonggaoStore

/// An error a test throws from inside a write to check that nothing of the write survives.
struct Boom: Error, Equatable {}

/// Rows built directly (not through the workflow) for the protocol suite.
enum Rows {
    static func version(
        _ id: String, _ n: Int = 1, kind: NoticeKind = .preAnnouncement,
        project: String = Fixtures.projectKey, state: NoticeState = .draft,
        at: Date = Fixtures.t0
    ) -> NoticeVersion {
        var content = Fixtures.content(kind)
        content.project = project
        content.title += " v\(n)"
        var v = NoticeVersion(id: id, version: n, content: content, drafter: "alice", at: at)
        v.state = state
        return v
    }

    static func delivery(
        _ id: String, notice: String, version: Int = 1, channel: String,
        purpose: DeliveryPurpose = .publish, at: Date = Fixtures.t0
    ) -> Delivery {
        Delivery(id: id, noticeID: notice, version: version, channel: channel, purpose: purpose, at: at)
    }
}

/// Expects `body` to fail with a `StoreError` of the given kind (messages differ between backends).
func expectStoreError(
    _ kind: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected StoreError.\(kind), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        let actual =
            switch error {
            case .conflict: "conflict"
            case .notFound: "notFound"
            case .closed: "closed"
            case .schemaTooNew: "schemaTooNew"
            case .backend: "backend"
            case .corrupt: "corrupt"
            }
        #expect(actual == kind, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected StoreError.\(kind), got \(error)", sourceLocation: sourceLocation)
    }
}

extension TestStore {
    /// Imports the sample project, drafts and submits its pre-announcement: the notice id.
    func submittedSample(
        _ wf: NoticeWorkflow, content: NoticeContent = Fixtures.preAnnouncement()
    ) async throws -> String {
        _ = try await wf.importProject(Fixtures.sampleProject(), as: "alice")
        let v = try await wf.draft(content, as: "alice")
        _ = try await wf.submit(v.id, as: "alice")
        return v.id
    }

    func dump() async throws -> String { try await StoreDump.text(store) }

    /// `AuditCheck.verify` with a short wait for the head: these tests have no writer in flight.
    func verify() async throws -> AuditReport { try await AuditCheck.verify(store, headWait: .milliseconds(50)) }

    func auditActions() async throws -> [String] {
        try await store.read { try $0.auditEntries(after: 0, limit: 10_000).map(\.action) }
    }
}

// MARK: tampering, as someone with direct access to the storage would

extension TestStore {
    /// Every stored audit entry, in order.
    func auditEntries() async throws -> [AuditEntry] {
        try await store.read { try $0.auditEntries(after: 0, limit: 100_000) }
    }

    /// Changes the `detail` of one stored entry, leaving its hash as it was.
    func tamperEditDetail(seq: Int64, to detail: String) async throws {
        switch backend {
        case .memory:
            (store as! MemoryStore).tamper { s in
                if let i = s.audit.firstIndex(where: { $0.seq == seq }) { s.audit[i].detail = detail }
            }
        case .sqlite:
            try await (store as! SQLiteStore).execute(
                unsafeSQL: "UPDATE audit SET detail = \(Self.literal(detail)) WHERE seq = \(seq)")
        case .postgres:
            try await (store as! PostgresStore).execute(
                unsafeSQL: "UPDATE audit SET detail = \(Self.literal(detail)) WHERE seq = \(seq)")
        }
    }

    /// Deletes the stored entries whose sequence numbers are in `seqs`.
    func tamperDelete(_ seqs: [Int64]) async throws {
        switch backend {
        case .memory:
            (store as! MemoryStore).tamper { s in s.audit.removeAll { seqs.contains($0.seq) } }
        case .sqlite:
            let list = seqs.map(String.init).joined(separator: ", ")
            try await (store as! SQLiteStore).execute(unsafeSQL: "DELETE FROM audit WHERE seq IN (\(list))")
        case .postgres:
            let list = seqs.map(String.init).joined(separator: ", ")
            try await (store as! PostgresStore).execute(unsafeSQL: "DELETE FROM audit WHERE seq IN (\(list))")
        }
    }

    /// Replaces every stored entry with `entries` (same sequence numbers), as a forger would.
    func tamperRewrite(_ entries: [AuditEntry]) async throws {
        switch backend {
        case .memory:
            (store as! MemoryStore).tamper { s in s.audit = entries }
        case .sqlite:
            // One statement per call: sqlite3_prepare_v2 compiles only the first statement of a string.
            let sqlite = store as! SQLiteStore
            try await sqlite.execute(unsafeSQL: "BEGIN IMMEDIATE")
            try await sqlite.execute(unsafeSQL: "DELETE FROM audit")
            for e in entries {
                try await sqlite.execute(
                    unsafeSQL: """
                        INSERT INTO audit (seq, at_ms, actor, action, subject, detail, prev_hash, hash) VALUES (\(e.seq), \(e.atMillis),
                        \(Self.literal(e.actor)), \(Self.literal(e.action)), \(Self.literal(e.subject)), \(Self.literal(e.detail)),
                        \(Self.literal(e.prevHash)), \(Self.literal(e.hash)))
                        """)
            }
            try await sqlite.execute(unsafeSQL: "COMMIT")
        case .postgres:
            // One statement per call: PQexecParams runs exactly one. Each call is its own transaction.
            let pg = store as! PostgresStore
            try await pg.execute(unsafeSQL: "DELETE FROM audit")
            for e in entries {
                try await pg.execute(
                    unsafeSQL: """
                        INSERT INTO audit (seq, at_ms, actor, action, subject, detail, prev_hash, hash) VALUES (\(e.seq), \(e.atMillis),
                        \(Self.literal(e.actor)), \(Self.literal(e.action)), \(Self.literal(e.subject)), \(Self.literal(e.detail)),
                        \(Self.literal(e.prevHash)), \(Self.literal(e.hash)))
                        """)
            }
        }
    }

    /// Replaces the head recorded outside the store (nil removes it).
    func tamperHead(_ head: AuditHead?) async throws {
        switch store.auditHead {
        case let memory as MemoryAuditHead:
            memory.overwrite(head)
        case let file as AuditHeadFile:
            if let head {
                try Data((head.description + "\n").utf8).write(to: URL(fileURLWithPath: file.path))
            } else {
                try FileManager.default.removeItem(atPath: file.path)
            }
        default:
            Issue.record("unknown head recorder \(type(of: store.auditHead))")
        }
    }

    /// A SQL string literal (test-only; the store itself always binds values).
    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
