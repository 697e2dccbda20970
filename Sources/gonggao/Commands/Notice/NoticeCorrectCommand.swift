import GonggaoCore

extension CommandSpec {
    /// `gonggao notice correct ID [FILE] --as USER`.
    static let noticeCorrect = CommandSpec(
        path: ["notice", "correct"],
        summary: "start a correction (更正): a new draft version of an approved notice",
        arguments: [.noticeID, ArgumentSpec(name: "FILE", optional: true, help: "the corrected content (default: a copy of the approved version)")],
        options: [.user, .json],
        discussion: "Prints the new version's reference, e.g. ntc_…/v2. Submit and approve it like a new notice; its approval supersedes the old version."
    ) { inv, ctx in
        let file = inv.optionalArgument("FILE")
        let content = try file.map { try InputFile.decode(NoticeContent.self, from: $0) }
        let version = try await ctx.withStore { store in
            try await refusingInput(from: file ?? inv.argument("ID")) {
                try await ctx.workflow(store).correct(inv.argument("ID"), content: content, as: inv.user)
            }
        }
        if inv.json { try ctx.output.json(version) } else { ctx.output.line(version.reference) }
    }
}
