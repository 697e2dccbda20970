import GonggaoCore
import GonggaoHTTP

extension ServiceApp {
    /// Project imports are larger than other bodies (boundary polygons of many parcels).
    static let projectBodyLimit = 8 << 20

    var projectEndpoints: [Endpoint] {
        [
            Endpoint(.post, "/api/projects", .drafters, bodyLimit: Self.projectBodyLimit) { [self] in try await importProject($0) },
            Endpoint(.get, "/api/projects", .officers) { [self] _ in try await listProjects() },
            Endpoint(.get, "/api/projects/{key}", .officers) { [self] in try await showProject($0) },
        ]
    }

    func importProject(_ call: Call) async throws -> HTTPResponse {
        let file = try JSONBody.require(ProjectFile.self, from: call.request)
        let key = file.project.key
        let existed = try await environment.store.read { tx in try tx.project(key) != nil }
        let project = try await environment.workflow.importProject(file.project, as: call.user.name)
        return .json(ProjectDetail(project, base: environment.publicBaseURL), status: existed ? 200 : 201)
            .adding("Location", "/api/projects/\(project.key)")
    }

    func listProjects() async throws -> HTTPResponse {
        let projects = try await environment.store.read { tx in try tx.projects() }
        return .json(ListResult(projects.map { ProjectSummary($0, base: environment.publicBaseURL) }))
    }

    func showProject(_ call: Call) async throws -> HTTPResponse {
        let key = call.parameter("key")
        guard let project = try await environment.store.read({ tx in try tx.project(key) }) else {
            throw WorkflowError.unknownProject(key)
        }
        return .json(ProjectDetail(project, base: environment.publicBaseURL))
    }
}
