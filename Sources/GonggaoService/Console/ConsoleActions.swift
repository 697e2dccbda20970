import Foundation
import GonggaoCore
import GonggaoHTTP

/// The console's notice and delivery actions. Each calls the function the API route calls, as the
/// signed-in user, so the workflow's rules and audit entries are the API's.
extension ServiceApp {
    /// `POST /console/notices/{id}/submit`.
    func consoleSubmit(_ call: ConsoleCall) async throws -> HTTPResponse {
        let id = call.parameter("id")
        _ = try await environment.workflow.submit(id, as: call.signedIn.name)
        return Self.backToNotice(id, "submitted")
    }

    /// `POST /console/notices/{id}/approve`: only with `confirm=yes` (the confirmation step).
    func consoleApprove(_ call: ConsoleCall) async throws -> HTTPResponse {
        guard call.form.ticked("confirm") else {
            return try await renderNoticePage(
                call, status: 422, errors: ["approve-confirm": "请勾选“我已核对公告内容，确认批准发布”后再批准。"])
        }
        let id = call.parameter("id")
        let version = call.form["version"].flatMap { Int($0) }
        let approval = try await approve(
            id, version: version, as: call.signedIn, overrideGate: call.form.text("overrideGate").nilIfEmpty)
        return Self.backToNotice(id, approval.changed ? "approved" : "already-approved")
    }

    /// `POST /console/notices/{id}/reject`.
    func consoleReject(_ call: ConsoleCall) async throws -> HTTPResponse {
        let id = call.parameter("id")
        do {
            _ = try await environment.workflow.reject(id, reason: call.form.text("reason"), as: call.signedIn.name)
        } catch WorkflowError.reasonRequired {
            return try await renderNoticePage(call, status: 422, errors: ["reject-reason": "请填写退回理由。"])
        }
        return Self.backToNotice(id, "rejected")
    }

    /// `POST /console/notices/{id}/withdraw`: only with `confirm=yes` and a reason.
    func consoleWithdraw(_ call: ConsoleCall) async throws -> HTTPResponse {
        var errors: [String: String] = [:]
        if !call.form.ticked("confirm") { errors["withdraw-confirm"] = "请勾选“确认撤回”后再撤回。" }
        if call.form.text("reason").isEmpty { errors["withdraw-reason"] = "请填写撤回理由。" }
        guard errors.isEmpty else { return try await renderNoticePage(call, status: 422, errors: errors) }
        let id = call.parameter("id")
        _ = try await withdraw(id, reason: call.form.text("reason"), as: call.signedIn)
        return Self.backToNotice(id, "withdrawn")
    }

    /// `POST /console/notices/{id}/correct`: version n+1 as a copy of n, then its edit form.
    func consoleCorrect(_ call: ConsoleCall) async throws -> HTTPResponse {
        let id = call.parameter("id")
        _ = try await environment.workflow.correct(id, content: nil, as: call.signedIn.name)
        return ConsoleResponse.redirect("/console/notices/\(id)/edit?done=corrected")
    }

    /// `POST /console/deliveries/{id}/retry`.
    func consoleRetry(_ call: ConsoleCall) async throws -> HTTPResponse {
        let d = try await retry(call.parameter("id"), as: call.signedIn)
        let back = ConsoleResponse.localPath(call.form["return"], fallback: "/console/notices/\(d.noticeID)")
        return ConsoleResponse.redirect(Self.adding(done: "retried", to: back))
    }

    /// `POST /console/dead-letters/replay`: the dead letters the page showed (a channel, or every
    /// channel, since a date), through the API's bulk replay.
    func consoleReplay(_ call: ConsoleCall) async throws -> HTTPResponse {
        let filter = try DeadLetterFilter(
            channel: call.form.text("channel"), since: call.form.text("since"),
            channels: environment.desk.channels)
        var count = 0
        for channel in filter.channel.map({ [$0] }) ?? environment.desk.channels {
            count += try await replay(
                channel: channel, since: filter.sinceInstant, includeAll: false, as: call.signedIn
            ).count
        }
        environment.logger.info("console replay", ["console.user": call.signedIn.name, "delivery.count": "\(count)"])
        return ConsoleResponse.redirect(Self.adding(done: "replayed", to: "/console/dead-letters" + filter.query))
    }

    static func backToNotice(_ id: String, _ done: String) -> HTTPResponse {
        ConsoleResponse.redirect("/console/notices/\(id)?done=\(done)")
    }

    static func adding(done: String, to path: String) -> String {
        path + (path.contains("?") ? "&" : "?") + "done=\(done)"
    }
}

extension ServiceApp {
    /// `GET /console/notices/{id}/versions/{n}/poster.png|pdf`: the API's poster, authorised by the session.
    func consolePoster(_ call: ConsoleCall, _ type: PosterFileType) async throws -> HTTPResponse {
        let number = try call.request.parameters.require("version", as: Int.self)
        return try await poster(
            notice: call.parameter("id"), version: number, type: type, cacheControl: "private, max-age=300")
    }
}

extension String {
    /// nil for "", else the string (an optional form field left blank).
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
