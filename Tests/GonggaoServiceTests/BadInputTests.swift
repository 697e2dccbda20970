import Foundation
import GonggaoCore
import HTTPTestSupport
import Testing
import TestSupport

@Suite(.serialized) struct BadInputTests {
    @Test func malformedJSONIs400NamingLineAndColumn() async throws {
        try await ServiceHarness.with { h in
            let body = Array("{\n  \"title\": \"x\",\n  \"kind\": pre\n}".utf8)
            let r = try await h.call("POST", "/api/notices", as: "alice", body: body, contentType: "application/json")
            #expect(r.status == 400)
            #expect(r.json?["error"] as? String == "malformed-json")
            let message = r.json?["message"] as? String ?? ""
            #expect(message.contains("line 3"), "\(message)")
            #expect(message.contains("column"), "\(message)")
        }
    }

    @Test func missingOrWrongFieldsAre422NamingTheField() async throws {
        try await ServiceHarness.with { h in
            try await h.importProject()
            var object = try ProjectJSON.object(Fixtures.preAnnouncement()) as! [String: Any]
            object.removeValue(forKey: "title")
            let missing = try await h.call("POST", "/api/notices", as: "alice", json: object)
            #expect(missing.status == 422)
            #expect(missing.json?["field"] as? String == "title")

            object["title"] = "标题"
            object["dateWritten"] = "2026-13-01"
            let badDate = try await h.call("POST", "/api/notices", as: "alice", json: object)
            #expect(badDate.status == 422)
            #expect(badDate.json?["field"] as? String == "dateWritten")

            object["dateWritten"] = "2026-12-01"
            object["parcels"] = ["330523-2026-37-9"]
            let badParcel = try await h.call("POST", "/api/notices", as: "alice", json: object)
            #expect(badParcel.status == 422)
            #expect(badParcel.json?["field"] as? String == "parcels[0]")

            object["parcels"] = [Fixtures.parcel1]
            object["project"] = "330523-2099-1"
            let badProject = try await h.call("POST", "/api/notices", as: "alice", json: object)
            #expect(badProject.status == 422)
            #expect(badProject.json?["field"] as? String == "project")
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await ServiceHarness.with { h in
            let body = Array(try JSONSerialization.data(withJSONObject: ["reason": "x"]))
            let r = try await h.call("POST", "/api/notices", as: "alice", body: body, contentType: "text/plain")
            #expect(r.status == 415)
            #expect(r.json?["error"] as? String == "unsupported-media-type")
            let form = try await h.call("POST", "/api/projects", as: "alice", body: body, contentType: "application/x-www-form-urlencoded")
            #expect(form.status == 415)
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        try await ServiceHarness.with { h in
            let big = Array(repeating: UInt8(ascii: " "), count: (1 << 20) + 10)
            let r = try await h.call("POST", "/api/notices", as: "alice", body: big, contentType: "application/json")
            #expect(r.status == 413)
            #expect(r.json?["error"] as? String == "body-too-large")
            // Project imports may be larger (8 MiB): the same body is read and refused as malformed JSON instead.
            let p = try await h.call("POST", "/api/projects", as: "alice", body: big, contentType: "application/json")
            #expect(p.status == 400)
        }
    }

    @Test func unknownRouteIs404JSONAndWrongMethod405() async throws {
        try await ServiceHarness.with { h in
            let unknown = try await h.call("GET", "/api/nothing-here", as: "vera")
            #expect(unknown.status == 404)
            #expect(unknown.header("Content-Type") == "application/json")
            #expect(unknown.json?["error"] as? String == "not-found")
            let wrong = try await h.call("DELETE", "/api/notices", as: "alice")
            #expect(wrong.status == 405)
            #expect(wrong.json?["error"] as? String == "method-not-allowed")
            #expect(wrong.header("Allow")?.contains("POST") == true)
            #expect(wrong.header("Allow")?.contains("GET") == true)
            let unknownNotice = try await h.call("GET", "/api/notices/ntc_nope", as: "vera")
            #expect(unknownNotice.status == 404)
            #expect(unknownNotice.json?["error"] as? String == "notice-not-found")
            let badFilter = try await h.call("GET", "/api/notices?state=bogus", as: "vera")
            #expect(badFilter.status == 400)
            #expect(badFilter.json?["field"] as? String == "state")
            let badLimit = try await h.call("GET", "/api/deliveries?limit=0", as: "vera")
            #expect(badLimit.status == 400)
            let badVersion = try await h.call("GET", "/api/notices/x/versions/abc", as: "vera")
            #expect(badVersion.status == 404)
        }
    }

    @Test func emptyBodyWhereOneIsRequiredIs400() async throws {
        try await ServiceHarness.with { h in
            let r = try await h.call("POST", "/api/notices/x/reject", as: "bob")
            #expect(r.status == 400)
            #expect(r.json?["error"] as? String == "body-required")
        }
    }
}
