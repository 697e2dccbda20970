import Foundation

/// One item a portal holds: the latest published version of one notice, or its withdrawal.
public struct SandboxItem: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case published, withdrawn }

    public var noticeId: String
    public var publicationId: String
    public var url: String
    public var version: Int
    public var status: Status
    public var title: String
    /// The last accepted create/update body, as received.
    public var payload: JSONValue
    public var publishedAt: Date
    public var updatedAt: Date
    public var withdrawnAt: Date?
    public var withdrawalReason: String?
    /// Every operation that reached this item, oldest first.
    public var history: [SandboxHistoryEntry]

    /// How many times a version was actually (re)published: created or updated.
    public var publications: Int { history.filter { $0.effect == .created || $0.effect == .updated }.count }
}

/// One operation on an item.
public struct SandboxHistoryEntry: Codable, Sendable, Equatable {
    /// What the operation did.
    public enum Effect: String, Codable, Sendable {
        /// First publication.
        case created
        /// A newer version replaced the published one.
        case updated
        /// Taken down.
        case withdrawn
        /// Already in that state (same version re-sent under a new webhook-id, second withdraw).
        case unchanged
    }

    /// Order across all items of the portal (1, 2, 3, …).
    public var seq: Int
    /// `create`, `update`, `publish` (county/mobile create-or-update) or `withdraw`, as requested.
    public var operation: String
    public var version: Int
    public var webhookId: String
    public var effect: Effect
    public var at: Date
}

/// One request a portal received, whatever became of it.
public struct SandboxLogEntry: Codable, Sendable, Equatable {
    public var seq: Int
    public var at: Date
    /// `at` in Unix milliseconds (the JSON's `at` has whole seconds), to order requests against
    /// the sender's own records.
    public var atMs: Int64?
    public var method: String
    public var path: String
    public var webhookId: String?
    public var noticeId: String?
    /// 0 when the connection was dropped without an answer.
    public var status: Int
    /// `created`, `updated`, `withdrawn`, `unchanged`, `duplicate` (answered from the webhook-id
    /// record), `fault:<mode>`, or `rejected:<error code>`.
    public var outcome: String
    /// The injected fault that shaped this answer (`slow`, `huge`, …), when it was not the whole answer.
    public var fault: String?
}
