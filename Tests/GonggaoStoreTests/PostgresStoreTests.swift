import Foundation
import GonggaoCore
import Synchronization
import TestSupport
import Testing

@testable import GonggaoStore

/// What only the PostgreSQL store promises: many processes (here: many store handles, each with its
/// own connections) on one database, claims that never collide, migrations that never race,
/// recovery after the server restarts, and clear connection errors.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.notInstalledReason)))
struct PostgresStoreTests {
    static func at(_ seconds: Double) -> Date { Fixtures.t0.addingTimeInterval(seconds) }

    /// Polls `condition` every 10 ms for up to 10 s.
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            try await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// `count` handles on the test's database, as `count` processes would open it.
    static func handles(_ ts: TestStore, _ count: Int) throws -> [any NoticeStore] {
        try (0..<count).map { _ in try #require(try ts.openAgain()) }
    }

    // MARK: claims

    /// Four stores claim one queue at once: every delivery is handed out once; once the leases
    /// expire every delivery is handed out once more, with its attempt counted again.
    @Test func concurrentClaimersNeverShareADeliveryAndRespectLeases() async throws {
        try await StoreBackend.postgres.withStore { ts in
            let count = 60
            try await ts.store.write { tx in
                for i in 0..<count {
                    try tx.insertNoticeVersion(Rows.version("ntc_\(i)", 1, state: .approved))
                    try tx.insertDelivery(Rows.delivery("dlv_\(i)", notice: "ntc_\(i)", channel: "print"))
                }
            }
            let stores = try Self.handles(ts, 4)

            func claimAll(now: Date) async throws -> [String] {
                try await withThrowingTaskGroup(of: [String].self) { group in
                    for (w, store) in stores.enumerated() {
                        group.addTask {
                            var mine: [String] = []
                            while true {
                                let batch = try await store.write { tx in
                                    try tx.claimDue(channel: "print", now: now, owner: "w\(w)",
                                                    leaseUntil: now.addingTimeInterval(60), limit: 3)
                                }
                                if batch.isEmpty { return mine }
                                mine += batch.map(\.id)
                            }
                        }
                    }
                    return try await group.reduce(into: [String]()) { $0 += $1 }
                }
            }

            let first = try await claimAll(now: Self.at(1))
            #expect(first.count == count)
            #expect(Set(first).count == count)
            // Live leases: nothing to claim, from any handle.
            #expect(try await claimAll(now: Self.at(30)).isEmpty)
            // Expired leases: each delivery once more.
            let second = try await claimAll(now: Self.at(62))
            #expect(second.count == count)
            #expect(Set(second).count == count)
            let deliveries = try await ts.store.read { try $0.deliveries(DeliveryFilter(limit: 1000)) }
            #expect(deliveries.allSatisfy { $0.attempts == 2 && $0.state == .inFlight && $0.leaseExpiresAt == Self.at(122) })
            for s in stores { await s.close() }
        }
    }

    // MARK: approvals and the audit chain

    /// Eight handles approve one notice at once: one approval entry, one delivery per channel.
    @Test func eightConcurrentApprovalsThroughEightHandlesApproveOnce() async throws {
        try await StoreBackend.postgres.withStore { ts in
            let clock = TestClock()
            let wf = ts.workflow(clock: clock)
            let stores = try Self.handles(ts, 8)
            let workflows = stores.map {
                NoticeWorkflow(store: $0, users: Fixtures.users, channels: Fixtures.channels,
                               withdrawChannels: Fixtures.withdrawChannels, now: clock.function)
            }
            _ = try await wf.importProject(Fixtures.sampleProject(), as: "alice")
            for _ in 0..<4 {
                let id = try await wf.draft(Fixtures.preAnnouncement(), as: "alice").id
                _ = try await wf.submit(id, as: "alice")
                #expect(try await ConcurrencyTests.approveConcurrently(id, workflows: workflows, tasks: 8) == 1)
                try await ConcurrencyTests.expectApprovedOnce(id, ts.store)
            }
            for s in stores { await s.close() }
            let report = try await ts.verify()
            #expect(report.isValid, "\(report.problems)")
            #expect(report.entries == 1 + 4 * 3)
        }
    }

    /// Writers on several handles append to the audit chain at once: no seq twice, no fork, and
    /// the notice numbers have no gaps.
    @Test func concurrentAuditAppendsKeepOneChain() async throws {
        try await StoreBackend.postgres.withStore { ts in
            try await ts.store.write { try $0.saveProject(Fixtures.sampleProject()) }
            let stores = try Self.handles(ts, 4)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (w, store) in stores.enumerated() {
                    group.addTask {
                        for i in 0..<15 {
                            try await store.write { tx in
                                let v = Rows.version("ntc_w\(w)_\(i)")
                                try tx.insertNoticeVersion(v)
                                try tx.appendAudit(AuditRecord(at: Fixtures.t0, actor: "w\(w)", action: "test.write", subject: v.reference))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            for s in stores { await s.close() }
            let entries = try await ts.auditEntries()
            #expect(entries.map(\.seq) == Array(1...60))
            let report = try await ts.verify()
            #expect(report.isValid, "\(report.problems)")
            #expect(report.recordedHead?.seq == 60)
            let numbers = try await ts.store.read { tx in
                try tx.notices(NoticeFilter(limit: 100)).map { try tx.noticeSequence($0.id) ?? 0 }
            }
            #expect(numbers.sorted() == Array(1...60))
        }
    }

    /// The same (notice, version, channel, purpose) inserted from two handles at once: one wins,
    /// the other gets a conflict (the UNIQUE constraint), and the winner's transaction is intact.
    @Test func theUniqueConstraintHoldsOneSetOfDeliveries() async throws {
        try await StoreBackend.postgres.withStore { ts in
            try await ts.store.write { try $0.insertNoticeVersion(Rows.version("ntc_a", 1, state: .approved)) }
            let stores = try Self.handles(ts, 6)
            let results = await withTaskGroup(of: Bool.self) { group in
                for (i, store) in stores.enumerated() {
                    group.addTask {
                        (try? await store.write { tx in
                            try tx.insertDelivery(Rows.delivery("dlv_\(i)", notice: "ntc_a", channel: "print"))
                        }) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            for s in stores { await s.close() }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await ts.store.read { try $0.deliveries(DeliveryFilter()) }.count == 1)
        }
    }

    /// Two transactions lock two deliveries in opposite orders: PostgreSQL breaks the deadlock
    /// (40P01) and the store runs the loser again, so both writes succeed.
    @Test func aDeadlockIsRetried() async throws {
        try await StoreBackend.postgres.withStore { ts in
            try await ts.store.write { tx in
                try tx.insertNoticeVersion(Rows.version("ntc_a", 1, state: .approved))
                try tx.insertDelivery(Rows.delivery("dlv_a", notice: "ntc_a", channel: "print"))
                try tx.insertDelivery(Rows.delivery("dlv_b", notice: "ntc_a", channel: "county-column"))
            }
            let holding = ["dlv_a": DispatchSemaphore(value: 0), "dlv_b": DispatchSemaphore(value: 0)]
            let runs = Locked(0)
            let locker: @Sendable (String, String, any NoticeStore) async throws -> Void = { first, second, store in
                try await store.write { tx in
                    let run = runs.update { $0 += 1; return $0 }
                    _ = try tx.delivery(first)
                    if run <= 2 {
                        // Both hold their first row before either asks for its second.
                        holding[first]!.signal()
                        _ = holding[second]!.wait(timeout: .now() + 5)
                    }
                    var d = try #require(try tx.delivery(second))
                    d.lastError = "touched by \(first)"
                    try tx.updateDelivery(d)
                }
            }
            let other = try #require(try ts.openAgain())
            async let one: Void = locker("dlv_a", "dlv_b", ts.store)
            async let two: Void = locker("dlv_b", "dlv_a", other)
            _ = try await (one, two)
            await other.close()
            #expect(runs.value == 3, "one transaction ran again after the deadlock")
            let errors = try await ts.store.read { tx in [try tx.delivery("dlv_a")?.lastError, try tx.delivery("dlv_b")?.lastError] }
            #expect(errors == ["touched by dlv_b", "touched by dlv_a"])
        }
    }

    // MARK: migrations

    @Test func migrationsRacingFromSeveralProcessesRunOnce() async throws {
        let server = try await PostgresTestServer.sharedOffPool()
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gonggao-tests-pgmig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let head = AuditHeadFile(besideStore: directory.appendingPathComponent("g").path)
        let configuration = server.configuration(database: database, poolSize: 1)
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresStore.open(configuration, auditHead: head) } }
            return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
        }
        #expect(stores.count == 4)
        try await stores[0].write { try $0.saveProject(Fixtures.sampleProject()) }
        #expect(try await stores[3].read { try $0.projects() }.count == 1)
        for s in stores { await s.close() }
        let applied = try server.psql("SELECT version FROM schema_migrations ORDER BY version", database: database)
        #expect(applied.split(separator: "\n").map(String.init) == PostgresMigrations.all.map { String($0.version) })
    }

    @Test func aSchemaFromANewerGonggaoIsRefused() async throws {
        try await StoreBackend.postgres.withStore { ts in
            let (server, database) = try #require(ts.postgres)
            try server.psql("INSERT INTO schema_migrations (version, applied_at_ms) VALUES (999, 0)", database: database)
            #expect(throws: StoreError.schemaTooNew(found: 999, known: PostgresStore.schemaVersion)) {
                _ = try ts.openAgain()
            }
        }
    }

    // MARK: connections

    /// The server restarts (every connection is cut): the next transactions reconnect and work.
    @Test func theStoreRecoversAfterTheServerRestarts() async throws {
        let server = try PostgresTestServer.start()  // private: restarting the shared one would disturb other tests
        defer { server.stop() }
        let database = try server.createDatabase()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gonggao-tests-pgrestart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try PostgresStore(server.configuration(database: database, poolSize: 3),
                                      auditHead: AuditHeadFile(besideStore: directory.appendingPathComponent("g").path))
        // Open every pooled connection.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<3 {
                group.addTask { _ = try await store.write { try $0.appendAudit(AuditRecord(at: Fixtures.t0, actor: "a", action: "test.before", subject: "\(i)")) } }
            }
            try await group.waitForAll()
        }
        let listened = Locked<[String]>([])
        let ready = Locked(false)
        let listener = Task {
            try await store.listen(ready: { ready.update { $0 = true } }) { payload in listened.update { $0.append(payload) } }
        }
        #expect(try await Self.eventually { ready.value })

        try server.restart()

        // Each transaction lands on a pooled connection the restart cut: each is retried on a new one.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<6 {
                group.addTask { _ = try await store.write { try $0.appendAudit(AuditRecord(at: Fixtures.t0, actor: "a", action: "test.after", subject: "\(i)")) } }
            }
            try await group.waitForAll()
        }
        let entries = try await store.read { try $0.auditEntries(after: 0, limit: 100) }
        #expect(entries.map(\.seq) == Array(1...9))
        #expect(try await AuditCheck.verify(store).isValid)

        // The listener comes back too: it says so ("" = notifications may have been missed, look at
        // the queue), then hears new work.
        #expect(try await Self.eventually { listened.value.contains("") })
        try await store.write { tx in
            try tx.insertNoticeVersion(Rows.version("ntc_a", 1, state: .approved))
            try tx.insertDelivery(Rows.delivery("dlv_a", notice: "ntc_a", channel: "print"))
        }
        #expect(try await Self.eventually { listened.value.contains("print") })
        listener.cancel()
        try await listener.value
        await store.close()
    }

    /// Connections the server ends (an operator's pg_terminate_backend) are replaced on next use.
    @Test func terminatedConnectionsAreReplaced() async throws {
        try await StoreBackend.postgres.withStore { ts in
            let (server, database) = try #require(ts.postgres)
            try await ts.store.write { try $0.saveProject(Fixtures.sampleProject()) }
            try server.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()")
            #expect(try await ts.store.read { try $0.projects() }.count == 1)
            try await ts.store.write { try $0.insertNoticeVersion(Rows.version("ntc_a")) }
            #expect(try await ts.store.read { try $0.noticeVersions("ntc_a") }.count == 1)
        }
    }

    @Test func aStatementPastTheTimeoutIsCancelled() async throws {
        try await StoreBackend.postgres.withStore { ts in
            let (server, database) = try #require(ts.postgres)
            var configuration = server.configuration(database: database, poolSize: 1)
            configuration.statementTimeout = .milliseconds(200)
            let store = try PostgresStore(configuration, auditHead: MemoryAuditHead())
            let started = ContinuousClock.now
            do {
                try await store.execute(unsafeSQL: "SELECT pg_sleep(30)")
                Issue.record("pg_sleep(30) was not cancelled")
            } catch let StoreError.backend(_, message) {
                #expect(message.contains("57014"), "\(message)")
            }
            // Well before pg_sleep's 30 s (a loaded machine may take a few seconds to get there).
            #expect(ContinuousClock.now - started < .seconds(20))
            // The connection is fine afterwards.
            #expect(try await store.read { try $0.projects() }.isEmpty)
            await store.close()
        }
    }

    // MARK: errors

    static func connectionError(_ configuration: PostgresConfiguration) -> String {
        do {
            _ = try PostgresStore(configuration, auditHead: MemoryAuditHead())
            return "connected"
        } catch {
            return "\(error)"
        }
    }

    @Test func connectionErrorsAreClearOneLinersWithoutThePassword() async throws {
        let server = try await PostgresTestServer.sharedOffPool()
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        let secret = "s3cret-\(UUID().uuidString.prefix(8))"

        var wrongPort = server.configuration(database: database, user: PostgresTestServer.passwordRole, password: secret)
        wrongPort.port = try PostgresTestServer.freePort()
        let refused = Self.connectionError(wrongPort)
        #expect(refused.contains("127.0.0.1:\(wrongPort.port)") && refused.contains("connection refused"), "\(refused)")

        let wrongPassword = Self.connectionError(
            server.configuration(database: database, user: PostgresTestServer.passwordRole, password: secret))
        #expect(wrongPassword.contains("password authentication failed for user \"\(PostgresTestServer.passwordRole)\""), "\(wrongPassword)")

        let missing = Self.connectionError(
            server.configuration(database: "no_such_db", user: PostgresTestServer.passwordRole, password: server.password))
        #expect(missing.contains("database \"no_such_db\" does not exist"), "\(missing)")

        for message in [refused, wrongPassword, missing] {
            #expect(!message.contains(secret) && !message.contains(server.password), "\(message)")
            #expect(!message.contains("\n"), "\(message)")
        }
        // The right password works.
        #expect(Self.connectionError(server.configuration(database: database, user: PostgresTestServer.passwordRole,
                                                          password: server.password)) == "connected")
    }

    @Test func urlsAreReadAndNeverShowThePassword() throws {
        let c = try PostgresConfiguration(url: "postgres://gonggao:p%40ss@db.example:6543/notices?sslmode=require")
        #expect(c.host == "db.example" && c.port == 6543 && c.database == "notices" && c.user == "gonggao")
        #expect(c.password == "p@ss" && c.sslMode == "require")
        #expect(c.description == "postgres://gonggao@db.example:6543/notices")
        let fromFile = try PostgresConfiguration(url: "postgresql://gonggao@/notices?host=/run/postgresql", password: "file")
        #expect(fromFile.host == "/run/postgresql" && fromFile.password == "file" && fromFile.port == 5432)
        #expect(throws: PostgresError.self) { try PostgresConfiguration(url: "mysql://x@y/z") }
        #expect(throws: PostgresError.self) { try PostgresConfiguration(url: "postgres://x@y:5432/") }
    }

    // MARK: LISTEN/NOTIFY

    /// An approval notifies at commit, once per channel; a rolled-back write notifies nothing; a
    /// cancelled listener returns.
    @Test func approvalsWakeListenersAtCommitOnly() async throws {
        try await StoreBackend.postgres.withStore { ts in
            let heard = Locked<[String]>([])
            let ready = Locked(false)
            let store = try #require(ts.store as? PostgresStore)
            let listener = Task {
                try await store.listen(ready: { ready.update { $0 = true } }) { payload in heard.update { $0.append(payload) } }
            }
            #expect(try await Self.eventually { ready.value })

            await #expect(throws: Boom.self) {
                try await store.write { tx in
                    try tx.insertNoticeVersion(Rows.version("ntc_x", 1, state: .approved))
                    try tx.insertDelivery(Rows.delivery("dlv_x", notice: "ntc_x", channel: "fax"))
                    throw Boom()
                }
            }
            let wf = ts.workflow()
            let id = try await ts.submittedSample(wf)
            _ = try await wf.approve(id, as: "bob")
            _ = try await Self.eventually { Set(heard.value) == Set(Fixtures.channels) }
            #expect(heard.value.sorted() == Fixtures.channels.sorted())
            listener.cancel()
            try await listener.value
        }
    }
}

/// A value shared with closures that escape (a `Mutex` itself cannot be captured).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    var value: Value { mutex.withLock { $0 } }
    func update<T>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}

/// `?` → `$n`, leaving text alone.
@Suite struct PGPlaceholderTests {
    @Test func placeholdersOutsideLiteralsAreNumbered() throws {
        #expect(try PGPlaceholders.numbered("SELECT a FROM t WHERE b = ? AND c = ?", expecting: 2)
                == "SELECT a FROM t WHERE b = $1 AND c = $2")
        #expect(try PGPlaceholders.numbered("SELECT '?', \"a?\", 'it''s ?' , ? -- why?\n, ?", expecting: 2)
                == "SELECT '?', \"a?\", 'it''s ?' , $1 -- why?\n, $2")
        #expect(try PGPlaceholders.numbered("SELECT E'\\'?', /* ? */ ?, $$?$$, $x$ ? $x$", expecting: 1)
                == "SELECT E'\\'?', /* ? */ $1, $$?$$, $x$ ? $x$")
        #expect(throws: PGPlaceholders.Mismatch.self) { try PGPlaceholders.numbered("SELECT ?", expecting: 2) }
    }

    @Test func sqlstatesPackIntoStoreErrorCodes() {
        #expect(PostgresError.numericCode("00000") == 0)
        #expect(PostgresError.numericCode("23505") != PostgresError.numericCode("40001"))
        #expect(PostgresError.numericCode(nil) == -1)
        #expect(PostgresError(sqlState: "23505", message: "duplicate").storeError == .conflict("duplicate"))
        #expect(PostgresError(sqlState: "40P01", message: "deadlock").isRetryable)
        // A data exception's quoted value is not kept.
        #expect(PostgresError(sqlState: "22P02", message: "invalid input syntax for type bigint: \"secret\"").message
                == "invalid input syntax for type bigint")
    }
}
