import Foundation
import GonggaoCore

/// Sends one delivery to one channel. Small and Sendable; a new portal of a known shape is config
/// only, a new shape is one adapter file plus config.
///
/// - Important: `send` never throws for an HTTP error or a network failure: every outcome is typed.
public protocol ChannelAdapter: Sendable {
    /// The channel name from config (`provincial-portal`, `print`, …).
    var channel: String { get }
    /// The longest one `send` may take (connect + transfer). Leases are longer than this.
    var timeout: Duration { get }
    func send(_ request: ChannelRequest) async -> ChannelOutcome
}

/// What the engine asks a channel to do.
public enum ChannelOperation: String, Sendable, Equatable {
    /// First publication of the notice on this channel.
    case create
    /// A later version; creates the item where the channel never got it.
    case update
    /// Take the notice down.
    case withdraw
}

/// Everything an adapter needs for one send; built by the engine from the store.
public struct ChannelRequest: Sendable {
    /// The delivery; its id is the idempotency key (`webhook-id`), stable across retries.
    public var delivery: Delivery
    public var operation: ChannelOperation
    /// The version being published (or withdrawn).
    public var notice: NoticeVersion
    /// For a correction: the version it corrects (its document number is printed as 更正).
    public var corrects: NoticeVersion?
    public var project: Project
    /// The public parcel page the QR opens (and the mobile card links to).
    public var publicURL: String
    /// What this channel answered for this notice before (its publication id), if anything.
    public var priorReceipt: DeliveryReceipt?
    /// The 1-based number of this attempt.
    public var attempt: Int
    /// When the engine started the attempt (signing timestamps, PDF metadata use the approval time).
    public var now: Date
    /// A stable number for the notice, unique in the store and never reused (SQLite `notices.seq`):
    /// the sequence part of the county column's 索引号 `{orgCode}/{year}-{seq:5}`. nil when the
    /// engine cannot supply one; a county-column publish then fails as rejected, loudly.
    public var noticeSequence: Int?

    public init(delivery: Delivery, operation: ChannelOperation, notice: NoticeVersion, corrects: NoticeVersion?,
                project: Project, publicURL: String, priorReceipt: DeliveryReceipt?, attempt: Int, now: Date,
                noticeSequence: Int? = nil) {
        self.delivery = delivery
        self.operation = operation
        self.notice = notice
        self.corrects = corrects
        self.project = project
        self.publicURL = publicURL
        self.priorReceipt = priorReceipt
        self.attempt = attempt
        self.now = now
        self.noticeSequence = noticeSequence
    }
}

/// How a send ended. Never carries a secret: `reason` and `excerpt` are built from status lines and
/// response bodies, not from request headers.
public struct ChannelOutcome: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case delivered(DeliveryReceipt)
        /// Try again later; `retryAfter` when the channel said so (429/503 Retry-After).
        case retryable(retryAfter: Duration?)
        /// Permanent failure: retrying cannot help.
        case rejected
    }

    public var kind: Kind
    /// One line: "HTTP 503", "timeout after 10 s", "connection refused", "401 bad signature".
    public var reason: String
    public var httpStatus: Int?
    /// libcurl's error code, when the transport failed.
    public var transportError: Int?
    /// The start of the response body, at most 4 KiB.
    public var excerpt: String?

    public init(kind: Kind, reason: String, httpStatus: Int? = nil, transportError: Int? = nil, excerpt: String? = nil) {
        self.kind = kind
        self.reason = reason
        self.httpStatus = httpStatus
        self.transportError = transportError
        self.excerpt = excerpt.map { String($0.utf8.prefix(4096)) ?? String($0.prefix(1024)) }
    }

    public static func delivered(_ receipt: DeliveryReceipt, reason: String = "delivered", httpStatus: Int? = nil, excerpt: String? = nil) -> ChannelOutcome {
        ChannelOutcome(kind: .delivered(receipt), reason: reason, httpStatus: httpStatus, excerpt: excerpt)
    }

    public static func retryable(_ reason: String, retryAfter: Duration? = nil, httpStatus: Int? = nil, transportError: Int? = nil, excerpt: String? = nil) -> ChannelOutcome {
        ChannelOutcome(kind: .retryable(retryAfter: retryAfter), reason: reason, httpStatus: httpStatus, transportError: transportError, excerpt: excerpt)
    }

    public static func rejected(_ reason: String, httpStatus: Int? = nil, excerpt: String? = nil) -> ChannelOutcome {
        ChannelOutcome(kind: .rejected, reason: reason, httpStatus: httpStatus, excerpt: excerpt)
    }

    /// The outcome an HTTP status maps to: 2xx delivered (by the adapter), 408/425/429/5xx
    /// retryable, other 4xx permanent.
    public static func isRetryable(httpStatus: Int) -> Bool {
        httpStatus == 408 || httpStatus == 425 || httpStatus == 429 || (500...599).contains(httpStatus)
    }
}
