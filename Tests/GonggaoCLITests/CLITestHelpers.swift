import Foundation
import GonggaoCore
import TestSupport

/// Steps the end-to-end tests share.
enum Flow {
    static let project = GonggaoBinary.sample("anji-meixi-2026-37.project.json")
    static let preAnnouncement = GonggaoBinary.sample("anji-meixi-2026-37.pre-announcement.json")
    static let compensationPlan = GonggaoBinary.sample("anji-meixi-2026-37.compensation-plan.json")

    /// A sandbox with a store and the sample project imported.
    static func withProject() async throws -> CLISandbox {
        let sandbox = try CLISandbox()
        _ = try await sandbox.ok(["init"])
        _ = try await sandbox.ok(["project", "import", project, "--as", "zhang.wei"])
        return sandbox
    }

    /// Drafts the pre-announcement as `drafter` and returns the notice id.
    static func draft(_ sandbox: CLISandbox, as drafter: String = "zhang.wei", file: String = preAnnouncement) async throws -> String {
        try await sandbox.ok(["notice", "draft", file, "--as", drafter])
    }

    /// Drafts and submits the pre-announcement; returns the notice id.
    static func submitted(_ sandbox: CLISandbox, as drafter: String = "zhang.wei") async throws -> String {
        let id = try await draft(sandbox, as: drafter)
        _ = try await sandbox.ok(["notice", "submit", id, "--as", drafter])
        return id
    }

    /// The sample pre-announcement as a JSON object, to change for bad-input cases.
    static func noticeObject() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: preAnnouncement))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// The sample project file as a JSON object.
    static func projectObject() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: project))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}
