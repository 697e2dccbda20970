import Foundation
import GonggaoCore
import Testing

@testable import GonggaoChannels

@Suite struct SigningTests {
    /// The Standard Webhooks specification's test vector.
    @Test func specificationVector() throws {
        let secret = try #require(StandardWebhooks.Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let signature = StandardWebhooks.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
            body: Array(#"{"test": 2432232314}"#.utf8), secret: secret)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")

        let signer = WebhookSigner(secrets: [secret])
        let headers = signer.headers(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", now: Date(timeIntervalSince1970: 1_614_265_330.9),
            body: Array(#"{"test": 2432232314}"#.utf8))
        #expect(headers.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers[1].value == "1614265330")
        #expect(headers[2].value == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func rotationSignsWithEverySecret() throws {
        let old = try #require(StandardWebhooks.Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let new = try #require(StandardWebhooks.Secret("whsec_" + Data(repeating: 7, count: 32).base64EncodedString()))
        let now = Date()
        let body = Array(#"{"noticeId":"ntc_1"}"#.utf8)
        let headers = WebhookSigner(secrets: [old, new]).headers(id: "dlv_1", now: now, body: body)
        let signatures = headers[2].value.split(separator: " ")
        #expect(signatures.count == 2)
        // A receiver that knows only one of the two secrets accepts the message either way.
        for secret in [old, new] {
            try StandardWebhooks.verify(
                id: "dlv_1", timestamp: headers[1].value, signatures: headers[2].value, body: body,
                secret: secret, now: now)
        }
        let stranger = try #require(
            StandardWebhooks.Secret("whsec_" + Data(repeating: 9, count: 32).base64EncodedString()))
        #expect(throws: StandardWebhooks.VerificationError.noMatchingSignature) {
            try StandardWebhooks.verify(
                id: "dlv_1", timestamp: headers[1].value, signatures: headers[2].value, body: body,
                secret: stranger, now: now)
        }
    }

    @Test func secretsNeverPrintThemselves() throws {
        let text = SecretText("sandbox-county-demo-token")
        #expect("\(text)" == "(redacted)")
        #expect(String(reflecting: text) == "SecretText(redacted)")
        var dumped = ""
        dump(text, to: &dumped)
        #expect(!dumped.contains("sandbox-county-demo-token"))
        let signer = WebhookSigner(secrets: [
            try #require(StandardWebhooks.Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        ])
        #expect(!"\(signer)".contains("MfKQ9r8G"))
    }

    @Test func secretSources() throws {
        let source = SecretSource.fixed(environment: ["A": " whsec_x \n"], files: ["/s": "token\n"])
        #expect(try source.resolve(.environment("A")).reveal() == "whsec_x")
        #expect(try source.resolve(.file("/s")).reveal() == "token")
        #expect(throws: SecretSource.Failure.self) { try source.resolve(.environment("MISSING")) }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonggao-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("county.token")
        try "from-a-file\n".write(to: file, atomically: true, encoding: .utf8)
        let process = SecretSource.process(environment: ["GG_TEST_SECRET": "from-env"])
        #expect(try process.resolve(.file(file.path)).reveal() == "from-a-file")
        #expect(try process.resolve(.environment("GG_TEST_SECRET")).reveal() == "from-env")
        do {
            _ = try process.resolve(.file(dir.appendingPathComponent("absent").path))
            Issue.record("an absent file resolved")
        } catch {
            #expect(error.message.contains("cannot be read"))
        }
    }
}
