import Foundation

/// A failure a portal will produce for its next matching request(s), set over
/// `POST /_sandbox/{portal}/faults` or `SandboxServer.inject(_:into:)`.
///
/// Injected failures never stick to a webhook-id: the request is not recorded for deduplication,
/// so the sender's retry with the same id is processed normally once the fault is used up.
public struct SandboxFault: Codable, Sendable, Equatable {
    public enum Mode: String, Codable, Sendable, CaseIterable {
        /// Answer `status` (default 500) with a JSON error; `retryAfter` adds `Retry-After`.
        case status
        /// 503 with `Retry-After: retryAfter` (default 2 s).
        case unavailable
        /// 429 with `Retry-After: retryAfter` (default 2 s).
        case rateLimited = "rate-limited"
        /// Hold the request `seconds` (default 30) without answering, then close the connection.
        case hang
        /// Close the connection at once without an answer (TCP reset).
        case reset
        /// Process the request normally, then wait `delayMs` (default 2000) before answering.
        case slow
        /// Process normally and answer with a body of `bytes` (default 5 MiB): a valid JSON object
        /// with the usual fields plus padding. With a non-2xx `status`, refuse with a huge error body.
        case huge
    }

    public var mode: Mode
    public var status: Int?
    /// How many matching requests get this fault. Default 1.
    public var count: Int?
    public var retryAfter: Int?
    public var seconds: Double?
    public var delayMs: Int?
    public var bytes: Int?
    /// Only requests of this operation: `create`, `update`, `publish` or `withdraw`.
    public var operation: String?
    /// Only requests for this notice id.
    public var noticeId: String?

    public init(
        mode: Mode, status: Int? = nil, count: Int? = nil, retryAfter: Int? = nil, seconds: Double? = nil,
        delayMs: Int? = nil, bytes: Int? = nil, operation: String? = nil, noticeId: String? = nil
    ) {
        self.mode = mode
        self.status = status
        self.count = count
        self.retryAfter = retryAfter
        self.seconds = seconds
        self.delayMs = delayMs
        self.bytes = bytes
        self.operation = operation
        self.noticeId = noticeId
    }

    /// The first setting that cannot work, or nil.
    var problem: String? {
        if let count, !(1...1_000_000).contains(count) { return "count must be 1…1000000" }
        if let status, !(100...599).contains(status) { return "status must be 100…599" }
        if mode == .status, let status, status < 400 { return "status mode needs a status of 400…599" }
        if let retryAfter, !(0...86_400).contains(retryAfter) { return "retryAfter must be 0…86400 seconds" }
        if let seconds, !(0...3_600).contains(seconds) { return "seconds must be 0…3600" }
        if let delayMs, !(0...600_000).contains(delayMs) { return "delayMs must be 0…600000" }
        if let bytes, !(1...(64 << 20)).contains(bytes) { return "bytes must be 1…67108864" }
        if let operation, !["create", "update", "publish", "withdraw"].contains(operation) {
            return "operation must be create, update, publish or withdraw"
        }
        return nil
    }

    func matches(operation op: String, noticeId id: String?) -> Bool {
        (operation == nil || operation == op) && (noticeId == nil || noticeId == id)
    }
}

/// A fault waiting in a portal's queue, with what is left of its count.
public struct QueuedFault: Codable, Sendable, Equatable {
    public var fault: SandboxFault
    public var remaining: Int
}
