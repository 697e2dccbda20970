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
    /// Verifies the chain and the recorded head.
    ///
    /// A writer records the new head just after its commit, so a check running beside writers (the
    /// CLI beside the service) can see entries past the recorded head for a moment. Entries past the
    /// head are reported only when the head has not caught up with them within `headWait`.
    ///
    /// With PostgreSQL several machines append to one chain and each keeps its own head file, which
    /// records only the heads that machine wrote: there, entries past the local head are other
    /// machines' and are not a problem (`headIsPerNode`); an edited, deleted or truncated entry at or
    /// below the head still is.
    public static func verify(_ store: any NoticeStore, pageSize: Int = 1000,
                              headWait: Duration = .seconds(1)) async throws -> AuditReport {
        let perNode = store is PostgresStore
        let head = try store.auditHead.read()
        var report = try await store.read { tx in
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
        if perNode {
            report.problems.removeAll { if case .aheadOfHead = $0 { true } else { false } }
            if head == nil { report.problems.removeAll { if case .headMissing = $0 { true } else { false } } }
        }
        guard let storeLast = report.last?.seq,
              let i = report.problems.firstIndex(where: { p in
                  switch p {
                  case .aheadOfHead, .headMissing: true
                  default: false
                  }
              }) else { return report }

        // Wait for the writers of the entries past the head to record it.
        let step = Duration.milliseconds(10)
        var waited = Duration.zero
        var later = try store.auditHead.read()
        while (later?.seq ?? 0) < storeLast && waited < headWait {
            try await Task.sleep(for: step)
            waited += step
            later = try store.auditHead.read()
        }
        guard let later, later.seq >= storeLast else { return report }
        report.problems.remove(at: i)
        report.recordedHead = later
        if later.seq == storeLast && later.hash != report.last?.hash {
            report.problems.append(.headMismatch(seq: later.seq))
        }
        return report
    }
}
