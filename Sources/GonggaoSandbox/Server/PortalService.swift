import Foundation
import GonggaoCore
import GonggaoHTTP

/// Answers the portal endpoints: injected faults first, then authentication, webhook-id
/// deduplication, field validation and the book's state change.
struct PortalService: Sendable {
    let config: SandboxConfig
    let state: SandboxState
    let logger: Logger

    func handle(_ portal: SandboxPortal, _ action: PortalAction, _ request: HTTPRequest) async -> HTTPResponse {
        let now = config.now()
        let pathNoticeId = request.parameters["noticeId"]
        let noticeHint = pathNoticeId ?? Self.peekNoticeID(request.body)
        let webhookHint = request.headers["webhook-id"]
        let fault = state.with(portal) { $0.takeFault(operation: action.operationName, noticeId: noticeHint) }
        func record(_ status: Int, _ outcome: String, fault: String? = nil, noticeId: String? = noticeHint) {
            state.with(portal) {
                $0.record(
                    method: request.method.rawValue, path: request.path, webhookId: webhookHint, noticeId: noticeId,
                    status: status, outcome: outcome, fault: fault, at: now)
            }
        }

        if let fault, let early = await earlyFault(fault, record: { record($0, $1) }) { return early }

        let (answer, noticeId) = process(portal, action, request, pathNoticeId: pathNoticeId, now: now)
        record(answer.status, answer.outcome, fault: fault?.mode.rawValue, noticeId: noticeId ?? noticeHint)
        if answer.outcome == "created" || answer.outcome == "updated" || answer.outcome == "withdrawn" {
            logger.info(
                "sandbox \(portal.rawValue) \(answer.outcome)",
                [
                    "sandbox.portal": portal.rawValue, "notice.id": noticeId ?? "", "webhook.id": webhookHint ?? "",
                ])
        }
        var response = answer.response
        if let fault, fault.mode == .slow {
            try? await Task.sleep(for: .milliseconds(fault.delayMs ?? 2000))
        }
        if let fault, fault.mode == .huge {
            response.body = Self.padded(response.body, to: fault.bytes ?? 5 << 20)
        }
        return response
    }

    /// Faults that replace the answer entirely; nil for `slow` and successful `huge`, which shape it.
    private func earlyFault(_ fault: SandboxFault, record: (Int, String) -> Void) async -> HTTPResponse? {
        let outcome = "fault:" + fault.mode.rawValue
        switch fault.mode {
        case .status, .unavailable, .rateLimited:
            let status = fault.mode == .unavailable ? 503 : fault.mode == .rateLimited ? 429 : fault.status ?? 500
            var response = HTTPResponse.error(
                status: status, code: "injected-fault", message: "injected fault: HTTP \(status)")
            let retryAfter = fault.retryAfter ?? (fault.mode == .status ? nil : 2)
            if let retryAfter { response.headers.add("Retry-After", "\(retryAfter)") }
            record(status, outcome)
            return response
        case .hang:
            record(0, outcome)
            let hold = min(Duration.milliseconds(Int((fault.seconds ?? 30) * 1000)), config.maxHang)
            try? await Task.sleep(for: hold)
            return .closeConnection
        case .reset:
            record(0, outcome)
            return .closeConnection
        case .huge:
            guard let status = fault.status, !(200..<300).contains(status) else { return nil }
            record(status, outcome)
            let error = HTTPResponse.error(
                status: status, code: "injected-fault", message: "injected fault: HTTP \(status), huge body")
            return .json(bytes: Self.padded(error.body, to: fault.bytes ?? 5 << 20), status: status)
        case .slow:
            return nil
        }
    }

    /// Authenticate, deduplicate, validate, execute. Returns the answer and the notice id it concerned.
    private func process(
        _ portal: SandboxPortal, _ action: PortalAction, _ request: HTTPRequest, pathNoticeId: String?,
        now: Date
    ) -> (PortalAnswer, String?) {
        do throws(PortalError) {
            let webhookId = try PortalGate(portal: portal, settings: config.settings(for: portal)).check(
                request, now: now)
            if let previous = state.with(portal, { $0.answer(for: webhookId) }) {
                return (PortalAnswer(status: previous.status, body: previous.body, outcome: "duplicate"), nil)
            }
            guard request.mediaType == "application/json" else {
                throw PortalError(
                    status: 415, code: "unsupported-media-type", message: "the body must be application/json")
            }
            let body = try FieldReader.parse(request.body)
            let command = try PortalRequests.command(
                portal, action, body, pathNoticeId: pathNoticeId, limits: config.limits)
            let answer = state.execute(portal, command, operation: action.operationName, webhookId: webhookId, at: now)
            return (answer, command.noticeId)
        } catch {
            return (.refusal(error), nil)
        }
    }

    /// The body's `noticeId`, for fault filters and the log (nil when the body is not JSON).
    static func peekNoticeID(_ body: [UInt8]) -> String? {
        guard let reader = try? FieldReader.parse(body) else { return nil }
        return reader.object["noticeId"]?.stringValue
    }

    /// `{…}` grown to `size` bytes by a `"padding"` member (still valid JSON).
    static func padded(_ body: [UInt8], to size: Int) -> [UInt8] {
        let overhead = Array(#","padding":""#.utf8)
        guard body.last == UInt8(ascii: "}"), body.count + overhead.count + 1 < size else { return body }
        var out = Array(body.dropLast())
        out += overhead
        out += [UInt8](repeating: UInt8(ascii: "x"), count: size - body.count - overhead.count - 1)
        out += Array(#""}"#.utf8)
        return out
    }
}
