import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao warnings ack ID --as USER`.
    static let warningsAck = CommandSpec(
        path: ["warnings", "ack"],
        summary: "acknowledge a warning (it stays listed until its condition clears)",
        arguments: [ArgumentSpec(name: "ID", help: "the warning id, e.g. wrn_3k9v0q7m2xwe")],
        options: [.user, .json],
        discussion: "Drafters and approvers acknowledge. Audited as warning.acknowledge."
    ) { inv, ctx in
        let id = inv.argument("ID")
        let warning: StatutoryWarning
        do {
            warning = try await ctx.withStore { store in try await ctx.warningDesk(store).acknowledge(id, as: inv.user) }
        } catch StoreError.notFound {
            throw CommandFailure(.refused, "no warning '\(id)' (see 'gonggao warnings --state all')")
        }
        if inv.json {
            try ctx.output.json(warning)
        } else if warning.state == .acknowledged {
            ctx.output.line("acknowledged \(warning.id) by \(warning.acknowledgedBy ?? inv.user)")
        } else {
            ctx.output.line("\(warning.id) is \(warning.state.rawValue), nothing changed")
        }
    }
}
