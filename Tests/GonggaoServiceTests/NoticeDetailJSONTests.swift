import Foundation
import GonggaoCore
import GonggaoHTTP
import GonggaoStore
import Testing
import TestSupport
@testable import GonggaoService

/// `GET /api/notices/{id}` splices cached version JSON into the answer: whatever the notice and its
/// deliveries went through, the bytes must be exactly those of encoding its `NoticeDetail` whole.
@Suite(.serialized) struct NoticeDetailJSONTests {
    @Test(arguments: StoreBackend.allCases)
    func cachedVersionJSONNeverGoesStale(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            try await h.importProject()
            var content = Fixtures.preAnnouncement()
            let id = try await h.draft(content)
            let base = h.app.environment.publicBaseURL
            func expectFresh(_ step: String) async throws {
                let shown = try await h.call("GET", "/api/notices/\(id)", as: "vera")
                #expect(shown.status == 200, "\(step)")
                let (versions, deliveries) = try await h.store.read { tx in
                    (try tx.noticeVersions(id), try tx.deliveries(DeliveryFilter(noticeID: id, limit: 100_000)))
                }
                let whole = NoticeDetail(versions: versions, deliveries: deliveries, base: base)
                let fresh = Array(try JSONCoding.encoder.encode(whole))
                #expect(shown.body == fresh, "\(step): \(String(decoding: shown.body, as: UTF8.self))")
                #expect(try whole.json(versionJSON: { Array(try JSONCoding.encoder.encode($0)) }) == fresh, "\(step)")
            }
            try await expectFresh("draft")
            try await expectFresh("draft, again (cached)")
            content.title = "安吉县人民政府征收土地预公告（修改）"
            #expect(try await h.call("PUT", "/api/notices/\(id)", as: "alice", json: try ProjectJSON.object(content)).status == 200)
            try await expectFresh("edited draft")
            _ = try await h.call("POST", "/api/notices/\(id)/submit", as: "alice")
            try await expectFresh("submitted")
            #expect(try await h.call("POST", "/api/notices/\(id)/approve", as: "bob").status == 200)
            try await expectFresh("approved, deliveries pending")
            let channel = Fixtures.channels[0]
            let claimed = try await h.store.write { tx in
                try tx.claimDue(channel: channel, now: Fixtures.t0.addingTimeInterval(86_400), owner: "test",
                                leaseUntil: Fixtures.t0.addingTimeInterval(90_000), limit: 1)
            }
            #expect(claimed.count == 1)
            try await expectFresh("a delivery in flight")
            #expect(try await h.call("POST", "/api/notices/\(id)/correct", as: "erin").status == 201)
            try await expectFresh("a correction drafted")
        }
    }
}
