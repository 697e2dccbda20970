import GonggaoCore

/// The configuration of one Gonggao installation: read once in `main`, validated, passed down.
///
/// The file is JSON (`Config/gonggao.json` by default). Every key is documented in the README;
/// relative paths are read from the config file's directory. Secrets never live here: a later key
/// that needs one names an environment variable or a file instead.
struct Config: Sendable {
    /// Where the config was read from, as given (for messages).
    var file: String
    /// The store backend and where it lives (paths already resolved).
    var store: StoreConfig
    /// The base of public links (parcel pages, QR codes), e.g. `https://gonggao.anji.gov.cn`.
    var publicBaseURL: String
    var users: [User]
    var channels: [ChannelConfig]

    /// The users as the workflow looks them up.
    var userDirectory: UserDirectory { UserDirectory(users) }

    /// Enabled channel names in config order: each receives one delivery per approved version.
    var deliveryChannels: [String] { channels.filter(\.enabled).map(\.name) }

    /// Enabled channels that can take a notice down again (a paper poster cannot be withdrawn).
    var withdrawChannels: [String] { channels.filter { $0.enabled && $0.type != .print }.map(\.name) }
}
