import Foundation
import GonggaoCore
import GonggaoHTTP
import GonggaoStore

/// `{"place": "village:红庙村", "board": "村委会公告栏", "postedOn": "2026-09-25", "version": 1}`.
struct PostingBody: Decodable, Sendable {
    let place: String
    let board: String
    let postedOn: CivilDate?
    let version: Int?
}

/// Who confirms postings: posters and printers (and admins).
extension Access {
    static let posting = Access.anyOf([.poster, .printer])
}

extension ServiceApp {
    var postingEndpoints: [Endpoint] {
        [
            Endpoint(.post, "/api/notices/{id}/postings", .posting) { [self] in try await confirmPosting($0) },
            Endpoint(.post, "/api/notices/{id}/postings/photo", .posting, bodyLimit: PostingPhoto.maxBytes) { [self] in
                try await confirmPostingWithPhoto($0)
            },
            Endpoint(.get, "/api/notices/{id}/postings", .posters) { [self] in try await listPostings($0) },
        ]
    }

    func confirmPosting(_ call: Call) async throws -> HTTPResponse {
        let body = try JSONBody.require(PostingBody.self, from: call.request)
        if let v = body.version, v < 1 { throw ValidationError(field: "version", "must be a positive integer") }
        return try await posted(call, place: body.place, board: body.board, postedOn: body.postedOn, version: body.version,
                                photo: nil)
    }

    /// The same with the photo as the body (`Content-Type: image/jpeg`, at most 10 MiB) and the
    /// fields as query parameters (`place`, `board`, `postedOn`, `version`).
    func confirmPostingWithPhoto(_ call: Call) async throws -> HTTPResponse {
        guard call.request.mediaType == "image/jpeg" else {
            throw HTTPError(status: 415, code: "unsupported-media-type",
                            message: "the body must be the photo as image/jpeg, not \(call.request.mediaType ?? "untyped")")
        }
        if call.request.body.isEmpty { throw HTTPError(status: 400, code: "body-required", message: "this route needs the JPEG photo as its body") }
        guard let place = call.query("place") else { throw ValidationError(field: "place", "is required (query parameter)") }
        guard let board = call.query("board") else { throw ValidationError(field: "board", "is required (query parameter)") }
        var postedOn: CivilDate?
        if let text = call.query("postedOn") {
            guard let d = CivilDate(iso: text) else {
                throw HTTPError(status: 400, code: "bad-parameter", message: "postedOn must be a date YYYY-MM-DD", field: "postedOn")
            }
            postedOn = d
        }
        var version: Int?
        if let text = call.query("version") {
            guard let v = Int(text), v >= 1 else {
                throw HTTPError(status: 400, code: "bad-parameter", message: "version must be a positive integer", field: "version")
            }
            version = v
        }
        return try await posted(call, place: place, board: board, postedOn: postedOn, version: version, photo: call.request.body)
    }

    private func posted(_ call: Call, place: String, board: String, postedOn: CivilDate?, version: Int?, photo: [UInt8]?)
        async throws -> HTTPResponse
    {
        let id = call.parameter("id")
        let confirmation = try await environment.workflow.confirmPosting(
            id, version: version, place: place, board: board, postedOn: postedOn, photo: photo, as: call.user.name)
        let project = try await environment.store.read { tx in try tx.noticeVersion(id, version: confirmation.version)?.content.project }
        await evaluateWarnings(project: project)
        return .json(confirmation, status: 201).adding("Location", "/api/notices/\(id)/postings")
    }

    func listPostings(_ call: Call) async throws -> HTTPResponse {
        let id = call.parameter("id")
        var version: Int?
        if let text = call.query("version") {
            guard let v = Int(text), v >= 1 else {
                throw HTTPError(status: 400, code: "bad-parameter", message: "version must be a positive integer", field: "version")
            }
            version = v
        }
        let clock = try statutoryClock()
        let chosen = version
        let report = try await environment.store.read { tx in try PostingReport.load(id, version: chosen, clock: clock, tx) }
        return .json(report)
    }

    func statutoryClock() throws -> StatutoryClock {
        guard let clock = environment.statutory else {
            throw HTTPError(status: 503, code: "statutory-unavailable", message: "this service runs without the statutory rules")
        }
        return clock
    }

    /// Re-evaluates one project's warnings after an event; a failure is logged, never the caller's.
    func evaluateWarnings(project: String?) async {
        guard let desk = environment.warnings, let project else { return }
        do {
            let evaluation = try await desk.evaluate(project: project)
            if !(evaluation.raised.isEmpty && evaluation.escalated.isEmpty && evaluation.resolved.isEmpty) {
                environment.warningsChanged(evaluation)
            }
        } catch {
            environment.logger.error("warning evaluation failed", ["project.key": project, "error": String(describing: error)])
        }
    }
}
