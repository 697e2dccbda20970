import Foundation
import GonggaoCore
import GonggaoStore

/// Every store implementation the protocol suite runs against (`@Test(arguments: StoreBackend.allCases)`).
public enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory
    case sqlite

    public var description: String { rawValue }

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
        }
    }

    /// Runs `body` with a fresh store, then closes it and removes its folder.
    public func withStore<T>(_ body: (TestStore) async throws -> T) async throws -> T {
        let ts = try make()
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

    /// The SQLite file, for backends that have one.
    public var path: String? { (store as? SQLiteStore)?.path }

    /// Another handle on the same data, as a second process would open it (nil for memory).
    public func openAgain(busyTimeoutMillis: Int32 = 30_000) throws -> (any NoticeStore)? {
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
        try? FileManager.default.removeItem(at: directory)
    }
}
