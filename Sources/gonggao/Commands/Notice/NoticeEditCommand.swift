import GonggaoCore

extension CommandSpec {
    /// `gonggao notice edit ID FILE --as USER`.
    static let noticeEdit = CommandSpec(
        path: ["notice", "edit"],
        summary: "replace the content of a notice's latest version while it is a draft",
        arguments: [.noticeID, .noticeFile],
        options: [.user, .json]
    ) { inv, ctx in
        let file = inv.argument("FILE")
        let content = try InputFile.decode(NoticeContent.self, from: file)
        let version = try await ctx.withStore { store in
            try await refusingInput(from: file) { try await ctx.workflow(store).edit(inv.argument("ID"), content: content, as: inv.user) }
        }
        if inv.json {
            try ctx.output.json(NoticeActionResult(changed: true, notice: version))
        } else {
            ctx.output.line("edited \(version.reference), content sha256:\(version.contentHash)")
        }
    }
}
