import Foundation
import GonggaoStore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for tests: `initdb` in a temporary folder, a free loopback port,
/// its unix socket in the same folder, stopped and removed when the test process exits.
///
/// `shared()` starts one per test process on first use; every test takes a fresh database from it
/// (`createDatabase()`). A test that restarts or stops its server starts a private one (`start()`).
/// PostgreSQL refuses to run as root: as root the server runs as user `postgres` (`runuser`).
///
/// Role `gonggao_pw` logs in over TCP with `password` only (scram-sha-256); every other role is trusted.
public final class PostgresTestServer: Sendable {
    public let port: Int
    /// The folder holding `data/`, the socket and the server log.
    public let directory: String
    let binDirectory: String
    /// A role that must give `password` (for the wrong-password tests).
    public static let passwordRole = "gonggao_pw"
    public let password: String

    // MARK: availability

    /// The newest `/usr/lib/postgresql/<version>/bin` holding initdb and pg_ctl, if any.
    public static let binDirectory: String? = {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { v in Int(v).map { (v, $0) } }.sorted { $0.1 > $1.1 }
        for (v, _) in versions {
            let bin = "\(root)/\(v)/bin"
            if FileManager.default.isExecutableFile(atPath: "\(bin)/initdb"),
               FileManager.default.isExecutableFile(atPath: "\(bin)/pg_ctl"),
               FileManager.default.isExecutableFile(atPath: "\(bin)/psql") { return bin }
        }
        return nil
    }()

    public static var isInstalled: Bool { binDirectory != nil }

    /// Whether PostgreSQL tests run: when the server is installed, and always in CI (where a missing
    /// server is a failure, never a skip).
    public static var shouldRun: Bool { isInstalled || ExternalTools.isCI() }

    public static let notInstalledReason =
        "PostgreSQL server binaries (initdb, pg_ctl, psql under /usr/lib/postgresql/*/bin) are not installed: apt-get install postgresql"

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    // MARK: the shared server

    private static let sharedServer = Mutex<PostgresTestServer?>(nil)
    private static let started = Mutex<[PostgresTestServer]>([])

    /// The process's shared server, started on first use.
    public static func shared() throws -> PostgresTestServer {
        try sharedServer.withLock { server in
            if let server { return server }
            let s = try start()
            server = s
            return s
        }
    }

    /// `shared()` on a DispatchQueue thread, for async tests: the first start takes seconds (initdb),
    /// and every other caller waits on the lock meanwhile — never on the cooperative pool.
    public static func sharedOffPool() async throws -> PostgresTestServer {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<PostgresTestServer, any Error>) in
            DispatchQueue.global().async { c.resume(with: Result { try shared() }) }
        }
    }

    /// Starts a private server (stopped at process exit, or earlier with `stop()`).
    public static func start() throws -> PostgresTestServer {
        guard let bin = binDirectory else { throw Failure(description: notInstalledReason) }
        removeAbandonedServers()
        var lastError: (any Error)?
        // A port asked from the OS may be taken again before the server binds it: try a few.
        for _ in 0..<3 {
            do {
                let server = try PostgresTestServer(bin: bin)
                started.withLock { list in
                    if list.isEmpty { atexit { PostgresTestServer.stopAllAtExit() } }
                    list.append(server)
                }
                return server
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }

    private init(bin: String) throws {
        binDirectory = bin
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("gonggao-pg-XXXXXX").path
        var buffer = Array(template.utf8CString)
        guard mkdtemp(&buffer) != nil else { throw Failure(description: "mkdtemp failed: errno \(errno)") }
        directory = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        password = "pw-" + UUID().uuidString
        port = try Self.freePort()
        // Who started it, so a later run can remove servers whose test process died.
        try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/owner.pid"))
        do {
            if getuid() == 0 {
                try Self.run("/bin/chown", ["-R", "postgres:postgres", directory])
            }
            try runAsServerUser("\(bin)/initdb", ["-D", "\(directory)/data", "-A", "trust", "-U", "postgres", "-N",
                                                  "-E", "UTF8", "--locale=C"])
            let hba = """
                local all all trust
                host all \(Self.passwordRole) 127.0.0.1/32 scram-sha-256
                host all all 127.0.0.1/32 trust
                """
            try Data((hba + "\n").utf8).write(to: URL(fileURLWithPath: "\(directory)/data/pg_hba.conf"))
            if getuid() == 0 { try Self.run("/bin/chown", ["postgres:postgres", "\(directory)/data/pg_hba.conf"]) }
            try startServer()
            try psql("CREATE ROLE \(Self.passwordRole) LOGIN SUPERUSER PASSWORD '\(password)'")
        } catch {
            stop()
            throw error
        }
    }

    // MARK: databases

    /// A new, empty database with a random name.
    public func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try psql("CREATE DATABASE \(name)")
        return String(name)
    }

    /// Drops a database even while connections to it are open.
    public func dropDatabase(_ name: String) {
        _ = try? psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// How to reach `database` as the trusted superuser (or another role).
    public func configuration(database: String, user: String = "postgres", password: String? = nil,
                              poolSize: Int = 4) -> PostgresConfiguration {
        PostgresConfiguration(host: "127.0.0.1", port: port, database: database, user: user, password: password,
                              statementTimeout: .seconds(20), connectTimeoutSeconds: 5, poolSize: poolSize)
    }

    /// Runs SQL through psql as the superuser (test setup only; never with values from outside).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try Self.run("\(binDirectory)/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                                               "-p", String(port), "-U", "postgres", "-d", database, "-c", sql])
    }

    // MARK: lifecycle

    private func startServer() throws {
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
            + " -c shared_buffers=32MB"
        try runAsServerUser("\(binDirectory)/pg_ctl", ["-D", "\(directory)/data", "-o", options, "-l", "\(directory)/server.log",
                                                        "-w", "-t", "30", "start"])
    }

    /// Restarts the server (fast shutdown: open connections are cut), waiting until it answers again.
    public func restart() throws {
        try runAsServerUser("\(binDirectory)/pg_ctl", ["-D", "\(directory)/data", "-m", "fast", "-w", "-t", "30", "stop"])
        try startServer()
    }

    /// Stops the server at once and removes its folder; idempotent.
    public func stop() {
        if FileManager.default.fileExists(atPath: "\(directory)/data/postmaster.pid") {
            _ = try? runAsServerUser("\(binDirectory)/pg_ctl", ["-D", "\(directory)/data", "-m", "immediate", "-w", "stop"])
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func stopAllAtExit() {
        for server in started.withLock({ $0 }) { server.stop() }
    }

    /// Stops and removes servers left by test processes that died without their atexit handler.
    private static func removeAbandonedServers() {
        let tmp = FileManager.default.temporaryDirectory.path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [] where name.hasPrefix("gonggao-pg-") {
            let dir = "\(tmp)/\(name)"
            guard let text = try? String(contentsOfFile: "\(dir)/owner.pid", encoding: .utf8),
                  let owner = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                  owner != getpid(), kill(owner, 0) != 0, errno == ESRCH,
                  let bin = binDirectory else { continue }
            if FileManager.default.fileExists(atPath: "\(dir)/data/postmaster.pid") {
                _ = try? run(getuid() == 0 ? "/usr/sbin/runuser" : "\(bin)/pg_ctl",
                             (getuid() == 0 ? ["-u", "postgres", "--", "\(bin)/pg_ctl"] : [])
                                + ["-D", "\(dir)/data", "-m", "immediate", "-w", "stop"])
            }
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    // MARK: processes

    @discardableResult
    private func runAsServerUser(_ executable: String, _ arguments: [String]) throws -> String {
        if getuid() == 0 {
            return try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments)
        }
        return try Self.run(executable, arguments)
    }

    /// Runs a tool to its end (blocking) with `posix_spawn` and `waitpid` (Foundation's `Process`
    /// reports the end through a run loop, which a test's thread may never run). Its output goes
    /// through a file, never a pipe, so a server it leaves running cannot hold our read open.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gonggao-pg-run-\(UUID().uuidString)").path
        defer { unlink(out) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("PG") { environment[key] = nil }
        environment["LC_ALL"] = "C"
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw Failure(description: "cannot start \(executable): error \(rc)") }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        let status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let name = (executable as NSString).lastPathComponent
            let shown = arguments.first == "-u" ? arguments.dropFirst(3).joined(separator: " ") : arguments.joined(separator: " ")
            throw Failure(description: "\(name) \(shown) exited \(status): \(text)")
        }
        return text
    }

    /// A TCP port on 127.0.0.1 that the OS says is free now.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Failure(description: "bind failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
