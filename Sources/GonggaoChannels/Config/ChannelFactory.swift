import Foundation
import GonggaoCore

/// Builds a channel's adapter from its config entry: reads its secrets, loads and checks its
/// templates, and hands it the shared `HTTPClient`. One builder per channel kind; register more
/// (the print channel) with `register(type:_:)`.
///
/// ```swift
/// var factory = ChannelFactory()
/// factory.register(type: ChannelKind.print) { config, context in … }
/// let adapter = try factory.makeAdapter(config: entry, context: .init(secrets: .process(), client: client, logger: logger))
/// ```
///
/// Every error is a `ValidationError` naming the key path (`channels[1].signing.secrets[0].env`)
/// and never a secret's value.
public struct ChannelFactory: Sendable {
    /// What every builder gets besides the config entry.
    public struct Context: Sendable {
        public var secrets: SecretSource
        public var client: HTTPClient
        public var logger: Logger
        /// The folder holding the default payload templates, `<folder>/<type>/<file>`.
        /// Default `Templates/channels` (relative to the working directory).
        public var templateDirectory: String

        public init(
            secrets: SecretSource, client: HTTPClient, logger: Logger, templateDirectory: String = "Templates/channels"
        ) {
            self.secrets = secrets
            self.client = client
            self.logger = logger
            self.templateDirectory = templateDirectory
        }
    }

    public typealias Builder = @Sendable (ChannelConfig, Context) throws -> any ChannelAdapter

    private var builders: [String: Builder]

    /// A factory that knows the three HTTP portal kinds.
    public init() {
        builders = [
            ChannelKind.provincialPortal: { config, context in try Self.provincial(config, context) },
            ChannelKind.countyColumn: { config, context in try Self.county(config, context) },
            ChannelKind.mobilePlatform: { config, context in try Self.mobile(config, context) },
        ]
    }

    /// Adds or replaces the builder for a channel kind.
    public mutating func register(type: String, _ builder: @escaping Builder) {
        builders[type] = builder
    }

    /// The kinds this factory can build.
    public var types: [String] { builders.keys.sorted() }

    public func makeAdapter(config: ChannelConfig, context: Context) throws -> any ChannelAdapter {
        try config.validate(path: config.keyPath)
        guard let builder = builders[config.type] else {
            throw ValidationError(
                field: "\(config.keyPath).type", "no adapter is available for channel type '\(config.type)'")
        }
        return try builder(config, context)
    }

    /// `ChannelFactory().makeAdapter(…)` in one call.
    public static func makeAdapter(
        config: ChannelConfig, secrets: SecretSource, client: HTTPClient, logger: Logger,
        templateDirectory: String = "Templates/channels"
    ) throws -> any ChannelAdapter {
        try ChannelFactory().makeAdapter(
            config: config,
            context: Context(
                secrets: secrets, client: client, logger: logger,
                templateDirectory: templateDirectory))
    }

    // MARK: - The portal kinds

    static func provincial(_ config: ChannelConfig, _ context: Context) throws -> any ChannelAdapter {
        let parts = try portalParts(
            config, context, credentialHeader: nil, defaults: ProvincialPortalAdapter.defaultTemplates
        ) {
            ProvincialPortalAdapter.context($0, channel: config.name)
        }
        return ProvincialPortalAdapter(
            portal: parts.portal, templates: parts.templates, timeout: parts.portal.options.timeout)
    }

    static func county(_ config: ChannelConfig, _ context: Context) throws -> any ChannelAdapter {
        let settings = config.county!  // validated
        let parts = try portalParts(
            config, context, credentialHeader: ("Authorization", "Bearer "),
            defaults: CountyColumnAdapter.defaultTemplates
        ) {
            CountyColumnAdapter.context($0, channel: config.name, settings: settings)
        }
        return CountyColumnAdapter(
            portal: parts.portal, templates: parts.templates, settings: settings, timeout: parts.portal.options.timeout)
    }

    static func mobile(_ config: ChannelConfig, _ context: Context) throws -> any ChannelAdapter {
        let limits = config.mobile ?? ChannelConfig.MobileSettings()
        let parts = try portalParts(
            config, context, credentialHeader: ("X-App-Key", ""), defaults: MobilePlatformAdapter.defaultTemplates
        ) {
            MobilePlatformAdapter.context($0, channel: config.name, limits: limits)
        }
        return MobilePlatformAdapter(
            portal: parts.portal, templates: parts.templates, limits: limits, timeout: parts.portal.options.timeout)
    }

    /// The shared part of a portal adapter. `credentialHeader`: the header name and the text before
    /// the credential (`Bearer `). `sampleContext` builds the adapter's template context, to check
    /// the templates now rather than on the first delivery.
    private static func portalParts(
        _ config: ChannelConfig, _ context: Context, credentialHeader: (name: String, prefix: String)?,
        defaults: (publish: String, withdraw: String),
        sampleContext: (ChannelRequest) -> TemplateValue
    ) throws -> (portal: PortalClient, templates: PortalTemplates) {
        var signingSecrets: [StandardWebhooks.Secret] = []
        var redactions: [String] = []
        for (i, reference) in (config.signing?.secrets ?? []).enumerated() {
            let keys = ["signing", "secrets[\(i)]", reference.key]
            let text = try config.resolve(reference, keys: keys, context.secrets)
            guard let secret = StandardWebhooks.Secret(text.reveal()) else {
                throw ValidationError(
                    field: ([config.keyPath] + keys).joined(separator: "."),
                    "\(reference) does not hold a whsec_ secret (whsec_ and the base64 of at least 16 bytes)")
            }
            signingSecrets.append(secret)
            redactions.append(text.reveal())
            redactions.append(Data(secret.key).base64EncodedString())
        }
        var credentialHeaders: [(name: String, value: SecretText)] = []
        if let credentialHeader, let reference = config.credential {
            let credential = try config.resolve(reference, keys: ["credential", reference.key], context.secrets)
            credentialHeaders.append((credentialHeader.name, SecretText(credentialHeader.prefix + credential.reveal())))
            redactions.append(credential.reveal())
        }
        var options = try config.transportOptions(secrets: context.secrets)
        if let password = options.clientKeyPassword { redactions.append(password.reveal()) }
        options.maxResponseBytes = config.maxResponseBytes ?? HTTPTransportOptions.defaultMaxResponseBytes

        let folder = (context.templateDirectory as NSString).appendingPathComponent(config.type)
        let sample = sampleContext(RequestContext.sample)
        func template(_ key: String, _ configured: String?, _ fallback: String) throws(ValidationError)
            -> PayloadTemplate
        {
            let path = configured ?? (folder as NSString).appendingPathComponent(fallback)
            do {
                let template = try PayloadTemplate.load(path: path)
                try template.validate(sample: sample)
                return template
            } catch {
                throw ValidationError(field: "\(config.keyPath).templates.\(key)", "\(error)")
            }
        }
        let templates = PortalTemplates(
            publish: try template("publish", config.templates?.publish, defaults.publish),
            withdraw: try template("withdraw", config.templates?.withdraw, defaults.withdraw))

        var base = config.url!  // validated
        while base.hasSuffix("/") { base.removeLast() }
        let portal = PortalClient(
            channel: config.name, baseURL: base, client: context.client, options: options,
            signer: WebhookSigner(secrets: signingSecrets), credentialHeaders: credentialHeaders,
            redactions: redactions, logger: context.logger.with(["channel.name": config.name]))
        return (portal, templates)
    }
}
