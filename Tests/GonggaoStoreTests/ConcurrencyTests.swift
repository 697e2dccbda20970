import Foundation
import GonggaoCore
import GonggaoStore
import TestSupport
import Testing

/// Many approvers at once: exactly one approval, one delivery per channel.
@Suite struct ConcurrencyTests {
    /// Approves `id` from `tasks` concurrent tasks; returns how many calls changed something.
    static func approveConcurrently(_ id: String, workflows: [NoticeWorkflow], tasks: Int) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<tasks {
                let wf = workflows[i % workflows.count]
                group.addTask { try await wf.approve(id, as: i.isMultiple(of: 2) ? "bob" : "carol").changed }
            }
            var changed = 0
            for try await c in group where c { changed += 1 }
            return changed
        }
    }

    /// Checks one notice ended with one approval and one publish delivery per channel.
    static func expectApprovedOnce(
        _ id: String, _ store: any NoticeStore,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let (deliveries, approvals) = try await store.read { tx in
            (
                try tx.deliveries(DeliveryFilter(noticeID: id)),
                try tx.auditEntries(after: 0, limit: 100_000).filter {
                    $0.action == "notice.approve" && $0.subject == "\(id)/v1"
                }
            )
        }
        #expect(deliveries.map(\.channel).sorted() == Fixtures.channels.sorted(), sourceLocation: sourceLocation)
        #expect(approvals.count == 1, sourceLocation: sourceLocation)
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentApprovalsOnOneStoreApproveOnce(backend: StoreBackend) async throws {
        try await backend.withStore { ts in
            let wf = ts.workflow()
            _ = try await wf.importProject(Fixtures.sampleProject(), as: "alice")
            for _ in 0..<5 {
                let id = try await wf.draft(Fixtures.preAnnouncement(), as: "alice").id
                _ = try await wf.submit(id, as: "alice")
                #expect(try await Self.approveConcurrently(id, workflows: [wf], tasks: 16) == 1)
                try await Self.expectApprovedOnce(id, ts.store)
            }
            let report = try await ts.verify()
            #expect(report.isValid, "\(report.problems)")
            #expect(report.entries == 1 + 5 * 3)
        }
    }

    /// Eight handles on one SQLite file (as eight processes would open it) approve at once.
    @Test func concurrentApprovalsThroughManySQLiteHandlesApproveOnce() async throws {
        try await StoreBackend.sqlite.withStore { ts in
            let clock = TestClock()
            let wf = ts.workflow(clock: clock)
            var handles: [any NoticeStore] = []
            for _ in 0..<8 { handles.append(try #require(try ts.openAgain())) }
            let workflows = handles.map {
                NoticeWorkflow(
                    store: $0, users: Fixtures.users, channels: Fixtures.channels,
                    withdrawChannels: Fixtures.withdrawChannels, now: clock.function)
            }
            _ = try await wf.importProject(Fixtures.sampleProject(), as: "alice")
            for _ in 0..<5 {
                let id = try await wf.draft(Fixtures.preAnnouncement(), as: "alice").id
                _ = try await wf.submit(id, as: "alice")
                #expect(try await Self.approveConcurrently(id, workflows: workflows, tasks: 8) == 1)
                try await Self.expectApprovedOnce(id, ts.store)
            }
            for h in handles { await h.close() }
            let report = try await ts.verify()
            #expect(report.isValid, "\(report.problems)")
            #expect(report.recordedHead?.seq == 16)
        }
    }

    /// Several handles writing at once wait for each other (BEGIN IMMEDIATE + busy timeout): none
    /// fails with "database is locked", and the audit chain and its head stay whole.
    @Test func concurrentWritersOnOneSQLiteFileNeverSeeLocked() async throws {
        try await StoreBackend.sqlite.withStore { ts in
            let writers = 4
            let writesEach = 25
            var handles: [any NoticeStore] = [ts.store]
            for _ in 1..<writers { handles.append(try #require(try ts.openAgain())) }
            try await ts.store.write { try $0.saveProject(Fixtures.sampleProject()) }

            try await withThrowingTaskGroup(of: Void.self) { group in
                for (w, handle) in handles.enumerated() {
                    group.addTask {
                        for i in 0..<writesEach {
                            try await handle.write { tx in
                                let v = Rows.version("ntc_w\(w)_\(i)")
                                try tx.insertNoticeVersion(v)
                                try tx.insertDelivery(Rows.delivery("dlv_w\(w)_\(i)", notice: v.id, channel: "print"))
                                try tx.appendAudit(
                                    AuditRecord(
                                        at: Fixtures.t0, actor: "writer\(w)", action: "test.write",
                                        subject: v.reference))
                            }
                            // Readers interleave with the writers.
                            _ = try await handle.read { try $0.lastAuditEntry() }
                        }
                    }
                }
                try await group.waitForAll()
            }
            for h in handles.dropFirst() { await h.close() }

            let (notices, deliveries) = try await ts.store.read { tx in
                (
                    try tx.notices(NoticeFilter(limit: 10_000)).count,
                    try tx.deliveries(DeliveryFilter(limit: 10_000)).count
                )
            }
            #expect(notices == writers * writesEach)
            #expect(deliveries == writers * writesEach)
            let report = try await ts.verify()
            #expect(report.isValid, "\(report.problems)")
            #expect(report.entries == Int64(writers * writesEach))
            #expect(report.recordedHead?.seq == Int64(writers * writesEach))
        }
    }
}

/// Workers in several processes claiming from one SQLite file never get the same delivery.
@Suite struct ConcurrentClaimTests {
    @Test func competingWorkersClaimEachDeliveryOnce() async throws {
        try await StoreBackend.sqlite.withStore { ts in
            let count = 40
            try await ts.store.write { tx in
                for i in 0..<count {
                    try tx.insertNoticeVersion(Rows.version("ntc_\(i)", 1, state: .approved))
                    try tx.insertDelivery(Rows.delivery("dlv_\(i)", notice: "ntc_\(i)", channel: "print"))
                }
            }
            var handles: [any NoticeStore] = [ts.store]
            for _ in 1..<4 { handles.append(try #require(try ts.openAgain())) }
            let now = Fixtures.t0.addingTimeInterval(1)
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for (w, handle) in handles.enumerated() {
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let batch = try await handle.write { tx in
                                try tx.claimDue(
                                    channel: "print", now: now, owner: "w\(w)", leaseUntil: now.addingTimeInterval(60),
                                    limit: 3)
                            }
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            for h in handles.dropFirst() { await h.close() }
            #expect(claimed.count == count)
            #expect(Set(claimed).count == count)
        }
    }
}
