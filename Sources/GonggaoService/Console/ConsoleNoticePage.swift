import Foundation
import GonggaoCore
import GonggaoHTTP
import GonggaoStore

/// Everything the notice page shows, read in one transaction.
struct NoticeRecord: Sendable {
    let versions: [NoticeVersion]
    /// Deliveries of the version the page shows deliveries for, with their attempt logs.
    let deliveries: [(delivery: Delivery, attempts: [DeliveryAttempt])]
    let project: Project?

    var latest: NoticeVersion { versions.last! }
    /// The newest version that was ever published (its poster and deliveries are shown).
    var published: NoticeVersion? { versions.last { PublishedState.isPublished($0.state) } }

    static func read(_ id: String, _ tx: any StoreReader) throws -> NoticeRecord? {
        let versions = try tx.noticeVersions(id)
        guard let latest = versions.last else { return nil }
        let shown = versions.last { PublishedState.isPublished($0.state) }
        var deliveries: [(Delivery, [DeliveryAttempt])] = []
        if let shown {
            for d in try tx.deliveries(DeliveryFilter(noticeID: id, version: shown.version, limit: 10_000)) {
                deliveries.append((d, try tx.attempts(deliveryID: d.id)))
            }
        }
        return NoticeRecord(versions: versions, deliveries: deliveries, project: try tx.project(latest.content.project))
    }
}

extension ServiceApp {
    /// `GET /console/notices/{id}`.
    func noticePage(_ call: ConsoleCall) async throws -> HTTPResponse {
        try await renderNoticePage(call, status: 200, errors: [:])
    }

    /// The notice page; `errors` (by field id, e.g. `approve-confirm`) are shown next to their fields.
    func renderNoticePage(_ call: ConsoleCall, status: Int, errors: [String: String]) async throws -> HTTPResponse {
        let id = call.parameter("id")
        guard let record = try await environment.store.read({ tx in try NoticeRecord.read(id, tx) }) else {
            throw WorkflowError.unknownNotice(id)
        }
        let v = record.latest
        let user = call.user
        let isDrafter = user?.name == v.drafter
        let isAdmin = user?.roles.contains(.admin) ?? false
        let maySeeApprove = v.state == .submitted && may(user, .post, "/api/notices/{id}/approve")
        let actions: [String: PageValue] = [
            "edit": .bool(v.state == .draft && (isDrafter || isAdmin) && may(user, .put, "/api/notices/{id}")),
            "submit": .bool(
                v.state == .draft && (isDrafter || isAdmin) && may(user, .post, "/api/notices/{id}/submit")),
            "approve": .bool(maySeeApprove),
            "approveDisabled": .bool(maySeeApprove && isDrafter),
            // Only an admin may approve although a stage gate is closed, with a written reason (audited).
            "override": .bool(maySeeApprove && isAdmin && !isDrafter),
            "reject": .bool(v.state == .submitted && may(user, .post, "/api/notices/{id}/reject")),
            "rejectDisabled": .bool(isDrafter),
            "withdraw": .bool(v.state == .approved && may(user, .post, "/api/notices/{id}/withdraw")),
            "correct": .bool(v.state == .approved && may(user, .post, "/api/notices/{id}/correct")),
        ]
        let mayRetry = may(user, .post, "/api/deliveries/{id}/retry")
        let published = record.published
        let deliveries: [PageValue] = record.deliveries.map { d, attempts in
            let slug = d.purpose == .publish ? d.channel : "\(d.channel)-withdraw"
            return [
                "id": .text(d.id), "slug": .text(slug), "channel": .text(d.channel),
                "purpose": .text(d.purpose == .publish ? "发布" : "撤回"), "state": .text(d.state.rawValue),
                "attempts": .text("\(d.attempts)"),
                "next": .text(d.state.isFinal ? "—" : ConsoleTime.format(d.nextAttemptAt)),
                "updatedAt": .text(ConsoleTime.format(d.updatedAt)), "lastError": .optional(d.lastError),
                "receiptURL": .optional(d.receipt?.publicURL), "receiptID": .optional(d.receipt?.publicationID),
                "retry": .bool(mayRetry && (d.state == .dead || d.state == .retrying) && published?.state == .approved),
                "log": .list(
                    attempts.map { a in
                        [
                            "number": .text("\(a.number)"), "at": .text(ConsoleTime.format(a.startedAt)),
                            "outcome": .text(a.outcome.rawValue), "detail": .text(a.reason ?? a.detail),
                        ]
                    }),
            ]
        }
        let values: [String: PageValue] = [
            "notice": Self.versionValue(v, project: record.project),
            "versions": .list(record.versions.reversed().map { Self.versionValue($0, project: record.project) }),
            "published": published.map { p in
                [
                    "version": .text("\(p.version)"),
                    "png": .text("/console/notices/\(p.id)/versions/\(p.version)/poster.png"),
                    "pdf": .text("/console/notices/\(p.id)/versions/\(p.version)/poster.pdf"),
                    "publicURL": .text(environment.parcelPageURL(ParcelLinks.key(of: p.content))),
                ]
            } ?? false,
            "deliveries": .list(deliveries),
            "actions": .object(actions),
            "errors": .object(errors.mapValues { .text($0) }),
            "reasons": [
                "reject": .text(
                    call.form["reason"].flatMap { call.request.path.hasSuffix("/reject") ? $0 : nil } ?? ""),
                "withdraw": .text(
                    call.form["reason"].flatMap { call.request.path.hasSuffix("/withdraw") ? $0 : nil } ?? ""),
            ],
            "returnPath": .text("/console/notices/\(v.id)"),
        ]
        return try consolePage("notice", title: v.content.title, values, call: call, status: status)
    }

    /// One version as the notice page shows it.
    static func versionValue(_ v: NoticeVersion, project: Project?) -> PageValue {
        let parcelNames = v.content.parcels.map { key in project?.parcel(key).map { "\($0.displayName)（\(key)）" } ?? key
        }
        return [
            "id": .text(v.id), "version": .text("\(v.version)"), "state": .text(v.state.rawValue),
            "stateName": .text(stateName(v.state)), "title": .text(v.content.title),
            "kind": .text(v.content.kind.chineseName),
            "kindKey": .text(v.content.kind.rawValue), "issuer": .text(v.content.issuer),
            "documentNumber": .text(v.content.documentNumber), "dateWritten": .text(v.content.dateWritten.description),
            "project": .text(v.content.project), "parcels": .text(parcelNames.joined(separator: "、")),
            "body": .list(v.content.body.map { .text($0) }),
            "drafter": .text(v.drafter), "createdAt": .text(ConsoleTime.format(v.createdAt)),
            "submittedAt": .optional(v.submittedAt.map(ConsoleTime.format)),
            "approvedBy": .optional(v.approvedBy), "approvedAt": .optional(v.approvedAt.map(ConsoleTime.format)),
            "rejectedBy": .optional(v.rejectedBy), "rejectionReason": .optional(v.rejectionReason),
            "withdrawnBy": .optional(v.withdrawnBy), "withdrawalReason": .optional(v.withdrawalReason),
            "withdrawnAt": .optional(v.withdrawnAt.map(ConsoleTime.format)),
            "supersededBy": .optional(v.supersededBy.map { "v\($0)" }),
        ]
    }
}
