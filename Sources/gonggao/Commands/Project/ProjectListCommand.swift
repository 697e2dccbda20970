import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao project list`.
    static let projectList = CommandSpec(
        path: ["project", "list"],
        summary: "list the imported projects",
        options: [.json]
    ) { inv, ctx in
        let projects = try await ctx.withStore { store in try await store.read { tx in try tx.projects() } }
        if inv.json { try ctx.output.json(projects) } else { ctx.output.lines(ProjectText.list(projects)) }
    }

}
