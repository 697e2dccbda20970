import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao notice list [--state S] [--kind K] [--project P]`.
    static let noticeList = CommandSpec(
        path: ["notice", "list"],
        summary: "list notices (their latest versions), newest first",
        options: [
            OptionSpec(name: "state", value: "S", help: "only this state: \(NoticeState.allCases.map(\.rawValue).joined(separator: ", "))"),
            OptionSpec(name: "kind", value: "K", help: "only this kind: \(NoticeKind.names)"),
            OptionSpec(name: "project", value: "P", help: "only this project key"),
            .json,
        ]
    ) { inv, ctx in
        let filter = NoticeFilter(state: try inv.choice("state", NoticeState.self), kind: try inv.choice("kind", NoticeKind.self),
                                  project: inv.option("project"))
        let notices = try await ctx.withStore { store in try await store.read { tx in try tx.notices(filter) } }
        if inv.json { try ctx.output.json(notices) } else { ctx.output.lines(NoticeText.list(notices)) }
    }
}
