import Foundation
import GonggaoCore
import TestSupport
import Testing

import GonggaoCrypto
@testable import GonggaoStore

/// What only the durable store promises: data survives, several processes share one file.
@Suite struct SQLiteStoreTests {
    @Test func dataSurvivesCloseAndReopen() async throws {
        try await StoreBackend.sqlite.withStore { ts in
            let wf = ts.workflow()
            let id = try await ts.submittedSample(wf)
            let approval = try await wf.approve(id, as: "bob")
            try await ts.store.write { tx in
                try tx.appendAttempt(
                    DeliveryAttempt(
                        deliveryID: approval.deliveries[0].id, number: 1, startedAt: Fixtures.t0,
                        finishedAt: Fixtures.t0.addingTimeInterval(1), outcome: .retryable,
                        detail: "HTTP 503"))
            }
            let before = try await ts.dump()
            await ts.store.close()

            let reopened = try SQLiteStore(path: ts.path!)
            #expect(try await StoreDump.text(reopened) == before)
            #expect(try await reopened.read { try $0.noticeVersion(id, version: 1) } == approval.version)
            let report = try await AuditCheck.verify(reopened)
            #expect(report.isValid, "\(report.problems)")
            #expect(report.entries == 4)

            // The reopened store carries on the same chain.
            let again = NoticeWorkflow(
                store: reopened, users: Fixtures.users, channels: Fixtures.channels,
                withdrawChannels: Fixtures.withdrawChannels, now: TestClock().function)
            #expect(try await !again.approve(id, as: "carol").changed)
            _ = try await again.withdraw(id, reason: "测试", as: "carol")
            #expect(try await AuditCheck.verify(reopened).isValid)
            await reopened.close()
        }
    }

    @Test func manyHandlesOpeningAFreshFileAtOnceAllSucceed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gonggao-tests-open-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("fresh.sqlite").path
        let stores = try await withThrowingTaskGroup(of: SQLiteStore.self) { group in
            for _ in 0..<6 { group.addTask { try SQLiteStore(path: path) } }
            return try await group.reduce(into: [SQLiteStore]()) { $0.append($1) }
        }
        #expect(stores.count == 6)
        try await stores[0].write { try $0.saveProject(Fixtures.sampleProject()) }
        #expect(try await stores[5].read { try $0.projects() }.count == 1)
        for s in stores { await s.close() }
    }

    @Test func aSchemaFromANewerGonggaoIsRefused() async throws {
        try await StoreBackend.sqlite.withStore { ts in
            let sqlite = try #require(ts.store as? SQLiteStore)
            try await sqlite.execute(
                unsafeSQL: "INSERT INTO schema_migrations (version, applied_at_ms) VALUES (999, 0)")
            #expect(throws: StoreError.schemaTooNew(found: 999, known: SQLiteStore.schemaVersion)) {
                _ = try SQLiteStore(path: ts.path!)
            }
        }
    }

    @Test func reopeningDoesNotRerunMigrations() async throws {
        try await StoreBackend.sqlite.withStore { ts in
            let sqlite = try #require(ts.store as? SQLiteStore)
            await sqlite.close()
            let again = try SQLiteStore(path: ts.path!)
            try await again.write { try $0.saveProject(Fixtures.sampleProject()) }
            await again.close()
            let third = try SQLiteStore(path: ts.path!)
            #expect(try await third.read { try $0.projects() }.count == 1)
            await third.close()
            #expect(SQLiteStore.schemaVersion >= 1)
        }
    }

    @Test func theFileIsInWALMode() async throws {
        try await StoreBackend.sqlite.withStore { ts in
            try await ts.store.write { try $0.saveProject(Fixtures.sampleProject()) }
            #expect(FileManager.default.fileExists(atPath: ts.path! + "-wal"))
        }
    }

    @Test func anUnopenablePathIsAnError() {
        #expect(throws: StoreError.self) { _ = try SQLiteStore(path: "/nonexistent-dir-\(UUID().uuidString)/x.sqlite") }
    }
}

/// Shipped migrations are never edited, and the store is opened the durable way.
@Suite struct SQLiteSchemaTests {
    /// SHA-256 of each shipped migration's statements (joined by a NUL). A failing entry means a
    /// shipped migration was edited: revert it and append a new migration instead.
    static let pinned: [Int: String] = [
        1: "4b9d0153ee674ee43c55bf873c80dad58c9f478b7222a0b50c10c45a85ae3996",
        2: "bf8dfbdb9905462f67cdb8a9d8e77e2bd65cd2ce7036cb91ed585808b1e04e0a",
        3: "1d13988fb1a47758588d379f6d70854c1790a93486860e59ab4c6c0acb459a1c",
        4: "2bd420541284b569e6a5d13b9e4435112cb89cf69dceafc87ef4fbeb4edf38f3",
        5: "0ca614a4ed4a530d741db0fdf19a30132cf955644fd33263ab2744ca39d0f437",
        6: "b270818c36ac89acc5bcbe577bd81d0e5409d859255fdd11564be5f9934552de",
    ]

    @Test func shippedMigrationsAreNeverEdited() {
        let actual = Dictionary(uniqueKeysWithValues: SQLiteMigrations.all.map { m in
            (m.version, GonggaoCrypto.hex(GonggaoCrypto.sha256(Array(m.sql.joined(separator: "\u{0}").utf8))))
        })
        for (version, hash) in Self.pinned.sorted(by: { $0.key < $1.key }) {
            #expect(actual[version] == hash, "migration \(version) changed: its hash is now \(actual[version] ?? "missing")")
        }
        #expect(SQLiteMigrations.all.map(\.version) == Array(1...SQLiteMigrations.latest), "numbered 1…n without gaps")
    }

    @Test func connectionsUseWALAndFullSync() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gonggao-pragma-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("s.sqlite").path, busyTimeoutMillis: 1000)
        defer { connection.close() }
        #expect(try connection.rows("PRAGMA journal_mode").first?.text(0) == "wal")
        #expect(try connection.rows("PRAGMA synchronous").first?.int(0) == 2, "2 = FULL: an acknowledged commit survives power loss")
        #expect(try connection.rows("PRAGMA foreign_keys").first?.int(0) == 1)
    }
}
