import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoSandbox

/// A sandbox with the demo credentials on a port of the OS's choosing, and adapters for it.
final class SandboxHarness: Sendable {
    let sandbox: SandboxServer
    let client: HTTPClient
    let logs = LogCapture()

    /// Every demo credential, to prove none of them ever shows up in a log line or an outcome.
    static let secretTexts: [String] = {
        let d = SandboxConfig.Demo.self
        var out = [d.countyBearerToken, d.mobileAppKey]
        for secret in [d.provincialSecret, d.countySecret, d.mobileSecret] {
            out.append(secret)
            out.append(String(secret.dropFirst("whsec_".count)))
        }
        return out
    }()

    static let environment: [String: String] = [
        "GG_PROVINCIAL_SECRET": SandboxConfig.Demo.provincialSecret,
        "GG_COUNTY_SECRET": SandboxConfig.Demo.countySecret,
        "GG_COUNTY_TOKEN": SandboxConfig.Demo.countyBearerToken,
        "GG_MOBILE_SECRET": SandboxConfig.Demo.mobileSecret,
        "GG_MOBILE_APPKEY": SandboxConfig.Demo.mobileAppKey,
        "GG_WRONG": "wrong-credential",
        "GG_OTHER_SECRET": "whsec_" + Data(repeating: 42, count: 32).base64EncodedString(),
    ]

    init() throws {
        var config = SandboxConfig.demo()
        config.maxHang = .seconds(5)
        sandbox = SandboxServer(config: config, logger: .discard)
        try sandbox.start()
        client = try HTTPClient(logger: logs.logger)
    }

    func stop() async {
        await client.shutdown(gracePeriod: .zero)
        await sandbox.stop()
    }

    /// The channel config a deployer would write for `portal`, pointed at this sandbox.
    func config(_ portal: SandboxPortal, name: String? = nil, timeoutSeconds: Double = 10) -> ChannelConfig {
        var config: ChannelConfig
        switch portal {
        case .provincial:
            config = ChannelConfig(
                name: name ?? "provincial-portal", type: ChannelKind.provincialPortal,
                signing: .init(secrets: [.environment("GG_PROVINCIAL_SECRET")]))
        case .county:
            config = ChannelConfig(
                name: name ?? "county-column", type: ChannelKind.countyColumn,
                signing: .init(secrets: [.environment("GG_COUNTY_SECRET")]),
                credential: .environment("GG_COUNTY_TOKEN"),
                county: .init(orgCode: "000014349", siteId: "3305230001"))
        case .mobile:
            config = ChannelConfig(
                name: name ?? "mobile-platform", type: ChannelKind.mobilePlatform,
                signing: .init(secrets: [.environment("GG_MOBILE_SECRET")]),
                credential: .environment("GG_MOBILE_APPKEY"))
        }
        config.url = sandbox.url(of: portal)
        config.timeoutSeconds = timeoutSeconds
        config.connectTimeoutSeconds = min(2, timeoutSeconds)
        return config
    }

    func adapter(_ config: ChannelConfig) throws -> any ChannelAdapter {
        try ChannelFactory.makeAdapter(
            config: config, secrets: .fixed(environment: Self.environment), client: client,
            logger: logs.logger, templateDirectory: repositoryTemplates)
    }

    func adapter(_ portal: SandboxPortal) throws -> any ChannelAdapter { try adapter(config(portal)) }
}

extension ChannelOutcome {
    var receipt: DeliveryReceipt? {
        if case .delivered(let receipt) = kind { return receipt }
        return nil
    }

    var isRejected: Bool { kind == .rejected }

    var isRetryable: Bool {
        if case .retryable = kind { return true }
        return false
    }

    var retryAfter: Duration? {
        if case .retryable(let after) = kind { return after }
        return nil
    }
}
