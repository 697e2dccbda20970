#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
internal import CMicroHTTPD
import Foundation
import GonggaoCore
import Synchronization

/// The context of every libmicrohttpd callback: routes requests, bridges them to async handlers
/// and keeps the table of exchanges `HTTPServer.stop()` drains.
///
/// Bridging choice: when a request is complete, its connection is **suspended**
/// (`MHD_suspend_connection`) and the handler runs in a task on the cooperative pool; when it
/// answers, the connection is resumed and the response queued on the next MHD call. An MHD thread
/// therefore never waits for a handler: two threads serve any number of slow or hanging handlers
/// (the sandbox's "hang" fault, long polls), whereas blocking the thread on a semaphore would let N
/// hanging requests stall the whole server. The task is tracked in `exchanges` and cancelled by
/// `stop()` after its grace period, so no handler outlives the server.
final class ServerCore: Sendable {
    private struct Registry {
        var next: UInt64 = 1
        var exchanges: [UInt64: Exchange] = [:]
        /// New requests get 503 and `Connection: close`.
        var stopping = false
        /// No new handler may start (set when stop gives up waiting).
        var refuseHandlers = false
    }

    let router: Router
    let configuration: HTTPServerConfiguration
    let logger: Logger
    let watchdog: ConnectionWatchdog
    private let registry = Mutex(Registry())

    init(router: Router, configuration: HTTPServerConfiguration, logger: Logger) {
        self.router = router
        self.configuration = configuration
        self.logger = logger
        self.watchdog = ConnectionWatchdog(timeout: configuration.requestTimeout, logger: logger)
    }

    // MARK: libmicrohttpd callbacks (on MHD threads)

    /// `MHD_AccessHandlerCallback`: called once with the headers, once per body chunk, and again
    /// whenever the connection is ready for a response.
    func access(
        _ connection: OpaquePointer, url: UnsafePointer<CChar>?, method: UnsafePointer<CChar>?,
        upload: UnsafePointer<CChar>?, uploadSize: UnsafeMutablePointer<Int>,
        slot: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    ) -> MHD_Result {
        guard let raw = slot.pointee else {
            let (exchange, match) = begin(connection, url: url, method: method)
            slot.pointee = Unmanaged.passRetained(exchange).toOpaque()
            if let early = earlyResponse(exchange, match) {
                exchange.phase.withLock { $0 = .finished }
                return queue(early, exchange, connection)
            }
            return .YES
        }
        let exchange = Unmanaged<Exchange>.fromOpaque(raw).takeUnretainedValue()
        if uploadSize.pointee > 0 {
            if let upload { exchange.receive(upload, count: uploadSize.pointee) }
            uploadSize.pointee = 0
            return .YES
        }
        return proceed(exchange, connection)
    }

    /// `MHD_RequestCompletedCallback`: the response was sent, or the connection failed or closed.
    func completed(slot: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, code: MHD_RequestTerminationCode) {
        guard let slot, let raw = slot.pointee else { return }
        slot.pointee = nil
        let exchange = Unmanaged<Exchange>.fromOpaque(raw).takeRetainedValue()
        let task: Task<Void, Never>? = exchange.phase.withLock { phase in
            defer { phase = .finished }
            if case .handling(_, let task) = phase { return task }
            return nil
        }
        task?.cancel()
        _ = registry.withLock { $0.exchanges.removeValue(forKey: exchange.number) }
        watchdog.responseFinished(exchange.connectionID)
        AccessLog.record(exchange, code: code, level: configuration.accessLogLevel, logger: logger)
        router.onFinished?(exchange.request, exchange.status, ContinuousClock.now - exchange.started)
    }

    /// `MHD_NotifyConnectionCallback`: tracks sockets for the request-timeout watchdog.
    func connectionEvent(
        _ connection: OpaquePointer, socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
        code: MHD_ConnectionNotificationCode
    ) {
        switch code {
        case .CONNECTION_NOTIFY_STARTED:
            let id = watchdog.opened(fd: gonggao_mhd_connection_fd(connection))
            socketContext.pointee = UnsafeMutableRawPointer(bitPattern: id)
        case .CONNECTION_NOTIFY_CLOSED:
            if let p = socketContext.pointee { watchdog.closed(Int(bitPattern: p)) }
            socketContext.pointee = nil
        @unknown default:
            break
        }
    }

    /// libmicrohttpd's own diagnostics.
    func libraryMessage(_ text: String) {
        logger.notice("libmicrohttpd: " + text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    // MARK: Exchange steps

    private func begin(
        _ connection: OpaquePointer, url: UnsafePointer<CChar>?, method: UnsafePointer<CChar>?
    ) -> (Exchange, RouteMatch) {
        let headers = HTTPHeaders(Self.values(connection, .HEADER_KIND))
        var request = HTTPRequest(
            method: HTTPMethod(rawValue: method.map { String(cString: $0) } ?? "GET"),
            path: url.map { String(cString: $0) } ?? "/",
            query: Self.values(connection, .GET_ARGUMENT_KIND).map { (name: $0.0, value: $0.1) },
            headers: headers,
            remoteAddress: SocketAddress.text(gonggao_mhd_client_address(connection)),
            requestID: Self.requestID(headers["x-request-id"]))
        request.clientAddress = router.clientAddress?(request) ?? request.remoteAddress
        var limit = configuration.defaultBodyLimit
        var handler: HTTPHandler? = router.notFound
        let match = router.match(request.method, request.path)
        if case .matched(let route, let parameters) = match {
            request.parameters = parameters
            request.route = route.pattern.description
            limit = route.bodyLimit ?? limit
            handler = route.handler
        }
        if let declared = headers["content-length"].flatMap(Int.init), declared > 0, declared <= limit {
            request.body.reserveCapacity(declared)
        }
        let connectionID = gonggao_mhd_socket_context(connection).map { Int(bitPattern: $0) } ?? 0
        let exchange = registry.withLock { r in
            let e = Exchange(number: r.next, connectionID: connectionID, request: request, bodyLimit: limit)
            r.next += 1
            r.exchanges[e.number] = e
            return e
        }
        exchange.handler = handler
        return (exchange, match)
    }

    /// An answer decided from the headers alone: 503 while stopping, 404, 405, or 413 when the
    /// declared length passes the route's limit (sent before the body, which is never read).
    private func earlyResponse(_ exchange: Exchange, _ match: RouteMatch) -> HTTPResponse? {
        let request = exchange.request
        if registry.withLock({ $0.stopping }) {
            return HTTPResponse.error(status: 503, code: "shutting-down", message: "the server is shutting down")
                .adding("Retry-After", "1")
        }
        switch match {
        case .methodNotAllowed(let allowed):
            return Router.methodNotAllowed(request, allowed)
        case .notFound where router.notFound == nil:
            return Router.notFoundResponse(request)
        default:
            break
        }
        if let declared = request.headers["content-length"].flatMap(Int.init), declared > exchange.bodyLimit {
            return Self.tooLarge(exchange)
        }
        return nil
    }

    private enum Step {
        case startHandler
        case queue(HTTPResponse)
        case close(reset: Bool)
        case wait
    }

    /// The request is complete, or the connection came back from suspension.
    private func proceed(_ exchange: Exchange, _ connection: OpaquePointer) -> MHD_Result {
        let step: Step = registry.withLock { r in
            exchange.phase.withLock { phase in
                switch phase {
                case .receiving:
                    if exchange.bodyOverflow {
                        phase = .finished
                        return .queue(Self.tooLarge(exchange))
                    }
                    if r.refuseHandlers {
                        phase = .finished
                        return .queue(
                            .error(status: 503, code: "shutting-down", message: "the server is shutting down"))
                    }
                    phase = .handling(ConnectionHandle(pointer: connection), nil)
                    return .startHandler
                case .ready(let response):
                    phase = .finished
                    return response.disposition == .closeConnection ? .close(reset: true) : .queue(response)
                case .aborted, .finished:
                    phase = .finished
                    return .close(reset: false)
                case .handling:
                    return .wait
                }
            }
        }
        switch step {
        case .startHandler:
            return startHandler(exchange, connection)
        case .queue(let response):
            return queue(response, exchange, connection)
        case .close(let reset):
            if reset { Self.resetOnClose(connection) }
            return .NO
        case .wait:
            return .YES
        }
    }

    private func startHandler(_ exchange: Exchange, _ connection: OpaquePointer) -> MHD_Result {
        watchdog.requestReceived(exchange.connectionID)
        MHD_suspend_connection(connection)
        let request = exchange.request
        let handler = exchange.handler ?? { Router.notFoundResponse($0) }
        // The task is created only now that the connection is suspended: its `finish` may resume it.
        // It is created outside the phase lock (starting it wakes a thread, and a quick handler's
        // `finish` would wait on the lock), so it may already have answered when it is recorded.
        let task = Task.detached { [self] in
            finish(exchange, with: await handler(request))
        }
        let abortedMeanwhile = exchange.phase.withLock { phase -> Bool in
            switch phase {
            case .handling(let handle, nil):
                phase = .handling(handle, task)
                return false
            case .ready:
                return false  // answered already: `finish` resumed the connection
            default:
                return true  // aborted while no task was recorded: resuming is left to this thread
            }
        }
        if abortedMeanwhile {
            task.cancel()
            MHD_resume_connection(connection)
        }
        return .YES
    }

    /// The handler answered: hand the response over and resume the connection (exactly once).
    private func finish(_ exchange: Exchange, with response: HTTPResponse) {
        let handle: ConnectionHandle? = exchange.phase.withLock { phase in
            guard case .handling(let handle, _) = phase else { return nil }
            phase = .ready(response)
            return handle
        }
        if let handle { MHD_resume_connection(handle.pointer) }
    }

    private func queue(_ response: HTTPResponse, _ exchange: Exchange, _ connection: OpaquePointer) -> MHD_Result {
        var headers = response.headers
        headers.set("X-Request-Id", exchange.request.requestID)
        if registry.withLock({ $0.stopping }) { headers.set("Connection", "close") }
        let body = response.body
        let mhdResponse = body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(
                bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), .RESPMEM_MUST_COPY)
        }
        guard let mhdResponse else { return .NO }
        defer { MHD_destroy_response(mhdResponse) }
        for (name, value) in headers where name.lowercased() != "content-length" {
            _ = MHD_add_response_header(mhdResponse, name, value)
        }
        exchange.status = response.status
        exchange.bytesOut = body.count
        return MHD_queue_response(connection, UInt32(clamping: response.status), mhdResponse)
    }

    // MARK: Stopping

    /// From now on new requests are answered 503 and every response closes its connection.
    func beginStopping() { registry.withLock { $0.stopping = true } }

    /// Exchanges not yet completed (headers received, response not yet fully sent).
    var inFlight: Int { registry.withLock { $0.exchanges.count } }

    /// Exchanges whose connection is suspended or resumed but not yet processed by MHD.
    var unsettled: Int {
        registry.withLock { r in
            r.exchanges.values.filter { e in
                e.phase.withLock { phase in
                    switch phase {
                    case .handling, .ready, .aborted: true
                    case .receiving, .finished: false
                    }
                }
            }.count
        }
    }

    /// Gives up on every running handler: cancels its task and resumes its connection, which MHD
    /// then closes without a response. Returns how many were cut off.
    func abortHandlers() -> Int {
        let all = registry.withLock { r in
            r.refuseHandlers = true
            return Array(r.exchanges.values)
        }
        var aborted = 0
        for exchange in all {
            let taken: (ConnectionHandle, Task<Void, Never>?)? = exchange.phase.withLock { phase in
                guard case .handling(let handle, let task) = phase else { return nil }
                phase = .aborted
                return (handle, task)
            }
            guard let (handle, task) = taken else { continue }
            aborted += 1
            // Without a task the MHD thread has not finished suspending; it resumes it itself.
            if let task {
                task.cancel()
                MHD_resume_connection(handle.pointer)
            }
        }
        return aborted
    }

    // MARK: Helpers

    private static func tooLarge(_ exchange: Exchange) -> HTTPResponse {
        .error(
            status: 413, code: "body-too-large",
            message: "the request body is larger than \(exchange.bodyLimit) bytes")
    }

    /// Makes the kernel answer the client with RST when MHD closes the socket.
    private static func resetOnClose(_ connection: OpaquePointer) {
        let fd = gonggao_mhd_connection_fd(connection)
        guard fd >= 0 else { return }
        var off = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &off, socklen_t(MemoryLayout<linger>.size))
    }

    /// An incoming `X-Request-Id` when it is short and plain, else a fresh one.
    static func requestID(_ incoming: String?) -> String {
        if let incoming, (1...64).contains(incoming.utf8.count),
            incoming.utf8.allSatisfy({ $0 < 128 && (isalnum(Int32($0)) != 0 || "-_.:".utf8.contains($0)) })
        {
            return incoming
        }
        return Identifier.make("req")
    }

    /// Header fields or query arguments of the current request.
    private static func values(_ connection: OpaquePointer, _ kind: MHD_ValueKind) -> [(String, String)] {
        var pairs: [(String, String)] = []
        withUnsafeMutablePointer(to: &pairs) { p in
            _ = MHD_get_connection_values(
                connection, kind,
                { cls, _, key, value in
                    guard let cls, let key else { return .YES }
                    cls.assumingMemoryBound(to: [(String, String)].self).pointee
                        .append((String(cString: key), value.map { String(cString: $0) } ?? ""))
                    return .YES
                }, p)
        }
        return pairs
    }
}
