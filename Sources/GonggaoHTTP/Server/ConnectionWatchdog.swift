#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import GonggaoCore
import Synchronization

/// Cuts off connections that take longer than the request timeout to deliver a complete request.
///
/// libmicrohttpd only knows an inactivity timeout, which a client sending one header byte a second
/// never trips. The watchdog tracks every connection from libmicrohttpd's connect/close
/// notifications and, on its own thread, shuts down the socket of one that is overdue; MHD then
/// sees end-of-stream and closes the connection itself.
///
/// - Important: `shutdown` runs under the same lock as the close notification, and libmicrohttpd
///   notifies the close before it closes the descriptor, so a reused descriptor number is never hit.
final class ConnectionWatchdog: Sendable {
    private struct Entry {
        var fd: Int32
        /// Set while the connection owes us a request; nil while a request is being handled.
        var readingSince: ContinuousClock.Instant?
        var cut = false
    }

    private struct State {
        var nextID = 1
        var entries: [Int: Entry] = [:]
        var running = true
    }

    private let state = Mutex(State())
    private let timeout: Duration
    private let logger: Logger

    init(timeout: Duration, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    /// Starts the sweeping thread (a plain thread: it sleeps, so it stays off the cooperative pool).
    func start() {
        let interval = min(max(timeout / 5, .milliseconds(20)), .milliseconds(250))
        let thread = Thread { [self] in
            while state.withLock({ $0.running }) {
                Thread.sleep(forTimeInterval: interval.milliseconds / 1000)
                sweep(now: .now)
            }
        }
        thread.name = "gonggao.http.watchdog"
        thread.start()
    }

    /// Ends the sweeping thread (within one interval); idempotent.
    func stop() { state.withLock { $0.running = false } }

    /// A connection was accepted; returns its id (stored as the MHD socket context).
    func opened(fd: Int32, at now: ContinuousClock.Instant = .now) -> Int {
        state.withLock { s in
            let id = s.nextID
            s.nextID += 1
            s.entries[id] = Entry(fd: fd, readingSince: now)
            return id
        }
    }

    /// The connection delivered a complete request.
    func requestReceived(_ id: Int) {
        state.withLock { $0.entries[id]?.readingSince = nil }
    }

    /// The connection's response is done; the next request's clock starts.
    func responseFinished(_ id: Int, at now: ContinuousClock.Instant = .now) {
        state.withLock { $0.entries[id]?.readingSince = now }
    }

    /// libmicrohttpd is closing the connection (its descriptor is still open).
    func closed(_ id: Int) {
        _ = state.withLock { $0.entries.removeValue(forKey: id) }
    }

    /// Connections currently tracked.
    var count: Int { state.withLock { $0.entries.count } }

    func sweep(now: ContinuousClock.Instant) {
        let cut: Int = state.withLock { s in
            var n = 0
            for (id, entry) in s.entries where !entry.cut {
                guard let since = entry.readingSince, now - since > timeout else { continue }
                _ = shutdown(entry.fd, Int32(SHUT_RDWR))
                s.entries[id]?.cut = true
                n += 1
            }
            return n
        }
        if cut > 0 {
            logger.info(
                "connection cut off: no complete request in time",
                ["http.connections": "\(cut)", "http.request_timeout_ms": "\(Int(timeout.milliseconds))"])
        }
    }
}
