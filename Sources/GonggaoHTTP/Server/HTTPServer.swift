import Foundation
import GonggaoCore
import Synchronization

/// An HTTP/1.1 server on libmicrohttpd: a bounded thread pool polling with epoll, a connection
/// limit, per-route body limits, idle and request timeouts, JSON-lines access logs and a graceful
/// stop. Handlers are async and run on the cooperative pool, never on libmicrohttpd's threads.
///
/// ```swift
/// let server = HTTPServer(configuration: config, router: router, logger: logger)
/// try await server.run()          // until the task is cancelled (SIGTERM in the CLI)
/// // or: try server.start(); … server.port …; await server.stop()
/// ```
///
/// - Important: Owns the daemon and its listen socket. `stop()` (or cancelling `run()`) is the
///   orderly way out; `close()` and `deinit` cut in-flight requests off at once.
public final class HTTPServer: Sendable {
    private enum Lifecycle {
        case idle
        case running(Daemon, ListenSocket)
        case stopping
        case stopped
    }

    public let configuration: HTTPServerConfiguration
    private let core: ServerCore
    private let logger: Logger
    private let lifecycle = Mutex(Lifecycle.idle)
    private let boundPort = Atomic<UInt16>(0)
    private let stopRequested = Signal()
    private let stopFinished = Signal()

    /// A server that will answer with `router`; nothing happens until `start()` or `run()`.
    public init(configuration: HTTPServerConfiguration = HTTPServerConfiguration(), router: Router, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.core = ServerCore(router: router, configuration: configuration, logger: logger)
    }

    /// The port it listens on (the OS's choice when configured as 0); 0 before `start()`.
    public var port: UInt16 { boundPort.load(ordering: .acquiring) }

    /// Requests received and not yet completed.
    public var inFlightRequests: Int { core.inFlight }

    /// Binds the socket and starts libmicrohttpd's threads. Throws when the host or port cannot be
    /// used, or when called twice.
    public func start() throws(HTTPServerError) {
        if let problem = configuration.problem { throw HTTPServerError(.badConfiguration, problem) }
        try lifecycle.withLock { (state: inout Lifecycle) throws(HTTPServerError) in
            guard case .idle = state else {
                throw HTTPServerError(
                    .alreadyStarted, "the HTTP server was already started (a stopped server cannot be restarted)")
            }
            let socket = try ListenSocket(
                host: configuration.host, port: configuration.port, backlog: configuration.listenBacklog)
            let daemon: Daemon
            do throws(HTTPServerError) {
                daemon = try Daemon(core: core, listenFD: socket.fd, configuration: configuration)
            } catch {
                socket.close()
                throw error
            }
            boundPort.store(socket.port, ordering: .releasing)
            core.watchdog.start()
            state = .running(daemon, socket)
            logger.info(
                "http server listening",
                [
                    "http.host": configuration.host, "http.port": "\(socket.port)",
                    "http.threads": "\(configuration.threads)",
                    "http.event_loop": daemon.usesEpoll ? "epoll" : "poll",
                    "http.connection_limit": "\(configuration.connectionLimit)",
                ])
        }
    }

    /// Starts (unless started) and serves until the calling task is cancelled or `stop()` is
    /// called, then stops gracefully and returns.
    public func run() async throws {
        if case .idle = lifecycle.withLock({ $0 }) { try start() }
        await withTaskCancellationHandler {
            await stopRequested.wait()
        } onCancel: {
            stopRequested.fire()
        }
        await stop()
    }

    /// Graceful stop: refuse new connections at once, answer requests arriving on open
    /// connections with 503, wait up to `grace` (default `configuration.shutdownGrace`) for
    /// in-flight requests to complete, cut off the rest, then stop libmicrohttpd. Idempotent;
    /// concurrent callers all return once the server has stopped.
    public func stop(grace: Duration? = nil) async {
        stopRequested.fire()
        guard let (daemon, socket) = takeForStopping() else {
            await stopFinished.wait()
            return
        }
        let grace = grace ?? configuration.shutdownGrace
        core.beginStopping()
        daemon.quiesce()
        socket.stopListening()
        let waited = await waitUntil(deadline: .now + grace) { self.core.inFlight == 0 }
        if !waited {
            let cut = core.abortHandlers()
            logger.warning(
                "http server stop: grace period over, cutting off requests",
                ["http.in_flight": "\(core.inFlight)", "http.handlers_cut": "\(cut)"])
            _ = await waitUntil(deadline: .now + .seconds(2)) { self.core.unsettled == 0 }
        }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            // MHD_stop_daemon joins threads: a plain thread, never the cooperative pool.
            Thread {
                daemon.close()
                done.resume()
            }.start()
        }
        finishStopping(socket)
    }

    /// Stops at once, cutting off in-flight requests; blocks the caller while libmicrohttpd's
    /// threads end. Idempotent. Prefer `stop()`.
    public func close() {
        guard let (daemon, socket) = takeForStopping() else { return }
        core.beginStopping()
        daemon.quiesce()
        socket.stopListening()
        _ = core.abortHandlers()
        let deadline = ContinuousClock.now + .seconds(2)
        while core.unsettled > 0 && ContinuousClock.now < deadline { usleep(5_000) }
        daemon.close()
        finishStopping(socket)
    }

    deinit { close() }

    private func takeForStopping() -> (Daemon, ListenSocket)? {
        lifecycle.withLock { state in
            switch state {
            case .running(let daemon, let socket):
                state = .stopping
                return (daemon, socket)
            case .idle:
                state = .stopped
                stopFinished.fire()
                return nil
            case .stopping, .stopped:
                return nil
            }
        }
    }

    private func finishStopping(_ socket: ListenSocket) {
        socket.close()
        core.watchdog.stop()
        lifecycle.withLock { $0 = .stopped }
        stopFinished.fire()
        logger.info("http server stopped", ["http.port": "\(port)"])
    }

    /// Polls `condition` every 5 ms until it holds (true) or the deadline passes (false). Ignores
    /// cancellation: `run()` stops *because* it was cancelled and must still wait out the grace.
    private func waitUntil(deadline: ContinuousClock.Instant, _ condition: @Sendable () -> Bool) async -> Bool {
        while !condition() {
            if ContinuousClock.now >= deadline { return false }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(5)) { c.resume() }
            }
        }
        return true
    }
}
