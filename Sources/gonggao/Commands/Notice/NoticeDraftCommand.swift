import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao notice draft FILE --as USER`.
    static let noticeDraft = CommandSpec(
        path: ["notice", "draft"],
        summary: "create a new notice (version 1, a draft) from a JSON file",
        arguments: [.noticeFile],
        options: [.user, .json],
        discussion: "Prints the new notice's id (with --json, the version)."
    ) { inv, ctx in
        let file = inv.argument("FILE")
        let content = try InputFile.decode(NoticeContent.self, from: file)
        let version = try await ctx.withStore { store in
            try await refusingInput(from: file) { try await ctx.workflow(store).draft(content, as: inv.user) }
        }
        if inv.json { try ctx.output.json(version) } else { ctx.output.line(version.id) }
    }
}
