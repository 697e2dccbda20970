/// The kinds of publication channel Gonggao knows (DOMAIN.md: the four places a notice appears).
enum ChannelType: String, Sendable, CaseIterable {
    case print
    case provincialPortal = "provincial-portal"
    case countyColumn = "county-column"
    case mobilePlatform = "mobile-platform"

    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// One channel from config: every approved version gets one delivery per enabled channel.
struct ChannelConfig: Sendable, Equatable {
    /// The channel's name, as deliveries record it (letters, digits and inner hyphens).
    var name: String
    var type: ChannelType
    /// Disabled channels receive nothing (existing deliveries stay as they are). Default true.
    var enabled: Bool
    /// Where the channel's endpoint is (used by the delivery issue's adapters); optional for now.
    var url: String?
}
