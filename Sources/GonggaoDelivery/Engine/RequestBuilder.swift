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
        let earlier = try tx.deliveries(DeliveryFilter(noticeID: d.noticeID, channel: d.channel))
            .filter { $0.id != d.id && $0.purpose == .publish && $0.state == .delivered }
        let prior = earlier.last?.receipt
        let operation: ChannelOperation
        switch d.purpose {
        case .withdraw:
            guard !earlier.isEmpty else { return .failure(SkipReason(.nothingToWithdraw)) }
            operation = .withdraw
        case .publish:
            operation = earlier.isEmpty ? .create : .update
        }
        let corrects = d.version > 1 ? try tx.noticeVersion(d.noticeID, version: d.version - 1) : nil
        return .success(ChannelRequest(delivery: d, operation: operation, notice: notice, corrects: corrects, project: project,
                                       publicURL: publicURL(project, notice.content), priorReceipt: prior,
                                       attempt: d.attempts, now: now, noticeSequence: try tx.noticeSequence(d.noticeID)))
    }

    struct SkipReason: Error, Sendable {
        let skip: Skip
        init(_ skip: Skip) { self.skip = skip }
    }
}
