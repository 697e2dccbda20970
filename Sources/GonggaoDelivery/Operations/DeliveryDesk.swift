import Foundation
import GonggaoCore
import GonggaoStore

/// Operator actions on deliveries and channels: retry one, replay dead letters, pause and resume.
/// Each is one transaction with its audit entry; none ever re-sends a superseded or withdrawn version.
public struct DeliveryDesk: Sendable {
    public let store: any NoticeStore
    public let users: UserDirectory
    public let channels: [String]
    public let now: @Sendable () -> Date

    public init(store: any NoticeStore, users: UserDirectory, channels: [String], now: @escaping @Sendable () -> Date) {
        self.store = store
        self.users = users
        self.channels = channels
        self.now = now
    }

    /// Why an operator action was refused.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case notRetryable(id: String, state: DeliveryState)
        case versionNotCurrent(id: String, version: String, state: NoticeState)
        case unknownChannel(String)

        public var description: String {
            switch self {
            case .notRetryable(let id, let s): "delivery \(id) is \(s.rawValue): only dead or retrying deliveries can be retried"
            case .versionNotCurrent(let id, let v, let s): "delivery \(id) would send \(v), which is \(s.rawValue): it is never sent again"
            case .unknownChannel(let c): "unknown channel '\(c)'"
            }
        }
    }

    /// Puts one dead (or waiting) delivery back in the queue, due now.
    public func retry(_ id: String, as userName: String) async throws -> Delivery {
        let user = try operatorUser(userName, action: "retry a delivery")
        let at = now()
        return try await store.write { tx in
            guard let d = try tx.delivery(id) else { throw WorkflowError.unknownDelivery(id) }
            guard d.state == .dead || d.state == .retrying else { throw Refusal.notRetryable(id: id, state: d.state) }
            try Self.requireCurrent(d, tx)
            let next = DeliveryMachine.requeue(d, now: at)
            try tx.updateDelivery(next)
            try tx.appendAudit(AuditRecord(at: at, actor: user.name, action: "delivery.retry", subject: id,
                                           detail: "\(d.channel) \(d.noticeID)/v\(d.version) was \(d.state.rawValue)"))
            return next
        }
    }

    /// Re-queues the dead letters on `channel` that died at or after `since` (all states but
    /// delivered and in-flight when `includeAll`), skipping versions no longer current. Returns the
    /// re-queued deliveries.
    public func replay(channel: String, since: Date, includeAll: Bool = false, as userName: String) async throws -> [Delivery] {
        let user = try operatorUser(userName, action: "replay deliveries")
        guard channels.contains(channel) else { throw Refusal.unknownChannel(channel) }
        let at = now()
        return try await store.write { tx in
            let states: [DeliveryState] = includeAll ? [.dead, .retrying, .cancelled] : [.dead]
            var requeued: [Delivery] = []
            for state in states {
                for d in try tx.deliveries(DeliveryFilter(state: state, channel: channel, limit: 100_000)) where d.updatedAt >= since {
                    guard (try? Self.requireCurrent(d, tx)) != nil else { continue }
                    let next = DeliveryMachine.requeue(d, now: at)
                    try tx.updateDelivery(next)
                    requeued.append(next)
                }
            }
            try tx.appendAudit(AuditRecord(at: at, actor: user.name, action: "delivery.replay", subject: channel,
                                           detail: "\(requeued.count) re-queued since \(Self.iso(since))"))
            return requeued
        }
    }

    /// Pauses (or resumes) a channel: its deliveries wait, visibly, and are never dropped.
    public func setPaused(_ channel: String, _ paused: Bool, as userName: String) async throws {
        let user = try operatorUser(userName, action: paused ? "pause a channel" : "resume a channel")
        guard channels.contains(channel) else { throw Refusal.unknownChannel(channel) }
        let at = now()
        try await store.write { tx in
            try tx.setChannelPaused(channel, paused: paused, by: user.name, at: at)
            try tx.appendAudit(AuditRecord(at: at, actor: user.name, action: paused ? "channel.pause" : "channel.resume", subject: channel))
        }
    }

    /// One line per channel: paused, counts by state, oldest waiting, last success.
    public func overview() async throws -> [ChannelOverview] {
        let channels = self.channels
        return try await store.read { tx in
            let paused = Dictionary(uniqueKeysWithValues: try tx.channelStates().map { ($0.channel, $0) })
            let circuits = Dictionary(uniqueKeysWithValues: try tx.channelCircuits().map { ($0.channel, $0) })
            return try channels.map { name in
                var counts: [DeliveryState: Int] = [:]
                var oldest: Date?
                var lastSuccess: Date?
                for d in try tx.deliveries(DeliveryFilter(channel: name, limit: 1_000_000)) {
                    counts[d.state, default: 0] += 1
                    if !d.state.isFinal { oldest = min(oldest ?? d.createdAt, d.createdAt) }
                    if d.state == .delivered { lastSuccess = max(lastSuccess ?? d.updatedAt, d.updatedAt) }
                }
                return ChannelOverview(channel: name, paused: paused[name]?.paused ?? false, counts: counts,
                                       oldestWaiting: oldest, lastSuccess: lastSuccess, circuit: circuits[name])
            }
        }
    }

    static func requireCurrent(_ d: Delivery, _ tx: any StoreReader) throws {
        guard d.purpose == .publish else { return }
        guard let v = try tx.noticeVersion(d.noticeID, version: d.version) else { throw WorkflowError.unknownNotice(d.noticeID) }
        guard v.state == .approved else { throw Refusal.versionNotCurrent(id: d.id, version: v.reference, state: v.state) }
    }

    private func operatorUser(_ name: String, action: String) throws -> User {
        let user = try users.user(name)
        guard user.has(.approver) else { throw WorkflowError.notPermitted(user: name, action: action, needs: .approver) }
        return user
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = CivilDate.legalTimeZone
        return f.string(from: date)
    }
}

/// A channel's health at a glance.
public struct ChannelOverview: Sendable, Equatable {
    public var channel: String
    public var paused: Bool
    public var counts: [DeliveryState: Int]
    public var oldestWaiting: Date?
    public var lastSuccess: Date?
    /// The circuit as the last worker to use the channel recorded it; nil when no worker has yet.
    public var circuit: ChannelCircuit?
}
