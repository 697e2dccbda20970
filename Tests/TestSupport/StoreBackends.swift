import Foundation
import GonggaoCore
import GonggaoStore

/// Every store implementation the protocol suite runs against (`@Test(arguments: StoreBackend.allCases)`).
public enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory
    case sqlite
    /// A fresh database on the test process's throwaway server (`PostgresTestServer`).
    case postgres

    public var description: String { rawValue }

    /// Every backend; PostgreSQL only where its server is installed or under CI (where a missing
    /// server fails the tests, never skips them).
    public static var allCases: [StoreBackend] {
        PostgresTestServer.shouldRun ? [.memory, .sqlite, .postgres] : [.memory, .sqlite]
    }

    /// A fresh, empty store of this backend in a fresh temporary folder.
    public func make() throws -> TestStore {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gonggao-tests-\(rawValue)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        switch self {
        case .memory:
            return TestStore(backend: self, store: MemoryStore(), directory: directory)
        case .sqlite:
            let path = directory.appendingPathComponent("gonggao.sqlite").path
            return TestStore(backend: self, store: try SQLiteStore(path: path), directory: directory)
        case .postgres:
            let server = try PostgresTestServer.shared()
            let database = try server.createDatabase()
            let configuration = server.configuration(database: database)
            let head = AuditHeadFile(besideStore: directory.appendingPathComponent("gonggao.postgres").path)
            do {
                return TestStore(backend: self, store: try PostgresStore(configuration, auditHead: head), directory: directory,
                                 postgres: (server, database))
            } catch {
                server.dropDatabase(database)
                throw error
            }
        }
    }

    /// `make()` on a DispatchQueue thread. Async tests must use this: making a PostgreSQL store blocks
    /// (the shared server's first start, psql, connect, migrate), and tests blocking the cooperative
    /// pool's few threads (two on a 2-core machine) stall every other test in the process.
    public func makeOffPool() async throws -> TestStore {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<TestStore, any Error>) in
            DispatchQueue.global().async { c.resume(with: Result { try make() }) }
        }
    }

    /// Runs `body` with a fresh store, then closes it and removes its folder.
    public func withStore<T>(_ body: (TestStore) async throws -> T) async throws -> T {
        let ts = try await makeOffPool()
        do {
            let result = try await body(ts)
            await ts.cleanup()
            return result
        } catch {
            await ts.cleanup()
            throw error
        }
    }
}

/// A store made for one test, with the folder it lives in.
public struct TestStore: Sendable {
    public let backend: StoreBackend
    public let store: any NoticeStore
    /// A private temporary folder (the SQLite file and its audit head live here).
    public let directory: URL
    /// The PostgreSQL server and database, for the postgres backend.
    public let postgres: (server: PostgresTestServer, database: String)?

    init(backend: StoreBackend, store: any NoticeStore, directory: URL,
         postgres: (server: PostgresTestServer, database: String)? = nil) {
        self.backend = backend
        self.store = store
        self.directory = directory
        self.postgres = postgres
    }

    /// The SQLite file, for backends that have one.
    public var path: String? { (store as? SQLiteStore)?.path }

    /// Another handle on the same data, as a second process would open it (nil for memory).
    public func openAgain(busyTimeoutMillis: Int32 = 30_000) throws -> (any NoticeStore)? {
        if let postgres, let pg = store as? PostgresStore {
            return try PostgresStore(postgres.server.configuration(database: postgres.database), auditHead: pg.auditHead)
        }
        guard let path else { return nil }
        return try SQLiteStore(path: path, busyTimeoutMillis: busyTimeoutMillis)
    }

    /// A workflow over this store with the fixture users and channels.
    public func workflow(clock: TestClock = TestClock()) -> NoticeWorkflow {
        NoticeWorkflow(
            store: store, users: Fixtures.users, channels: Fixtures.channels,
            withdrawChannels: Fixtures.withdrawChannels, now: clock.function)
    }

    public func cleanup() async {
        await store.close()
        if let postgres { postgres.server.dropDatabase(postgres.database) }
        try? FileManager.default.removeItem(at: directory)
    }
}
