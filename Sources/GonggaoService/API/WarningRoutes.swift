import GonggaoCore
import GonggaoHTTP
import GonggaoStore

/// What `POST /api/warnings/evaluate` answers.
struct EvaluationView: Encodable, Sendable {
    let raised: [StatutoryWarning]
    let escalated: [StatutoryWarning]
    let resolved: [StatutoryWarning]
    let active: Int
}

extension ServiceApp {
    var warningEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/api/warnings", .officers) { [self] in try await listWarnings($0) },
            Endpoint(.post, "/api/warnings/evaluate", .approvers) { [self] in try await evaluateAllWarnings($0) },
            Endpoint(.post, "/api/warnings/{id}/ack", .anyOf([.drafter, .approver])) { [self] in try await acknowledgeWarning($0) },
        ]
    }

    func warningDesk() throws -> WarningDesk {
        guard let desk = environment.warnings else {
            throw HTTPError(status: 503, code: "statutory-unavailable", message: "this service runs without the statutory rules")
        }
        return desk
    }

    func listWarnings(_ call: Call) async throws -> HTTPResponse {
        let filter = WarningFilter(
            states: (try call.query("state", as: WarningStateSelection.self) ?? .active).states, project: call.query("project"),
            kind: try call.query("kind", as: WarningKind.self), limit: try call.limit(default: 200, max: 10_000))
        let warnings = try await environment.store.read { tx in try tx.warnings(filter) }
        return .json(ListResult(warnings))
    }

    func evaluateAllWarnings(_ call: Call) async throws -> HTTPResponse {
        let desk = try warningDesk()
        let project = call.query("project")
        let e: WarningDesk.Evaluation
        do {
            e = try await desk.evaluate(project: project)
        } catch WorkflowError.unknownProject(let key) {
            throw HTTPError(status: 400, code: "bad-parameter", message: "unknown project '\(key)'", field: "project")
        }
        if !(e.raised.isEmpty && e.escalated.isEmpty && e.resolved.isEmpty) { environment.warningsChanged(e) }
        return .json(EvaluationView(raised: e.raised, escalated: e.escalated, resolved: e.resolved, active: e.active))
    }

    func acknowledgeWarning(_ call: Call) async throws -> HTTPResponse {
        let id = call.parameter("id")
        do {
            return .json(try await warningDesk().acknowledge(id, as: call.user.name))
        } catch StoreError.notFound {
            throw HTTPError(status: 404, code: "warning-not-found", message: "no warning '\(id)'")
        }
    }
}
