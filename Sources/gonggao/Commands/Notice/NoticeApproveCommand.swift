import GonggaoCore

extension CommandSpec {
    /// `gonggao notice approve ID [--version N] --as USER`.
    static let noticeApprove = CommandSpec(
        path: ["notice", "approve"],
        summary: "approve a submitted version and queue one delivery per enabled channel",
        arguments: [.noticeID],
        options: [OptionSpec(name: "version", value: "N", help: "the version to approve (default: the latest)"), .user, .json],
        discussion: """
            The approval, its audit entry and the deliveries commit in one transaction. Approving a version
            that is already approved changes nothing and exits 0 ("already approved"). The approver may not
            be the version's drafter (four-eyes).
            """
    ) { inv, ctx in
        let requested = try inv.positiveInt("version")
        let approval = try await ctx.withStore { store in
            try await ctx.workflow(store).approve(inv.argument("ID"), version: requested, as: inv.user)
        }
        let v = approval.version
        if inv.json {
            try ctx.output.json(NoticeActionResult(changed: approval.changed, notice: v, deliveries: approval.deliveries))
        } else if approval.changed {
            let n = approval.deliveries.count
            ctx.output.line("approved \(v.reference), \(n) \(n == 1 ? "delivery" : "deliveries") queued")
        } else {
            ctx.output.line("already approved \(v.reference) by \(v.approvedBy ?? "?"), nothing changed")
        }
    }
}
