import Foundation

/// Where one version of a notice stands in the approval workflow.
public enum NoticeState: String, Codable, CaseIterable, Sendable {
    case draft, submitted, approved, superseded, withdrawn
}

/// One version of a notice, with its workflow state. A notice is the sequence of its versions.
public struct NoticeVersion: Codable, Equatable, Sendable {
    public var id: String
    public var version: Int
    public var content: NoticeContent
    public var contentHash: String
    public var state: NoticeState
    /// Who wrote this version (four-eyes: never its approver).
    public var drafter: String
    public var createdAt: Date
    public var updatedAt: Date
    public var submittedBy: String?
    public var submittedAt: Date?
    public var approvedBy: String?
    public var approvedAt: Date?
    /// The reason of the last rejection, kept while the version is back in draft.
    public var rejectionReason: String?
    public var rejectedBy: String?
    public var withdrawnBy: String?
    public var withdrawnAt: Date?
    public var withdrawalReason: String?
    /// The version that replaced this one, once superseded.
    public var supersededBy: Int?

    public init(id: String, version: Int, content: NoticeContent, drafter: String, at now: Date) {
        self.id = id
        self.version = version
        self.content = content
        self.contentHash = content.contentHash
        self.state = .draft
        self.drafter = drafter
        self.createdAt = now
        self.updatedAt = now
    }

    /// `ntc_…/v2`, as logs and the audit log name a version.
    public var reference: String { "\(id)/v\(version)" }
}
