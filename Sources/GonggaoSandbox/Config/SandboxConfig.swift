import Foundation
import GonggaoCore
import GonggaoHTTP

/// What the sandbox portals accept, and where they listen. Built once by the caller (the CLI reads
/// it from config and the environment); the sandbox never reads files or the environment itself.
public struct SandboxConfig: Sendable {
    /// One portal's credentials.
    public struct PortalSettings: Sendable {
        /// Accepted Standard Webhooks secrets (several during a rotation); at least one.
        public var secrets: [StandardWebhooks.Secret]
        /// The county's bearer token or the mobile platform's app key; nil for the provincial portal.
        public var credential: String?

        public init(secrets: [StandardWebhooks.Secret], credential: String? = nil) {
            self.secrets = secrets
            self.credential = credential
        }
    }

    /// Field limits the portals enforce, in characters.
    public struct FieldLimits: Sendable, Equatable {
        /// Mobile card title. Default 30.
        public var mobileTitle = 30
        /// Mobile card summary. Default 120.
        public var mobileSummary = 120
        /// Provincial item and county article titles. Default 100.
        public var title = 100
        /// Issuer / issuing body names. Default 100.
        public var issuer = 100
        /// 发文字号. Default 50.
        public var documentNumber = 50
        /// The body, all paragraphs together. Default 50,000.
        public var body = 50_000
        /// URLs. Default 500.
        public var url = 500

        public init() {}
    }

    /// Listening address; port 0 lets the OS choose (read it from `SandboxServer.start()`).
    public var http: HTTPServerConfiguration
    /// The base of the public URLs the portals answer with; nil = `http://<host>:<port>`.
    public var publicBaseURL: String?
    public var provincial: PortalSettings
    public var county: PortalSettings
    public var mobile: PortalSettings
    public var limits = FieldLimits()
    /// The longest a `hang` fault may hold a request. Default 300 s.
    public var maxHang: Duration = .seconds(300)
    /// The sandbox's clock (timestamps, signature tolerance, publication-id years).
    public var now: @Sendable () -> Date = { Date() }

    public init(
        http: HTTPServerConfiguration = SandboxConfig.defaultHTTP, publicBaseURL: String? = nil,
        provincial: PortalSettings, county: PortalSettings, mobile: PortalSettings
    ) {
        self.http = http
        self.publicBaseURL = publicBaseURL
        self.provincial = provincial
        self.county = county
        self.mobile = mobile
    }

    /// The HTTP defaults with a 2 s shutdown grace (a hanging fault should not hold a stop for long).
    public static var defaultHTTP: HTTPServerConfiguration {
        var http = HTTPServerConfiguration()
        http.shutdownGrace = .seconds(2)
        return http
    }

    public func settings(for portal: SandboxPortal) -> PortalSettings {
        switch portal {
        case .provincial: provincial
        case .county: county
        case .mobile: mobile
        }
    }

    /// The first setting that cannot work, as `key: reason`, or nil.
    public var problem: String? {
        for portal in SandboxPortal.allCases {
            let s = settings(for: portal)
            if s.secrets.isEmpty { return "\(portal.rawValue).secrets: at least one whsec_ secret is required" }
            if portal != .provincial && (s.credential ?? "").isEmpty {
                return
                    "\(portal.rawValue).credential: the \(portal == .county ? "bearer token" : "app key") is required"
            }
        }
        if let p = http.problem { return "http." + p }
        return nil
    }

    /// DEMO ONLY — fixed, published credentials so `make demo` and a newcomer's first run work
    /// with the default config. Never use them anywhere but loopback.
    public static func demo(port: UInt16 = 0) -> SandboxConfig {
        var http = defaultHTTP
        http.port = port
        return SandboxConfig(
            http: http,
            provincial: PortalSettings(secrets: [StandardWebhooks.Secret(Demo.provincialSecret)!]),
            county: PortalSettings(
                secrets: [StandardWebhooks.Secret(Demo.countySecret)!], credential: Demo.countyBearerToken),
            mobile: PortalSettings(
                secrets: [StandardWebhooks.Secret(Demo.mobileSecret)!], credential: Demo.mobileAppKey))
    }

    /// The demo credentials, spelled out (CONTRACT.md lists the same values).
    public enum Demo {
        public static let provincialSecret = "whsec_Z29uZ2dhby1zYW5kYm94LXByb3ZpbmNpYWwtZGVtbw=="
        public static let countySecret = "whsec_Z29uZ2dhby1zYW5kYm94LWNvdW50eS1kZW1vLWtleQ=="
        public static let mobileSecret = "whsec_Z29uZ2dhby1zYW5kYm94LW1vYmlsZS1kZW1vLWtleQ=="
        public static let countyBearerToken = "sandbox-county-demo-token"
        public static let mobileAppKey = "sandbox-mobile-demo-appkey"
    }
}
