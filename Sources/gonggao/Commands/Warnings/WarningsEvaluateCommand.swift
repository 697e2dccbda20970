import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao warnings evaluate [--project P] [--json]`.
    static let warningsEvaluate = CommandSpec(
        path: ["warnings", "evaluate"],
        summary: "evaluate the statutory warning rules now; print what was raised, escalated and resolved",
        options: [OptionSpec(name: "project", value: "P", help: "only this project (default: every project)"), .json],
        discussion: "Each condition is raised once, escalated once at its breach and resolved when it clears; every change is audited."
    ) { inv, ctx in
        let evaluation = try await ctx.withStore { store in
            try await ctx.warningDesk(store).evaluate(project: inv.option("project"))
        }
        if inv.json {
            try ctx.output.json(EvaluationResult(evaluation))
        } else {
            ctx.output.lines(StatutoryText.evaluation(evaluation))
        }
    }
}

/// What `warnings evaluate --json` prints.
struct EvaluationResult: Encodable {
    var raised: [StatutoryWarning]
    var escalated: [StatutoryWarning]
    var resolved: [StatutoryWarning]
    var active: Int

    init(_ e: WarningDesk.Evaluation) {
        raised = e.raised
        escalated = e.escalated
        resolved = e.resolved
        active = e.active
    }
}
