import GonggaoCore

extension CommandSpec {
    /// `gonggao notice reject ID --as USER --reason TEXT`.
    static let noticeReject = CommandSpec(
        path: ["notice", "reject"],
        summary: "send a submitted version back to its drafter, with a reason",
        arguments: [.noticeID],
        options: [.user, .reason, .json]
    ) { inv, ctx in
        let version = try await ctx.withStore { store in
            try await ctx.workflow(store).reject(inv.argument("ID"), reason: inv.option("reason") ?? "", as: inv.user)
        }
        if inv.json {
            try ctx.output.json(NoticeActionResult(changed: true, notice: version))
        } else {
            ctx.output.line("rejected \(version.reference): back to draft")
        }
    }
}
