import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao posting list ID [--version N] [--json]`.
    static let postingList = CommandSpec(
        path: ["posting", "list"],
        summary: "show a notice's posting places and confirmations, its posting period and the next stage's earliest date",
        arguments: [.noticeID],
        options: [OptionSpec(name: "version", value: "N", help: "this version (default: the approved one, else the latest)"), .json],
        discussion: """
            Dates computed in a year the working-day calendar lacks are provisional, marked (暂定), and recomputed
            once Config/calendars/CN-YYYY.json is added.
            """
    ) { inv, ctx in
        let version = try inv.positiveInt("version")
        let clock = ctx.config.statutory
        let report = try await ctx.withStore { store in
            try await store.read { tx in try PostingReport.load(inv.argument("ID"), version: version, clock: clock, tx) }
        }
        if inv.json { try ctx.output.json(report) } else { ctx.output.lines(StatutoryText.report(report)) }
    }
}
