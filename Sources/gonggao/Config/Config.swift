import Foundation
import GonggaoChannels
import GonggaoCore

/// The configuration of one Gonggao installation: read once in `main`, validated, passed down.
///
/// The file is JSON (`Config/gonggao.json` by default). Every key is documented in the README;
/// relative paths are read from the config file's directory. Secrets never live here: keys that
/// need one name an environment variable or a file instead.
struct Config: Sendable {
    /// Where the config was read from, as given (for messages).
    var file: String
    /// The store backend and where it lives (paths already resolved).
    var store: StoreConfig
    /// The base of public links (parcel pages, QR codes), e.g. `https://gonggao.anji.gov.cn`.
    var publicBaseURL: String
    var users: [User]
    /// Each channel's adapter settings (relative paths resolved against the config's folder).
    var channels: [ChannelConfig]
    /// The folder holding `posters/`, `channels/` and `pages/`. Default `../Templates` beside the config.
    var templates: String
    var poster: PosterSettings
    var delivery: DeliverySettings
    var http: HTTPSettings
    /// `calendars`, `rules`, `warnings` as written in the file.
    var statutorySettings = StatutorySettings()
    /// The working-day calendar and the statutory rules, read once by `ConfigLoader` (every
    /// workflow the CLI and the service build passes its stage gates with them).
    var statutory = StatutoryClock(calendar: WorkingDayCalendar())

    /// The users as the workflow looks them up.
    var userDirectory: UserDirectory { UserDirectory(users) }

    /// Enabled channel names in config order: each receives one delivery per approved version.
    var deliveryChannels: [String] { channels.filter(\.enabled).map(\.name) }

    /// Enabled channels that receive a withdrawal: every one (the portals take the notice down, the
    /// print channel prints a 撤回公告 to post over the paper poster).
    var withdrawChannels: [String] { channels.filter(\.enabled).map(\.name) }

    /// The folder of the SQLite store (the default spool folder and logs live beside it).
    var storeFolder: String {
        switch store {
        case .sqlite(let path): (path as NSString).deletingLastPathComponent
        case .postgres(let s): (s.auditHead as NSString).deletingLastPathComponent
        }
    }
}

/// `poster`: how posters are rendered for printing and downloads.
struct PosterSettings: Sendable, Equatable {
    /// `A4` or `A3` (a template in `<templates>/posters/`). Default A4.
    var paper: String = "A4"
    /// PNG resolution of previews (`poster render`, downloads). Default 150.
    var dpi: Int = 150
    /// PNG resolution of the page images the print channel spools beside the PDF (the PDF, vector,
    /// is what gets printed; the PNGs are previews). Default 150, the preview resolution: 300 is an
    /// option for print shops that print from the PNGs, at about twice the render time per poster.
    var printDPI: Int = 150
    /// A PNG of the issuer's seal, printed over the date; nil leaves the space for a hand stamp.
    var seal: String?
}

/// `delivery`: the workers' limits, the same for every channel lane.
struct DeliverySettings: Sendable, Equatable {
    /// Sends in flight at once per channel. Default 4.
    var concurrency: Int = 4
    /// Sends started per second per channel, on average. Default 50.
    var ratePerSecond: Double = 50
    /// Consecutive failures that open a channel's circuit. Default 5.
    var breakerThreshold: Int = 5
    /// How long an open circuit waits before one probe. Default 10 s.
    var breakerCooldownSeconds: Double = 10
    /// How often workers look for work other processes queued. Default 100 ms.
    var pollMilliseconds: Int = 100
    /// On SIGTERM, how long in-flight sends may take to finish. Default 30 s.
    var graceSeconds: Double = 30
    /// The retry schedule in seconds after each failed attempt (then dead-letter); default
    /// immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.
    var retryScheduleSeconds: [Double]?
    /// ± jitter on each retry delay, as a fraction. Default 0.2.
    var retryJitter: Double = 0.2
}

/// `http`: the service (`gonggao serve`).
struct HTTPSettings: Sendable, Equatable {
    var host: String = "127.0.0.1"
    var port: Int = 8080
    /// Open connections at once; more get 503. Default 256.
    var connectionLimit: Int = 256
    /// Reverse proxies whose `X-Forwarded-For` is believed (exact addresses).
    var trustedProxies: [String] = []
    /// When true, CLI write commands may act with `--as USER` alone (demo, single-officer desks);
    /// when false (production) they need the user's token (`GONGGAO_TOKEN` or `--token-file`).
    var trustLocalOperators: Bool = false
}
