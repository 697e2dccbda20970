import Foundation

/// Where and how `PostgresStore` connects. Built once by the caller (from the config file, a URL,
/// the environment); the store never reads files or the environment itself.
public struct PostgresConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// A host name, an IP address, or a folder holding the server's unix socket (starts with `/`).
    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    /// Nil: no password (trust or peer authentication). libpq's PGPASSWORD and ~/.pgpass are never read.
    public var password: String?
    /// `statement_timeout` set on every connection: a statement running longer is cancelled.
    public var statementTimeout: Duration
    /// How long one connection attempt may take.
    public var connectTimeoutSeconds: Int
    /// Connections the store keeps open at most (each runs one transaction at a time).
    public var poolSize: Int
    /// libpq's `sslmode` (`disable`, `prefer`, `require`, `verify-full`…); nil leaves libpq's default.
    public var sslMode: String?
    public var applicationName: String

    public init(host: String = "127.0.0.1", port: Int = 5432, database: String, user: String, password: String? = nil,
                statementTimeout: Duration = .seconds(30), connectTimeoutSeconds: Int = 10, poolSize: Int = 4,
                sslMode: String? = nil, applicationName: String = "gonggao") {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.statementTimeout = statementTimeout
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.poolSize = poolSize
        self.sslMode = sslMode
        self.applicationName = applicationName
    }

    /// Reads `postgres://user[:password]@host[:port]/database[?sslmode=…&host=/socket/dir]`
    /// (`postgresql://` too). A `password` given here wins over one in the URL (a password file).
    /// - Throws: `PostgresError` (its message never repeats the URL or its password).
    public init(url: String, password: String? = nil) throws {
        guard let c = URLComponents(string: url), c.scheme == "postgres" || c.scheme == "postgresql" else {
            throw PostgresError(sqlState: nil, message: "a PostgreSQL URL looks like postgres://user@host:5432/database")
        }
        let query = Dictionary((c.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let path = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        guard !path.isEmpty else {
            throw PostgresError(sqlState: nil, message: "the PostgreSQL URL names no database (postgres://user@host:5432/DATABASE)")
        }
        guard let user = c.user, !user.isEmpty else {
            throw PostgresError(sqlState: nil, message: "the PostgreSQL URL names no user (postgres://USER@host:5432/database)")
        }
        self.init(host: query["host"] ?? c.host ?? "127.0.0.1", port: c.port ?? 5432,
                  database: path.removingPercentEncoding ?? path, user: user, password: password ?? c.password)
        if let mode = query["sslmode"] { sslMode = mode }
        if let ms = query["statement_timeout"].flatMap(Int.init) { statementTimeout = .milliseconds(ms) }
    }

    /// The URL without its password, for logs and error messages.
    public var description: String { "postgres://\(user)@\(hostAndPort)/\(database)" }

    /// `host:port`, or the socket folder and port.
    public var hostAndPort: String { host.hasPrefix("/") ? "\(host) (port \(port))" : "\(host):\(port)" }

    /// The libpq keyword/value pairs (`PQconnectdbParams`): values are never spliced into a conninfo
    /// string, so a password with spaces or quotes needs no escaping.
    var connectionParameters: [(String, String)] {
        var p: [(String, String)] = [
            ("host", host), ("port", String(port)), ("dbname", database), ("user", user),
            ("connect_timeout", String(connectTimeoutSeconds)), ("application_name", applicationName),
            ("options", "-c statement_timeout=\(statementTimeout.milliseconds)"),
            // Never read a password or service from the environment behind the caller's back.
            ("passfile", "/dev/null"),
        ]
        // An empty password (not a missing one) keeps libpq from falling back to PGPASSWORD.
        p.append(("password", password ?? ""))
        if let sslMode { p.append(("sslmode", sslMode)) }
        return p
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}
