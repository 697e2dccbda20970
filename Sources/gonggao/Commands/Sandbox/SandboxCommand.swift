import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoHTTP
import GonggaoSandbox

extension CommandSpec {
    /// `gonggao sandbox [--port N]`.
    static let sandbox = CommandSpec(
        path: ["sandbox"],
        summary: "run loopback imitations of the three portals, with the config's channel credentials",
        options: [
            OptionSpec(name: "port", value: "N", help: "port on 127.0.0.1 (default: the port in the portal channels' urls, else 8790)"),
        ],
        discussion: """
            FOR DEMOS AND TESTS. The portals accept exactly the signing secrets and credentials the config's
            portal channels send, check signatures and timestamps, deduplicate by webhook-id, enforce field
            limits and keep what they published (GET /_sandbox/...). Faults are injected over HTTP (see
            Sources/GonggaoSandbox/CONTRACT.md). Runs until SIGTERM/SIGINT; prints its base URL when ready.
            """
    ) { inv, ctx in
        let logger = ctx.logger("sandbox")
        var sandbox = try SandboxSettings.from(ctx.config, environment: ctx.environment)
        if let port = try inv.positiveInt("port") {
            guard port <= 65535 else { throw UsageError("--port must be 1…65535, not \(port)") }
            sandbox.http.port = UInt16(port)
        }
        sandbox.now = try WallClock.running(environment: ctx.environment)
        let server = SandboxServer(config: sandbox, logger: logger)
        let port: UInt16
        do {
            port = try server.start()
        } catch {
            throw CommandFailure(.failure, "the sandbox cannot listen on 127.0.0.1:\(sandbox.http.port): \(error)")
        }
        ctx.output.line("sandbox portals on http://127.0.0.1:\(port) (provincial, county, mobile)")
        let stop = StopSignal()
        _ = await stop.wait()
        await server.stop()
    }
}

/// The sandbox's settings from the config: each portal accepts its channel's secrets and credential.
enum SandboxSettings {
    static func from(_ config: Config, environment: [String: String]) throws -> SandboxConfig {
        let secrets = SecretSource.process(environment: environment)
        var portals: [String: SandboxConfig.PortalSettings] = [:]
        var port: Int?
        for (i, channel) in config.channels.enumerated() where ChannelKind.portalKinds.contains(channel.type) {
            guard portals[channel.type] == nil else { continue }
            func read(_ reference: SecretReference, _ key: String) throws -> String {
                do {
                    return try secrets.resolve(reference).reveal()
                } catch {
                    throw ConfigError(file: config.file, path: "channels[\(i)].\(key)", error.message)
                }
            }
            let whsecs = try (channel.signing?.secrets ?? []).enumerated().map { j, reference in
                let text = try read(reference, "signing.secrets[\(j)]")
                guard let secret = StandardWebhooks.Secret(text) else {
                    throw ConfigError(file: config.file, path: "channels[\(i)].signing.secrets[\(j)]", "\(reference) does not hold a whsec_ secret")
                }
                return secret
            }
            let credential = try channel.credential.map { try read($0, "credential") }
            portals[channel.type] = SandboxConfig.PortalSettings(secrets: whsecs, credential: credential)
            if port == nil, let url = channel.url, let p = URLComponents(string: url)?.port { port = p }
        }
        let demo = SandboxConfig.demo()
        var sandbox = SandboxConfig(
            http: SandboxConfig.defaultHTTP,
            provincial: portals[ChannelKind.provincialPortal] ?? demo.provincial,
            county: portals[ChannelKind.countyColumn] ?? demo.county,
            mobile: portals[ChannelKind.mobilePlatform] ?? demo.mobile)
        sandbox.http.port = UInt16(port ?? 8790)
        if let problem = sandbox.problem { throw ConfigError(file: config.file, "sandbox: \(problem)") }
        return sandbox
    }
}
