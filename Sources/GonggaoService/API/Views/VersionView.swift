import Foundation
import GonggaoCore
import GonggaoHTTP

/// A notice version as the API shows it: every stored field, plus its poster verification code and
/// the public page its QR code opens.
struct VersionView: Encodable, Sendable {
    let version: NoticeVersion
    let parcelPage: String

    init(_ version: NoticeVersion, base: String) {
        self.version = version
        self.parcelPage = ParcelLinks.pageURL(base: base, key: ParcelLinks.key(of: version.content))
    }

    enum Extra: String, CodingKey { case verificationCode, parcelPage, posters }

    func encode(to encoder: Encoder) throws {
        try version.encode(to: encoder)
        var c = encoder.container(keyedBy: Extra.self)
        try c.encodeIfPresent(VerificationCode.of(contentHash: version.contentHash), forKey: .verificationCode)
        try c.encode(parcelPage, forKey: .parcelPage)
        if [.approved, .superseded, .withdrawn].contains(version.state) {
            let base = "/api/notices/\(version.id)/versions/\(version.version)/poster"
            try c.encode(["pdf": base + ".pdf", "png": base + ".png"], forKey: .posters)
        }
    }
}

/// The answer of an action on a notice: the version it left and whether this call changed it.
struct ActionResult: Encodable, Sendable {
    let notice: VersionView
    let changed: Bool
}

/// The answer of an approval. Identical for a repeated approval of the same version (the
/// `Gonggao-Approval` header tells `created` from `existing`).
struct ApprovalResult: Encodable, Sendable {
    let notice: VersionView
    let deliveries: [Delivery]
}

/// A notice with every version, every delivery, and the latest delivery on each channel.
struct NoticeDetail: Encodable, Sendable {
    struct ChannelState: Encodable, Sendable {
        let channel: String
        let deliveryId: String
        let version: Int
        let purpose: DeliveryPurpose
        let state: DeliveryState
        let attempts: Int
        let nextAttemptAt: Date?
        let updatedAt: Date
        let lastError: String?
        let receipt: DeliveryReceipt?
    }

    let id: String
    let latest: VersionView
    let versions: [VersionView]
    let channels: [ChannelState]
    let deliveries: [Delivery]

    init(versions: [NoticeVersion], deliveries: [Delivery], base: String) {
        let views = versions.map { VersionView($0, base: base) }
        id = versions.last!.id
        latest = views.last!
        self.versions = views
        self.deliveries = deliveries
        var latestPerChannel: [String: Delivery] = [:]
        var order: [String] = []
        for d in deliveries {
            if latestPerChannel[d.channel] == nil { order.append(d.channel) }
            latestPerChannel[d.channel] = d
        }
        channels = order.map { name in
            let d = latestPerChannel[name]!
            return ChannelState(
                channel: name, deliveryId: d.id, version: d.version, purpose: d.purpose, state: d.state,
                attempts: d.attempts, nextAttemptAt: d.state.isFinal ? nil : d.nextAttemptAt, updatedAt: d.updatedAt,
                lastError: d.lastError, receipt: d.receipt)
        }
    }
}

extension NoticeDetail {
    private struct Head: Encodable {
        let channels: [ChannelState]
        let deliveries: [Delivery]
        let id: String
    }

    /// The same bytes as `JSONCoding.encoder.encode(self)` (compact, keys sorted: `channels`,
    /// `deliveries`, `id`, `latest`, `versions`), with each version's JSON from `versionJSON`, so
    /// unchanged versions need not be encoded again.
    func json(versionJSON: (VersionView) throws -> [UInt8]) throws -> [UInt8] {
        var out = Array(try JSONCoding.encoder.encode(Head(channels: channels, deliveries: deliveries, id: id)))
        guard out.last == UInt8(ascii: "}") else { throw EncodingError.invalidValue(id, .init(codingPath: [], debugDescription: "not an object")) }
        out.removeLast()
        let versionsJSON = try versions.map(versionJSON)
        out += #","latest":"#.utf8
        out += versionsJSON.last!
        out += #","versions":["#.utf8
        for (i, v) in versionsJSON.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += v
        }
        out += "]}".utf8
        return out
    }
}
