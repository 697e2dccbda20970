import Foundation
import GonggaoCore
import GonggaoSandbox
import Testing

@testable import GonggaoChannels

/// The channel blocks of `Config/production.example.json` and `Config/demo.json` decode, validate and — for the sandbox one —
/// deliver to the sandbox with the demo credentials read from `Config/sandbox-secrets/`.
@Suite(.serialized) struct ConfigExampleTests {
    struct File: Decodable { var channels: [ChannelConfig] }

    static let configFolder = URL(fileURLWithPath: repositoryTemplates).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config")

    private func load(_ name: String) throws -> [ChannelConfig] {
        let path = Self.configFolder.appendingPathComponent(name)
        let data = try Data(contentsOf: path)
        return try JSONInput.decode(File.self, from: data, source: path.path).channels
            .map { $0.resolvingPaths(against: Self.configFolder) }
    }

    @Test func productionExampleIsValid() throws {
        let channels = try load("production.example.json")
        #expect(channels.count == 4)
        for channel in channels {
            try channel.validate(path: channel.keyPath)
            if let url = channel.url, channel.type != ChannelKind.print { #expect(url.hasPrefix("https://")) }
        }
        #expect(channels[1].signing?.secrets.count == 2)
    }

    @Test func sandboxExampleDeliversWithTheDemoCredentials() async throws {
        let harness = try SandboxHarness()
        let channels = try load("demo.json")
        let portals: [String: SandboxPortal] = [
            "provincial-portal": .provincial, "county-column": .county, "mobile-platform": .mobile,
        ]
        for var channel in channels where channel.type != ChannelKind.print {
            let portal = try #require(portals[channel.type])
            #expect(channel.url == "http://127.0.0.1:8790/\(portal.rawValue)")
            channel.url = harness.sandbox.url(of: portal)
            let adapter = try ChannelFactory.makeAdapter(
                config: channel, secrets: .process(environment: [:]), client: harness.client,
                logger: harness.logs.logger, templateDirectory: repositoryTemplates)
            let outcome = await adapter.send(TestRequests.make(noticeID: "ntc_example"))
            #expect(outcome.receipt?.publicationID != nil, "\(channel.name): \(outcome)")
        }
        await harness.stop()
    }
}
