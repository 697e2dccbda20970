import Foundation
import GonggaoStore

/// A private world for one end-to-end test: a temporary folder, a config naming a store inside it,
/// a fixed clock, and a way to run the built `gonggao` against them. Never touches the repo's store.
public struct CLISandbox: Sendable {
    public let directory: URL
    public let configPath: String
    public let storePath: String
    /// The value of `GONGGAO_CLOCK` every run gets.
    public let clock: String

    /// The users of every sandbox: two drafters, an approver, one with both roles (to test four-eyes), an admin.
    public static let usersJSON = """
        [
          { "name": "zhang.wei", "displayName": "张伟", "roles": ["drafter"] },
          { "name": "li.na", "displayName": "李娜", "roles": ["approver"] },
          { "name": "wang.fang", "displayName": "王芳", "roles": ["drafter", "approver"] },
          { "name": "admin", "roles": ["admin"] }
        ]
        """

    /// The four channels of the sample, all enabled.
    public static let channels = ["print", "provincial-portal", "county-column", "mobile-platform"]

    /// The sample's channels as config entries: print spools beside the store; the portals point at a
    /// loopback port nobody listens on (these tests queue deliveries, they do not send them), with
    /// secrets from the environment (`environment` sets them).
    public static let channelsJSON = """
        { "name": "print", "type": "print" },
            { "name": "provincial-portal", "type": "provincial-portal", "url": "http://127.0.0.1:9/provincial",
              "signing": { "secrets": [{ "env": "GG_TEST_PROVINCIAL_WHSEC" }] } },
            { "name": "county-column", "type": "county-column", "url": "http://127.0.0.1:9/county",
              "signing": { "secrets": [{ "env": "GG_TEST_COUNTY_WHSEC" }] },
              "credential": { "env": "GG_TEST_COUNTY_TOKEN" }, "county": { "orgCode": "002567901", "topic": "征地拆迁" } },
            { "name": "mobile-platform", "type": "mobile-platform", "url": "http://127.0.0.1:9/mobile",
              "signing": { "secrets": [{ "env": "GG_TEST_MOBILE_WHSEC" }] }, "credential": { "env": "GG_TEST_MOBILE_APPKEY" } }
        """

    /// The secrets `channelsJSON` names (test-only values).
    public static let channelSecrets = [
        "GG_TEST_PROVINCIAL_WHSEC": "whsec_dGVzdC1wcm92aW5jaWFsLXNlY3JldC0wMDAwMDAwMA==",
        "GG_TEST_COUNTY_WHSEC": "whsec_dGVzdC1jb3VudHktc2VjcmV0LTAwMDAwMDAwMDAwMA==",
        "GG_TEST_COUNTY_TOKEN": "test-county-token",
        "GG_TEST_MOBILE_WHSEC": "whsec_dGVzdC1tb2JpbGUtc2VjcmV0LTAwMDAwMDAwMDAwMA==",
        "GG_TEST_MOBILE_APPKEY": "test-mobile-appkey",
    ]

    /// Makes the folder and writes `config.json` (store `gonggao.sqlite` beside it, relative).
    /// `trustLocalOperators`: whether `--as USER` alone may act (false: write commands need a token).
    public init(clock: String = "2026-12-01T09:00:00+08:00", configJSON: String? = nil,
                trustLocalOperators: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gonggao-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configPath = directory.appendingPathComponent("config.json").path
        storePath = directory.appendingPathComponent("gonggao.sqlite").path
        self.clock = clock
        let channels = Self.channelsJSON
        let json = configJSON ?? """
            {
              "store": { "sqlite": "gonggao.sqlite" },
              "publicBaseURL": "https://gonggao.example.gov.cn",
              "users": \(Self.usersJSON),
              "channels": [
                \(channels)
              ],
              "templates": "\(GonggaoBinary.repositoryRoot.appendingPathComponent("Templates").path)",
              "http": { "trustLocalOperators": \(trustLocalOperators) }
            }
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: configPath))
    }

    /// The environment of every run: ours, without a config override, with the fixed clock.
    public var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "GONGGAO_CONFIG")
        env["GONGGAO_CLOCK"] = clock
        env.merge(Self.channelSecrets) { _, new in new }
        return env
    }

    /// Runs `gonggao ARGS --config <sandbox config>`.
    /// `extra` is added to the environment (e.g. `GONGGAO_TOKEN`).
    public func run(_ arguments: [String], config: Bool = true, extra: [String: String] = [:]) async throws -> ProcessResult {
        try await ProcessRunner.run(GonggaoBinary.path, arguments + (config ? ["--config", configPath] : []),
                                    environment: environment.merging(extra) { _, new in new },
                                    directory: directory, scratch: directory)
    }

    /// Starts `gonggao ARGS --config <sandbox config>` in the background (a daemon such as `serve`).
    public func start(_ arguments: [String], extra: [String: String] = [:]) throws -> RunningProcess {
        try ProcessRunner.start(GonggaoBinary.path, arguments + ["--config", configPath],
                                environment: environment.merging(extra) { _, new in new },
                                directory: directory, scratch: directory)
    }

    /// Runs a command that must succeed and returns its trimmed stdout.
    public func ok(_ arguments: [String], extra: [String: String] = [:]) async throws -> String {
        let result = try await run(arguments, extra: extra)
        guard result.status == 0 else { throw SandboxFailure(command: arguments, result: result) }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `text` to a file in the sandbox and returns its path.
    public func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Writes a JSON object to a file in the sandbox and returns its path.
    public func writeJSON(_ name: String, _ object: Any) throws -> String {
        let url = directory.appendingPathComponent(name)
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: url)
        return url.path
    }

    /// The audit head file the store keeps beside itself.
    public var auditHeadPath: String { AuditHeadFile(besideStore: storePath).path }

    /// A logical dump of everything in the sandbox's store, read through `SQLiteStore`.
    public func dump() async throws -> String {
        try await StoreDump.text(sqlitePath: storePath)
    }

    public func cleanup() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A command that should have succeeded did not.
public struct SandboxFailure: Error, CustomStringConvertible {
    public var command: [String]
    public var result: ProcessResult
    public var description: String { "gonggao \(command.joined(separator: " ")) failed: \(result)" }
}
