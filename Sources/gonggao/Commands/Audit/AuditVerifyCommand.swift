import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao audit verify`.
    static let auditVerify = CommandSpec(
        path: ["audit", "verify"],
        summary: "check every audit entry's hash and link, and the chain's end against the head file",
        options: [.json],
        discussion: """
            Exit 0 and "audit chain OK: N entries, head <seq> <hash>" when intact; otherwise exit 1, one
            problem per line on stdout (an edited or deleted row, a truncated tail, a recomputed chain).
            """
    ) { inv, ctx in
        let report = try await ctx.withStore { store in try await AuditCheck.verify(store) }
        let head = report.last.map { AuditHead(seq: $0.seq, hash: $0.hash) } ?? AuditHead(seq: 0, hash: AuditChain.genesis)
        if inv.json {
            try ctx.output.json(AuditVerifyResult(ok: report.isValid, entries: report.entries, head: head.description,
                                                  recordedHead: report.recordedHead?.description,
                                                  problems: report.problems.map(\.description)))
        } else if report.isValid {
            ctx.output.line("audit chain OK: \(report.entries) entries, head \(head)")
        } else {
            ctx.output.lines(report.problems.map(\.description))
        }
        if !report.isValid {
            let first = report.problems[0].description
            let more = report.problems.count > 1 ? " (and \(report.problems.count - 1) more)" : ""
            throw CommandFailure(.failure, "audit chain verification failed: \(first)\(more)")
        }
    }

    /// What `audit verify --json` prints.
    struct AuditVerifyResult: Encodable {
        var ok: Bool
        var entries: Int64
        var head: String
        var recordedHead: String?
        var problems: [String]
    }
}
