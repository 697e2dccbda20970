import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao audit head`.
    static let auditHead = CommandSpec(
        path: ["audit", "head"],
        summary: "print the audit head recorded outside the store: <seq> <sha256>",
        options: [.json],
        discussion: "The head lives in a file beside the store (<store>.audit-head). Keep a copy elsewhere to detect a rewritten chain."
    ) { inv, ctx in
        let (recorded, last) = try await ctx.withStore { store in
            (try store.auditHead.read(), try await store.read { tx in try tx.lastAuditEntry() })
        }
        let head: AuditHead
        if let recorded {
            head = recorded
        } else if last == nil {
            head = AuditHead(seq: 0, hash: AuditChain.genesis)
        } else {
            throw CommandFailure(.failure, "no audit head recorded beside \(ctx.storePath), but the store holds audit entries (run 'gonggao audit verify')")
        }
        if inv.json { try ctx.output.json(head) } else { ctx.output.line(head.description) }
    }
}
