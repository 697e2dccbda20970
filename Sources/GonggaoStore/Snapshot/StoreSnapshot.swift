import Foundation
import GonggaoCore

/// Everything a store holds, read through `StoreReader` in one transaction: what `store copy`
/// moves from one backend to another. Lists are in the source's order (oldest first), so a
/// destination that numbers rows as they arrive keeps the order.
public struct StoreSnapshot: Sendable {
    /// One notice: its number in the store and every version, oldest first.
    public struct Notice: Sendable {
        public var sequence: Int
        public var versions: [NoticeVersion]
    }

    public var projects: [Project] = []
    /// By sequence number.
    public var notices: [Notice] = []
    public var deliveries: [Delivery] = []
    public var attempts: [DeliveryAttempt] = []
    /// The chain verbatim (seq, times, hashes).
    public var audit: [AuditEntry] = []
    public var channelStates: [ChannelStatus] = []
    public var channelCircuits: [ChannelCircuit] = []
    public var tokens: [APIToken] = []
    public var postings: [PostingConfirmation] = []
    /// Photos by SHA-256 (hex).
    public var photos: [(sha256: String, bytes: [UInt8])] = []
    public var payments: [PaymentRecord] = []
    public var warnings: [StatutoryWarning] = []

    /// The last audit entry's head; nil for an empty chain.
    public var auditHead: AuditHead? { audit.last.map { AuditHead(seq: $0.seq, hash: $0.hash) } }

    /// Reads everything `reader` holds; run it inside one `read` so the snapshot is consistent.
    public static func read(from reader: any StoreReader) throws -> StoreSnapshot {
        var s = StoreSnapshot()
        s.projects = try reader.projects()
        for latest in try reader.notices(NoticeFilter(limit: .max)) {
            guard let sequence = try reader.noticeSequence(latest.id) else {
                throw StoreError.corrupt("notice \(latest.id) has no number")
            }
            s.notices.append(Notice(sequence: sequence, versions: try reader.noticeVersions(latest.id)))
        }
        s.notices.sort { $0.sequence < $1.sequence }
        s.deliveries = try reader.deliveries(DeliveryFilter(limit: .max))
        for d in s.deliveries { s.attempts += try reader.attempts(deliveryID: d.id) }
        var after: Int64 = 0
        while true {
            let page = try reader.auditEntries(after: after, limit: 10_000)
            guard let last = page.last else { break }
            s.audit += page
            after = last.seq
        }
        s.channelStates = try reader.channelStates()
        s.channelCircuits = try reader.channelCircuits()
        s.tokens = try reader.tokens(user: nil).reversed()
        var seenPhotos = Set<String>()
        for notice in s.notices {
            guard let id = notice.versions.first?.id else { continue }
            for p in try reader.postings(noticeID: id) {
                s.postings.append(p)
                if let sha = p.photoSHA256, seenPhotos.insert(sha).inserted, let bytes = try reader.photo(sha256: sha) {
                    s.photos.append((sha, bytes))
                }
            }
        }
        for project in s.projects { s.payments += try reader.payments(project: project.key) }
        s.warnings = try reader.warnings(WarningFilter(limit: .max)).reversed()
        return s
    }
}
