import GonggaoCore
import GonggaoHTTP
import GonggaoStore

/// `{"reason": "…"}` for reject and withdraw.
struct ReasonBody: Decodable, Sendable {
    let reason: String
}

/// `{"version": n}`, optional for approve: approving a named version is idempotent even after a
/// correction was started.
struct ApproveBody: Decodable, Sendable {
    let version: Int?
    /// An admin's written reason to approve although a stage gate is closed (audited).
    let overrideGate: String?
}

extension ServiceApp {
    var noticeEndpoints: [Endpoint] {
        [
            Endpoint(.post, "/api/notices", .drafters) { [self] in try await draftNotice($0) },
            Endpoint(.get, "/api/notices", .officers) { [self] in try await listNotices($0) },
            Endpoint(.get, "/api/notices/{id}", .officers) { [self] in try await showNotice($0) },
            Endpoint(.put, "/api/notices/{id}", .drafters) { [self] in try await editNotice($0) },
            Endpoint(.post, "/api/notices/{id}/submit", .drafters) { [self] in try await submitNotice($0) },
            Endpoint(.post, "/api/notices/{id}/approve", .approvers) { [self] in try await approveNotice($0) },
            Endpoint(.post, "/api/notices/{id}/reject", .approvers) { [self] in try await rejectNotice($0) },
            Endpoint(.post, "/api/notices/{id}/withdraw", .approvers) { [self] in try await withdrawNotice($0) },
            Endpoint(.post, "/api/notices/{id}/correct", .drafters) { [self] in try await correctNotice($0) },
            Endpoint(.get, "/api/notices/{id}/versions/{version:int}", .officers) { [self] in try await showVersion($0) },
        ]
    }

    private var base: String { environment.publicBaseURL }

    func draftNotice(_ call: Call) async throws -> HTTPResponse {
        let content = try JSONBody.require(NoticeContent.self, from: call.request)
        let v = try await Self.projectIsField { try await environment.workflow.draft(content, as: call.user.name) }
        return .json(VersionView(v, base: base), status: 201).adding("Location", "/api/notices/\(v.id)")
    }

    func listNotices(_ call: Call) async throws -> HTTPResponse {
        let filter = NoticeFilter(
            state: try call.query("state", as: NoticeState.self), kind: try call.query("kind", as: NoticeKind.self),
            project: call.query("project"), limit: try call.limit(default: 100, max: 1000))
        let notices = try await environment.store.read { tx in try tx.notices(filter) }
        return .json(ListResult(notices.map { VersionView($0, base: base) }))
    }

    /// The notice's whole answer is reused while nothing was committed to the store since it was
    /// read (a delivery's progress recorded by a worker process included).
    func showNotice(_ call: Call) async throws -> HTTPResponse {
        let id = call.parameter("id")
        let stamp = try await RequestStamp.read(environment.store)
        if let body = noticeJSON.get(id, at: stamp) { return .json(bytes: body) }
        let (versions, deliveries) = try await environment.store.read { tx in
            (try tx.noticeVersions(id), try tx.deliveries(DeliveryFilter(noticeID: id, limit: 100_000)))
        }
        guard !versions.isEmpty else { throw WorkflowError.unknownNotice(id) }
        let detail = NoticeDetail(versions: versions, deliveries: deliveries, base: base)
        let body: [UInt8]
        do {
            body = try detail.json(versionJSON: versionJSON.json)
        } catch {
            return .error(status: 500, code: "encoding-failed", message: "the response could not be encoded as JSON")
        }
        noticeJSON.put(id, body, at: stamp)
        return .json(bytes: body)
    }

    func editNotice(_ call: Call) async throws -> HTTPResponse {
        let content = try JSONBody.require(NoticeContent.self, from: call.request)
        let id = call.parameter("id")
        let v = try await Self.projectIsField { try await environment.workflow.edit(id, content: content, as: call.user.name) }
        return .json(ActionResult(notice: VersionView(v, base: base), changed: true))
    }

    func submitNotice(_ call: Call) async throws -> HTTPResponse {
        let (v, changed) = try await environment.workflow.submit(call.parameter("id"), as: call.user.name)
        return .json(ActionResult(notice: VersionView(v, base: base), changed: changed))
    }

    func approveNotice(_ call: Call) async throws -> HTTPResponse {
        let body = try JSONBody.decode(ApproveBody.self, from: call.request, optional: true)
        let approval = try await approve(call.parameter("id"), version: body?.version, as: call.user, overrideGate: body?.overrideGate)
        return .json(ApprovalResult(notice: VersionView(approval.version, base: base), deliveries: approval.deliveries))
            .adding("Gonggao-Approval", approval.changed ? "created" : "existing")
    }

    func rejectNotice(_ call: Call) async throws -> HTTPResponse {
        let body = try JSONBody.require(ReasonBody.self, from: call.request)
        let v = try await environment.workflow.reject(call.parameter("id"), reason: body.reason, as: call.user.name)
        return .json(ActionResult(notice: VersionView(v, base: base), changed: true))
    }

    func withdrawNotice(_ call: Call) async throws -> HTTPResponse {
        let body = try JSONBody.require(ReasonBody.self, from: call.request)
        let (v, changed) = try await withdraw(call.parameter("id"), reason: body.reason, as: call.user)
        return .json(ActionResult(notice: VersionView(v, base: base), changed: changed))
    }

    func correctNotice(_ call: Call) async throws -> HTTPResponse {
        let content = try JSONBody.decode(NoticeContent.self, from: call.request, optional: true)
        let id = call.parameter("id")
        let v = try await Self.projectIsField { try await environment.workflow.correct(id, content: content, as: call.user.name) }
        return .json(VersionView(v, base: base), status: 201)
            .adding("Location", "/api/notices/\(v.id)/versions/\(v.version)")
    }

    func showVersion(_ call: Call) async throws -> HTTPResponse {
        let id = call.parameter("id")
        let number = try call.intParameter("version")
        let v = try await environment.store.read { tx in try tx.noticeVersion(id, version: number) }
        guard let v else {
            let exists = try await environment.store.read { tx in !(try tx.noticeVersions(id)).isEmpty }
            throw exists ? WorkflowError.unknownVersion(notice: id, version: number) : WorkflowError.unknownNotice(id)
        }
        return .json(VersionView(v, base: base))
    }

    /// Approves as `user` and wakes the workers when it changed something (the API's and the console's path).
    func approve(_ id: String, version: Int?, as user: User, overrideGate: String?) async throws -> NoticeWorkflow.Approval {
        let approval = try await environment.workflow.approve(id, version: version, as: user.name, overrideGate: overrideGate)
        // An approval starts clocks that fall due days later: the evaluation loop (and the next posting
        // or payment) picks them up. Evaluating the whole project on every approval made approving
        // cost O(notices in the project).
        if approval.changed { environment.wake() }
        return approval
    }

    /// Withdraws as `user` and wakes the workers for the withdrawal deliveries (the API's and the console's path).
    func withdraw(_ id: String, reason: String, as user: User) async throws -> (version: NoticeVersion, changed: Bool) {
        let result = try await environment.workflow.withdraw(id, reason: reason, as: user.name)
        if result.changed { environment.wake() }
        return result
    }

    /// In a body, an unknown project is a bad field (422), not a missing resource.
    static func projectIsField<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch WorkflowError.unknownProject(let key) {
            throw ValidationError(field: "project", "unknown project '\(key)' (import it first)")
        }
    }
}
