import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao deliveries list [--notice ID] [--state S] [--channel C]`.
    static let deliveriesList = CommandSpec(
        path: ["deliveries", "list"],
        summary: "list deliveries, oldest first",
        options: [
            OptionSpec(name: "notice", value: "ID", help: "only this notice's deliveries"),
            OptionSpec(name: "state", value: "S", help: "only this state: \(DeliveryState.names)"),
            OptionSpec(name: "channel", value: "C", help: "only this channel"),
            .json,
        ]
    ) { inv, ctx in
        let filter = DeliveryFilter(noticeID: inv.option("notice"), state: try inv.choice("state", DeliveryState.self),
                                    channel: inv.option("channel"))
        let deliveries = try await ctx.withStore { store in try await store.read { tx in try tx.deliveries(filter) } }
        let known = ctx.config.channels.map(\.name)
        if let channel = filter.channel, !known.contains(channel), deliveries.isEmpty {
            // A channel since removed from the config still lists its old deliveries; a typo is refused.
            throw UsageError("--channel '\(channel)' is not a channel of this config (\(known.joined(separator: ", ")))")
        }
        if inv.json { try ctx.output.json(deliveries) } else { ctx.output.lines(DeliveryText.list(deliveries)) }
    }
}
