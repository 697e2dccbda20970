import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao project show KEY`.
    static let projectShow = CommandSpec(
        path: ["project", "show"],
        summary: "show a project and its parcels",
        arguments: [ArgumentSpec(name: "KEY", help: "the project key, e.g. 330523-2026-37")],
        options: [.json]
    ) { inv, ctx in
        let key = inv.argument("KEY")
        let project = try await ctx.withStore { store in try await store.read { tx in try tx.project(key) } }
        guard let project else { throw WorkflowError.unknownProject(key) }
        if inv.json { try ctx.output.json(project) } else { ctx.output.lines(ProjectText.show(project)) }
    }
}
