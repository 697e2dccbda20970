import Foundation
import Testing
import TestSupport

/// Help on every command, and config errors that name the file and the key path (exit 2).
@Suite(.serialized) struct UsageAndConfigTests {
    static let commands = [
        "init", "project import", "project list", "project show", "notice draft", "notice edit", "notice submit",
        "notice approve", "notice reject", "notice correct", "notice withdraw", "notice show", "notice list",
        "deliveries list", "deliveries show", "audit verify", "audit head",
    ]

    @Test func everyCommandHasHelpThatNeedsNoConfig() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.cleanup() }
        for command in Self.commands {
            let words = command.split(separator: " ").map(String.init)
            let result = try await sandbox.run(words + ["--help"], config: false)
            #expect(result.status == 0, "\(command): \(result)")
            #expect(result.stdout.contains("usage: gonggao \(command)"), "\(command): \(result.stdout)")
            #expect(result.stdout.contains("--config FILE"), "\(command)")
        }
        let top = try await sandbox.run(["--help"], config: false)
        #expect(top.status == 0 && Self.commands.allSatisfy { top.stdout.contains($0) })
        let group = try await sandbox.run(["notice", "--help"], config: false)
        #expect(group.status == 0 && group.stdout.contains("notice approve ID"))
        let bare = try await sandbox.run([], config: false)
        #expect(bare.status == 2 && bare.stderrLines.count == 1)
    }

    @Test func aMissingStoreSaysRunInit() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.cleanup() }
        let result = try await sandbox.run(["notice", "list"])
        #expect(result.status == 1 && result.stderr.contains("gonggao init"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.storePath), "only init creates the store")
    }

    @Test func aBadClockIsAUsageError() async throws {
        let sandbox = try CLISandbox(clock: "yesterday")
        defer { sandbox.cleanup() }
        let result = try await sandbox.run(["init"])
        #expect(result.status == 2 && result.stderr.contains("GONGGAO_CLOCK"), "\(result)")
    }

    struct BadConfig: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var mentions: [String]
        var testDescription: String { name }
    }

    static let users = #"[{"name": "a", "roles": ["admin"]}]"#
    static func config(store: String = #"{"sqlite": "g.sqlite"}"#, url: String = #""https://x.example""#,
                       users: String = users, channels: String = #"[{"name": "print", "type": "print"}]"#) -> String {
        #"{"store": \#(store), "publicBaseURL": \#(url), "users": \#(users), "channels": \#(channels)}"#
    }

    static let badConfigs: [BadConfig] = [
        BadConfig(name: "malformed JSON", json: "{\n  \"store\": {\"sqlite\": \"g.sqlite\"},\n  \"users\": [,]\n}",
                  mentions: ["malformed JSON", "line 3, column"]),
        BadConfig(name: "unknown role", json: config(users: #"[{"name": "a", "roles": ["admin"]}, {"name": "b", "roles": ["boss"]}]"#),
                  mentions: ["users[1].roles[0]", "unknown role 'boss'"]),
        BadConfig(name: "duplicate user", json: config(users: #"[{"name": "a", "roles": ["admin"]}, {"name": "a", "roles": ["viewer"]}]"#),
                  mentions: ["users[1].name", "duplicate user name 'a'"]),
        BadConfig(name: "duplicate channel",
                  json: config(channels: #"[{"name": "print", "type": "print"}, {"name": "print", "type": "print"}]"#),
                  mentions: ["channels[1].name", "duplicate channel name 'print'"]),
        BadConfig(name: "bad channel URL",
                  json: config(channels: #"[{"name": "p", "type": "print"}, {"name": "q", "type": "print"}, {"name": "r", "type": "mobile-platform", "url": "not a url"}]"#),
                  mentions: ["channels[2].url"]),
        BadConfig(name: "unknown channel type", json: config(channels: #"[{"name": "p", "type": "fax"}]"#),
                  mentions: ["channels[0].type", "unknown channel type 'fax'"]),
        BadConfig(name: "unknown key", json: config(channels: #"[{"name": "p", "type": "print", "enabeld": false}]"#),
                  mentions: ["channels[0].enabeld", "unknown key"]),
        BadConfig(name: "bad public URL", json: config(url: #""ftp://x.example""#), mentions: ["publicBaseURL", "ftp"]),
        BadConfig(name: "missing key", json: #"{"store": {"sqlite": "g.sqlite"}, "users": [], "channels": []}"#,
                  mentions: ["publicBaseURL is required"]),
        BadConfig(name: "public URL too long for a QR code",
                  json: config(url: #""https://gonggao.zhejiang-province.example.gov.cn/notices""#),
                  mentions: ["publicBaseURL", "56 bytes, at most 37 allowed", "80 bytes"]),
        BadConfig(name: "non-ASCII public URL", json: config(url: #""https://公告.example""#),
                  mentions: ["publicBaseURL", "not ASCII"]),
        BadConfig(name: "seal file missing",
                  json: #"{"store": {"sqlite": "g.sqlite"}, "publicBaseURL": "https://x.example", "users": \#(users), "#
                      + #""channels": [{"name": "print", "type": "print"}], "poster": {"seal": "no-such-seal.png"}}"#,
                  mentions: ["poster.seal", "no-such-seal.png"]),
        BadConfig(name: "alert endpoint not a URL",
                  json: #"{"store": {"sqlite": "g.sqlite"}, "publicBaseURL": "https://x.example", "users": \#(users), "#
                      + #""channels": [{"name": "print", "type": "print"}], "#
                      + #""warnings": {"alerts": {"url": "ftp://alerts", "signing": {"secrets": [{"env": "GG_ALERT"}]}}}}"#,
                  mentions: ["warnings.alerts.url", "ftp"]),
        BadConfig(name: "unknown backend", json: config(store: #"{"mysql": "x"}"#), mentions: ["store.mysql", "unknown store backend"]),
    ]

    @Test(arguments: badConfigs)
    func aBadConfigNamesTheFileAndKeyPath(_ bad: BadConfig) async throws {
        let sandbox = try CLISandbox(configJSON: bad.json)
        defer { sandbox.cleanup() }
        let result = try await sandbox.run(["notice", "list"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        let line = result.stderrLines.first ?? ""
        #expect(line.hasPrefix("gonggao: \(sandbox.configPath): "), "\(line)")
        for word in bad.mentions { #expect(line.contains(word), "'\(word)' in: \(line)") }
    }

    @Test func theConfigComesFromTheEnvironmentWhenNoFlagNamesIt() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.cleanup() }
        var env = sandbox.environment
        env["GONGGAO_CONFIG"] = sandbox.configPath
        let result = try await ProcessRunner.run(GonggaoBinary.path, ["init"], environment: env,
                                                 directory: sandbox.directory, scratch: sandbox.directory)
        #expect(result.status == 0 && result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == sandbox.storePath, "\(result)")
    }
}
