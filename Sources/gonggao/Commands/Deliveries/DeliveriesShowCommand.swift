import GonggaoCore
import GonggaoStore

extension CommandSpec {
    /// `gonggao deliveries show ID`.
    static let deliveriesShow = CommandSpec(
        path: ["deliveries", "show"],
        summary: "show one delivery with its attempt log",
        arguments: [ArgumentSpec(name: "ID", help: "the delivery id, e.g. dlv_…")],
        options: [.json]
    ) { inv, ctx in
        let id = inv.argument("ID")
        let found = try await ctx.withStore { store in
            try await store.read { tx -> DeliveryDetail? in
                guard let d = try tx.delivery(id) else { return nil }
                return DeliveryDetail(delivery: d, attempts: try tx.attempts(deliveryID: id))
            }
        }
        guard let found else { throw WorkflowError.unknownDelivery(id) }
        if inv.json { try ctx.output.json(found) } else { ctx.output.lines(DeliveryText.show(found.delivery, attempts: found.attempts)) }
    }

    /// What `deliveries show --json` prints.
    struct DeliveryDetail: Encodable, Sendable {
        var delivery: Delivery
        var attempts: [DeliveryAttempt]
    }
}
