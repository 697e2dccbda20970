import Foundation

/// A delivery's life, named once for the whole project.
public enum DeliveryState: String, Codable, CaseIterable, Sendable {
    case pending
    case inFlight = "in-flight"
    case retrying, delivered, dead, cancelled

    /// No further attempt will be made.
    public var isFinal: Bool { self == .delivered || self == .dead || self == .cancelled }

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// What a delivery asks its channel to do with the notice version.
public enum DeliveryPurpose: String, Codable, CaseIterable, Sendable {
    /// Publish the version (create, or update an item the channel already holds).
    case publish
    /// Take the notice down.
    case withdraw
}

/// One (notice, version, channel, purpose) to deliver; its id is the idempotency key sent downstream.
public struct Delivery: Codable, Equatable, Sendable {
    public var id: String
    public var noticeID: String
    public var version: Int
    public var channel: String
    public var purpose: DeliveryPurpose
    public var state: DeliveryState
    public var attempts: Int
    public var nextAttemptAt: Date
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var lastError: String?
    public var receipt: DeliveryReceipt?

    public init(id: String, noticeID: String, version: Int, channel: String, purpose: DeliveryPurpose, at now: Date) {
        self.id = id
        self.noticeID = noticeID
        self.version = version
        self.channel = channel
        self.purpose = purpose
        self.state = .pending
        self.attempts = 0
        self.nextAttemptAt = now
        self.createdAt = now
        self.updatedAt = now
    }
}

/// What a channel answered when it accepted a delivery.
public struct DeliveryReceipt: Codable, Equatable, Sendable {
    public var publicationID: String?
    public var publicURL: String?
    public var excerpt: String?

    public init(publicationID: String? = nil, publicURL: String? = nil, excerpt: String? = nil) {
        self.publicationID = publicationID
        self.publicURL = publicURL
        self.excerpt = excerpt
    }
}

/// One try at a delivery, appended to the attempt log.
///
/// Stored as a JSON body: the fields added after the first release (`reason`, `httpStatus`,
/// `curlError`, `excerpt`) are optional, so older rows still decode.
public struct DeliveryAttempt: Codable, Equatable, Sendable {
    /// How the attempt ended. `cancelled`: nothing was sent, the version was no longer current.
    public enum Outcome: String, Codable, Sendable { case delivered, retryable, rejected, cancelled }

    /// The longest response excerpt kept, in UTF-8 bytes.
    public static let excerptLimit = 4096

    public var deliveryID: String
    public var number: Int
    public var startedAt: Date
    public var finishedAt: Date
    public var outcome: Outcome
    /// A short, secret-free description: status code, reason, response excerpt.
    public var detail: String
    /// The channel's one-line reason ("HTTP 503", "timeout after 10 s", "superseded by v2").
    public var reason: String?
    /// The HTTP status the channel answered with, when it answered.
    public var httpStatus: Int?
    /// libcurl's error code, when the transport failed.
    public var curlError: Int?
    /// The start of the response body, at most `excerptLimit` bytes (never a request header).
    public var excerpt: String?

    public init(deliveryID: String, number: Int, startedAt: Date, finishedAt: Date, outcome: Outcome, detail: String,
                reason: String? = nil, httpStatus: Int? = nil, curlError: Int? = nil, excerpt: String? = nil) {
        self.deliveryID = deliveryID
        self.number = number
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.detail = detail
        self.reason = reason
        self.httpStatus = httpStatus
        self.curlError = curlError
        self.excerpt = excerpt.map(Self.cut)
    }

    /// `text` cut to at most `excerptLimit` UTF-8 bytes, at a character boundary.
    public static func cut(_ text: String) -> String {
        guard text.utf8.count > excerptLimit else { return text }
        var out = ""
        var bytes = 0
        for ch in text {
            let n = ch.utf8.count
            if bytes + n > excerptLimit { break }
            out.append(ch)
            bytes += n
        }
        return out
    }
}
