import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao warnings [--state S] [--project P] [--json]`.
    static let warningsList = CommandSpec(
        path: ["warnings"],
        summary: "list the statutory warnings (default: open and acknowledged), newest first",
        options: [
            OptionSpec(name: "state", value: "S", help: "active (default: open and acknowledged), open, acknowledged, resolved or all"),
            OptionSpec(name: "project", value: "P", help: "only this project's warnings"),
            OptionSpec(name: "kind", value: "K", help: "only this kind: \(WarningKind.allCases.map(\.rawValue).joined(separator: ", "))"),
            .json,
        ],
        discussion: """
            Warnings are raised by 'gonggao warnings evaluate', by the evaluation loop of 'gonggao serve' and
            'gonggao worker' (warnings.evaluateEverySeconds) and by the service after each approval, posting and
            payment. 'gonggao warnings ack ID' acknowledges one; it is resolved when its condition clears.
            """
    ) { inv, ctx in
        let choice = try inv.choice("state", WarningStateSelection.self) ?? .active
        let filter = WarningFilter(states: choice.states, project: inv.option("project"), kind: try inv.choice("kind", WarningKind.self))
        let warnings = try await ctx.withStore { store in try await store.read { tx in try tx.warnings(filter) } }
        if inv.json { try ctx.output.json(warnings) } else { ctx.output.lines(StatutoryText.warnings(warnings)) }
    }
}
