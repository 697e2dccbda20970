import Foundation
import GonggaoCore
import GonggaoDelivery
import GonggaoStore

extension CommandSpec {
    /// `gonggao deliveries retry ID --as USER`.
    static let deliveriesRetry = CommandSpec(
        path: ["deliveries", "retry"],
        summary: "put one dead or retrying delivery back in the queue, due now",
        arguments: [ArgumentSpec(name: "ID", help: "the delivery (dlv_…)")],
        options: [.user, .json],
        discussion: """
            Approvers and admins only. A delivery of a version that was superseded or withdrawn is never sent
            again and is refused. Running workers pick it up within their poll interval.
            """
    ) { inv, ctx in
        let delivery = try await ctx.withStore { store in
            try await ctx.desk(store).retry(inv.argument("ID"), as: inv.user)
        }
        if inv.json { try ctx.output.json(delivery) } else { ctx.output.line("re-queued \(delivery.id) (\(delivery.channel) \(delivery.noticeID)/v\(delivery.version))") }
    }

    /// `gonggao deliveries replay --channel C --since TIME [--all] --as USER`.
    static let deliveriesReplay = CommandSpec(
        path: ["deliveries", "replay"],
        summary: "re-queue a channel's dead letters (bulk), skipping versions no longer current",
        options: [
            OptionSpec(name: "channel", value: "C", required: true, help: "the channel"),
            OptionSpec(name: "since", value: "TIME", required: true, help: "ISO 8601 instant or YYYY-MM-DD (Asia/Shanghai)"),
            OptionSpec(name: "all", help: "also retrying and cancelled deliveries, not only dead letters"),
            .user, .json,
        ]
    ) { inv, ctx in
        let since = try parseInstant(inv.option("since") ?? "", option: "since")
        let requeued = try await ctx.withStore { store in
            try await ctx.desk(store).replay(channel: inv.option("channel") ?? "", since: since, includeAll: inv.flag("all"), as: inv.user)
        }
        if inv.json { try ctx.output.json(requeued) } else {
            ctx.output.line("re-queued \(requeued.count) \(requeued.count == 1 ? "delivery" : "deliveries") on \(inv.option("channel") ?? "")")
        }
    }
}

/// An ISO 8601 instant, or a date `YYYY-MM-DD` meaning its start in Asia/Shanghai.
func parseInstant(_ text: String, option: String) throws(UsageError) -> Date {
    if let date = WallClock.parse(text) { return date }
    if let day = CivilDate(iso: text) { return day.startInstant }
    throw UsageError("--\(option) '\(text)' is not an ISO 8601 instant or a date (YYYY-MM-DD)")
}

extension Context {
    /// The operator desk (retry, replay, pause) over `store`.
    func desk(_ store: any NoticeStore) -> DeliveryDesk {
        DeliveryDesk(store: store, users: config.userDirectory, channels: config.channels.map(\.name), now: now)
    }
}
