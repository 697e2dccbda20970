import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a finished process left: its exit status and everything it wrote.
public struct ProcessResult: Sendable, CustomStringConvertible {
    /// The exit code, or 128 + the signal number when a signal ended it.
    public var status: Int32
    public var stdout: String
    public var stderr: String

    /// The non-empty lines of stderr.
    public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    /// The non-empty lines of stdout.
    public var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// A started child process; `wait` reaps it and collects its result.
///
/// Output goes to files (never pipes), so a chatty child can never block on a full pipe.
public final class RunningProcess: Sendable {
    public let pid: pid_t
    private let stdoutPath: String
    private let stderrPath: String

    init(pid: pid_t, stdoutPath: String, stderrPath: String) {
        self.pid = pid
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    /// What it has written to stdout so far (to read a daemon's "listening on" line).
    public var stdoutSoFar: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    /// What it has written to stderr so far.
    public var stderrSoFar: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` and blocks until the process is reaped (for daemons a test started itself);
    /// its captured output files are removed. Safe to call after it already ended.
    public func stopBlocking(signal: Int32 = SIGKILL) {
        kill(pid, signal)
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        unlink(stdoutPath)
        unlink(stderrPath)
    }

    /// Blocks until the process ends by itself; its exit code (128 + signal when a signal ended it).
    public func waitBlocking() -> Int32 {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        unlink(stdoutPath)
        unlink(stderrPath)
        return (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }

    /// Waits for the process to end, polling `waitpid(WNOHANG)` so no thread ever blocks; after
    /// `timeout` it is killed (SIGKILL) and reported as 128 + 9.
    public func wait(timeout: Duration = .seconds(120)) async -> ProcessResult {
        let deadline = ContinuousClock.now + timeout
        var killed = false
        var status: Int32 = -1
        while true {
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid {
                status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                break
            }
            if reaped == -1 && errno != EINTR { break }
            if !killed && ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                killed = true
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
        let out = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        unlink(stdoutPath)
        unlink(stderrPath)
        return ProcessResult(status: status, stdout: out, stderr: err)
    }
}

/// Starts child processes for end-to-end tests with `posix_spawn`.
///
/// Not Foundation's `Process`: a child started from a dispatch worker thread inherits that thread's
/// signal mask (SIGTERM blocked), and its termination is reported through a run loop. Here the
/// child gets an empty signal mask and default SIGPIPE/SIGTERM/SIGINT, and `wait` reaps it itself.
public enum ProcessRunner {
    /// Starts `executable` with `arguments` in `directory`; its output is captured in files under `scratch`.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String],
                             directory: URL, scratch: URL) throws -> RunningProcess {
        let id = UUID().uuidString
        let outPath = scratch.appendingPathComponent("out-\(id).txt").path
        let errPath = scratch.appendingPathComponent("err-\(id).txt").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        addChdir?(&actions, directory.path)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        return RunningProcess(pid: pid, stdoutPath: outPath, stderrPath: errPath)
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift's Glibc module does not
    /// export; looked up once. Without it the child runs in our directory (tests pass absolute paths).
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    // nonisolated(unsafe): a C function pointer, set once by the lazy initialiser and only read after.
    nonisolated(unsafe) private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    /// Runs `executable` to completion.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           directory: URL, scratch: URL, timeout: Duration = .seconds(120)) async throws -> ProcessResult {
        try await start(executable, arguments, environment: environment, directory: directory, scratch: scratch)
            .wait(timeout: timeout)
    }
}
