import Foundation
import GonggaoCore
import Testing

@testable import GonggaoChannels

@Suite(.serialized) struct ChannelConfigTests {
    struct File: Decodable { var channels: [ChannelConfig] }

    static let valid = """
        {"channels": [
          {"name": "print", "type": "print"},
          {"name": "provincial-portal", "type": "provincial-portal", "url": "https://zqgk.zj.gov.cn/api/",
           "signing": {"secrets": [{"env": "GG_PROVINCIAL_OLD"}, {"file": "secrets/provincial.whsec"}]},
           "tls": {"caBundle": "ca/zj.pem", "clientCertificate": "/etc/gg/client.pem", "clientKey": "/etc/gg/client.key"},
           "timeoutSeconds": 8, "connectTimeoutSeconds": 2},
          {"name": "county-column", "type": "county-column", "url": "https://www.anji.gov.cn/zdlygk",
           "signing": {"secrets": [{"env": "GG_COUNTY_SECRET"}]}, "credential": {"env": "GG_COUNTY_TOKEN"},
           "county": {"orgCode": "000014349", "siteId": "3305230001"}},
          {"name": "mobile-platform", "type": "mobile-platform", "url": "https://api.zlb.example/open", "enabled": false,
           "signing": {"secrets": [{"env": "GG_MOBILE_SECRET"}]}, "credential": {"file": "/etc/gg/mobile.appkey"},
           "proxy": "http://proxy.internal:3128"}
        ]}
        """

    private func decode(_ text: String) throws(JSONInput.Failure) -> [ChannelConfig] {
        try JSONInput.decode(File.self, from: Data(text.utf8), source: "gonggao.json").channels
    }

    @Test func decodesAFullConfig() throws {
        let channels = try decode(Self.valid)
        #expect(channels.map(\.type) == ["print", "provincial-portal", "county-column", "mobile-platform"])
        #expect(channels[1].keyPath == "channels[1]")
        #expect(channels[1].signing?.secrets == [.environment("GG_PROVINCIAL_OLD"), .file("secrets/provincial.whsec")])
        #expect(channels[2].county?.topic == "征地拆迁")
        #expect(channels[3].enabled == false)
        for channel in channels { try channel.validate(path: channel.keyPath) }

        let resolved = channels[1].resolvingPaths(against: URL(fileURLWithPath: "/etc/gonggao"))
        #expect(resolved.tls?.caBundle == "/etc/gonggao/ca/zj.pem")
        #expect(resolved.tls?.clientKey == "/etc/gg/client.key")
        #expect(resolved.signing?.secrets[1] == .file("/etc/gonggao/secrets/provincial.whsec"))
        #expect(resolved.signing?.secrets[0] == .environment("GG_PROVINCIAL_OLD"))
    }

    @Test(arguments: [
        (
            #"{"name": "p", "type": "provincial-portal", "url": "ftp://x/y", "signing": {"secrets": [{"env": "A"}]}}"#,
            "channels[0].url: 'ftp://x/y' has scheme 'ftp'"
        ),
        (#"{"name": "p", "type": "fax", "url": "http://x"}"#, "channels[0].type: unknown channel type 'fax'"),
        (#"{"name": "p", "type": "provincial-portal", "url": "http://x"}"#, "channels[0].signing: is required"),
        (
            #"{"name": "p", "type": "provincial-portal", "url": "http://x", "signing": {"secrets": [{"value": "whsec_x"}]}}"#,
            "channels[0].signing.secrets[0].value: unknown key"
        ),
        (
            #"{"name": "p", "type": "provincial-portal", "url": "http://x", "signing": {"secrets": [{"env": "A", "file": "/b"}]}}"#,
            "channels[0].signing.secrets[0]: name exactly one of"
        ),
        (
            #"{"name": "c", "type": "county-column", "url": "http://x", "signing": {"secrets": [{"env": "A"}]}, "county": {"orgCode": "000014349"}}"#,
            "channels[0].credential: is required: the bearer token"
        ),
        (
            #"{"name": "c", "type": "county-column", "url": "http://x", "signing": {"secrets": [{"env": "A"}]}, "credential": {"env": "T"}, "county": {"orgCode": "abc"}}"#,
            "channels[0].county.orgCode: 'abc' is not an organisation code"
        ),
        (
            #"{"name": "p", "type": "provincial-portal", "url": "http://x", "signing": {"secrets": [{"env": "A"}]}, "tls": {"clientCertificate": "/c.pem"}}"#,
            "channels[0].tls.clientKey: is required with clientCertificate"
        ),
        (
            #"{"name": "p", "type": "provincial-portal", "url": "http://x", "signing": {"secrets": [{"env": "A"}]}, "timeoutSeconds": 0}"#,
            "channels[0].timeoutSeconds: must be more than 0"
        ),
        (
            #"{"name": "p", "type": "provincial-portal", "url": "http://x", "signng": {}}"#,
            "channels[0].signng: unknown key"
        ),
        (#"{"name": "p q", "type": "print"}"#, "channels[0].name: 'p q' is not a channel name"),
    ])
    func decodingErrorsNameTheKeyPath(_ entry: String, _ expected: String) {
        do {
            _ = try decode(#"{"channels": ["# + entry + "]}")
            Issue.record("accepted \(entry)")
        } catch {
            #expect(error.message.hasPrefix(expected), "\(error.message)")
        }
    }

    @Test func validateNamesThePathGiven() {
        let config = ChannelConfig(
            name: "m", type: ChannelKind.mobilePlatform, url: "http://127.0.0.1:1/mobile",
            signing: .init(secrets: [.environment("S")]), credential: .environment("K"),
            mobile: .init(titleLimit: 1))
        #expect(throws: ValidationError(field: "channels[3].mobile.titleLimit", "must be at least 2")) {
            try config.validate(path: "channels[3]")
        }
    }

    @Test func factoryErrorsNameTheSecretsKeyPathNotItsValue() async throws {
        let client = try HTTPClient(logger: .discard)
        let channels = try decode(Self.valid)
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

        // The second signing secret's file is missing.
        let missingFile = SecretSource.fixed(environment: ["GG_PROVINCIAL_OLD": secret])
        #expect(
            throws: ValidationError(
                field: "channels[1].signing.secrets[1].file", "file secrets/provincial.whsec cannot be read")
        ) {
            _ = try ChannelFactory.makeAdapter(
                config: channels[1], secrets: missingFile, client: client, logger: .discard,
                templateDirectory: repositoryTemplates)
        }
        // Not a whsec_ secret: the error names the variable, never the value.
        let notASecret = SecretSource.fixed(environment: [
            "GG_COUNTY_SECRET": "hunter2-hunter2", "GG_COUNTY_TOKEN": "t",
        ])
        do {
            _ = try ChannelFactory.makeAdapter(
                config: channels[2], secrets: notASecret, client: client, logger: .discard,
                templateDirectory: repositoryTemplates)
            Issue.record("accepted a bad secret")
        } catch let error as ValidationError {
            #expect(error.field == "channels[2].signing.secrets[0].env")
            #expect(!"\(error)".contains("hunter2"))
        }
        // The bearer token is missing.
        #expect(
            throws: ValidationError(
                field: "channels[2].credential.env", "environment variable GG_COUNTY_TOKEN is not set")
        ) {
            _ = try ChannelFactory.makeAdapter(
                config: channels[2], secrets: .fixed(environment: ["GG_COUNTY_SECRET": secret]),
                client: client, logger: .discard, templateDirectory: repositoryTemplates)
        }
        // No builder for print in the plain factory; one can be registered.
        #expect(throws: ValidationError.self) {
            _ = try ChannelFactory.makeAdapter(config: channels[0], secrets: .fixed(), client: client, logger: .discard)
        }
        await client.shutdown()
    }

    @Test func factoryChecksTemplatesAtStartUp() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonggao-tmpl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bad = dir.appendingPathComponent("item.json")
        try "{\n  \"title\": {{notice.titel}}\n}".write(to: bad, atomically: true, encoding: .utf8)
        var config = ChannelConfig(
            name: "p", type: ChannelKind.provincialPortal, url: "http://127.0.0.1:1/provincial",
            signing: .init(secrets: [.environment("S")]), templates: .init(publish: bad.path))
        config.keyPath = "channels[1]"
        let client = try HTTPClient(logger: .discard)
        defer { client.close() }
        do {
            _ = try ChannelFactory.makeAdapter(
                config: config, secrets: .fixed(environment: ["S": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]),
                client: client, logger: .discard, templateDirectory: repositoryTemplates)
            Issue.record("accepted a template with an unknown key")
        } catch let error as ValidationError {
            #expect(error.field == "channels[1].templates.publish")
            #expect(error.message.contains("item.json:2: notice.titel: unknown key"), "\(error.message)")
        }
    }

    @Test func registeredBuildersExtendTheFactory() throws {
        struct Fake: ChannelAdapter {
            let channel: String
            let timeout: Duration = .seconds(1)
            func send(_ request: ChannelRequest) async -> ChannelOutcome { .rejected("fake") }
        }
        var factory = ChannelFactory()
        factory.register(type: ChannelKind.print) { config, _ in Fake(channel: config.name) }
        let client = try HTTPClient(logger: .discard)
        defer { client.close() }
        let adapter = try factory.makeAdapter(
            config: ChannelConfig(name: "print", type: "print"),
            context: .init(secrets: .fixed(), client: client, logger: .discard))
        #expect(adapter.channel == "print")
    }
}
