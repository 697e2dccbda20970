import Foundation
import GonggaoCore

/// Reads what the statutory rules look at from the store, inside a transaction.
enum StatutoryFacts {
    /// Each notice's version that counts: its approved version, else its latest.
    static func effectiveVersions(project: String, _ tx: any StoreReader) throws -> [NoticeVersion] {
        try tx.notices(NoticeFilter(project: project, limit: .max)).map { latest in
            if latest.state == .approved { return latest }
            return try tx.noticeVersions(latest.id).last { $0.state == .approved } ?? latest
        }
    }

    static func load(project key: String, _ tx: any StoreReader) throws -> ProjectFacts? {
        guard let project = try tx.project(key) else { return nil }
        let notices = try effectiveVersions(project: key, tx)
        var postings: [PostingConfirmation] = []
        var channels: [String: [String: CivilDate?]] = [:]
        for v in notices {
            postings += try tx.postings(noticeID: v.id).filter { $0.version == v.version }
            guard v.state == .approved else { continue }
            var byChannel: [String: CivilDate?] = [:]
            for d in try tx.deliveries(DeliveryFilter(noticeID: v.id, version: v.version)) where d.purpose == .publish {
                if d.state == .cancelled { continue }
                byChannel[d.channel] = d.state == .delivered ? CivilDate(d.updatedAt) : nil
            }
            channels[v.reference] = byChannel
        }
        return ProjectFacts(project: project, notices: notices, postings: postings, payments: try tx.payments(project: key),
                            channelDeliveries: channels)
    }
}
