import Foundation
import GonggaoCore
@testable import GonggaoSandbox
import HTTPTestSupport
import Testing

@Suite(.serialized) struct PortalAcceptanceTests {
    @Test func provincialCreateIsPublishedWithIdAndPublicURL() async throws {
        let h = try SandboxHarness()
        let r = try await h.push(.provincial, "/provincial/items", Payloads.provincial(), webhookId: "dlv_1")
        #expect(r.status == 201)
        #expect(r.json?["publicationId"] as? String == "PRV-2026-000001")
        let url = try #require(r.json?["url"] as? String)
        #expect(url == "http://127.0.0.1:\(h.port)/provincial/public/PRV-2026-000001")
        #expect(r.json?["effect"] as? String == "created")
        let item = try #require(h.server.item("ntc_a1", of: .provincial))
        #expect(item.status == .published && item.version == 1 && item.publications == 1)
        #expect(item.history.map(\.webhookId) == ["dlv_1"])
        let page = try await Loopback.request(port: h.port, "GET", "/provincial/public/PRV-2026-000001")
        #expect(page.status == 200)
        #expect(page.json?["noticeId"] as? String == "ntc_a1")
        let listed = try await Loopback.request(port: h.port, "GET", "/_sandbox/provincial/items")
        #expect((listed.json?["items"] as? [[String: Any]])?.count == 1)
        await h.stop()
    }

    @Test func badSignatureStaleTimestampAndMissingHeadersAre401() async throws {
        let h = try SandboxHarness()
        let wrong = StandardWebhooks.Secret("whsec_" + Data("some-other-secret-entirely".utf8).base64EncodedString())!
        let bad = try await h.push(.provincial, "/provincial/items", Payloads.provincial(), secret: wrong)
        #expect(bad.status == 401)
        #expect(bad.json?["error"] as? String == "bad-signature")
        let stale = try await h.push(.provincial, "/provincial/items", Payloads.provincial(), timestamp: h.now - 301)
        #expect(stale.status == 401)
        #expect(stale.json?["error"] as? String == "stale-timestamp")
        let future = try await h.push(.provincial, "/provincial/items", Payloads.provincial(), timestamp: h.now + 301)
        #expect(future.json?["error"] as? String == "stale-timestamp")
        let unsigned = try await Loopback.json(port: h.port, "POST", "/provincial/items", Payloads.provincial())
        #expect(unsigned.status == 401)
        #expect(unsigned.json?["error"] as? String == "missing-signature")
        #expect(h.server.items(of: .provincial).isEmpty)
        // Within tolerance is fine, and a rotation's second signature may be the one that matches.
        let rotated = try await h.push(
            .provincial, "/provincial/items", Payloads.provincial(), timestamp: h.now - 299,
            secret: wrong, extraSignatureSecrets: [SandboxHarness.provincialSecret])
        #expect(rotated.status == 201)
        await h.stop()
    }

    @Test func countyNeedsItsBearerTokenAndValidMetadata() async throws {
        let h = try SandboxHarness()
        let missing = try await h.push(.county, "/county/articles", Payloads.county(), credential: .some(nil))
        #expect(missing.status == 401)
        #expect(missing.json?["error"] as? String == "missing-credential")
        let wrong = try await h.push(.county, "/county/articles", Payloads.county(), credential: "nope")
        #expect(wrong.status == 401)
        #expect(wrong.json?["error"] as? String == "bad-credential")
        let badIndex = try await h.push(.county, "/county/articles", Payloads.county(indexNumber: "14349/2026-12"))
        #expect(badIndex.status == 422)
        #expect(badIndex.json?["field"] as? String == "metadata.indexNumber")
        let ok = try await h.push(.county, "/county/articles", Payloads.county())
        #expect(ok.status == 201)
        #expect(ok.json?["publicationId"] as? String == "CTY-2026-000001")
        #expect(ok.json?["indexNumber"] as? String == "000014349/2026-00012")
        await h.stop()
    }

    @Test func mobileNeedsItsAppKeyAndEnforcesCardLimits() async throws {
        let h = try SandboxHarness()
        let wrong = try await h.push(.mobile, "/mobile/cards", Payloads.mobile(), credential: "bad-key")
        #expect(wrong.status == 401)
        #expect(wrong.json?["error"] as? String == "bad-credential")
        let longTitle = try await h.push(
            .mobile, "/mobile/cards", Payloads.mobile(title: String(repeating: "征", count: 31)))
        #expect(longTitle.status == 422)
        #expect(longTitle.json?["error"] as? String == "field-too-long")
        #expect(longTitle.json?["field"] as? String == "title")
        let longSummary = try await h.push(
            .mobile, "/mobile/cards", Payloads.mobile(summary: String(repeating: "地", count: 121)))
        #expect(longSummary.json?["field"] as? String == "summary")
        let atLimits = try await h.push(
            .mobile, "/mobile/cards",
            Payloads.mobile(
                title: String(repeating: "征", count: 29) + "…",
                summary: String(repeating: "地", count: 120)))
        #expect(atLimits.status == 201)
        #expect(atLimits.json?["publicationId"] as? String == "MOB-2026-000001")
        await h.stop()
    }

    @Test func malformedJSONWrongTypeAndMissingFieldsAreNamed() async throws {
        let h = try SandboxHarness()
        var noTitle = Payloads.provincial()
        noTitle["title"] = nil
        let missing = try await h.push(.provincial, "/provincial/items", noTitle)
        #expect(missing.status == 422)
        #expect(missing.json?["field"] as? String == "title")
        var badKind = Payloads.provincial()
        badKind["kind"] = "party"
        #expect(try await h.push(.provincial, "/provincial/items", badKind).json?["field"] as? String == "kind")
        var badVersion = Payloads.provincial()
        badVersion["version"] = "one"
        #expect(try await h.push(.provincial, "/provincial/items", badVersion).json?["field"] as? String == "version")
        await h.stop()
    }

    @Test func secretsAndCredentialsNeverReachTheLog() async throws {
        let h = try SandboxHarness()
        _ = try await h.push(.county, "/county/articles", Payloads.county())
        _ = try await h.push(.mobile, "/mobile/cards", Payloads.mobile())
        _ = try await h.push(.county, "/county/articles", Payloads.county(), credential: "wrong-token-xyz")
        await h.stop()
        let text = h.capture.all.joined(separator: "\n")
        #expect(!text.isEmpty)
        for secret in [
            SandboxHarness.bearer, SandboxHarness.appKey, "wrong-token-xyz",
            Data(SandboxHarness.countySecret.key).base64EncodedString(),
        ] {
            #expect(!text.contains(secret))
        }
    }

    @Test func aConfigWithoutCredentialsDoesNotStart() throws {
        let config = SandboxConfig(
            provincial: .init(secrets: []), county: .init(secrets: []), mobile: .init(secrets: []))
        #expect { try SandboxServer(config: config, logger: .discard).start() } throws: {
            "\($0)".contains("provincial.secrets")
        }
        let demo = SandboxConfig.demo()
        #expect(demo.problem == nil)
    }
}
