import GonggaoCore

extension CommandSpec {
    /// `gonggao notice approve ID [--version N] --as USER`.
    static let noticeApprove = CommandSpec(
        path: ["notice", "approve"],
        summary: "approve a submitted version and queue one delivery per enabled channel",
        arguments: [.noticeID],
        options: [
            OptionSpec(name: "version", value: "N", help: "the version to approve (default: the latest)"),
            OptionSpec(name: "override-gate", value: "REASON",
                       help: "an admin approves although a stage gate is closed; the reason goes into the audit log"),
            .user, .json,
        ],
        discussion: """
            The approval, its audit entry and the deliveries commit in one transaction. Approving a version
            that is already approved changes nothing and exits 0 ("already approved"). The approver may not
            be the version's drafter (four-eyes). A later stage (e.g. the compensation plan) is refused while the
            earlier stage's posting period has not run (stage gate, exit 3, citing the rule and the earliest date);
            an admin may approve anyway with --override-gate REASON (audited as notice.gate-override).
            """
    ) { inv, ctx in
        let requested = try inv.positiveInt("version")
        let approval = try await ctx.withStore { store in
            try await ctx.workflow(store).approve(inv.argument("ID"), version: requested, as: inv.user,
                                                 overrideGate: inv.option("override-gate"))
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
