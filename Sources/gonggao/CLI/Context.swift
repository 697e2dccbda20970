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

    /// The SQLite file the config names, or the PostgreSQL database (without its password).
    var storePath: String { config.store.location }

    /// Opens the existing store, runs `body`, and closes the store whatever happens.
    func withStore<T>(_ body: (any NoticeStore) async throws -> T) async throws -> T {
        let store = try await openStore(creating: false)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// Opens the configured store: SQLite (which must exist unless `creating`) or PostgreSQL (the
    /// schema is brought up to date under an advisory lock either way).
    func openStore(creating: Bool) async throws -> any NoticeStore {
        switch config.store {
        case .sqlite(let path):
            guard creating || FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure(.failure, "no store at \(path) (run 'gonggao init' first)")
            }
            return try SQLiteStore(path: path)
        case .postgres(let s):
            guard let url = s.url ?? environment["GONGGAO_DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) else {
                throw ConfigError(file: config.file, "store.postgres.url: not set, and GONGGAO_DATABASE_URL is empty")
            }
            var password: String?
            if let file = s.passwordFile {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ConfigError(file: config.file, "store.postgres.passwordFile: cannot read \(file)")
                }
                password = String(decoding: data, as: UTF8.self).split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            }
            var pg: PostgresConfiguration
            do {
                pg = try PostgresConfiguration(url: url, password: password)
            } catch let e as PostgresError {
                throw ConfigError(file: config.file, "store.postgres.url: \(e.message)")
            }
            pg.poolSize = s.poolSize
            pg.statementTimeout = .milliseconds(Int64(s.statementTimeoutSeconds * 1000))
            do {
                return try await PostgresStore.open(pg, auditHead: AuditHeadFile(path: s.auditHead))
            } catch let e as StoreError {
                throw CommandFailure(.failure, "cannot open the PostgreSQL store \(pg): \(e)")
            }
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
        var desk = WarningDesk(store: store, clock: config.statutory, users: config.userDirectory, now: now ?? self.now)
        if config.statutorySettings.warnings.alerts != nil { desk.alertChannel = AlertLoop.channel }
        return desk
    }
}
