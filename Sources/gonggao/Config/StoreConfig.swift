import Foundation

/// Which store backend to use: `{"sqlite": "path"}` (the embedded default) or
/// `{"postgres": {"url": …, "passwordFile": …, "auditHead": …}}` (several processes on several machines).
enum StoreConfig: Sendable, Equatable {
    /// An SQLite file; a relative path is read from the config file's directory.
    case sqlite(path: String)
    case postgres(PostgresSettings)

    /// Backends this build knows, as the config spells them.
    static let knownBackends = ["sqlite", "postgres"]

    /// The same backend with relative paths resolved against `directory`.
    func resolved(against directory: URL) -> StoreConfig {
        switch self {
        case .sqlite(let path):
            return .sqlite(path: ConfigLoader.resolve(path, against: directory))
        case .postgres(var s):
            s.passwordFile = s.passwordFile.map { ConfigLoader.resolve($0, against: directory) }
            s.auditHead = ConfigLoader.resolve(s.auditHead, against: directory)
            return .postgres(s)
        }
    }

    /// A short description for messages: the SQLite path, or the PostgreSQL URL without a password.
    var location: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let s): s.redactedURL
        }
    }
}

/// `store.postgres`: where the database is and how to reach it. The password never lives here: it
/// comes from `passwordFile`, or the URL in `GONGGAO_DATABASE_URL` (when `url` is left out).
struct PostgresSettings: Sendable, Equatable {
    /// `postgres://user@host:5432/database[?sslmode=verify-full]`; nil: `GONGGAO_DATABASE_URL`.
    var url: String?
    /// A file whose first line is the password (readable by the service user only).
    var passwordFile: String?
    /// The audit head's file on this machine (each node keeps its own; it only moves forward).
    /// Default `gonggao.audit-head` beside the config file.
    var auditHead: String = "gonggao.audit-head"
    /// Connections per process. Default 4.
    var poolSize: Int = 4
    /// `statement_timeout` of every connection. Default 30 s.
    var statementTimeoutSeconds: Double = 30

    /// The configured URL with any password replaced, for messages.
    var redactedURL: String {
        guard let url else { return "postgres (GONGGAO_DATABASE_URL)" }
        guard var c = URLComponents(string: url) else { return "postgres (url)" }
        if c.password != nil { c.password = "***" }
        return c.string ?? "postgres (url)"
    }
}
