import Foundation
import GonggaoCore

/// One entry of the config's `channels` list: where a channel's pushes go and how they are carried.
///
/// ```json
/// {"name": "provincial-portal", "type": "provincial-portal", "url": "https://zqgk.zj.gov.cn/api",
///  "signing": {"secrets": [{"env": "GONGGAO_PROVINCIAL_SECRET"}, {"file": "/etc/gonggao/provincial.whsec"}]},
///  "tls": {"caBundle": "/etc/gonggao/zj-ca.pem"}, "timeoutSeconds": 10}
/// ```
///
/// Decoding refuses unknown keys and checks every value, naming the key path
/// (`channels[1].signing.secrets[0].env`); `validate(path:)` runs the same checks on a value built
/// in code. Secrets are only *named* here (`SecretReference`); `ChannelFactory` reads them.
public struct ChannelConfig: Sendable, Equatable {
    /// The channel's name, as deliveries record it (ASCII letters, digits, hyphens).
    public var name: String
    /// The channel kind: `provincial-portal`, `county-column`, `mobile-platform` or `print`.
    public var type: String
    /// Disabled channels receive nothing. Default true.
    public var enabled: Bool
    /// The portal's base URL (`https://host/prefix`); the shape appends its paths (`/items`, …).
    public var url: String?
    /// Longest time for one push, connect included. Default 10 s.
    public var timeoutSeconds: Double?
    /// Longest wait for the connection. Default 3 s.
    public var connectTimeoutSeconds: Double?
    /// Responses are read up to this many bytes. Default 1 MiB.
    public var maxResponseBytes: Int?
    public var tls: TLSSettings?
    /// A forward proxy (`http://proxy:3128`); default none (environment proxies are ignored).
    public var proxy: String?
    /// Standard Webhooks signing secrets; every portal channel needs at least one.
    public var signing: SigningSettings?
    /// The portal's own credential: the county column's bearer token, the mobile platform's app key.
    public var credential: SecretReference?
    /// Payload templates replacing the shape's defaults in `Templates/channels/<type>/`.
    public var templates: TemplateSettings?
    /// `county-column` only: the disclosure metadata that comes from the deployment.
    public var county: CountySettings?
    /// `mobile-platform` only: card limits.
    public var mobile: MobileSettings?
    /// `print` only: the spool folder print stations watch (`<spool>/<county>/<township>/…`).
    /// Without `spool` and `url` the posters go to `spool/` beside the store.
    public var spool: String?
    /// This channel's lane limits and retry policy over the global `delivery` block.
    public var delivery: DeliveryOverrides?

    /// Where this entry sits in the config file (`channels[1]`), for the factory's errors; set by
    /// decoding, else `channel '<name>'`.
    public var keyPath: String

    public static let defaultTimeoutSeconds = 10.0
    public static let defaultConnectTimeoutSeconds = 3.0

    /// The kinds a config may name. The HTTP portal kinds are built by `ChannelFactory`.
    public static var knownTypes: [String] { ChannelKind.portalKinds + [ChannelKind.print] }

    public init(
        name: String, type: String, enabled: Bool = true, url: String? = nil, timeoutSeconds: Double? = nil,
        connectTimeoutSeconds: Double? = nil, maxResponseBytes: Int? = nil, tls: TLSSettings? = nil,
        proxy: String? = nil,
        signing: SigningSettings? = nil, credential: SecretReference? = nil, templates: TemplateSettings? = nil,
        county: CountySettings? = nil, mobile: MobileSettings? = nil, spool: String? = nil,
        delivery: DeliveryOverrides? = nil
    ) {
        self.name = name
        self.type = type
        self.enabled = enabled
        self.url = url
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.maxResponseBytes = maxResponseBytes
        self.tls = tls
        self.proxy = proxy
        self.signing = signing
        self.credential = credential
        self.templates = templates
        self.county = county
        self.mobile = mobile
        self.spool = spool
        self.delivery = delivery
        self.keyPath = "channel '\(name)'"
    }

    /// TLS beyond the default (verification is always on).
    public struct TLSSettings: Sendable, Equatable, Decodable {
        /// PEM CA certificates replacing the system bundle (a private government CA).
        public var caBundle: String?
        /// PEM client certificate for mutual TLS; needs `clientKey`.
        public var clientCertificate: String?
        public var clientKey: String?
        /// The passphrase of an encrypted `clientKey`.
        public var clientKeyPassword: SecretReference?

        public init(
            caBundle: String? = nil, clientCertificate: String? = nil, clientKey: String? = nil,
            clientKeyPassword: SecretReference? = nil
        ) {
            self.caBundle = caBundle
            self.clientCertificate = clientCertificate
            self.clientKey = clientKey
            self.clientKeyPassword = clientKeyPassword
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case caBundle, clientCertificate, clientKey, clientKeyPassword
        }

        public init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownChannelKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            caBundle = try c.decodeIfPresent(String.self, forKey: .caBundle)
            clientCertificate = try c.decodeIfPresent(String.self, forKey: .clientCertificate)
            clientKey = try c.decodeIfPresent(String.self, forKey: .clientKey)
            clientKeyPassword = try c.decodeIfPresent(SecretReference.self, forKey: .clientKeyPassword)
        }
    }

    /// `{"secrets": [{"env": …}, {"file": …}]}`: every secret signs (rotation = two entries).
    public struct SigningSettings: Sendable, Equatable, Decodable {
        public var secrets: [SecretReference]

        public init(secrets: [SecretReference]) { self.secrets = secrets }

        enum CodingKeys: String, CodingKey, CaseIterable { case secrets }

        public init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownChannelKeys(CodingKeys.allCases.map(\.rawValue))
            secrets = try decoder.container(keyedBy: CodingKeys.self).decode([SecretReference].self, forKey: .secrets)
        }
    }

    /// Template files (paths) replacing the defaults; either may be left out.
    public struct TemplateSettings: Sendable, Equatable, Decodable {
        /// The create/update body.
        public var publish: String?
        /// The withdraw body.
        public var withdraw: String?

        public init(publish: String? = nil, withdraw: String? = nil) {
            self.publish = publish
            self.withdraw = withdraw
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case publish, withdraw }

        public init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownChannelKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            publish = try c.decodeIfPresent(String.self, forKey: .publish)
            withdraw = try c.decodeIfPresent(String.self, forKey: .withdraw)
        }
    }

    /// The county column's disclosure metadata that is the deployment's, not the notice's.
    public struct CountySettings: Sendable, Equatable, Decodable {
        /// The issuing body's organisation code (索引号 prefix), 9–18 of 0–9 A–Z, e.g. `000014349`.
        public var orgCode: String
        /// 主题分类. Default 征地拆迁.
        public var topic: String
        /// The county site's 10-digit identifier, e.g. `3305230001`; optional.
        public var siteId: String?

        public init(orgCode: String, topic: String = "征地拆迁", siteId: String? = nil) {
            self.orgCode = orgCode
            self.topic = topic
            self.siteId = siteId
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case orgCode, topic, siteId }

        public init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownChannelKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            orgCode = try c.decode(String.self, forKey: .orgCode)
            topic = try c.decodeIfPresent(String.self, forKey: .topic) ?? "征地拆迁"
            siteId = try c.decodeIfPresent(String.self, forKey: .siteId)
        }
    }

    /// The mobile card's limits in characters (the platform's: 30 and 120).
    public struct MobileSettings: Sendable, Equatable, Decodable {
        public var titleLimit: Int
        public var summaryLimit: Int

        public init(titleLimit: Int = 30, summaryLimit: Int = 120) {
            self.titleLimit = titleLimit
            self.summaryLimit = summaryLimit
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case titleLimit, summaryLimit }

        public init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownChannelKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            titleLimit = try c.decodeIfPresent(Int.self, forKey: .titleLimit) ?? 30
            summaryLimit = try c.decodeIfPresent(Int.self, forKey: .summaryLimit) ?? 120
        }
    }
}

/// The channel kinds this module knows by name.
public enum ChannelKind {
    public static let provincialPortal = "provincial-portal"
    public static let countyColumn = "county-column"
    public static let mobilePlatform = "mobile-platform"
    public static let print = "print"

    /// Kinds delivered over HTTP by a portal adapter.
    public static let portalKinds = [provincialPortal, countyColumn, mobilePlatform]
}

extension ChannelConfig: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, type, enabled, url, timeoutSeconds, connectTimeoutSeconds, maxResponseBytes, tls, proxy, signing,
            credential,
            templates, county, mobile, spool, delivery
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownChannelKeys(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(String.self, forKey: .type)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        url = try c.decodeIfPresent(String.self, forKey: .url)
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
        connectTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .connectTimeoutSeconds)
        maxResponseBytes = try c.decodeIfPresent(Int.self, forKey: .maxResponseBytes)
        tls = try c.decodeIfPresent(TLSSettings.self, forKey: .tls)
        proxy = try c.decodeIfPresent(String.self, forKey: .proxy)
        signing = try c.decodeIfPresent(SigningSettings.self, forKey: .signing)
        credential = try c.decodeIfPresent(SecretReference.self, forKey: .credential)
        templates = try c.decodeIfPresent(TemplateSettings.self, forKey: .templates)
        county = try c.decodeIfPresent(CountySettings.self, forKey: .county)
        mobile = try c.decodeIfPresent(MobileSettings.self, forKey: .mobile)
        spool = try c.decodeIfPresent(String.self, forKey: .spool)
        delivery = try c.decodeIfPresent(DeliveryOverrides.self, forKey: .delivery)
        keyPath = decoder.codingPath.isEmpty ? "channel '\(name)'" : keyPathText(decoder.codingPath)
        if let problem = firstProblem() {
            throw decoder.channelConfigProblem(at: problem.keys.map(ChannelConfigKey.init), problem.message)
        }
    }
}
