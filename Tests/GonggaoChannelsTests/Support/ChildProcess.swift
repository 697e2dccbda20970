import Foundation

/// A child process started with `posix_spawn`, for test servers and tools.
///
/// Not Foundation's `Process`: its children inherit the test runner's blocked signals (so SIGTERM
/// never arrives) and `waitUntilExit` spins on Linux. Here the child gets an empty signal mask,
/// `stop()` sends SIGKILL and reaps it.
final class ChildProcess: @unchecked Sendable {  // safe: `pid` is written once; `stop` is idempotent under `lock`
    let pid: pid_t
    /// The read end of the child's stdout, when captured.
    let stdout: Int32?
    private let lock = NSLock()
    private var reaped = false

    init(_ executable: String, _ arguments: [String], captureStdout: Bool = false) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var fds: [Int32] = [-1, -1]
        if captureStdout {
            guard pipe(&fds) == 0 else { throw TestFailure("pipe failed") }
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        if captureStdout { close(fds[1]) }
        guard rc == 0 else {
            if captureStdout { close(fds[0]) }
            throw TestFailure("posix_spawn \(executable) failed: \(rc)")
        }
        pid = child
        stdout = captureStdout ? fds[0] : nil
    }

    /// Reads stdout until a newline or end of file; nil on end of file before any newline.
    func readLine() -> String? {
        guard let fd = stdout else { return nil }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }

    /// Waits for the child to exit by itself; its exit status.
    func wait() -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        guard !reaped else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        reaped = true
        if let stdout { close(stdout) }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    /// Kills (SIGKILL) and reaps the child; idempotent.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !reaped else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        reaped = true
        if let stdout { close(stdout) }
    }

    deinit { stop() }
}
