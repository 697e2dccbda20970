import GonggaoCore

extension CommandSpec {
    /// `gonggao notice submit ID --as USER`.
    static let noticeSubmit = CommandSpec(
        path: ["notice", "submit"],
        summary: "submit a draft for approval (by its drafter)",
        arguments: [.noticeID],
        options: [.user, .json]
    ) { inv, ctx in
        let (version, changed) = try await ctx.withStore { store in
            try await ctx.workflow(store).submit(inv.argument("ID"), as: inv.user)
        }
        if inv.json {
            try ctx.output.json(NoticeActionResult(changed: changed, notice: version))
        } else {
            ctx.output.line(changed ? "submitted \(version.reference)" : "already submitted \(version.reference)")
        }
    }
}
