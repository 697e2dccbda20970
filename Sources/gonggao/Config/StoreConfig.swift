import Foundation

/// Which store backend to use: `{"sqlite": "path"}` now; `{"postgres": "url"}` is reserved for the
/// PostgreSQL backend, so the key names the backend and its value says where it is.
enum StoreConfig: Sendable, Equatable {
    /// An SQLite file; a relative path is read from the config file's directory.
    case sqlite(path: String)

    /// Backends this build knows, as the config spells them.
    static let knownBackends = ["sqlite"]

    /// The same backend with a relative path resolved against `directory`.
    func resolved(against directory: URL) -> StoreConfig {
        switch self {
        case .sqlite(let path):
            if path.hasPrefix("/") { return .sqlite(path: URL(fileURLWithPath: path).standardizedFileURL.path) }
            return .sqlite(path: directory.appendingPathComponent(path).standardizedFileURL.path)
        }
    }

    /// A short description for messages (never a credential: SQLite paths hold none).
    var location: String {
        switch self {
        case .sqlite(let path): path
        }
    }
}
