import Foundation
import GonggaoCore
@testable import GonggaoSandbox
import HTTPTestSupport
import Testing

/// CONTRACT.md's example, run as written (curl + openssl, an independent signer) against a sandbox
/// with the demo credentials and a real clock.
@Suite(.serialized) struct ContractDocumentTests {
    static let contract = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/GonggaoSandbox/CONTRACT.md")

    @Test func theShellExampleIsAcceptedByTheSandbox() async throws {
        let text = try String(contentsOf: Self.contract, encoding: .utf8)
        let example = try #require(text.components(separatedBy: "## Example").last)
        let script = try #require(example.components(separatedBy: "```sh\n").last?.components(separatedBy: "```").first)
        let demo = SandboxConfig.demo()
        let h = try SandboxHarness {
            $0.provincial = demo.provincial
            $0.county = demo.county
            $0.mobile = demo.mobile
            $0.now = { Date() }
        }
        let port = h.port
        let output = try await Loopback.offPool { () -> String in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", script.replacingOccurrences(of: "127.0.0.1:8790", with: "127.0.0.1:\(port)")]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        #expect(output.contains("\"publicationId\":\"MOB-"), "curl printed: \(output)")
        #expect(h.server.item("ntc_1", of: .mobile)?.status == .published)
        await h.stop()
    }

    @Test func everyFaultModeIsDocumented() throws {
        let text = try String(contentsOf: Self.contract, encoding: .utf8)
        for mode in SandboxFault.Mode.allCases {
            #expect(text.contains("| `\(mode.rawValue)` |"), "CONTRACT.md lacks fault mode \(mode.rawValue)")
        }
    }
}
