import Foundation
import GonggaoCore

/// The storage of projects, notices, deliveries, attempts and the audit log.
///
/// Work happens in closure-scoped transactions that run on the store's own executor (never on the
/// cooperative pool). A `write` is atomic: everything the closure did commits together, or — when
/// the closure throws — nothing does. Implementations: `MemoryStore`, `SQLiteStore`, `PostgresStore`.
///
/// - Important: the reader/writer handed to a closure must not escape it.
public protocol NoticeStore: Sendable {
    /// Runs `body` in a read-only transaction (a consistent snapshot).
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T
    /// Runs `body` in a write transaction; other writers (also in other processes) wait their turn.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T
    /// A write whose commit need not survive a power cut on its own: visible to every reader at once,
    /// atomic, and made durable by the next `write` (SQLite: the WAL is synced then, frames in order;
    /// PostgreSQL: `synchronous_commit` off for this transaction). Only for leases — a delivery's claim:
    /// a claim lost with the machine means the delivery is claimed again, and its resend carries the
    /// same webhook-id, exactly as after a worker killed between claim and record.
    func writeLease<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T
    /// Releases the store's resources; later calls fail.
    func close() async
    /// The store's current change stamp (`StoreChangeStamp`), read before the values it is to
    /// guard; nil when the backend cannot tell cheaply (PostgreSQL), so nothing may be cached.
    func changeStamp() async throws -> StoreChangeStamp?
    /// Where this store records its audit head outside itself.
    var auditHead: any AuditHeadRecorder { get }
}

/// Queries available inside any transaction.
public protocol StoreReader {
    func project(_ key: String) throws -> Project?
    func projects() throws -> [Project]
    /// The project that holds parcel `key`, if any.
    func projectKey(ofParcel key: String) throws -> String?

    /// Every version of notice `id`, oldest first; empty when the notice does not exist.
    func noticeVersions(_ id: String) throws -> [NoticeVersion]
    func noticeVersion(_ id: String, version: Int) throws -> NoticeVersion?
    /// The notice's number in this store: given once when it is first drafted, never reused
    /// (the county column's 索引号 sequence); nil when the notice does not exist.
    func noticeSequence(_ id: String) throws -> Int?
    /// The latest version of each notice matching `filter`, newest notice first.
    func notices(_ filter: NoticeFilter) throws -> [NoticeVersion]

    func delivery(_ id: String) throws -> Delivery?
    /// Deliveries matching `filter`, oldest first.
    func deliveries(_ filter: DeliveryFilter) throws -> [Delivery]
    /// The attempt log of one delivery, oldest first.
    func attempts(deliveryID: String) throws -> [DeliveryAttempt]

    /// Up to `limit` audit entries with `seq > after`, in order.
    func auditEntries(after: Int64, limit: Int) throws -> [AuditEntry]
    func auditEntry(seq: Int64) throws -> AuditEntry?
    func lastAuditEntry() throws -> AuditEntry?

    /// The earliest time a waiting delivery on `channel` becomes due (a retry time or a lease
    /// expiry); nil when none waits.
    func nextDueTime(channel: String) throws -> Date?
    /// Channels an operator paused or resumed (the others have always run).
    func channelStates() throws -> [ChannelStatus]
    /// Each channel's circuit as a worker last recorded it (channels no worker has run are absent).
    func channelCircuits() throws -> [ChannelCircuit]

    /// Posting confirmations of notice `id` (every version), oldest first.
    func postings(noticeID: String) throws -> [PostingConfirmation]
    /// The photo stored under its SHA-256 (hex), if any.
    func photo(sha256: String) throws -> [UInt8]?
    /// Payments recorded for `project`, oldest first.
    func payments(project: String) throws -> [PaymentRecord]
    /// Warnings matching `filter`, newest first.
    func warnings(_ filter: WarningFilter) throws -> [StatutoryWarning]
    func warning(id: String) throws -> StatutoryWarning?

    /// The token whose SHA-256 is `hash`, valid or not.
    func token(hash: String) throws -> APIToken?
    /// Tokens of `user` (all users when nil), newest first.
    func tokens(user: String?) throws -> [APIToken]
}

/// Changes available inside a write transaction.
public protocol StoreWriter: StoreReader {
    /// Inserts or replaces a project and its parcels. Throws `StoreError.conflict` when one of its
    /// parcel keys belongs to another project.
    func saveProject(_ project: Project) throws
    /// Inserts a new version; `StoreError.conflict` when (id, version) exists.
    func insertNoticeVersion(_ version: NoticeVersion) throws
    /// Replaces an existing version; `StoreError.notFound` when it does not exist.
    func updateNoticeVersion(_ version: NoticeVersion) throws
    /// Inserts a delivery; `StoreError.conflict` when its id or its (notice, version, channel,
    /// purpose) already exists.
    func insertDelivery(_ delivery: Delivery) throws
    /// Replaces an existing delivery; `StoreError.notFound` when it does not exist.
    func updateDelivery(_ delivery: Delivery) throws
    func appendAttempt(_ attempt: DeliveryAttempt) throws
    /// Appends to the audit chain: the entry after the current last one (`AuditChain.entry`).
    @discardableResult
    func appendAudit(_ record: AuditRecord) throws -> AuditEntry

    /// Claims up to `limit` due deliveries on `channel` for `owner` until `leaseUntil`: pending or
    /// retrying ones whose time has come, and in-flight ones whose lease expired (their worker died).
    /// Skips a delivery while an earlier one for the same (notice, channel) is unfinished (order per
    /// notice and channel) and everything on a paused channel. Claimed rows become in-flight and
    /// their attempt count goes up by one (a crash mid-attempt still counts).
    func claimDue(channel: String, now: Date, owner: String, leaseUntil: Date, limit: Int) throws -> [Delivery]
    /// Pauses or resumes a channel (its deliveries wait, visibly; none is dropped).
    func setChannelPaused(_ channel: String, paused: Bool, by actor: String, at: Date) throws
    /// Records a worker's view of a channel's circuit (replacing the channel's previous record).
    func recordChannelCircuit(_ circuit: ChannelCircuit) throws

    /// Stores a posting confirmation; `StoreError.conflict` when the place already confirmed that version.
    func insertPosting(_ posting: PostingConfirmation) throws
    /// Stores a photo under its SHA-256 (hex); storing the same photo again changes nothing.
    func insertPhoto(sha256: String, bytes: [UInt8]) throws
    func insertPayment(_ payment: PaymentRecord) throws
    /// Inserts or replaces a warning (by id); `StoreError.conflict` when another unresolved warning has its key.
    func saveWarning(_ warning: StatutoryWarning) throws

    /// Stores a new token (its hash only).
    func insertToken(_ token: APIToken) throws
    /// Marks a token revoked; `StoreError.notFound` when there is no such token.
    func revokeToken(id: String, at: Date) throws
}

/// An operator's pause of a channel.
public struct ChannelStatus: Sendable, Equatable, Codable {
    public var channel: String
    public var paused: Bool
    public var changedBy: String
    public var changedAt: Date

    public init(channel: String, paused: Bool, changedBy: String, changedAt: Date) {
        self.channel = channel
        self.paused = paused
        self.changedBy = changedBy
        self.changedAt = changedAt
    }
}

/// A channel's circuit breaker as the worker that last used the channel saw it. Breakers live in
/// worker memory; workers record every change here so `channel list` can show it.
public struct ChannelCircuit: Sendable, Equatable, Codable {
    public var channel: String
    /// `closed`, `open` or `half-open`.
    public var state: String
    /// When the circuit entered `state`.
    public var since: Date
    public var consecutiveFailures: Int
    /// When an open circuit lets its next probe through.
    public var reopensAt: Date?
    /// The worker that recorded it, and when.
    public var worker: String
    public var recordedAt: Date

    public init(channel: String, state: String, since: Date, consecutiveFailures: Int, reopensAt: Date? = nil,
                worker: String, recordedAt: Date) {
        self.channel = channel
        self.state = state
        self.since = since
        self.consecutiveFailures = consecutiveFailures
        self.reopensAt = reopensAt
        self.worker = worker
        self.recordedAt = recordedAt
    }
}

/// Which notices to list.
public struct NoticeFilter: Sendable, Equatable {
    public var state: NoticeState?
    public var kind: NoticeKind?
    public var project: String?
    public var limit: Int

    public init(state: NoticeState? = nil, kind: NoticeKind? = nil, project: String? = nil, limit: Int = 500) {
        self.state = state
        self.kind = kind
        self.project = project
        self.limit = limit
    }
}

/// Which warnings to list.
public struct WarningFilter: Sendable, Equatable {
    public var states: Set<StatutoryWarning.State>?
    public var project: String?
    public var kind: WarningKind?
    public var limit: Int

    public init(states: Set<StatutoryWarning.State>? = nil, project: String? = nil, kind: WarningKind? = nil, limit: Int = 1000) {
        self.states = states
        self.project = project
        self.kind = kind
        self.limit = limit
    }

    /// Open and acknowledged warnings: the ones whose condition still holds.
    public static let active = WarningFilter(states: [.open, .acknowledged], limit: .max)

    public func matches(_ w: StatutoryWarning) -> Bool {
        (states == nil || states!.contains(w.state)) && (project == nil || w.project == project) && (kind == nil || w.kind == kind)
    }
}

/// How the CLI's `--state` and the API's `state` name a set of warning states: `active` (open and
/// acknowledged, the default), one state, or `all`.
public enum WarningStateSelection: String, CaseIterable, Sendable {
    case active, open, acknowledged, resolved, all

    public var states: Set<StatutoryWarning.State>? {
        switch self {
        case .active: [.open, .acknowledged]
        case .open: [.open]
        case .acknowledged: [.acknowledged]
        case .resolved: [.resolved]
        case .all: nil
        }
    }
}

/// Which deliveries to list.
public struct DeliveryFilter: Sendable, Equatable {
    public var noticeID: String?
    public var version: Int?
    public var state: DeliveryState?
    public var channel: String?
    public var limit: Int

    public init(noticeID: String? = nil, version: Int? = nil, state: DeliveryState? = nil, channel: String? = nil,
                limit: Int = 1000) {
        self.noticeID = noticeID
        self.version = version
        self.state = state
        self.channel = channel
        self.limit = limit
    }
}

/// Failures of the storage layer. Descriptions never include SQL or parameter values.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case conflict(String)
    case notFound(String)
    case closed
    /// The store was written by a newer Gonggao (its schema is ahead of this binary's migrations).
    case schemaTooNew(found: Int, known: Int)
    /// The backend failed; `code` is its own code (e.g. SQLITE_IOERR), `message` its text.
    case backend(code: Int32, message: String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .conflict(let s): "conflict: \(s)"
        case .notFound(let s): "not found: \(s)"
        case .closed: "the store is closed"
        case .schemaTooNew(let f, let k): "the store's schema is version \(f), this gonggao knows up to \(k): upgrade gonggao"
        case .backend(let c, let m): "store error \(c): \(m)"
        case .corrupt(let s): "corrupt store: \(s)"
        }
    }
}
