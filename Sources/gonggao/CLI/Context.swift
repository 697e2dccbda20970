import Foundation
import GonggaoCore
import GonggaoStore

/// What a command runs with: the validated config, the clock and the output, built once in `main`.
struct Context: Sendable {
    let config: Config
    let now: @Sendable () -> Date
    let output: Output
    /// The process environment (secrets named in config are read from it).
    var environment: [String: String] = [:]

    /// Long-running commands log JSON lines to stderr (`GONGGAO_LOG_LEVEL`: debug, info, notice,
    /// warning, error; default info).
    func logger(_ label: String) -> Logger {
        let level = environment["GONGGAO_LOG_LEVEL"].flatMap { name in Logger.Level.allCases.first { $0.name == name } } ?? .info
        return Logger.standardError(label: label, minimum: level)
    }

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
                       withdrawChannels: config.withdrawChannels, now: now, statutory: config.statutory)
    }

    /// The evaluation loop of `serve` and `worker`, every `warnings.evaluateEverySeconds`.
    func warningLoop(_ store: any NoticeStore, now: @escaping @Sendable () -> Date, logger: Logger) -> WarningLoop {
        WarningLoop(desk: warningDesk(store, now: now),
                    interval: .milliseconds(Int64(config.statutorySettings.warnings.evaluateEverySeconds * 1000)), logger: logger)
    }

    /// The statutory warnings over `store`, with the config's calendar and rules.
    func warningDesk(_ store: any NoticeStore, now: (@Sendable () -> Date)? = nil) -> WarningDesk {
        WarningDesk(store: store, clock: config.statutory, users: config.userDirectory, now: now ?? self.now)
    }
}
