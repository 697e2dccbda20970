import Foundation

/// A real IPP printer for tests: Debian's `ippeveprinter` on a free loopback port, spooling every
/// job into a private folder. Starts dbus and avahi first when they are not running (ippeveprinter
/// needs them). Stop it with `stop()`.
public final class IPPTestPrinter: @unchecked Sendable {
    // @unchecked: `process` is set in init and only read afterwards.
    public let port: Int
    public let spool: URL
    private let process: RunningProcess
    private let scratch: URL

    public var uri: String { "ipp://localhost:\(port)/ipp/print" }

    /// - Parameter formats: the document formats it accepts (`-f`); anything else it refuses with
    ///   client-error-document-format-not-supported.
    public init(name: String = "GonggaoTest", formats: String = "application/pdf") throws {
        try Self.ensureDaemons()
        spool = FileManager.default.temporaryDirectory.appendingPathComponent("ipp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
        port = try FreePort.find()
        scratch = spool.appendingPathExtension("log")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        // posix_spawn, not Foundation's Process: a Process child inherits the test thread's blocked
        // SIGTERM, so `terminate()` never ends it and `waitUntilExit()` hangs the whole run.
        process = try ProcessRunner.start(
            "/usr/sbin/ippeveprinter",
            ["-p", "\(port)", "-f", formats, "-k", "-d", spool.path, "-n", "localhost", name],
            environment: ProcessInfo.processInfo.environment, directory: spool, scratch: scratch)
        // Ready when it accepts a connection.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if FreePort.isListening(port) { return }
            usleep(50_000)
        }
        process.stopBlocking()
        throw IPPTestPrinterError(message: "ippeveprinter did not start on port \(port)")
    }

    /// Every spooled document (ippeveprinter keeps them with -k), oldest first.
    public func spooledFiles() -> [URL] {
        let files = (try? FileManager.default.contentsOfDirectory(at: spool, includingPropertiesForKeys: [.creationDateKey])) ?? []
        return files.filter { $0.pathExtension == "pdf" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// The first spooled document once ippeveprinter has finished writing it (it appears while the
    /// job streams in: wait until it exists and its size holds still for 300 ms), or nil after `timeout`.
    public func firstCompleteDocument(timeout: Duration = .seconds(10)) async throws -> Data? {
        let deadline = ContinuousClock.now + timeout
        var lastSize = -1
        var stableSince = ContinuousClock.now
        while ContinuousClock.now < deadline {
            if let file = spooledFiles().first,
               let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size]) as? Int {
                if size != lastSize {
                    lastSize = size
                    stableSince = ContinuousClock.now
                } else if size > 0 && ContinuousClock.now - stableSince >= .milliseconds(300) {
                    return try Data(contentsOf: file)
                }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Kills the printer and reaps it; removes its spool. Call once.
    public func stop() {
        process.stopBlocking()
        try? FileManager.default.removeItem(at: spool)
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Serialises `ensureDaemons`: two printers starting at once must not both start dbus or avahi.
    private static let daemonLock = NSLock()

    /// Starts the system dbus and avahi once, if they are not running; safe to call concurrently
    /// (one caller checks and starts, the others wait for it). Throws when a daemon cannot start.
    static func ensureDaemons() throws {
        try daemonLock.withLock {
            if !running("dbus-daemon") {
                try? FileManager.default.removeItem(atPath: "/run/dbus/pid")
                try? FileManager.default.createDirectory(atPath: "/run/dbus", withIntermediateDirectories: true)
                try run("/usr/bin/dbus-daemon", ["--system", "--fork"])
                try waitFor("dbus-daemon's socket") { FileManager.default.fileExists(atPath: "/run/dbus/system_bus_socket") }
            }
            if !running("avahi-daemon") {
                try run("/usr/sbin/avahi-daemon", ["--daemonize", "--no-drop-root", "--no-rlimits", "--no-chroot"])
                try waitFor("avahi-daemon") { running("avahi-daemon") }
                usleep(300_000) // it registers on the bus just after it forks
            }
        }
    }

    private static func waitFor(_ what: String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(5)
        while !condition() {
            guard Date() < deadline else { throw IPPTestPrinterError(message: "\(what) did not start within 5 s") }
            usleep(20_000)
        }
    }

    static func running(_ name: String) -> Bool {
        (try? run("/usr/bin/pgrep", ["-x", name])) == 0
    }

    /// Runs a short command to its end (the daemons fork and their first process exits).
    @discardableResult
    static func run(_ path: String, _ args: [String]) throws -> Int32 {
        let scratch = FileManager.default.temporaryDirectory
        return try ProcessRunner.start(path, args, environment: ProcessInfo.processInfo.environment,
                                       directory: scratch, scratch: scratch).waitBlocking()
    }
}

public struct IPPTestPrinterError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Ports chosen by the OS, never fixed.
public enum FreePort {
    /// A port on 127.0.0.1 that was free a moment ago (bind to 0, read it back, close).
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw IPPTestPrinterError(message: "socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw IPPTestPrinterError(message: "bind() failed") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    public static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
