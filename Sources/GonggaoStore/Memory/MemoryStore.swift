import Foundation
import GonggaoCore
import Synchronization

/// An in-memory store with the same transactional behaviour as the durable ones (for tests and tools).
public final class MemoryStore: NoticeStore {
    struct State: Sendable {
        var projects: [String: Project] = [:]
        var notices: [String: [NoticeVersion]] = [:]
        var noticeOrder: [String] = []
        var deliveries: [String: Delivery] = [:]
        var deliveryOrder: [String] = []
        var attempts: [String: [DeliveryAttempt]] = [:]
        var audit: [AuditEntry] = []
        var channels: [String: ChannelStatus] = [:]
        var circuits: [String: ChannelCircuit] = [:]
        var tokens: [APIToken] = []
        var postings: [PostingConfirmation] = []
        var photos: [String: [UInt8]] = [:]
        var payments: [PaymentRecord] = []
        var warnings: [StatutoryWarning] = []
    }

    private let state = Mutex(State())
    private let closed = Atomic<Bool>(false)
    /// Commits so far (moved after a commit's state is in place, so a stamp never runs ahead of it).
    private let commits = Atomic<Int64>(0)
    public let auditHead: any AuditHeadRecorder

    public init(auditHead: any AuditHeadRecorder = MemoryAuditHead()) {
        self.auditHead = auditHead
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        guard !closed.load(ordering: .relaxed) else { throw StoreError.closed }
        let snapshot = state.withLock { $0 }
        return try body(MemoryTransaction(snapshot))
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        guard !closed.load(ordering: .relaxed) else { throw StoreError.closed }
        let (result, head) = try state.withLock { current in
            let tx = MemoryTransaction(current)
            let result = try body(tx)
            current = tx.state
            commits.add(1, ordering: .sequentiallyConsistent)
            return (result, tx.appendedHead)
        }
        if let head { try auditHead.advance(to: head) }
        return result
    }

    public func close() async { closed.store(true, ordering: .relaxed) }

    /// The count of commits: nothing else writes to a memory store.
    public func changeStamp() async throws -> StoreChangeStamp? {
        StoreChangeStamp(external: 0, local: commits.load(ordering: .sequentiallyConsistent))
    }

    /// Runs `body` on the raw state (tests that simulate tampering with stored rows).
    func tamper(_ body: (inout State) -> Void) {
        state.withLock {
            body(&$0)
            commits.add(1, ordering: .sequentiallyConsistent)
        }
    }
}

/// A transaction over a private copy of the state; the store keeps the copy only on success.
final class MemoryTransaction: StoreWriter {
    var state: MemoryStore.State
    var appendedHead: AuditHead?

    init(_ state: MemoryStore.State) { self.state = state }

    func project(_ key: String) throws -> Project? { state.projects[key] }
    func projects() throws -> [Project] { state.projects.values.sorted { $0.key < $1.key } }
    func projectKey(ofParcel key: String) throws -> String? {
        state.projects.values.first { $0.parcel(key) != nil }?.key
    }

    func noticeVersions(_ id: String) throws -> [NoticeVersion] { state.notices[id] ?? [] }
    func noticeVersion(_ id: String, version: Int) throws -> NoticeVersion? {
        state.notices[id]?.first { $0.version == version }
    }
    func noticeSequence(_ id: String) throws -> Int? {
        state.noticeOrder.firstIndex(of: id).map { $0 + 1 }
    }
    func notices(_ filter: NoticeFilter) throws -> [NoticeVersion] {
        let latest = state.noticeOrder.reversed().compactMap { state.notices[$0]?.last }
        return Array(latest.filter { v in
            (filter.state == nil || v.state == filter.state) && (filter.kind == nil || v.content.kind == filter.kind)
                && (filter.project == nil || v.content.project == filter.project)
        }.prefix(filter.limit))
    }

    func delivery(_ id: String) throws -> Delivery? { state.deliveries[id] }
    func deliveries(_ filter: DeliveryFilter) throws -> [Delivery] {
        Array(state.deliveryOrder.compactMap { state.deliveries[$0] }.filter { d in
            (filter.noticeID == nil || d.noticeID == filter.noticeID) && (filter.version == nil || d.version == filter.version)
                && (filter.state == nil || d.state == filter.state) && (filter.channel == nil || d.channel == filter.channel)
        }.prefix(filter.limit))
    }
    func attempts(deliveryID: String) throws -> [DeliveryAttempt] { state.attempts[deliveryID] ?? [] }

    func auditEntries(after: Int64, limit: Int) throws -> [AuditEntry] {
        Array(state.audit.filter { $0.seq > after }.prefix(limit))
    }
    func auditEntry(seq: Int64) throws -> AuditEntry? { state.audit.first { $0.seq == seq } }
    func lastAuditEntry() throws -> AuditEntry? { state.audit.last }

    func saveProject(_ project: Project) throws {
        for parcel in project.parcels {
            if let owner = try projectKey(ofParcel: parcel.key), owner != project.key {
                throw StoreError.conflict("parcel \(parcel.key) belongs to project \(owner)")
            }
        }
        state.projects[project.key] = project
    }

    func insertNoticeVersion(_ version: NoticeVersion) throws {
        var versions = state.notices[version.id] ?? []
        if versions.contains(where: { $0.version == version.version }) {
            throw StoreError.conflict("notice \(version.reference) exists")
        }
        if versions.isEmpty { state.noticeOrder.append(version.id) }
        versions.append(version)
        versions.sort { $0.version < $1.version }
        state.notices[version.id] = versions
    }

    func updateNoticeVersion(_ version: NoticeVersion) throws {
        guard let i = state.notices[version.id]?.firstIndex(where: { $0.version == version.version }) else {
            throw StoreError.notFound("notice \(version.reference)")
        }
        state.notices[version.id]![i] = version
    }

    func insertDelivery(_ d: Delivery) throws {
        if state.deliveries[d.id] != nil { throw StoreError.conflict("delivery \(d.id) exists") }
        if state.deliveries.values.contains(where: {
            $0.noticeID == d.noticeID && $0.version == d.version && $0.channel == d.channel && $0.purpose == d.purpose
        }) {
            throw StoreError.conflict("a \(d.purpose.rawValue) delivery of \(d.noticeID)/v\(d.version) to \(d.channel) exists")
        }
        state.deliveries[d.id] = d
        state.deliveryOrder.append(d.id)
    }

    func updateDelivery(_ d: Delivery) throws {
        guard state.deliveries[d.id] != nil else { throw StoreError.notFound("delivery \(d.id)") }
        state.deliveries[d.id] = d
    }

    func appendAttempt(_ attempt: DeliveryAttempt) throws {
        state.attempts[attempt.deliveryID, default: []].append(attempt)
    }

    func nextDueTime(channel: String) throws -> Date? {
        state.deliveries.values.filter { $0.channel == channel }.compactMap { d -> Date? in
            switch d.state {
            case .pending, .retrying: d.nextAttemptAt
            case .inFlight: d.leaseExpiresAt
            default: nil
            }
        }.min()
    }

    func channelStates() throws -> [ChannelStatus] { state.channels.values.sorted { $0.channel < $1.channel } }

    func channelCircuits() throws -> [ChannelCircuit] { state.circuits.values.sorted { $0.channel < $1.channel } }

    func recordChannelCircuit(_ circuit: ChannelCircuit) throws { state.circuits[circuit.channel] = circuit }

    func setChannelPaused(_ channel: String, paused: Bool, by actor: String, at: Date) throws {
        state.channels[channel] = ChannelStatus(channel: channel, paused: paused, changedBy: actor, changedAt: at)
    }

    func claimDue(channel: String, now: Date, owner: String, leaseUntil: Date, limit: Int) throws -> [Delivery] {
        if state.channels[channel]?.paused == true { return [] }
        var blocked = Set<String>()
        var due: [Delivery] = []
        for d in state.deliveryOrder.compactMap({ state.deliveries[$0] }) where d.channel == channel {
            let ready = ((d.state == .pending || d.state == .retrying) && d.nextAttemptAt <= now)
                || (d.state == .inFlight && (d.leaseExpiresAt ?? .distantPast) <= now)
            if ready && !blocked.contains(d.noticeID) { due.append(d) }
            if !d.state.isFinal { blocked.insert(d.noticeID) }
        }
        due.sort { $0.nextAttemptAt < $1.nextAttemptAt }
        var claimed: [Delivery] = []
        for var d in due.prefix(limit) {
            d.state = .inFlight
            d.leaseOwner = owner
            d.leaseExpiresAt = leaseUntil
            d.attempts += 1
            d.updatedAt = now
            state.deliveries[d.id] = d
            claimed.append(d)
        }
        return claimed
    }

    func token(hash: String) throws -> APIToken? { state.tokens.first { $0.hash == hash } }

    func tokens(user: String?) throws -> [APIToken] {
        state.tokens.filter { user == nil || $0.user == user }.reversed()
    }

    func insertToken(_ token: APIToken) throws {
        if state.tokens.contains(where: { $0.id == token.id || $0.hash == token.hash }) {
            throw StoreError.conflict("token \(token.id) exists")
        }
        state.tokens.append(token)
    }

    func revokeToken(id: String, at: Date) throws {
        guard let i = state.tokens.firstIndex(where: { $0.id == id }) else { throw StoreError.notFound("token \(id)") }
        if state.tokens[i].revokedAt == nil { state.tokens[i].revokedAt = at }
    }

    func appendAudit(_ record: AuditRecord) throws -> AuditEntry {
        let entry = AuditChain.entry(after: state.audit.last, record)
        state.audit.append(entry)
        appendedHead = AuditHead(seq: entry.seq, hash: entry.hash)
        return entry
    }
}
