import GonggaoCore
import GonggaoHTTP

extension ServiceApp {
    var posterEndpoints: [Endpoint] {
        PosterFileType.allCases.map { type in
            Endpoint(.get, "/api/notices/{id}/versions/{version:int}/poster.\(type.rawValue)", .posters) { [self] call in
                try await poster(notice: call.parameter("id"), version: try call.intParameter("version"), type: type,
                                 cacheControl: "private, max-age=300")
            }
        }
    }

    /// The poster of a published version (approved, superseded or withdrawn), rendered once per
    /// content and kept in the poster cache.
    func poster(notice id: String, version number: Int, type: PosterFileType, cacheControl: String,
                coveringKey: String? = nil) async throws -> HTTPResponse {
        let found = try await environment.store.read { tx -> (NoticeVersion, Project?)? in
            guard let v = try tx.noticeVersion(id, version: number) else { return nil }
            return (v, try tx.project(v.content.project))
        }
        guard let (version, project) = found, let project else {
            throw coveringKey == nil ? WorkflowError.unknownVersion(notice: id, version: number)
                : HTTPError(status: 404, code: "not-found", message: "no such poster")
        }
        if let key = coveringKey, key != project.key && !version.content.parcels.contains(key) {
            throw HTTPError(status: 404, code: "not-found", message: "no such poster")
        }
        guard PublishedState.isPublished(version.state) else {
            if coveringKey != nil { throw HTTPError(status: 404, code: "not-found", message: "no such poster") }
            throw HTTPError(status: 409, code: "not-published",
                            message: "\(version.reference) is \(version.state.rawValue): only approved, superseded or withdrawn versions have posters")
        }
        let cacheKey = "\(version.reference)/\(version.contentHash)/\(version.state.rawValue)/\(type.rawValue)"
        let bytes: [UInt8]
        if let cached = posterCache.get(cacheKey) {
            bytes = cached
        } else {
            do {
                bytes = try await environment.renderPoster(version, project, type)
            } catch {
                environment.logger.error("poster rendering failed", ["notice.id": id, "notice.version": "\(number)",
                                                                     "error": String(describing: error)])
                throw HTTPError(status: 500, code: "poster-failed", message: "the poster of \(version.reference) could not be rendered")
            }
            posterCache.put(cacheKey, bytes)
        }
        var response = HTTPResponse(status: 200, headers: ["Content-Type": type.contentType], body: bytes)
        response.headers.set("Content-Disposition", "inline; filename=\"\(id)-v\(number).\(type.rawValue)\"")
        response.headers.set("Cache-Control", cacheControl)
        return response
    }
}

/// Which versions the public sees: approved, and the superseded and withdrawn ones that were.
enum PublishedState {
    static func isPublished(_ state: NoticeState) -> Bool {
        state == .approved || state == .superseded || state == .withdrawn
    }
}
