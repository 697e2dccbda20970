internal import CCurl
import Foundation
import GonggaoCore
import Synchronization

/// libcurl's global state: "call curl_global_init once, before using any other libcurl function".
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

/// A `CURLM*` driven by one dedicated thread running `curl_multi_poll`: many transfers at once on
/// one thread, connections pooled by the multi handle and reused across transfers.
///
/// - Important: the multi handle and every easy handle are touched only by the loop thread; other
///   threads talk to it through `shared` (a `Mutex`) and `curl_multi_wakeup`, which is thread-safe.
///   That is why this class is `@unchecked Sendable`: its unprotected stored properties are
///   confined to the loop thread.
final class CurlMultiLoop: @unchecked Sendable {
    struct Submission {
        let id: UInt64
        let request: HTTPClientRequest
        let continuation: CheckedContinuation<HTTPClientResult, Never>
    }

    private struct Shared {
        var nextID: UInt64 = 1
        var pending: [Submission] = []
        /// Submitted and not finished: cancellations of these go to the loop.
        var inFlight: Set<UInt64> = []
        var cancelRequests: [UInt64] = []
        /// Cancelled before their submission arrived (withTaskCancellationHandler may run first).
        var cancelledEarly: Set<UInt64> = []
        /// Set once closing begins: in-flight transfers may run until then, new ones are refused.
        var closeDeadline: ContinuousClock.Instant?
        /// The loop has exited and the multi handle is gone: no more wakeups.
        var finished = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let shared = Mutex(Shared())
    private let multi: UnsafeMutableRawPointer
    private let userAgent: String
    private let logger: Logger

    // Loop thread only.
    private var active: [UInt64: CurlTransfer] = [:]
    private var idsByHandle: [UnsafeMutableRawPointer: UInt64] = [:]

    init(maxConnections: Int, maxConnectionsPerHost: Int, userAgent: String, logger: Logger) throws(HTTPTransportError)
    {
        guard CurlGlobal.initialized else {
            throw HTTPTransportError(kind: .other, curlMessage: "curl_global_init failed")
        }
        guard let multi = curl_multi_init() else {
            throw HTTPTransportError(kind: .other, curlMessage: "curl_multi_init failed")
        }
        // Idle connections kept for reuse across transfers.
        _ = gg_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, maxConnections))
        if maxConnectionsPerHost > 0 {
            _ = gg_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        }
        self.multi = multi
        self.userAgent = userAgent
        self.logger = logger
    }

    /// Starts the loop thread; it keeps this object alive until it exits.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "gonggao-curl"
        thread.start()
    }

    // MARK: - Any thread

    func makeID() -> UInt64 {
        shared.withLock { s in
            defer { s.nextID += 1 }
            return s.nextID
        }
    }

    /// Hands a request to the loop; the continuation is resumed from the loop thread (or at once
    /// when the client is closing or the send was already cancelled).
    func submit(_ submission: Submission) {
        let refusal: HTTPTransportError? = shared.withLock { s in
            if s.cancelledEarly.remove(submission.id) != nil { return HTTPTransportError(kind: .cancelled) }
            if s.closeDeadline != nil || s.finished { return HTTPTransportError(kind: .shutdown) }
            s.pending.append(submission)
            s.inFlight.insert(submission.id)
            _ = curl_multi_wakeup(multi)
            return nil
        }
        if let refusal { submission.continuation.resume(returning: .failure(refusal)) }
    }

    func cancel(_ id: UInt64) {
        let early: Submission? = shared.withLock { s in
            if let i = s.pending.firstIndex(where: { $0.id == id }) {
                s.inFlight.remove(id)
                return s.pending.remove(at: i)
            }
            if s.inFlight.contains(id) {
                s.cancelRequests.append(id)
                if !s.finished { _ = curl_multi_wakeup(multi) }
            } else {
                // Not submitted yet (or already finished: a stray entry of 8 bytes, at most one per send).
                s.cancelledEarly.insert(id)
            }
            return nil
        }
        early?.continuation.resume(returning: .failure(HTTPTransportError(kind: .cancelled)))
    }

    /// Stops accepting requests; in-flight transfers may finish within `gracePeriod`, then are
    /// aborted with `.shutdown`. Idempotent; an earlier deadline wins.
    func close(gracePeriod: Duration) {
        shared.withLock { s in
            let deadline = ContinuousClock.now + gracePeriod
            s.closeDeadline = min(s.closeDeadline ?? deadline, deadline)
            if !s.finished { _ = curl_multi_wakeup(multi) }
        }
    }

    /// Returns once the loop thread has exited.
    func waitUntilFinished() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = shared.withLock { s in
                if s.finished { return true }
                s.exitWaiters.append(waiter)
                return false
            }
            if done { waiter.resume() }
        }
    }

    // MARK: - Loop thread

    private func run() {
        while true {
            let (submissions, cancels, deadline) = shared.withLock { s in
                defer {
                    s.pending.removeAll()
                    s.cancelRequests.removeAll()
                }
                return (s.pending, s.cancelRequests, s.closeDeadline)
            }
            for submission in submissions { begin(submission) }
            for id in cancels {
                if let transfer = active[id] { finish(transfer, .failure(HTTPTransportError(kind: .cancelled))) }
            }
            if let deadline, active.isEmpty || ContinuousClock.now >= deadline { break }

            var running: Int32 = 0
            let rc = curl_multi_perform(multi, &running)
            if rc != CURLM_OK { logger.error("curl_multi_perform failed", ["curl.multi_code": "\(rc.rawValue)"]) }
            collectFinished()

            var waitMilliseconds: Int64 = 1000
            if let deadline {
                waitMilliseconds = min(waitMilliseconds, max(1, (deadline - ContinuousClock.now).wholeMilliseconds))
            }
            // Returns early when a socket is ready, libcurl's own timer fires, or curl_multi_wakeup is called.
            _ = curl_multi_poll(multi, nil, 0, Int32(waitMilliseconds), nil)
        }

        for transfer in Array(active.values) { finish(transfer, .failure(HTTPTransportError(kind: .shutdown))) }
        let (late, waiters) = shared.withLock { s in
            s.finished = true
            defer {
                s.pending.removeAll()
                s.exitWaiters.removeAll()
            }
            return (s.pending, s.exitWaiters)
        }
        // No wakeup can reach the handle any more: `finished` is set under the same lock.
        curl_multi_cleanup(multi)
        for submission in late {
            submission.continuation.resume(returning: .failure(HTTPTransportError(kind: .shutdown)))
        }
        for waiter in waiters { waiter.resume() }
    }

    private func begin(_ submission: Submission) {
        let transfer: CurlTransfer
        do {
            transfer = try CurlTransfer(
                id: submission.id, request: submission.request, userAgent: userAgent,
                continuation: submission.continuation)
        } catch {
            shared.withLock { _ = $0.inFlight.remove(submission.id) }
            submission.continuation.resume(returning: .failure(error))
            return
        }
        guard let handle = transfer.handle, curl_multi_add_handle(multi, handle) == CURLM_OK else {
            shared.withLock { _ = $0.inFlight.remove(submission.id) }
            transfer.close()
            submission.continuation.resume(
                returning: .failure(HTTPTransportError(kind: .other, curlMessage: "curl_multi_add_handle failed")))
            return
        }
        active[transfer.id] = transfer
        idsByHandle[handle] = transfer.id
    }

    private func collectFinished() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let id = idsByHandle[handle], let transfer = active[id]
            else { continue }
            let rc = gg_curl_message_result(message)
            finish(transfer, result(of: transfer, rc))
        }
    }

    private func result(of transfer: CurlTransfer, _ rc: CURLcode) -> HTTPClientResult {
        let elapsed = ContinuousClock.now - transfer.started
        if rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && transfer.bodyTruncated) {
            return .response(
                HTTPResponse(
                    status: transfer.responseCode, headers: transfer.responseHeaders, body: transfer.body,
                    bodyTruncated: transfer.bodyTruncated, elapsed: elapsed))
        }
        return .failure(CurlCode.error(rc))
    }

    private func finish(_ transfer: CurlTransfer, _ result: HTTPClientResult) {
        if let handle = transfer.handle {
            _ = curl_multi_remove_handle(multi, handle)
            idsByHandle[handle] = nil
        }
        active[transfer.id] = nil
        transfer.close()
        shared.withLock { _ = $0.inFlight.remove(transfer.id) }
        transfer.continuation.resume(returning: result)
    }
}
