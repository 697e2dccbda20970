internal import CMicroHTTPD
import Synchronization

/// A libmicrohttpd connection pointer that may cross to the handler's task.
///
/// - Important: @unchecked Sendable because the only thing done with it off the MHD thread is
///   `MHD_resume_connection`, which microhttpd.h declares "safe … at any time" for a suspended
///   connection, and `Exchange.phase` guarantees it is called exactly once while suspended.
struct ConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// One request/response exchange on a connection, from its headers to its completion callback.
///
/// - Important: @unchecked Sendable. The `var`s below are touched only by the libmicrohttpd thread
///   that processes the connection (MHD processes a connection on one thread at a time and not at
///   all while it is suspended); the handler task gets a copy of `request`. Everything shared with
///   the handler task or `stop()` lives in the `phase` Mutex.
final class Exchange: @unchecked Sendable {
    enum Phase {
        /// Headers in, body arriving.
        case receiving
        /// The handler runs; the connection is suspended.
        case handling(ConnectionHandle, Task<Void, Never>?)
        /// The handler answered and the connection was resumed; the next MHD call queues it.
        case ready(HTTPResponse)
        /// `stop()` gave up on the handler and resumed the connection; the next MHD call closes it.
        case aborted
        /// A response was queued (or the connection dropped); nothing more to do.
        case finished
    }

    let number: UInt64
    let started: ContinuousClock.Instant
    /// Watchdog id of the connection (0 = unknown).
    let connectionID: Int
    let phase = Mutex(Phase.receiving)

    // MHD-thread-only state.
    var request: HTTPRequest
    var handler: HTTPHandler?
    var bodyLimit: Int
    var bodyOverflow = false
    var bytesIn = 0
    var status = 0
    var bytesOut = 0

    init(number: UInt64, connectionID: Int, request: HTTPRequest, bodyLimit: Int) {
        self.number = number
        self.started = .now
        self.connectionID = connectionID
        self.request = request
        self.bodyLimit = bodyLimit
    }

    /// Appends an upload chunk, or only counts it once the route's limit is passed (the body is
    /// then dropped and never buffered further).
    func receive(_ data: UnsafePointer<CChar>, count: Int) {
        bytesIn += count
        guard !bodyOverflow else { return }
        if request.body.count + count > bodyLimit {
            bodyOverflow = true
            request.body = []
            return
        }
        data.withMemoryRebound(to: UInt8.self, capacity: count) {
            request.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
        }
    }
}
