import GonggaoCore

/// The result of checking a store's audit chain against its recorded head.
public struct AuditReport: Sendable, Equatable {
    public var entries: Int64
    public var last: AuditEntry?
    public var recordedHead: AuditHead?
    public var problems: [AuditProblem]
    public var isValid: Bool { problems.isEmpty }
}

/// Reads a store's whole audit chain in pages and verifies it (hashes, links, the head outside).
public enum AuditCheck {
    public static func verify(_ store: any NoticeStore, pageSize: Int = 1000) async throws -> AuditReport {
        let head = try store.auditHead.read()
        return try await store.read { tx in
            var verifier = AuditVerifier()
            var after: Int64 = 0
            while true {
                let page = try tx.auditEntries(after: after, limit: pageSize)
                for e in page { verifier.feed(e) }
                guard let last = page.last, page.count == pageSize else { break }
                after = last.seq
            }
            let atHead = try head.flatMap { try tx.auditEntry(seq: $0.seq) }
            verifier.finish(head: head, entryAtHead: atHead)
            return AuditReport(entries: verifier.count, last: verifier.lastEntry, recordedHead: head, problems: verifier.problems)
        }
    }
}
