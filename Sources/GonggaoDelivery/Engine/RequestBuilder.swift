import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoStore

/// Builds what an adapter needs for a claimed delivery from the store (pure reads in one transaction).
enum RequestBuilder {
    /// Why a claimed delivery cannot be sent at all.
    enum Skip: Sendable {
        /// A withdrawal where the channel never received the notice.
        case nothingToWithdraw
        /// The notice, version or project vanished from the store.
        case missing(String)
    }

    static func build(_ d: Delivery, publicURL: @Sendable (Project, NoticeContent) -> String, now: Date,
                      _ tx: any StoreReader) throws -> Result<ChannelRequest, SkipReason> {
        guard let notice = try tx.noticeVersion(d.noticeID, version: d.version) else {
            return .failure(SkipReason(.missing("notice \(d.noticeID)/v\(d.version) is not in the store")))
        }
        guard let project = try tx.project(notice.content.project) else {
            return .failure(SkipReason(.missing("project \(notice.content.project) is not in the store")))
        }
        let publishes = try tx.deliveries(DeliveryFilter(noticeID: d.noticeID, channel: d.channel))
            .filter { $0.id != d.id && $0.purpose == .publish }
        let earlier = publishes.filter { $0.state == .delivered }
        // A publish that may have reached the channel without our knowing (a worker killed mid-send,
        // a timeout after the portal had published) counts as received: the next version goes as an
        // update (which creates the item where it is missing) and a withdrawal is sent.
        let uncertain = try publishes.contains { try $0.state != .delivered && Self.mayHaveReachedChannel($0, tx) }
        let prior = earlier.last?.receipt
        let operation: ChannelOperation
        switch d.purpose {
        case .withdraw:
            guard !earlier.isEmpty || uncertain else { return .failure(SkipReason(.nothingToWithdraw)) }
            operation = .withdraw
        case .publish:
            operation = earlier.isEmpty && !uncertain ? .create : .update
        }
        let corrects = d.version > 1 ? try tx.noticeVersion(d.noticeID, version: d.version - 1) : nil
        return .success(ChannelRequest(delivery: d, operation: operation, notice: notice, corrects: corrects, project: project,
                                       publicURL: publicURL(project, notice.content), priorReceipt: prior,
                                       attempt: d.attempts, now: now, noticeSequence: try tx.noticeSequence(d.noticeID)))
    }

    /// Whether an unconfirmed publish delivery may have reached its channel: an attempt ended
    /// retryable (no answer, or a 5xx after which the portal may still have published), or a claim
    /// left no attempt behind (its worker died mid-send). A 4xx rejection or a cancellation did not.
    static func mayHaveReachedChannel(_ p: Delivery, _ tx: any StoreReader) throws -> Bool {
        let log = try tx.attempts(deliveryID: p.id)
        return log.contains { $0.outcome == .retryable } || p.attempts > log.count
    }

    struct SkipReason: Error, Sendable {
        let skip: Skip
        init(_ skip: Skip) { self.skip = skip }
    }
}
