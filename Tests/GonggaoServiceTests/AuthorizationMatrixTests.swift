import Foundation
import GonggaoCore
import HTTPTestSupport
import Testing
import TestSupport

/// Every route × every role, against a table written here by hand (not read from the routes).
@Suite(.serialized) struct AuthorizationMatrixTests {
    static let officers: Set<String> = ["drafter", "approver", "admin", "viewer"]
    static let everyone: Set<String> = ["drafter", "approver", "admin", "printer", "poster", "viewer"]
    static let drafters: Set<String> = ["drafter", "admin"]
    static let approvers: Set<String> = ["approver", "admin"]
    static let admins: Set<String> = ["admin"]
    static let posting: Set<String> = ["poster", "printer", "admin"]
    static let payers: Set<String> = ["drafter", "approver", "admin"]

    /// (method, path with {placeholders}, roles allowed; nil = public).
    static let matrix: [(String, String, Set<String>?)] = [
        ("POST", "/api/projects", drafters),
        ("GET", "/api/projects", officers),
        ("GET", "/api/projects/{key}", officers),
        ("POST", "/api/notices", drafters),
        ("GET", "/api/notices", officers),
        ("GET", "/api/notices/{id}", officers),
        ("PUT", "/api/notices/{id}", drafters),
        ("POST", "/api/notices/{id}/submit", drafters),
        ("POST", "/api/notices/{id}/approve", approvers),
        ("POST", "/api/notices/{id}/reject", approvers),
        ("POST", "/api/notices/{id}/withdraw", approvers),
        ("POST", "/api/notices/{id}/correct", drafters),
        ("GET", "/api/notices/{id}/versions/{version}", officers),
        ("POST", "/api/notices/{id}/postings", posting),
        ("POST", "/api/notices/{id}/postings/photo", posting),
        ("GET", "/api/notices/{id}/postings", everyone),
        ("POST", "/api/payments", payers),
        ("GET", "/api/warnings", officers),
        ("POST", "/api/warnings/evaluate", approvers),
        ("POST", "/api/warnings/{warning}/ack", payers),
        ("GET", "/api/notices/{id}/versions/{version}/poster.pdf", everyone),
        ("GET", "/api/notices/{id}/versions/{version}/poster.png", everyone),
        ("GET", "/api/deliveries", officers),
        ("POST", "/api/deliveries/replay", approvers),
        ("GET", "/api/deliveries/{delivery}", officers),
        ("POST", "/api/deliveries/{delivery}/retry", approvers),
        ("GET", "/api/channels", officers),
        ("POST", "/api/channels/{channel}/pause", approvers),
        ("POST", "/api/channels/{channel}/resume", approvers),
        ("GET", "/api/me", everyone),
        ("GET", "/api/tokens", admins),
        ("POST", "/api/tokens", admins),
        ("DELETE", "/api/tokens/{token}", admins),
        ("GET", "/healthz", nil),
        ("GET", "/readyz", nil),
        ("GET", "/metrics", nil),
        ("GET", "/openapi.json", nil),
        ("GET", "/p/{key}", nil),
        ("GET", "/p/{key}/notices/{id}/versions/{version}/poster.pdf", nil),
    ]

    @Test func everyRouteAndEveryRole() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            let id = try await h.publish(Fixtures.preAnnouncement())
            let delivery = try await h.store.read { tx in try tx.deliveries(.init(noticeID: id)).first!.id }
            let values = ["{key}": Fixtures.projectKey, "{id}": id, "{version}": "1", "{delivery}": delivery,
                          "{channel}": "print", "{token}": "tok_unknown", "{warning}": "wrn_unknown"]

            // The table covers every route of the service, and nothing else (the officer console's
            // routes take their rules from these and are checked in ConsoleActionTests).
            let routes = Set(h.app.router().routes.map { "\($0.method) \($0.pattern.description.replacingOccurrences(of: ":int", with: ""))" }
                .filter { !$0.contains(" /console") })
            let table = Set(Self.matrix.map { m -> String in
                "\(m.0) \(m.1.replacingOccurrences(of: "{delivery}", with: "{id}").replacingOccurrences(of: "{channel}", with: "{name}").replacingOccurrences(of: "{token}", with: "{id}").replacingOccurrences(of: "{warning}", with: "{id}"))"
            })
            #expect(routes == table)

            var failures: [String] = []
            for (method, template, allowed) in Self.matrix {
                var path = template
                for (k, v) in values { path = path.replacingOccurrences(of: k, with: v) }
                let json: Any? = ["POST", "PUT"].contains(method) ? [String: Any]() : nil

                let anonymous = try await h.call(method, path, json: json)
                if allowed == nil {
                    if anonymous.status == 401 || anonymous.status == 403 { failures.append("anonymous \(method) \(template): \(anonymous.status)") }
                    continue
                }
                if anonymous.status != 401 { failures.append("anonymous \(method) \(template): \(anonymous.status), expected 401") }
                if anonymous.header("WWW-Authenticate") == nil { failures.append("\(method) \(template): 401 without WWW-Authenticate") }

                for (role, user) in ServiceUsers.byRole {
                    let r = try await h.call(method, path, as: user, json: json)
                    let code = r.json?["error"] as? String
                    if allowed!.contains(role) {
                        if r.status == 401 || code == "forbidden" {
                            failures.append("\(role) \(method) \(template): \(r.status) \(code ?? ""), expected allowed")
                        }
                    } else if r.status != 403 || code != "forbidden" {
                        failures.append("\(role) \(method) \(template): \(r.status) \(code ?? ""), expected 403 forbidden")
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        }
    }

    @Test func printersFetchPostersAndNothingElse() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            let id = try await h.publish(Fixtures.preAnnouncement())
            let pdf = try await h.call("GET", "/api/notices/\(id)/versions/1/poster.pdf", as: "pete")
            #expect(pdf.status == 200)
            #expect(pdf.header("Content-Type") == "application/pdf")
            #expect(pdf.text.hasPrefix("%PDF"))
            let png = try await h.call("GET", "/api/notices/\(id)/versions/1/poster.png", as: "polly")
            #expect(png.status == 200)
            #expect(png.header("Content-Type") == "image/png")
            #expect(try await h.call("GET", "/api/notices/\(id)", as: "pete").status == 403)
            #expect(try await h.call("GET", "/api/notices", as: "polly").status == 403)
            // Rendered once, then served from the cache.
            _ = try await h.call("GET", "/api/notices/\(id)/versions/1/poster.pdf", as: "bob")
            #expect(h.renders == 2)
        }
    }

    @Test func postersOfUnpublishedVersionsAreRefused() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            let id = try await h.draft(Fixtures.preAnnouncement())
            let r = try await h.call("GET", "/api/notices/\(id)/versions/1/poster.pdf", as: "pete")
            #expect(r.status == 409)
            #expect(r.json?["error"] as? String == "not-published")
            #expect(try await h.call("GET", "/api/notices/nope/versions/1/poster.pdf", as: "pete").status == 404)
        }
    }
}
