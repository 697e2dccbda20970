import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao notice show ID`.
    static let noticeShow = CommandSpec(
        path: ["notice", "show"],
        summary: "show a notice: every version, its state, who did what when, content hash, deliveries",
        arguments: [.noticeID],
        options: [.json]
    ) { inv, ctx in
        let id = inv.argument("ID")
        let (versions, deliveries) = try await ctx.withStore { store in
            try await store.read { tx in (try tx.noticeVersions(id), try tx.deliveries(DeliveryFilter(noticeID: id))) }
        }
        guard !versions.isEmpty else { throw WorkflowError.unknownNotice(id) }
        if inv.json {
            try ctx.output.json(NoticeHistory(id: id, versions: versions, deliveries: deliveries))
        } else {
            ctx.output.lines(NoticeText.show(versions, deliveries: deliveries))
        }
    }

    /// What `notice show --json` prints.
    struct NoticeHistory: Encodable {
        var id: String
        var versions: [NoticeVersion]
        var deliveries: [Delivery]
    }
}
