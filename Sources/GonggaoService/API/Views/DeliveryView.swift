import GonggaoCore

/// A delivery with its attempt log.
struct DeliveryDetail: Encodable, Sendable {
    let delivery: Delivery
    let attempts: [DeliveryAttempt]

    enum Extra: String, CodingKey { case attemptLog }

    func encode(to encoder: Encoder) throws {
        try delivery.encode(to: encoder)
        var c = encoder.container(keyedBy: Extra.self)
        try c.encode(attempts, forKey: .attemptLog)
    }
}

/// `{"items": [...]}` lists, with their count.
struct ListResult<Item: Encodable & Sendable>: Encodable, Sendable {
    let items: [Item]
    let count: Int

    init(_ items: [Item]) {
        self.items = items
        self.count = items.count
    }
}
