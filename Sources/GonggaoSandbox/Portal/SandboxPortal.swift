/// The three portal shapes the sandbox imitates, each under its own path prefix on one server.
public enum SandboxPortal: String, CaseIterable, Codable, Sendable {
    /// 省级征迁信息公开平台: JSON items keyed by our notice id; create, update, withdraw.
    case provincial
    /// 县政府重点领域公开专栏: a disclosure metadata block plus body; bearer token.
    case county
    /// 浙里办: short cards (title ≤ 30, summary ≤ 120 characters); app key.
    case mobile

    /// The path prefix, e.g. `/provincial`.
    public var prefix: String { "/" + rawValue }

    /// The channel kind in Gonggao's config (`provincial-portal`, …).
    public var channelKind: String {
        switch self {
        case .provincial: "provincial-portal"
        case .county: "county-column"
        case .mobile: "mobile-platform"
        }
    }

    /// The prefix of publication ids, e.g. `PRV` in `PRV-2026-000001`.
    var idPrefix: String {
        switch self {
        case .provincial: "PRV"
        case .county: "CTY"
        case .mobile: "MOB"
        }
    }

    /// The collection segment of the portal's paths (`items`, `articles`, `cards`).
    var collection: String {
        switch self {
        case .provincial: "items"
        case .county: "articles"
        case .mobile: "cards"
        }
    }

    /// Accepts `provincial` or the channel kind `provincial-portal`.
    public init?(name: String) {
        guard let portal = Self.allCases.first(where: { $0.rawValue == name || $0.channelKind == name }) else {
            return nil
        }
        self = portal
    }
}
