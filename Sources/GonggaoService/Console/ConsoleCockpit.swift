import Foundation
import GonggaoCore
import GonggaoHTTP
import GonggaoStore

/// The stage a project has reached: the furthest kind among its published notices.
enum ProjectStage {
    static func of(_ latest: [NoticeVersion]) -> NoticeKind? {
        let order = NoticeKind.allCases
        return latest.filter { $0.state == .approved || $0.state == .superseded }
            .map(\.content.kind)
            .max { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! }
    }

    static func name(_ kind: NoticeKind?) -> String { kind?.chineseName ?? "尚未发布公告" }
}

extension ServiceApp {
    /// `GET /console`: the cockpit (驾驶舱).
    func cockpit(_ call: ConsoleCall) async throws -> HTTPResponse {
        let (projects, awaiting, warnings) = try await environment.store.read { tx in
            let projects = try tx.projects().map { p in (p, try tx.notices(NoticeFilter(project: p.key, limit: .max))) }
            return (
                projects, try tx.notices(NoticeFilter(state: .submitted, limit: 200)),
                try tx.warnings(WarningFilter(states: [.open, .acknowledged], limit: 100))
            )
        }
        let channels = try await channelViews()
        let stages: [NoticeKind?] = [nil] + NoticeKind.allCases
        let byStage: [PageValue] = stages.compactMap { stage in
            let members = projects.filter { ProjectStage.of($0.1) == stage }
            guard !members.isEmpty else { return nil }
            return [
                "stage": .text(ProjectStage.name(stage)),
                "projects": .list(
                    members.map { p, notices in
                        [
                            "key": .text(p.key), "name": .text(p.name), "stageKey": .text(stage?.rawValue ?? "none"),
                            "notices": .text("\(notices.count)"), "parcels": .text("\(p.parcels.count)"),
                        ]
                    }),
            ]
        }
        let states = DeliveryState.allCases
        let dead = channels.reduce(0) { $0 + ($1.deliveries[DeliveryState.dead.rawValue] ?? 0) }
        let values: [String: PageValue] = [
            "stages": .list(byStage),
            "noProjects": .bool(projects.isEmpty),
            "awaiting": .list(
                awaiting.map { v in
                    [
                        "id": .text(v.id), "version": .text("\(v.version)"), "title": .text(v.content.title),
                        "kind": .text(v.content.kind.chineseName), "project": .text(v.content.project),
                        "drafter": .text(v.drafter), "submittedAt": .text(ConsoleTime.format(v.submittedAt)),
                    ]
                }),
            "stateNames": .list(states.map { .text($0.rawValue) }),
            "channels": .list(
                channels.map { c in
                    [
                        "name": .text(c.channel),
                        "counts": .list(
                            states.map { s in
                                ["state": .text(s.rawValue), "count": .text("\(c.deliveries[s.rawValue] ?? 0)")]
                            }),
                        "circuit": .text(c.circuit ?? "unknown"), "circuitName": .text(Self.circuitName(c.circuit)),
                        "paused": .bool(c.paused),
                        "lastSuccess": .text(ConsoleTime.format(c.lastSuccess)),
                        "oldestWaiting": .text(ConsoleTime.format(c.oldestWaiting)),
                    ]
                }),
            "deadCount": .text("\(dead)"),
            "warnings": .list(
                warnings.map { w in
                    [
                        "id": .text(w.id), "severity": .text(w.severity.rawValue), "message": .text(w.message),
                        "project": .text(w.project), "notice": .optional(w.notice), "due": .text(w.due.description),
                        "state": .text(w.state.rawValue),
                    ]
                }),
        ]
        return try consolePage("cockpit", title: "驾驶舱", values, call: call)
    }

    static func circuitName(_ circuit: String?) -> String {
        switch circuit {
        case "closed": "正常"
        case "open": "熔断中"
        case "half-open": "试探恢复"
        default: "未知（本进程无投递进程）"
        }
    }
}
