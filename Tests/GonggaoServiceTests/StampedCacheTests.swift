import Foundation
import GonggaoCore
import GonggaoHTTP
import GonggaoStore
import HTTPTestSupport
import Testing
import TestSupport
@testable import GonggaoService

/// The answers cached while the store's change stamp stands — `GET /api/notices/{id}` whole, the
/// bearer tokens, the parcel pages' audit seq — are never stale: a change committed through another
/// connection on the same store (as a `gonggao worker` or the CLI in another process makes it) or
/// through this process shows on the very next request.
@Suite(.serialized) struct StampedCacheTests {
    /// Backends a second handle can be opened on (SQLite: another connection; PostgreSQL: another pool).
    static let shared = StoreBackend.allCases.filter { $0 != .memory }

    /// The notice as the API shows it, encoded afresh from the store.
    static func fresh(_ h: ServiceHarness, _ id: String) async throws -> [UInt8] {
        let (versions, deliveries) = try await h.store.read { tx in
            (try tx.noticeVersions(id), try tx.deliveries(DeliveryFilter(noticeID: id, limit: 100_000)))
        }
        let whole = NoticeDetail(versions: versions, deliveries: deliveries, base: h.app.environment.publicBaseURL)
        return Array(try JSONCoding.encoder.encode(whole))
    }

    static func states(_ r: LoopbackResponse) -> [String] {
        ((r.json?["deliveries"] as? [[String: Any]]) ?? []).compactMap { $0["state"] as? String }
    }

    @Test(arguments: shared)
    func deliveryProgressByAnotherConnectionShowsOnTheNextGet(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            try await h.importProject()
            let id = try await h.publish(Fixtures.preAnnouncement())
            let path = "/api/notices/\(id)"
            let first = try await h.call("GET", path, as: "vera")
            #expect(first.status == 200)
            #expect(try await h.call("GET", path, as: "vera").body == first.body)
            #expect(Set(Self.states(first)) == ["pending"])

            let worker = try #require(try h.testStore.openAgain())
            let channel = Fixtures.channels[1]
            let claimed = try await worker.write { tx in
                try tx.claimDue(channel: channel, now: Fixtures.t0.addingTimeInterval(86_400), owner: "other-process",
                                leaseUntil: Fixtures.t0.addingTimeInterval(90_000), limit: 1)
            }
            try #require(claimed.count == 1)
            let inFlight = try await h.call("GET", path, as: "vera")
            #expect(inFlight.status == 200)
            #expect(Self.states(inFlight).filter { $0 == "in-flight" }.count == 1, "\(inFlight.text)")
            #expect(inFlight.body == (try await Self.fresh(h, id)))

            var done = claimed[0]
            done.state = .delivered
            done.leaseOwner = nil
            done.leaseExpiresAt = nil
            done.updatedAt = Fixtures.t0.addingTimeInterval(86_401)
            try await worker.write { [done] tx in try tx.updateDelivery(done) }
            let delivered = try await h.call("GET", path, as: "vera")
            #expect(Self.states(delivered).filter { $0 == "delivered" }.count == 1, "\(delivered.text)")
            #expect(!Self.states(delivered).contains("in-flight"))
            #expect(delivered.body == (try await Self.fresh(h, id)))
            await worker.close()
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aCorrectionShowsTheNewVersionAtOnce(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            try await h.importProject()
            let id = try await h.publish(Fixtures.preAnnouncement())
            let before = try await h.call("GET", "/api/notices/\(id)", as: "vera")
            #expect((before.json?["versions"] as? [Any])?.count == 1)
            #expect(try await h.call("POST", "/api/notices/\(id)/correct", as: "erin").status == 201)
            let after = try await h.call("GET", "/api/notices/\(id)", as: "vera")
            #expect((after.json?["versions"] as? [Any])?.count == 2)
            #expect((after.json?["latest"] as? [String: Any])?["version"] as? Int == 2)
            #expect(after.body == (try await Self.fresh(h, id)))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aTokenRevokedInThisProcessIsRefusedAtOnce(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            let created = try await h.call("POST", "/api/tokens", as: "root", json: ["user": "carol"])
            let token = try #require(created.json?["token"] as? String)
            let id = try #require(created.json?["id"] as? String)
            let bearer = [("Authorization", "Bearer \(token)")]
            for _ in 0..<3 { #expect(try await Loopback.request(port: h.port, "GET", "/api/me", headers: bearer).status == 200) }
            #expect(try await h.call("DELETE", "/api/tokens/\(id)", as: "root").status == 200)
            let refused = try await Loopback.request(port: h.port, "GET", "/api/me", headers: bearer)
            #expect(refused.status == 401)
            #expect((refused.json?["message"] as? String)?.contains("revoked") == true)
        }
    }

    @Test(arguments: shared)
    func aTokenRevokedByAnotherConnectionIsRefusedAtOnce(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            let tokenID = try await h.store.read { tx in try tx.tokens(user: "vera").first?.id }
            for _ in 0..<3 { #expect(try await h.call("GET", "/api/notices", as: "vera").status == 200) }
            let cli = try #require(try h.testStore.openAgain())
            try await cli.write { tx in try tx.revokeToken(id: try #require(tokenID), at: Fixtures.t0) }
            await cli.close()
            let refused = try await h.call("GET", "/api/notices", as: "vera")
            #expect(refused.status == 401)
            #expect((refused.json?["message"] as? String)?.contains("revoked") == true)
            #expect(try await h.call("GET", "/api/notices", as: "bob").status == 200)
        }
    }

    @Test(arguments: shared)
    func aPageChangedByAnotherConnectionShowsOnTheNextGet(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            try await h.importProject()
            let path = "/p/\(Fixtures.parcel1)"
            let before = try await h.call("GET", path)
            #expect(before.status == 200)
            #expect(try await h.call("GET", path).body == before.body)
            let renamed = "改名后的项目（另一进程）"
            let cli = try #require(try h.testStore.openAgain())
            try await cli.write { tx in
                var p = try #require(try tx.project(Fixtures.projectKey))
                p.name = renamed
                try tx.saveProject(p)
                try tx.appendAudit(AuditRecord(at: Fixtures.t0, actor: "cli", action: "project.import", subject: p.key, detail: ""))
            }
            await cli.close()
            let after = try await h.call("GET", path)
            #expect(after.status == 200)
            #expect(after.text.contains(renamed))
        }
    }

    @Test func stampedValuesAreServedOnlyUnderTheirStamp() {
        let cache = StampedCache<Int>(maxEntries: 2)
        let s1 = StoreChangeStamp(external: 1, local: 0), s2 = StoreChangeStamp(external: 1, local: 1)
        cache.put("a", 1, at: s1)
        #expect(cache.get("a", at: s1) == 1)
        #expect(cache.get("a", at: s2) == nil)
        #expect(cache.get("a", at: nil) == nil)
        cache.put("b", 2, at: s2)
        #expect(cache.get("a", at: s1) == nil, "a new stamp drops the entries of the old one")
        #expect(cache.get("b", at: s2) == 2)
        cache.put("c", 3, at: nil)
        #expect(cache.get("c", at: nil) == nil)
    }
}
