import Foundation
import GonggaoHTTP
@testable import GonggaoService
import Testing

/// The hand-written OpenAPI document and the router agree, both ways, and the roles it states are
/// the ones the routes enforce.
@Suite(.serialized) struct OpenAPIConformanceTests {
    /// `/api/notices/{id}/versions/{version:int}` → `/api/notices/{id}/versions/{version}`.
    static func openAPIPath(_ pattern: RoutePattern) -> String {
        "/" + pattern.segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .parameter(let name, _): "{\(name)}"
            }
        }.joined(separator: "/")
    }

    @Test func documentAndRouterAgreeBothWays() async throws {
        try await ServiceHarness.with { h in
            let r = try await h.call("GET", "/openapi.json")
            #expect(r.status == 200)
            let doc = try #require(r.json)
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            // The officer console's routes are HTML pages for browsers, not part of the API document.
            let routed = Set(h.app.router().routes.map { "\($0.method) \(Self.openAPIPath($0.pattern))" }
                .filter { !$0.contains(" /console") })
            #expect(h.app.router().routes.contains { Self.openAPIPath($0.pattern).hasPrefix("/console") }, "the console is routed")
            #expect(routed.subtracting(documented).isEmpty, "routes missing from the document: \(routed.subtracting(documented).sorted())")
            #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")

            // Path parameters declared match the template; every $ref resolves.
            let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let responses = try #require((doc["components"] as? [String: Any])?["responses"] as? [String: Any])
            for (path, operations) in paths {
                for (method, raw) in operations {
                    let op = try #require(raw as? [String: Any])
                    let declared = Set(((op["parameters"] as? [[String: Any]]) ?? []).filter { $0["in"] as? String == "path" }
                        .compactMap { $0["name"] as? String })
                    #expect(declared == Set(OpenAPIOperation.pathParameters(path)), "\(method) \(path)")
                    #expect(op["responses"] != nil && op["operationId"] != nil, "\(method) \(path)")
                }
            }
            for ref in Self.refs(in: doc) {
                if ref.hasPrefix("#/components/schemas/") {
                    #expect(schemas[String(ref.dropFirst("#/components/schemas/".count))] != nil, "dangling \(ref)")
                } else {
                    #expect(responses[String(ref.dropFirst("#/components/responses/".count))] != nil, "dangling \(ref)")
                }
            }
        }
    }

    @Test func documentedRolesAreTheEnforcedOnes() async throws {
        try await ServiceHarness.with { h in
            let byRoute = Dictionary(uniqueKeysWithValues: h.app.endpoints.map {
                ("\($0.method) \(Self.openAPIPath(RoutePattern($0.pattern)))", $0.access)
            })
            for op in OpenAPIDocument.operations {
                let key = "\(op.method.uppercased()) \(op.path)"
                let access = try #require(byRoute[key], "\(key) is not routed")
                if let roles = op.roles {
                    #expect(access != .everyone, "\(key) is public but documented with roles")
                    #expect(Set(roles) == Set(access.roleNames), "\(key): documented \(roles.sorted()), enforced \(access.roleNames.sorted())")
                } else {
                    #expect(access == .everyone, "\(key) needs a token but is documented as public")
                }
            }
            let ids = OpenAPIDocument.operations.map(\.id)
            #expect(Set(ids).count == ids.count, "operationIds must be unique")
        }
    }

    /// Found by schemathesis (`make soak`): a version number past Int64 matches the route but is a
    /// bad parameter — a 400 the document must list, on every operation with a version.
    @Test func aVersionPastInt64IsADocumentedBadRequest() async throws {
        try await ServiceHarness.with { h in
            let doc = try #require(try await h.call("GET", "/openapi.json").json)
            let paths = try #require(doc["paths"] as? [String: [String: [String: Any]]])
            let big = "37051903797939953664"
            for (path, user) in [("/api/notices/ntc_x/versions/\(big)", "bob"),
                                 ("/api/notices/ntc_x/versions/\(big)/poster.pdf", "bob"),
                                 ("/p/330523-2026-37/notices/ntc_x/versions/\(big)/poster.pdf", nil)] {
                let r = try await h.call("GET", path, as: user)
                #expect(r.status == 400, "\(path): \(r.status) \(r.text)")
                let template = path.replacingOccurrences(of: "ntc_x", with: "{id}").replacingOccurrences(of: big, with: "{version}")
                    .replacingOccurrences(of: "330523-2026-37", with: "{key}")
                let responses = try #require(paths[template]?["get"]?["responses"] as? [String: Any], "\(template)")
                #expect(responses["400"] != nil, "\(template) does not document 400")
            }
        }
    }

    static func refs(in value: Any) -> [String] {
        if let dict = value as? [String: Any] {
            return (dict["$ref"] as? String).map { [$0] } ?? dict.values.flatMap { refs(in: $0) }
        }
        if let array = value as? [Any] { return array.flatMap { refs(in: $0) } }
        return []
    }
}
