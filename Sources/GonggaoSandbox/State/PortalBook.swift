import Foundation
import GonggaoCore
import GonggaoHTTP

/// What a sender asks a portal to do, once authenticated and validated.
enum PortalCommand: Sendable {
    case publish(PublishOperation, noticeId: String, version: Int, title: String, payload: JSONValue)
    case withdraw(noticeId: String, version: Int, reason: String?)

    var noticeId: String {
        switch self {
        case .publish(_, let id, _, _, _), .withdraw(let id, _, _): id
        }
    }
}

/// How a publish request treats an existing item.
enum PublishOperation: String, Sendable {
    /// Provincial `POST`: a new item; the same version again is unchanged, another version 409.
    case create
    /// Provincial `PUT`: replaces an older version, creates the item when absent.
    case update
    /// County/mobile create-or-update by notice id + version.
    case publish
}

/// A portal's answer: status, JSON body and the outcome its log records.
struct PortalAnswer: Sendable, Equatable {
    var status: Int
    var body: [UInt8]
    var outcome: String

    var isSuccess: Bool { (200..<300).contains(status) }

    var response: HTTPResponse { .json(bytes: body, status: status) }

    static func refusal(_ error: PortalError) -> PortalAnswer {
        PortalAnswer(status: error.status, body: error.response.body, outcome: "rejected:" + error.code)
    }
}

/// The success body every portal answers with.
struct PublicationReceipt: Codable, Sendable {
    var publicationId: String
    var url: String
    var noticeId: String
    var version: Int
    var status: SandboxItem.Status
    var operation: String
    var effect: SandboxHistoryEntry.Effect
    /// County only: the 索引号 the article is filed under.
    var indexNumber: String?
}

/// One portal's memory: items, history, request log, webhook-id answers and queued faults. A
/// plain value (no I/O, no clock of its own): `SandboxState` keeps it behind a Mutex.
struct PortalBook: Sendable {
    let portal: SandboxPortal
    private(set) var items: [String: SandboxItem] = [:]
    private(set) var itemOrder: [String] = []
    private(set) var log: [SandboxLogEntry] = []
    private(set) var faults: [QueuedFault] = []
    /// Successful answers by webhook-id: the same id gets the same answer, never a second effect.
    private var answered: [String: PortalAnswer] = [:]
    private var publicationCounter = 0
    private var historyCounter = 0

    init(portal: SandboxPortal) { self.portal = portal }

    var orderedItems: [SandboxItem] { itemOrder.compactMap { items[$0] } }

    func item(publicationId: String) -> SandboxItem? {
        items.values.first { $0.publicationId == publicationId }
    }

    // MARK: Faults

    mutating func enqueue(_ fault: SandboxFault) {
        faults.append(QueuedFault(fault: fault, remaining: fault.count ?? 1))
    }

    mutating func clearFaults() { faults = [] }

    /// Uses up one count of the first fault matching the request, if any.
    mutating func takeFault(operation: String, noticeId: String?) -> SandboxFault? {
        guard let i = faults.firstIndex(where: { $0.fault.matches(operation: operation, noticeId: noticeId) }) else {
            return nil
        }
        let fault = faults[i].fault
        faults[i].remaining -= 1
        if faults[i].remaining <= 0 { faults.remove(at: i) }
        return fault
    }

    // MARK: Requests

    /// The answer already given to `webhookId`, if it succeeded.
    func answer(for webhookId: String) -> PortalAnswer? { answered[webhookId] }

    /// Applies a command once per webhook-id: a repeated id gets the recorded answer and changes
    /// nothing. Only successes are recorded.
    mutating func execute(
        _ command: PortalCommand, operation: String, webhookId: String, at now: Date,
        publicBase: String
    ) -> PortalAnswer {
        if let previous = answered[webhookId] {
            return PortalAnswer(status: previous.status, body: previous.body, outcome: "duplicate")
        }
        let answer: PortalAnswer
        switch command {
        case .publish(let op, let noticeId, let version, let title, let payload):
            answer = publish(
                op, noticeId: noticeId, version: version, title: title, payload: payload,
                webhookId: webhookId, at: now, publicBase: publicBase)
        case .withdraw(let noticeId, let version, let reason):
            answer = withdraw(noticeId: noticeId, version: version, reason: reason, webhookId: webhookId, at: now)
        }
        if answer.isSuccess { answered[webhookId] = answer }
        return answer
    }

    mutating func record(
        method: String, path: String, webhookId: String?, noticeId: String?, status: Int,
        outcome: String, fault: String? = nil, at now: Date
    ) {
        log.append(
            SandboxLogEntry(
                seq: log.count + 1, at: now, atMs: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)),
                method: method, path: path, webhookId: webhookId, noticeId: noticeId, status: status, outcome: outcome,
                fault: fault))
    }

    private mutating func publish(
        _ op: PublishOperation, noticeId: String, version: Int, title: String, payload: JSONValue,
        webhookId: String, at now: Date, publicBase: String
    ) -> PortalAnswer {
        guard var item = items[noticeId] else {
            publicationCounter += 1
            let id = String(format: "%@-%04d-%06d", portal.idPrefix, CivilDate(now).year, publicationCounter)
            var created = SandboxItem(
                noticeId: noticeId, publicationId: id, url: "\(publicBase)\(portal.prefix)/public/\(id)",
                version: version, status: .published, title: title, payload: payload,
                publishedAt: now, updatedAt: now, history: [])
            append(op.rawValue, version, webhookId, .created, now, to: &created)
            items[noticeId] = created
            itemOrder.append(noticeId)
            return success(created, op.rawValue, .created, status: 201)
        }
        if item.status == .withdrawn {
            return .refusal(
                PortalError(
                    status: 409, code: "withdrawn",
                    message: "notice \(noticeId) was withdrawn; it cannot be published again"))
        }
        if version < item.version {
            return .refusal(
                PortalError(
                    status: 409, code: "stale-version",
                    message: "version \(version) is older than the published version \(item.version)"))
        }
        if version == item.version {
            append(op.rawValue, version, webhookId, .unchanged, now, to: &item)
            items[noticeId] = item
            return success(item, op.rawValue, .unchanged, status: 200)
        }
        if op == .create {
            return .refusal(
                PortalError(
                    status: 409, code: "already-exists",
                    message: "notice \(noticeId) is already published (version \(item.version)); update it with PUT"))
        }
        item.version = version
        item.title = title
        item.payload = payload
        item.updatedAt = now
        append(op.rawValue, version, webhookId, .updated, now, to: &item)
        items[noticeId] = item
        return success(item, op.rawValue, .updated, status: 200)
    }

    private mutating func withdraw(
        noticeId: String, version: Int, reason: String?, webhookId: String, at now: Date
    ) -> PortalAnswer {
        guard var item = items[noticeId] else {
            return .refusal(PortalError(status: 404, code: "unknown-notice", message: "no item for notice \(noticeId)"))
        }
        let effect: SandboxHistoryEntry.Effect = item.status == .withdrawn ? .unchanged : .withdrawn
        if effect == .withdrawn {
            item.status = .withdrawn
            item.withdrawnAt = now
            item.withdrawalReason = reason
            item.updatedAt = now
        }
        append("withdraw", version, webhookId, effect, now, to: &item)
        items[noticeId] = item
        return success(item, "withdraw", effect, status: 200)
    }

    private mutating func append(
        _ operation: String, _ version: Int, _ webhookId: String, _ effect: SandboxHistoryEntry.Effect,
        _ now: Date, to item: inout SandboxItem
    ) {
        historyCounter += 1
        item.history.append(
            SandboxHistoryEntry(
                seq: historyCounter, operation: operation, version: version,
                webhookId: webhookId, effect: effect, at: now))
    }

    private func success(
        _ item: SandboxItem, _ operation: String, _ effect: SandboxHistoryEntry.Effect, status: Int
    ) -> PortalAnswer {
        let receipt = PublicationReceipt(
            publicationId: item.publicationId, url: item.url, noticeId: item.noticeId,
            version: item.version, status: item.status, operation: operation, effect: effect,
            indexNumber: item.payload["metadata"]?["indexNumber"]?.stringValue)
        return PortalAnswer(status: status, body: HTTPResponse.json(receipt).body, outcome: effect.rawValue)
    }
}
