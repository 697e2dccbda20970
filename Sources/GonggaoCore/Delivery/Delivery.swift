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
public struct DeliveryAttempt: Codable, Equatable, Sendable {
    public enum Outcome: String, Codable, Sendable { case delivered, retryable, rejected }

    public var deliveryID: String
    public var number: Int
    public var startedAt: Date
    public var finishedAt: Date
    public var outcome: Outcome
    /// A short, secret-free description: status code, reason, response excerpt.
    public var detail: String

    public init(deliveryID: String, number: Int, startedAt: Date, finishedAt: Date, outcome: Outcome, detail: String) {
        self.deliveryID = deliveryID
        self.number = number
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.detail = detail
    }
}
