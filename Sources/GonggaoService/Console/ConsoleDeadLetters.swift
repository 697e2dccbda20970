import Foundation
import GonggaoCore
import GonggaoDelivery
import GonggaoHTTP
import GonggaoStore

/// The dead-letters page's filter: one channel or all, dead since a date (Asia/Shanghai) or ever.
struct DeadLetterFilter: Sendable, Equatable {
    let channel: String?
    let since: CivilDate?

    /// From the form or query text; an unknown channel or a bad date is a 422 naming it.
    init(channel: String, since: String, channels: [String]) throws {
        if channel.isEmpty {
            self.channel = nil
        } else {
            guard channels.contains(channel) else {
                throw ConsoleRefusal(
                    status: 422, reason: "unknown-channel",
                    message: "未知渠道 '\(channel)'（可选：\(channels.joined(separator: "、"))）")
            }
            self.channel = channel
        }
        if since.isEmpty {
            self.since = nil
        } else {
            guard let date = CivilDate(iso: since) else {
                throw ConsoleRefusal(
                    status: 422, reason: "bad-parameter", message: "起始日期 '\(since)' 不是 YYYY-MM-DD 格式的日期")
            }
            self.since = date
        }
    }

    var sinceInstant: Date { since?.startInstant ?? .distantPast }

    /// `?channel=…&since=…` (both are plain ASCII once validated).
    var query: String {
        "?channel=\(channel ?? "")&since=\(since?.description ?? "")"
    }
}

extension ServiceApp {
    /// `GET /console/dead-letters?channel=&since=`.
    func deadLettersPage(_ call: ConsoleCall) async throws -> HTTPResponse {
        let channels = environment.desk.channels
        let filter = try DeadLetterFilter(
            channel: call.query("channel") ?? "", since: call.query("since") ?? "", channels: channels)
        let wanted = filter.channel.map { [$0] } ?? channels
        let since = filter.sinceInstant
        let rows = try await environment.store.read { tx -> [(Delivery, NoticeVersion?)] in
            var rows: [(Delivery, NoticeVersion?)] = []
            for channel in wanted {
                for d in try tx.deliveries(DeliveryFilter(state: .dead, channel: channel, limit: 10_000))
                where d.updatedAt >= since {
                    rows.append((d, try tx.noticeVersion(d.noticeID, version: d.version)))
                }
            }
            return rows.sorted { $0.0.updatedAt > $1.0.updatedAt }
        }
        let mayRetry = may(call.user, .post, "/api/deliveries/{id}/retry")
        let returnPath = "/console/dead-letters" + filter.query
        let values: [String: PageValue] = [
            "channels": .list(channels.map { c in ["name": .text(c), "selected": .bool(c == filter.channel)] }),
            "since": .text(filter.since?.description ?? ""),
            "channel": .text(filter.channel ?? ""),
            "rows": .list(
                rows.map { d, v in
                    let current = d.purpose == .withdraw || v?.state == .approved
                    return [
                        "id": .text(d.id), "channel": .text(d.channel), "noticeID": .text(d.noticeID),
                        "title": .text(v?.content.title ?? d.noticeID), "version": .text("\(d.version)"),
                        "purpose": .text(d.purpose == .publish ? "发布" : "撤回"), "attempts": .text("\(d.attempts)"),
                        "lastError": .text(d.lastError ?? "—"), "deadAt": .text(ConsoleTime.format(d.updatedAt)),
                        "retry": .bool(mayRetry && current),
                        "stale": .bool(!current),
                    ]
                }),
            "count": .text("\(rows.count)"),
            "mayReplay": .bool(!rows.isEmpty && may(call.user, .post, "/api/deliveries/replay")),
            "returnPath": .text(returnPath),
        ]
        return try consolePage("dead-letters", title: "死信", values, call: call)
    }
}
