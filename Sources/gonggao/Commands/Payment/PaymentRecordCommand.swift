import GonggaoCore

extension CommandSpec {
    /// `gonggao payment record --project P --parcel K --payee TEXT --amount YUAN --paid-on DATE --as USER`.
    static let paymentRecord = CommandSpec(
        path: ["payment", "record"],
        summary: "record compensation paid for one parcel to one payee group",
        options: [
            OptionSpec(name: "project", value: "P", required: true, help: "the project key"),
            OptionSpec(name: "parcel", value: "K", required: true, help: "the parcel key"),
            OptionSpec(name: "payee", value: "TEXT", required: true, help: "who was paid, as the payment order names them"),
            OptionSpec(name: "amount", value: "YUAN", required: true, help: "the amount in yuan, e.g. 1250000.50"),
            OptionSpec(name: "paid-on", value: "DATE", required: true, help: "the day it was paid, YYYY-MM-DD"),
            .user, .json,
        ],
        discussion: "Drafters and approvers record payments; a recorded payment clears the parcel's payment-overdue warning. Audited as payment.record."
    ) { inv, ctx in
        let text = inv.option("amount") ?? ""
        guard let amount = Double(text), amount.isFinite else { throw UsageError("--amount must be a number of yuan, not '\(text)'") }
        guard let paidOn = try inv.date("paid-on") else { throw UsageError("missing --paid-on DATE") }
        let payment = try await ctx.withStore { store in
            try await ctx.workflow(store).recordPayment(
                project: inv.option("project") ?? "", parcel: inv.option("parcel") ?? "", payeeGroup: inv.option("payee") ?? "",
                amountYuan: amount, paidOn: paidOn, as: inv.user)
        }
        if inv.json { try ctx.output.json(payment) } else { ctx.output.line(payment.id) }
    }
}
