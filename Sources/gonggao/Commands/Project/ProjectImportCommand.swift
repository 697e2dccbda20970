import GonggaoCore

extension CommandSpec {
    /// `gonggao project import FILE --as USER`.
    static let projectImport = CommandSpec(
        path: ["project", "import"],
        summary: "import (or replace) a project and its parcels from a JSON file",
        arguments: [ArgumentSpec(name: "FILE", help: "{\"project\": {...}, \"parcels\": [...]} (other top-level keys are ignored)")],
        options: [.user, .json],
        discussion: "Accepts Config/samples/anji-meixi-2026-37.project.json and the raw shared sample. Prints the project key."
    ) { inv, ctx in
        let file = inv.argument("FILE")
        let project = try InputFile.decode(ProjectFile.self, from: file).project
        let saved = try await ctx.withStore { store in
            do {
                return try await ctx.workflow(store).importProject(project, as: inv.user)
            } catch let error as ValidationError {
                throw InputRefused(source: file, error: error)
            }
        }
        if inv.json { try ctx.output.json(saved) } else { ctx.output.line(saved.key) }
    }
}
