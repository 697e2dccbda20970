import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao notice withdraw ID --as USER --reason TEXT`.
    static let noticeWithdraw = CommandSpec(
        path: ["notice", "withdraw"],
        summary: "withdraw (撤回) an approved notice: cancel its pending deliveries, queue withdrawals",
        arguments: [.noticeID],
        options: [.user, .reason, .json],
        discussion: """
            Withdrawals go to every enabled channel: the portals take the notice down; the print channel
            prints a withdrawal notice (撤回公告) to post over the paper poster, spooled as
            <notice>-v<version>-withdrawal.pdf beside the original. A channel that never received the
            notice records nothing-to-withdraw.
            """
    ) { inv, ctx in
        let id = inv.argument("ID")
        let (version, changed, deliveries) = try await ctx.withStore { store in
            let (version, changed) = try await ctx.workflow(store).withdraw(id, reason: inv.option("reason") ?? "", as: inv.user)
            let all = try await store.read { tx in try tx.deliveries(DeliveryFilter(noticeID: id, version: version.version)) }
            return (version, changed, all.filter { $0.purpose == .withdraw })
        }
        if inv.json {
            try ctx.output.json(NoticeActionResult(changed: changed, notice: version, deliveries: deliveries))
        } else if changed {
            ctx.output.line("withdrawn \(version.reference), \(deliveries.count) withdrawal \(deliveries.count == 1 ? "delivery" : "deliveries") queued")
        } else {
            ctx.output.line("already withdrawn \(version.reference), nothing changed")
        }
    }
}
