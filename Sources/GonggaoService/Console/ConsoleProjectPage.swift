import Foundation
import GonggaoCore
import GonggaoHTTP
import GonggaoStore

extension ServiceApp {
    /// `GET /console/projects/{key}`: parcels with their boundaries, notices as a timeline, the public link.
    func projectPage(_ call: ConsoleCall) async throws -> HTTPResponse {
        let key = call.parameter("key")
        let found = try await environment.store.read { tx -> (Project, [NoticeVersion])? in
            guard let p = try tx.project(key) else { return nil }
            return (p, try tx.notices(NoticeFilter(project: key, limit: .max)))
        }
        guard let (project, notices) = found else { throw WorkflowError.unknownProject(key) }
        let parcels: [PageValue] = project.parcels.map { p in
            [
                "key": .text(p.key), "name": .text(p.displayName), "village": .text(p.village), "owner": .text(p.owner),
                "area": .text(String(format: "%.2f 亩（%.0f 平方米）", p.areaMu, p.areaM2)),
                "map": .html(BoundaryMap.svg([p.boundary], labels: [p.displayName], title: p.displayName)),
                "publicURL": .text(environment.parcelPageURL(p.key)),
            ]
        }
        let timeline: [PageValue] = notices.sorted { $0.createdAt < $1.createdAt }.map { v in
            [
                "id": .text(v.id), "title": .text(v.content.title), "kind": .text(v.content.kind.chineseName),
                "documentNumber": .text(v.content.documentNumber), "state": .text(v.state.rawValue),
                "stateName": .text(Self.stateName(v.state)), "version": .text("\(v.version)"),
                "createdAt": .text(ConsoleTime.format(v.createdAt)),
                "approvedAt": .optional(v.approvedAt.map(ConsoleTime.format)),
            ]
        }
        let values: [String: PageValue] = [
            "project": [
                "key": .text(project.key), "name": .text(project.name), "township": .text(project.township),
                "county": .text(project.county.name), "purpose": .text(project.purpose),
                "area": .text(String(format: "%.2f 亩", project.totalAreaMu)),
                "stage": .text(ProjectStage.name(ProjectStage.of(notices))),
                "publicURL": .text(environment.parcelPageURL(project.key)),
            ],
            "parcels": .list(parcels),
            "timeline": .list(timeline),
            "canDraft": .bool(may(call.user, .post, "/api/notices")),
        ]
        return try consolePage("project", title: project.name, values, call: call)
    }

    static func stateName(_ state: NoticeState) -> String {
        switch state {
        case .draft: "草稿"
        case .submitted: "待审批"
        case .approved: "已发布"
        case .superseded: "已被更正"
        case .withdrawn: "已撤回"
        }
    }
}
