import Foundation
import GonggaoCore
import GonggaoSandbox
import Testing

@testable import GonggaoChannels

/// Each adapter against the sandbox portal that imitates it (Sources/GonggaoSandbox/CONTRACT.md).
@Suite(.serialized) struct PortalAdapterTests {
    @Test(arguments: SandboxPortal.allCases)
    func createUpdateWithdraw(_ portal: SandboxPortal) async throws {
        let harness = try SandboxHarness()
        let adapter = try harness.adapter(portal)
        let id = "ntc_life\(portal.rawValue)"

        let created = await adapter.send(TestRequests.make(noticeID: id, version: 1, operation: .create))
        let receipt = try #require(created.receipt, "\(created)")
        #expect(created.httpStatus == 201)
        let publication = try #require(receipt.publicationID)
        #expect(publication.hasPrefix(["provincial": "PRV-", "county": "CTY-", "mobile": "MOB-"][portal.rawValue]!))
        #expect(receipt.publicURL?.hasSuffix("/public/" + publication) == true)

        let updated = await adapter.send(TestRequests.make(noticeID: id, version: 2, operation: .update))
        #expect(updated.receipt?.publicationID == publication, "\(updated)")

        let withdrawn = await adapter.send(
            TestRequests.make(
                noticeID: id, version: 2, operation: .withdraw,
                withdrawalReason: "项目调整，撤回本公告"))
        #expect(withdrawn.receipt?.publicationID == publication, "\(withdrawn)")

        let item = try #require(harness.sandbox.item(id, of: portal))
        #expect(item.status == .withdrawn)
        #expect(item.withdrawalReason == "项目调整，撤回本公告")
        #expect(item.history.map(\.effect) == [.created, .updated, .withdrawn])
        #expect(item.history.map(\.version) == [1, 2, 2])
        await harness.stop()
    }

    /// A withdrawal the portal has no item for (the publish may never have arrived) ends as
    /// nothing to withdraw, not as a dead letter.
    @Test(arguments: SandboxPortal.allCases)
    func withdrawingAnItemThePortalNeverGotIsNothingToWithdraw(_ portal: SandboxPortal) async throws {
        let harness = try SandboxHarness()
        let adapter = try harness.adapter(portal)
        let outcome = await adapter.send(
            TestRequests.make(noticeID: "ntc_never\(portal.rawValue)", version: 1, operation: .withdraw, withdrawalReason: "撤回"))
        #expect(outcome.receipt != nil && outcome.reason.contains("nothing to withdraw") && outcome.httpStatus == 404, "\(outcome)")
        #expect(harness.sandbox.item("ntc_never\(portal.rawValue)", of: portal) == nil)
        await harness.stop()
    }

    @Test func retriesWithTheSameDeliveryIdPublishOnce() async throws {
        let harness = try SandboxHarness()
        let adapter = try harness.adapter(.provincial)
        let request = TestRequests.make(noticeID: "ntc_dedupe", deliveryID: "dlv_same")
        let first = await adapter.send(request)
        var retry = request
        retry.attempt = 2
        let second = await adapter.send(retry)
        #expect(first.receipt?.publicationID != nil)
        #expect(second.receipt?.publicationID == first.receipt?.publicationID)
        #expect(harness.sandbox.item("ntc_dedupe", of: .provincial)?.publications == 1)
        #expect(harness.sandbox.log(of: .provincial).map(\.outcome) == ["created", "duplicate"])
        await harness.stop()
    }

    @Test func provincialCreateOfALaterVersionUsesPut() async throws {
        // A correction reaching a portal that never got version 1 creates the item.
        let harness = try SandboxHarness()
        let adapter = try harness.adapter(.provincial)
        let outcome = await adapter.send(TestRequests.make(noticeID: "ntc_late", version: 2, operation: .create))
        #expect(outcome.httpStatus == 201, "\(outcome)")
        let item = try #require(harness.sandbox.item("ntc_late", of: .provincial))
        #expect(item.payload["corrects"]?["documentNumber"]?.stringValue == "安政征预〔2026〕37号")
        #expect(harness.sandbox.log(of: .provincial).first?.method == "PUT")
        await harness.stop()
    }

    @Test func countyArticleCarriesTheDisclosureMetadata() async throws {
        let harness = try SandboxHarness()
        let adapter = try harness.adapter(.county)
        let outcome = await adapter.send(TestRequests.make(noticeID: "ntc_county", sequence: 12))
        #expect(outcome.receipt != nil, "\(outcome)")
        let payload = try #require(harness.sandbox.item("ntc_county", of: .county)?.payload)
        let metadata = try #require(payload["metadata"])
        #expect(metadata["indexNumber"]?.stringValue == "000014349/2026-00012")
        #expect(metadata["topic"]?.stringValue == "征地拆迁")
        #expect(metadata["issuingBody"]?.stringValue == "安吉县人民政府")
        #expect(metadata["dateWritten"]?.stringValue == "2026-03-01")
        #expect(metadata["documentNumber"]?.stringValue == "安政征预〔2026〕37号")
        #expect(metadata["publishedOn"]?.stringValue == CivilDate(Date()).description)
        #expect(payload["body"]?.stringValue?.contains("\n特此公告。") == true)
        #expect(payload["siteId"]?.stringValue == "3305230001")

        let noSequence = await adapter.send(TestRequests.make(noticeID: "ntc_county2", sequence: nil))
        #expect(noSequence.isRejected)
        #expect(noSequence.reason.contains("noticeSequence"))
        #expect(harness.sandbox.item("ntc_county2", of: .county) == nil)
        await harness.stop()
    }

    @Test func mobileCardIsCutToItsLimits() async throws {
        let harness = try SandboxHarness()
        let adapter = try harness.adapter(.mobile)
        let title = "安吉县梅溪镇石龙村、荆湾村、晓墅村2026年第37批次城镇建设用地征收土地预公告（更正）"
        let paragraph = String(repeating: "根据《中华人民共和国土地管理法》第四十七条规定，", count: 10)
        let outcome = await adapter.send(
            TestRequests.make(noticeID: "ntc_card", title: title, body: [paragraph, "特此公告。"]))
        #expect(outcome.receipt != nil, "\(outcome)")
        let payload = try #require(harness.sandbox.item("ntc_card", of: .mobile)?.payload)
        let cardTitle = try #require(payload["title"]?.stringValue)
        let summary = try #require(payload["summary"]?.stringValue)
        #expect(cardTitle.count == 30)
        #expect(cardTitle.hasSuffix("…"))
        #expect(cardTitle == String(title.prefix(29)) + "…")
        #expect(summary.count == 120)
        #expect(summary.hasSuffix("…"))
        #expect(payload["link"]?.stringValue == "https://gonggao.example.gov.cn/p/330523-2026-37-1")

        // A short card is sent as it is.
        let short = await adapter.send(TestRequests.make(noticeID: "ntc_card2", title: "梅溪镇征收土地预公告", body: ["特此公告。"]))
        #expect(short.receipt != nil)
        #expect(harness.sandbox.item("ntc_card2", of: .mobile)?.payload["title"]?.stringValue == "梅溪镇征收土地预公告")
        await harness.stop()
    }

    @Test(arguments: [SandboxPortal.county, .mobile])
    func badCredentialIsRejected(_ portal: SandboxPortal) async throws {
        let harness = try SandboxHarness()
        var config = harness.config(portal)
        config.credential = .environment("GG_WRONG")
        let outcome = await try harness.adapter(config).send(TestRequests.make(noticeID: "ntc_cred"))
        #expect(outcome.isRejected)
        #expect(outcome.httpStatus == 401)
        #expect(outcome.reason.hasPrefix("HTTP 401 bad-credential"), "\(outcome.reason)")
        #expect(harness.sandbox.item("ntc_cred", of: portal) == nil)
        await harness.stop()
    }

    @Test func wrongSigningSecretIsRejected() async throws {
        let harness = try SandboxHarness()
        var config = harness.config(.provincial)
        config.signing = .init(secrets: [.environment("GG_OTHER_SECRET")])
        let outcome = await try harness.adapter(config).send(TestRequests.make())
        #expect(outcome.isRejected)
        #expect(outcome.reason.hasPrefix("HTTP 401 bad-signature"), "\(outcome.reason)")
        await harness.stop()
    }

    @Test func rotationWithAnOldAndANewSecretIsAccepted() async throws {
        let harness = try SandboxHarness()
        var config = harness.config(.provincial)
        // The portal knows only the second secret: one matching signature suffices.
        config.signing = .init(secrets: [.environment("GG_OTHER_SECRET"), .environment("GG_PROVINCIAL_SECRET")])
        let outcome = await try harness.adapter(config).send(TestRequests.make())
        #expect(outcome.receipt != nil, "\(outcome)")
        await harness.stop()
    }

    @Test func staleTimestampIsRejected() async throws {
        let harness = try SandboxHarness()
        let outcome = await try harness.adapter(.provincial).send(
            TestRequests.make(now: Date().addingTimeInterval(-600)))
        #expect(outcome.isRejected)
        #expect(outcome.reason.hasPrefix("HTTP 401 stale-timestamp"), "\(outcome.reason)")
        await harness.stop()
    }

    @Test(arguments: SandboxPortal.allCases)
    func serverErrorIsRetryable(_ portal: SandboxPortal) async throws {
        let harness = try SandboxHarness()
        try harness.sandbox.inject(SandboxFault(mode: .status, status: 500), into: portal)
        let adapter = try harness.adapter(portal)
        let request = TestRequests.make(noticeID: "ntc_500")
        let failed = await adapter.send(request)
        #expect(failed.isRetryable)
        #expect(failed.retryAfter == nil)
        #expect(failed.httpStatus == 500)
        #expect(failed.reason.hasPrefix("HTTP 500 injected-fault"))
        // The same delivery id succeeds once the fault is used up: failures never stick to an id.
        let retried = await adapter.send(request)
        #expect(retried.receipt != nil, "\(retried)")
        await harness.stop()
    }

    @Test func unavailableWithRetryAfterIsRetryableForThatLong() async throws {
        let harness = try SandboxHarness()
        try harness.sandbox.inject(SandboxFault(mode: .unavailable, retryAfter: 7), into: .county)
        try harness.sandbox.inject(SandboxFault(mode: .rateLimited, retryAfter: 3), into: .county)
        let adapter = try harness.adapter(.county)
        let unavailable = await adapter.send(TestRequests.make(noticeID: "ntc_503"))
        #expect(unavailable.httpStatus == 503)
        #expect(unavailable.retryAfter == .seconds(7))
        let limited = await adapter.send(TestRequests.make(noticeID: "ntc_429"))
        #expect(limited.httpStatus == 429)
        #expect(limited.retryAfter == .seconds(3))
        await harness.stop()
    }

    @Test func hangingPortalTimesOutAsRetryable() async throws {
        let harness = try SandboxHarness()
        try harness.sandbox.inject(SandboxFault(mode: .hang, seconds: 4), into: .mobile)
        let adapter = try harness.adapter(harness.config(.mobile, timeoutSeconds: 1))
        #expect(adapter.timeout == .seconds(1))
        let start = ContinuousClock.now
        let outcome = await adapter.send(TestRequests.make())
        #expect(outcome.isRetryable)
        #expect(outcome.transportError == 28)
        #expect(outcome.reason == "timeout (curl 28)")
        #expect(ContinuousClock.now - start < .seconds(3))
        await harness.stop()
    }

    @Test func resetConnectionIsRetryable() async throws {
        let harness = try SandboxHarness()
        try harness.sandbox.inject(SandboxFault(mode: .reset), into: .provincial)
        let outcome = await try harness.adapter(.provincial).send(TestRequests.make())
        #expect(outcome.isRetryable, "\(outcome)")
        #expect(outcome.transportError != nil)
        await harness.stop()
    }

    @Test func hugeAnswerIsReadUpToTheCap() async throws {
        let harness = try SandboxHarness()
        try harness.sandbox.inject(SandboxFault(mode: .huge, bytes: 3 << 20), into: .provincial)
        let outcome = await try harness.adapter(.provincial).send(TestRequests.make(noticeID: "ntc_huge"))
        #expect(outcome.receipt != nil, "\(outcome)")
        #expect(outcome.reason.contains("read in part"))
        #expect((outcome.excerpt?.utf8.count ?? 0) <= 4096)
        #expect(harness.sandbox.item("ntc_huge", of: .provincial)?.publications == 1)
        await harness.stop()
    }

    @Test func twoProvincialStylePortalsAreConfigOnly() async throws {
        let first = try SandboxHarness()
        let second = try SandboxHarness()
        let a = try first.adapter(first.config(.provincial, name: "zhejiang-portal"))
        let b = try first.adapter(second.config(.provincial, name: "huzhou-portal"))
        let request = TestRequests.make(noticeID: "ntc_twice")
        let outcomes = [await a.send(request), await b.send(request)]
        #expect(outcomes.allSatisfy { $0.receipt != nil })
        #expect(first.sandbox.item("ntc_twice", of: .provincial) != nil)
        #expect(second.sandbox.item("ntc_twice", of: .provincial) != nil)
        #expect(first.logs.all.contains { $0.contains("\"channel.name\":\"huzhou-portal\"") })
        await first.stop()
        await second.stop()
    }

    @Test func manyConcurrentPushesAllLand() async throws {
        let harness = try SandboxHarness()
        let adapter = try harness.adapter(.mobile)
        let delivered = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<60 {
                group.addTask { await adapter.send(TestRequests.make(noticeID: "ntc_par\(i)")).receipt != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(delivered == 60)
        #expect(harness.sandbox.items(of: .mobile).count == 60)
        await harness.stop()
    }

    @Test func secretsAppearInNoLogLineAndNoOutcome() async throws {
        let harness = try SandboxHarness()
        var outcomes: [ChannelOutcome] = []
        for portal in SandboxPortal.allCases {
            let adapter = try harness.adapter(portal)
            try harness.sandbox.inject(SandboxFault(mode: .status, status: 500), into: portal)
            outcomes.append(await adapter.send(TestRequests.make(noticeID: "ntc_s\(portal.rawValue)")))
            outcomes.append(await adapter.send(TestRequests.make(noticeID: "ntc_s\(portal.rawValue)")))
            outcomes.append(
                await adapter.send(
                    TestRequests.make(noticeID: "ntc_s\(portal.rawValue)", version: 2, operation: .withdraw)))
        }
        for portal in [SandboxPortal.county, .mobile] {
            var config = harness.config(portal)
            config.credential = .environment("GG_WRONG")
            outcomes.append(await try harness.adapter(config).send(TestRequests.make()))
        }
        #expect(outcomes.contains { $0.receipt != nil })
        #expect(outcomes.contains { $0.isRejected })
        let lines = harness.logs.all
        #expect(lines.count >= outcomes.count)
        let texts = lines + outcomes.flatMap { [$0.reason, $0.excerpt ?? "", "\($0)"] }
        for secret in SandboxHarness.secretTexts {
            #expect(!texts.contains { $0.contains(secret) }, "a secret leaked")
        }
        await harness.stop()
    }
}
