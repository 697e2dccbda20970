import Foundation
import GonggaoCore
@testable import GonggaoService
import HTTPTestSupport
import Testing
import TestSupport

/// Postings, stage gates, payments and warnings through the HTTP API (real HTTP over loopback),
/// with the harness clock moved day by day from 2026-12-01 (never today's date).
@Suite(.serialized) struct StatutoryAPITests {
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 64) + [0xFF, 0xD9]
    static let day: TimeInterval = 86_400

    static func photoPath(_ id: String, place: String, board: String) -> String {
        let allowed = CharacterSet.alphanumerics.subtracting(CharacterSet(charactersIn: "&=+")).union(CharacterSet(charactersIn: "-_.:"))
        let p = place.addingPercentEncoding(withAllowedCharacters: allowed)!
        let b = board.addingPercentEncoding(withAllowedCharacters: allowed)!
        return "/api/notices/\(id)/postings/photo?place=\(p)&board=\(b)"
    }

    @Test func stageGateRefusesUntilThePreAnnouncementPeriodHasRun() async throws {
        try await ServiceHarness.with(tokenLifetime: 30 * Self.day) { h in
            try await h.importProject()
            let pre = try await h.publish(Fixtures.preAnnouncement())  // approved 2026-12-01
            let plan = try await h.draft(Fixtures.compensationPlan())
            _ = try await h.call("POST", "/api/notices/\(plan)/submit", as: "alice")

            let unposted = try await h.call("POST", "/api/notices/\(plan)/approve", as: "bob")
            #expect(unposted.status == 409)
            #expect(unposted.json?["error"] as? String == "stage-gate")
            #expect((unposted.json?["message"] as? String)?.contains("not confirmed as posted at township:梅溪镇") == true, "\(unposted.text)")

            // Each place confirms: JSON for the township, a photo for 红庙村, a printer for 荆湾村.
            let township = try await h.call("POST", "/api/notices/\(pre)/postings", as: "polly",
                                             json: ["place": "township:梅溪镇", "board": "镇政府公告栏"])
            #expect(township.status == 201, "\(township.text)")
            #expect(township.json?["confirmedBy"] as? String == "polly")
            let again = try await h.call("POST", "/api/notices/\(pre)/postings", as: "polly", json: ["place": "梅溪镇", "board": "x"])
            #expect(again.status == 409 && again.json?["error"] as? String == "already-posted")
            let nowhere = try await h.call("POST", "/api/notices/\(pre)/postings", as: "polly", json: ["place": "village:塔下洲村", "board": "x"])
            #expect(nowhere.status == 422 && nowhere.json?["field"] as? String == "place")
            let photo = try await h.call("POST", Self.photoPath(pre, place: "village:红庙村", board: "村委会公告栏"), as: "polly",
                                         body: Self.jpeg, contentType: "image/jpeg")
            #expect(photo.status == 201, "\(photo.text)")
            #expect((photo.json?["photoSHA256"] as? String)?.count == 64)
            #expect(photo.json?["board"] as? String == "村委会公告栏")
            let printer = try await h.call("POST", "/api/notices/\(pre)/postings", as: "pete", json: ["place": "荆湾村", "board": "村口公告栏"])
            #expect(printer.status == 201)

            let report = try await h.call("GET", "/api/notices/\(pre)/postings", as: "vera")
            #expect(report.status == 200)
            let json = try #require(report.json)
            #expect((json["places"] as? [[String: Any]])?.count == 3)
            #expect(json["periodStart"] as? String == "2026-12-01")
            #expect((json["periodEnd"] as? [String: Any])?["date"] as? String == "2026-12-15")  // 10 working days
            let next = try #require(json["nextStage"] as? [String: Any])
            #expect(next["kind"] as? String == "compensation-plan")
            #expect((next["earliest"] as? [String: Any])?["date"] as? String == "2026-12-16")
            #expect(json["provisional"] as? Bool == false)

            let early = try await h.call("POST", "/api/notices/\(plan)/approve", as: "bob")
            #expect(early.status == 409)
            #expect((early.json?["message"] as? String)?.contains("earliest allowed date 2026-12-16") == true, "\(early.text)")

            h.clock.advance(by: 15 * Self.day)  // 2026-12-16
            let approved = try await h.call("POST", "/api/notices/\(plan)/approve", as: "bob")
            #expect(approved.status == 200, "\(approved.text)")
        }
    }

    @Test func anAdminOverridesAGateWithAReasonOthersCannot() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            _ = try await h.publish(Fixtures.preAnnouncement())
            let plan = try await h.draft(Fixtures.compensationPlan())
            _ = try await h.call("POST", "/api/notices/\(plan)/submit", as: "alice")
            let bob = try await h.call("POST", "/api/notices/\(plan)/approve", as: "bob", json: ["overrideGate": "急需"])
            #expect(bob.status == 403 && bob.json?["error"] as? String == "not-permitted")
            let blank = try await h.call("POST", "/api/notices/\(plan)/approve", as: "root", json: ["overrideGate": "  "])
            #expect(blank.status == 409 && blank.json?["error"] as? String == "stage-gate")
            let root = try await h.call("POST", "/api/notices/\(plan)/approve", as: "root", json: ["overrideGate": "县政府专题会议决定提前"])
            #expect(root.status == 200, "\(root.text)")
            let audit = try await h.store.read { tx in try tx.auditEntries(after: 0, limit: 1000) }
            let override = try #require(audit.first { $0.action == "notice.gate-override" })
            #expect(override.actor == "root" && override.detail.contains("县政府专题会议决定提前"))
        }
    }

    @Test func photoUploadsAreJPEGUpTo10MiB() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            let pre = try await h.publish(Fixtures.preAnnouncement())
            let path = Self.photoPath(pre, place: "梅溪镇", board: "公告栏")
            let png = try await h.call("POST", path, as: "polly", body: [0x89, 0x50, 0x4E, 0x47], contentType: "image/png")
            #expect(png.status == 415)
            let fake = try await h.call("POST", path, as: "polly", body: Array("GIF89a".utf8), contentType: "image/jpeg")
            #expect(fake.status == 422 && fake.json?["field"] as? String == "photo")
            // Over 10 MiB: refused from the declared length, before the body is sent (Expect: 100-continue).
            let (port, token) = (h.port, h.tokens["polly"]!)
            let big = try await Loopback.offPool {
                let c = try LoopbackConnection(port: port)
                defer { c.close() }
                try c.send("POST \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer \(token)\r\n"
                           + "Content-Type: image/jpeg\r\nContent-Length: \((10 << 20) + 1)\r\nExpect: 100-continue\r\n\r\n")
                return try c.readResponse()
            }
            #expect(big.status == 413)
            #expect(big.json?["error"] as? String == "body-too-large")
            let noBoard = try await h.call("POST", "/api/notices/\(pre)/postings/photo?place=x", as: "polly", body: Self.jpeg,
                                           contentType: "image/jpeg")
            #expect(noBoard.status == 422 && noBoard.json?["field"] as? String == "board")
            let postings = try await h.store.read { tx in try tx.postings(noticeID: pre) }
            #expect(postings.isEmpty)
            // Exactly 10 MiB is accepted.
            let max = Self.jpeg + Array(repeating: 0, count: (10 << 20) - Self.jpeg.count)
            let ok = try await h.call("POST", path, as: "polly", body: max, contentType: "image/jpeg")
            #expect(ok.status == 201, "\(ok.status) \(ok.text.prefix(300))")
            #expect(ok.json?["photoBytes"] as? Int == 10 << 20)
        }
    }

    @Test func warningsAreRaisedOnceAcknowledgedResolvedAndCounted() async throws {
        try await ServiceHarness.with(tokenLifetime: 30 * Self.day) { h in
            try await h.importProject()
            let pre = try await h.publish(Fixtures.preAnnouncement())  // 2026-12-01, post by 2026-12-04
            #expect(try await h.call("GET", "/api/warnings", as: "vera").json?["count"] as? Int == 0)
            h.clock.advance(by: 2 * Self.day)  // 2026-12-03: within the 2-working-day lead
            let first = try await h.call("POST", "/api/warnings/evaluate", as: "bob")
            #expect(first.status == 200)
            let raised = try #require(first.json?["raised"] as? [[String: Any]])
            let notPosted = raised.filter { $0["kind"] as? String == "not-posted" }
            #expect(notPosted.count == 3)
            #expect(Set(notPosted.compactMap { $0["subject"] as? String }) == ["township:梅溪镇", "village:红庙村", "village:荆湾村"])
            #expect(notPosted.allSatisfy { $0["severity"] as? String == "upcoming" })
            let second = try await h.call("POST", "/api/warnings/evaluate", as: "bob")
            #expect((second.json?["raised"] as? [Any])?.isEmpty == true)  // raised once
            #expect(try await h.call("POST", "/api/warnings/evaluate", as: "vera").status == 403)

            let open = try await h.call("GET", "/api/warnings?state=open&kind=not-posted", as: "vera")
            #expect(open.json?["count"] as? Int == 3)
            let id = try #require((open.json?["items"] as? [[String: Any]])?.first?["id"] as? String)
            let ack = try await h.call("POST", "/api/warnings/\(id)/ack", as: "alice")
            #expect(ack.status == 200 && ack.json?["state"] as? String == "acknowledged" && ack.json?["acknowledgedBy"] as? String == "alice")
            #expect(try await h.call("POST", "/api/warnings/wrn_nope/ack", as: "alice").status == 404)
            #expect(try await h.call("GET", "/api/warnings?state=bogus", as: "vera").status == 400)

            // Posting everywhere resolves them (evaluated on the event).
            for place in ["梅溪镇", "红庙村", "荆湾村"] {
                #expect(try await h.call("POST", "/api/notices/\(pre)/postings", as: "polly", json: ["place": place, "board": "公告栏"]).status == 201)
            }
            let resolved = try await h.call("GET", "/api/warnings?state=resolved&kind=not-posted", as: "vera")
            #expect(resolved.json?["count"] as? Int == 3)
            let metrics = try await h.call("GET", "/metrics").text
            #expect(metrics.contains("# TYPE gonggao_warnings gauge"))
            #expect(metrics.contains("gonggao_warnings{kind=\"not-posted\",state=\"resolved\"} 3"), "\(metrics)")
            #expect(metrics.contains("gonggao_warnings{kind=\"not-posted\",state=\"open\"} 0"))
        }
    }

    @Test func paymentsAreRecordedByOfficers() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            let body: [String: Any] = ["project": Fixtures.projectKey, "parcel": Fixtures.parcel1, "payeeGroup": "红庙村股份经济合作社",
                                       "amountYuan": 1_250_000.5, "paidOn": "2026-11-30"]
            let ok = try await h.call("POST", "/api/payments", as: "alice", json: body)
            #expect(ok.status == 201, "\(ok.text)")
            #expect(ok.json?["recordedBy"] as? String == "alice" && ok.json?["paidOn"] as? String == "2026-11-30")
            #expect(try await h.call("POST", "/api/payments", as: "polly", json: body).status == 403)
            var bad = body
            bad["amountYuan"] = -5
            let negative = try await h.call("POST", "/api/payments", as: "alice", json: bad)
            #expect(negative.status == 422 && negative.json?["field"] as? String == "amountYuan")
            bad = body
            bad["parcel"] = "330523-2026-37-9"
            #expect(try await h.call("POST", "/api/payments", as: "alice", json: bad).json?["field"] as? String == "parcel")
            bad = body
            bad["paidOn"] = "2026-12-02"
            #expect(try await h.call("POST", "/api/payments", as: "alice", json: bad).json?["field"] as? String == "paidOn")
            let payments = try await h.store.read { tx in try tx.payments(project: Fixtures.projectKey) }
            #expect(payments.count == 1)
        }
    }
}
