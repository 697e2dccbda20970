import Foundation
import GonggaoCore
import GonggaoStore
import TestSupport
import Testing

/// The `NoticeStore` contract, run against every backend.
@Suite struct StoreProtocolTests {
    // MARK: projects

    @Test(arguments: StoreBackend.allCases)
    func projectsSaveLoadAndReplace(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let store = ts.store
            #expect(try await store.read { try $0.projects() }.isEmpty)
            #expect(try await store.read { try $0.project(Fixtures.projectKey) } == nil)

            let sample = Fixtures.sampleProject()
            try await store.write { try $0.saveProject(sample) }
            #expect(try await store.read { try $0.project(Fixtures.projectKey) } == sample)
            #expect(try await store.read { try $0.projectKey(ofParcel: Fixtures.parcel2) } == Fixtures.projectKey)
            #expect(try await store.read { try $0.projectKey(ofParcel: "330523-2026-37-9") } == nil)

            // Saving again replaces the project and its parcel list.
            var replaced = sample
            replaced.name += "（调整）"
            replaced.parcels.removeLast()
            try await store.write { [replaced] in try $0.saveProject(replaced) }
            #expect(try await store.read { try $0.project(Fixtures.projectKey) } == replaced)
            #expect(try await store.read { try $0.projectKey(ofParcel: Fixtures.parcel2) } == nil)

            // A parcel the project let go may join another project.
            let other = Fixtures.otherProject(parcelKeys: [Fixtures.parcel2])
            try await store.write { try $0.saveProject(other) }
            #expect(try await store.read { try $0.projects() }.map(\.key) == [Fixtures.projectKey, other.key])
            #expect(try await store.read { try $0.projectKey(ofParcel: Fixtures.parcel2) } == other.key)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aParcelOfAnotherProjectIsAConflict(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            try await ts.store.write { try $0.saveProject(Fixtures.sampleProject()) }
            let before = try await ts.dump()
            let thief = Fixtures.otherProject(parcelKeys: ["330782-2026-5-1", Fixtures.parcel1])
            await expectStoreError("conflict") { try await ts.store.write { try $0.saveProject(thief) } }
            #expect(try await ts.dump() == before)
            #expect(try await ts.store.read { try $0.project(thief.key) } == nil)
        }
    }

    // MARK: notice versions

    @Test(arguments: StoreBackend.allCases)
    func noticeVersionsInsertReadAndOrder(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let store = ts.store
            let a1 = Rows.version("ntc_a", 1, state: .approved)
            let a2 = Rows.version("ntc_a", 2, at: Fixtures.t0.addingTimeInterval(60))
            let b2 = Rows.version("ntc_b", 2, kind: .hearing)
            let b1 = Rows.version("ntc_b", 1, kind: .hearing, state: .superseded)
            try await store.write { tx in
                try tx.insertNoticeVersion(a1)
                try tx.insertNoticeVersion(a2)
                // Inserted out of order, read in version order.
                try tx.insertNoticeVersion(b2)
                try tx.insertNoticeVersion(b1)
            }
            #expect(try await store.read { try $0.noticeVersions("ntc_a") } == [a1, a2])
            #expect(try await store.read { try $0.noticeVersions("ntc_b") } == [b1, b2])
            #expect(try await store.read { try $0.noticeVersion("ntc_a", version: 2) } == a2)
            #expect(try await store.read { try $0.noticeVersion("ntc_a", version: 3) } == nil)
            #expect(try await store.read { try $0.noticeVersions("ntc_missing") }.isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func noticeVersionInsertConflictAndUpdate(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let store = ts.store
            var v = Rows.version("ntc_a")
            try await store.write { [v] in try $0.insertNoticeVersion(v) }
            let before = try await ts.dump()

            var duplicate = v
            duplicate.content.title = "另一个标题"
            await expectStoreError("conflict") {
                try await store.write { [duplicate] in try $0.insertNoticeVersion(duplicate) }
            }
            #expect(try await ts.dump() == before)

            v.state = .submitted
            v.submittedBy = "alice"
            v.submittedAt = Fixtures.t0.addingTimeInterval(5)
            v.updatedAt = Fixtures.t0.addingTimeInterval(5)
            v.content.body.append("补充说明。")
            v.contentHash = v.content.contentHash
            try await store.write { [v] in try $0.updateNoticeVersion(v) }
            #expect(try await store.read { try $0.noticeVersion("ntc_a", version: 1) } == v)
            #expect(try await store.read { try $0.notices(NoticeFilter(state: .submitted)) } == [v])

            let missing = Rows.version("ntc_a", 2)
            await expectStoreError("notFound") { try await store.write { try $0.updateNoticeVersion(missing) } }
            #expect(try await store.read { try $0.noticeVersions("ntc_a") }.count == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func noticesListTheLatestVersionNewestFirst(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let store = ts.store
            let other = "330782-2026-5"
            let a1 = Rows.version("ntc_a", 1, state: .approved)
            let a2 = Rows.version("ntc_a", 2)
            let b1 = Rows.version("ntc_b", 1, kind: .hearing, state: .approved)
            let c1 = Rows.version("ntc_c", 1, kind: .hearing, project: other, state: .submitted)
            try await store.write { tx in
                for v in [a1, b1, c1, a2] { try tx.insertNoticeVersion(v) }
            }
            func ids(_ filter: NoticeFilter) async throws -> [String] {
                try await store.read { try $0.notices(filter) }.map(\.reference)
            }
            #expect(try await ids(NoticeFilter()) == ["ntc_c/v1", "ntc_b/v1", "ntc_a/v2"])
            // ntc_a's v1 is approved, but its latest version is a draft: it is listed as a draft.
            #expect(try await ids(NoticeFilter(state: .approved)) == ["ntc_b/v1"])
            #expect(try await ids(NoticeFilter(state: .draft)) == ["ntc_a/v2"])
            #expect(try await ids(NoticeFilter(state: .withdrawn)) == [])
            #expect(try await ids(NoticeFilter(kind: .hearing)) == ["ntc_c/v1", "ntc_b/v1"])
            #expect(try await ids(NoticeFilter(kind: .hearing, project: Fixtures.projectKey)) == ["ntc_b/v1"])
            #expect(try await ids(NoticeFilter(project: other)) == ["ntc_c/v1"])
            #expect(try await ids(NoticeFilter(state: .approved, kind: .preAnnouncement)) == [])
            #expect(try await ids(NoticeFilter(limit: 2)) == ["ntc_c/v1", "ntc_b/v1"])
        }
    }

    // MARK: deliveries and attempts

    @Test(arguments: StoreBackend.allCases)
    func deliveriesInsertFilterAndUpdate(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let store = ts.store
            let publish = Fixtures.channels.enumerated().map { i, ch in
                Rows.delivery(
                    "dlv_a1_\(i)", notice: "ntc_a", channel: ch, at: Fixtures.t0.addingTimeInterval(Double(i)))
            }
            try await store.write { tx in
                try tx.insertNoticeVersion(Rows.version("ntc_a", 1, state: .approved))
                try tx.insertNoticeVersion(Rows.version("ntc_a", 2, state: .approved))
                try tx.insertNoticeVersion(Rows.version("ntc_b", 1, state: .approved))
                for d in publish { try tx.insertDelivery(d) }
            }
            #expect(try await store.read { try $0.delivery("dlv_a1_2") } == publish[2])
            #expect(try await store.read { try $0.delivery("dlv_missing") } == nil)
            #expect(try await store.read { try $0.deliveries(DeliveryFilter(noticeID: "ntc_a")) } == publish)

            // The same (notice, version, channel, purpose) twice is a conflict, under any id.
            let before = try await ts.dump()
            let sameID = Rows.delivery("dlv_a1_0", notice: "ntc_b", channel: "print")
            await expectStoreError("conflict") { try await store.write { try $0.insertDelivery(sameID) } }
            let sameKey = Rows.delivery("dlv_other", notice: "ntc_a", channel: "county-column")
            await expectStoreError("conflict") { try await store.write { try $0.insertDelivery(sameKey) } }
            #expect(try await ts.dump() == before)

            // Another purpose, version or notice on the same channel is a different delivery.
            let withdraw = Rows.delivery("dlv_a1_w", notice: "ntc_a", channel: "county-column", purpose: .withdraw)
            let v2 = Rows.delivery("dlv_a2_0", notice: "ntc_a", version: 2, channel: "county-column")
            let b = Rows.delivery("dlv_b1_0", notice: "ntc_b", channel: "county-column")
            try await store.write { tx in
                for d in [withdraw, v2, b] { try tx.insertDelivery(d) }
            }

            func ids(_ filter: DeliveryFilter) async throws -> [String] {
                try await store.read { try $0.deliveries(filter) }.map(\.id)
            }
            #expect(
                try await ids(DeliveryFilter(channel: "county-column")) == [
                    "dlv_a1_2", "dlv_a1_w", "dlv_a2_0", "dlv_b1_0",
                ])
            #expect(try await ids(DeliveryFilter(noticeID: "ntc_a", version: 2)) == ["dlv_a2_0"])
            #expect(try await ids(DeliveryFilter(noticeID: "ntc_a", version: 1)).count == 5)
            #expect(try await ids(DeliveryFilter(noticeID: "ntc_b")) == ["dlv_b1_0"])
            #expect(try await ids(DeliveryFilter(limit: 2)) == ["dlv_a1_0", "dlv_a1_1"])
            #expect(try await ids(DeliveryFilter(state: .delivered)) == [])

            // Update: state, attempts, times, receipt, error all round-trip.
            var done = publish[1]
            done.state = .delivered
            done.attempts = 2
            done.updatedAt = Fixtures.t0.addingTimeInterval(90)
            done.nextAttemptAt = Fixtures.t0.addingTimeInterval(90)
            done.lastError = "HTTP 503 (first attempt)"
            done.receipt = DeliveryReceipt(
                publicationID: "zj-2026-000123", publicURL: "https://example.test/p/123", excerpt: "ok")
            var retrying = publish[3]
            retrying.state = .retrying
            retrying.leaseOwner = "worker-1"
            retrying.leaseExpiresAt = Fixtures.t0.addingTimeInterval(120)
            try await store.write { [done, retrying] tx in
                try tx.updateDelivery(done)
                try tx.updateDelivery(retrying)
            }
            let (doneID, retryingID) = (done.id, retrying.id)
            #expect(try await store.read { try $0.delivery(doneID) } == done)
            #expect(try await store.read { try $0.delivery(retryingID) } == retrying)
            #expect(try await ids(DeliveryFilter(state: .delivered)) == [done.id])
            #expect(try await ids(DeliveryFilter(noticeID: "ntc_a", state: .pending, channel: "print")) == ["dlv_a1_0"])
            #expect(try await ids(DeliveryFilter(state: .retrying, channel: "mobile-platform")) == [retrying.id])

            let ghost = Rows.delivery("dlv_ghost", notice: "ntc_a", channel: "print")
            await expectStoreError("notFound") { try await store.write { try $0.updateDelivery(ghost) } }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func attemptsAppendInOrder(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let store = ts.store
            let attempts = (1...3).map { n in
                DeliveryAttempt(
                    deliveryID: "dlv_1", number: n, startedAt: Fixtures.t0.addingTimeInterval(Double(n * 10)),
                    finishedAt: Fixtures.t0.addingTimeInterval(Double(n * 10 + 1)),
                    outcome: n == 3 ? .delivered : .retryable, detail: n == 3 ? "HTTP 200" : "HTTP 503")
            }
            try await store.write { tx in
                try tx.insertNoticeVersion(Rows.version("ntc_a", 1, state: .approved))
                try tx.insertDelivery(Rows.delivery("dlv_1", notice: "ntc_a", channel: "print"))
                try tx.insertDelivery(Rows.delivery("dlv_2", notice: "ntc_a", channel: "county-column"))
                try tx.appendAttempt(attempts[0])
            }
            try await store.write { tx in
                try tx.appendAttempt(attempts[1])
                try tx.appendAttempt(attempts[2])
            }
            #expect(try await store.read { try $0.attempts(deliveryID: "dlv_1") } == attempts)
            #expect(try await store.read { try $0.attempts(deliveryID: "dlv_2") }.isEmpty)
        }
    }

    // MARK: audit

    @Test(arguments: StoreBackend.allCases)
    func auditAppendsAChainAndAdvancesTheHead(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let store = ts.store
            #expect(try await store.read { try $0.lastAuditEntry() } == nil)
            #expect(try store.auditHead.read() == nil)
            let records = (0..<5).map { i in
                AuditRecord(
                    at: Fixtures.t0.addingTimeInterval(Double(i) + 0.25), actor: "alice", action: "test.step",
                    subject: "ntc_a/v1", detail: "第\(i)步 'quoted' \"double\"")
            }
            let first = try await store.write { tx in [try tx.appendAudit(records[0]), try tx.appendAudit(records[1])] }
            let rest = try await store.write { tx in try records[2...].map { try tx.appendAudit($0) } }
            let appended = first + rest

            // Exactly what AuditChain computes, stored and read back unchanged.
            var expected: [AuditEntry] = []
            for r in records { expected.append(AuditChain.entry(after: expected.last, r)) }
            #expect(appended == expected)
            #expect(try await ts.auditEntries() == expected)
            #expect(try await store.read { try $0.lastAuditEntry() } == expected.last)
            #expect(try await store.read { try $0.auditEntry(seq: 3) } == expected[2])
            #expect(try await store.read { try $0.auditEntry(seq: 9) } == nil)
            #expect(try await store.read { try $0.auditEntries(after: 1, limit: 2) } == Array(expected[1...2]))
            #expect(try await store.read { try $0.auditEntries(after: 5, limit: 10) }.isEmpty)
            #expect(expected[0].prevHash == AuditChain.genesis)
            #expect(expected[3].prevHash == expected[2].hash)
            #expect(try store.auditHead.read() == AuditHead(seq: 5, hash: expected[4].hash))

            let report = try await ts.verify()
            #expect(report.isValid, "\(report.problems)")
            #expect(report.entries == 5)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func auditVerificationPagesThroughLongChains(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            try await ts.store.write { tx in
                for i in 0..<25 {
                    try tx.appendAudit(
                        AuditRecord(at: Fixtures.t0, actor: "root", action: "test.bulk", subject: "s\(i)"))
                }
            }
            let report = try await AuditCheck.verify(ts.store, pageSize: 7)
            #expect(report.isValid, "\(report.problems)")
            #expect(report.entries == 25)
            #expect(report.last?.seq == 25)
        }
    }

    // MARK: transactions

    @Test(arguments: StoreBackend.allCases)
    func aWriteThatThrowsLeavesNothingBehind(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let store = ts.store
            try await store.write { tx in
                try tx.saveProject(Fixtures.sampleProject())
                try tx.insertNoticeVersion(Rows.version("ntc_a", 1, state: .approved))
                try tx.insertDelivery(Rows.delivery("dlv_1", notice: "ntc_a", channel: "print"))
                try tx.appendAudit(
                    AuditRecord(at: Fixtures.t0, actor: "alice", action: "test.setup", subject: "ntc_a/v1"))
            }
            let before = try await ts.dump()
            let headBefore = try store.auditHead.read()

            await #expect(throws: Boom.self) {
                try await store.write { tx in
                    try tx.saveProject(Fixtures.otherProject())
                    var p = Fixtures.sampleProject()
                    p.name = "改名"
                    try tx.saveProject(p)
                    var v = Rows.version("ntc_a", 1, state: .superseded)
                    v.supersededBy = 2
                    try tx.updateNoticeVersion(v)
                    try tx.insertNoticeVersion(Rows.version("ntc_a", 2, state: .approved))
                    try tx.insertNoticeVersion(Rows.version("ntc_b", 1))
                    var d = try tx.delivery("dlv_1")!
                    d.state = .cancelled
                    try tx.updateDelivery(d)
                    try tx.insertDelivery(Rows.delivery("dlv_2", notice: "ntc_a", version: 2, channel: "print"))
                    try tx.appendAttempt(
                        DeliveryAttempt(
                            deliveryID: "dlv_1", number: 1, startedAt: Fixtures.t0,
                            finishedAt: Fixtures.t0, outcome: .rejected, detail: "x"))
                    try tx.appendAudit(
                        AuditRecord(at: Fixtures.t0, actor: "bob", action: "test.doomed", subject: "ntc_a/v2"))
                    try tx.appendAudit(
                        AuditRecord(at: Fixtures.t0, actor: "bob", action: "test.doomed", subject: "ntc_b/v1"))
                    throw Boom()
                }
            }
            #expect(try await ts.dump() == before)
            #expect(try store.auditHead.read() == headBefore)

            // A store error in the middle of a write rolls back what came before it, too.
            await expectStoreError("conflict") {
                try await store.write { tx in
                    try tx.appendAudit(AuditRecord(at: Fixtures.t0, actor: "bob", action: "test.doomed", subject: "x"))
                    try tx.insertNoticeVersion(Rows.version("ntc_c", 1))
                    try tx.insertNoticeVersion(Rows.version("ntc_a", 1))
                }
            }
            #expect(try await ts.dump() == before)
            #expect(try store.auditHead.read() == headBefore)

            // … and the store goes on working afterwards.
            _ = try await store.write { tx in
                try tx.appendAudit(AuditRecord(at: Fixtures.t0, actor: "bob", action: "test.after", subject: "x"))
            }
            #expect(try await ts.verify().isValid)
            #expect(try store.auditHead.read()?.seq == 2)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aWriterSeesItsOwnChanges(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let seen = try await ts.store.write { tx in
                try tx.saveProject(Fixtures.sampleProject())
                try tx.insertNoticeVersion(Rows.version("ntc_a", 1, state: .approved))
                try tx.insertNoticeVersion(Rows.version("ntc_a", 2))
                try tx.insertDelivery(Rows.delivery("dlv_1", notice: "ntc_a", channel: "print"))
                try tx.appendAudit(AuditRecord(at: Fixtures.t0, actor: "alice", action: "test.one", subject: "x"))
                try tx.appendAudit(AuditRecord(at: Fixtures.t0, actor: "alice", action: "test.two", subject: "x"))
                return [
                    try tx.project(Fixtures.projectKey) == nil ? 0 : 1, try tx.noticeVersions("ntc_a").count,
                    try tx.notices(NoticeFilter()).first?.version ?? 0, try tx.deliveries(DeliveryFilter()).count,
                    Int(try tx.lastAuditEntry()?.seq ?? 0),
                ]
            }
            #expect(seen == [1, 2, 2, 1, 2])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func readsSeeCommittedData(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let store = ts.store
            let result = try await store.write { tx in
                try tx.saveProject(Fixtures.sampleProject())
                return "written"
            }
            #expect(result == "written")
            #expect(try await store.read { try $0.project(Fixtures.projectKey) } != nil)
            // Another handle on the same data (another process for SQLite) sees it too.
            if let again = try ts.openAgain() {
                #expect(try await again.read { try $0.project(Fixtures.projectKey) } == Fixtures.sampleProject())
                try await again.write { try $0.insertNoticeVersion(Rows.version("ntc_a")) }
                await again.close()
                #expect(try await store.read { try $0.noticeVersions("ntc_a") }.count == 1)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aClosedStoreRefusesWork(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            await ts.store.close()
            await expectStoreError("closed") { _ = try await ts.store.read { try $0.projects() } }
            await expectStoreError("closed") {
                try await ts.store.write { try $0.saveProject(Fixtures.sampleProject()) }
            }
            await ts.store.close()  // idempotent
        }
    }
}
