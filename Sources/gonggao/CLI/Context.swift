import Foundation
import GonggaoCore
import GonggaoStore

/// What a command runs with: the validated config, the clock and the output, built once in `main`.
struct Context: Sendable {
    let config: Config
    let now: @Sendable () -> Date
    let output: Output

    /// The SQLite file the config names.
    var storePath: String {
        switch config.store {
        case .sqlite(let path): path
        }
    }

    /// Opens the existing store, runs `body`, and closes the store whatever happens.
    func withStore<T>(_ body: (any NoticeStore) async throws -> T) async throws -> T {
        guard FileManager.default.fileExists(atPath: storePath) else {
            throw CommandFailure(.failure, "no store at \(storePath) (run 'gonggao init' first)")
        }
        let store = try SQLiteStore(path: storePath)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// The officer actions over `store`, with the config's users and channels.
    func workflow(_ store: any NoticeStore) -> NoticeWorkflow {
        NoticeWorkflow(store: store, users: config.userDirectory, channels: config.deliveryChannels,
                       withdrawChannels: config.withdrawChannels, now: now)
    }
}
