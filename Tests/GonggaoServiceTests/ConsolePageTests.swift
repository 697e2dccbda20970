import Foundation
import GonggaoCore
import GonggaoStore
import HTTPTestSupport
import TestSupport
import Testing

@testable import GonggaoService

/// The console's pages end to end: draft → submit → approve in the browser's way, the notice page's
/// deliveries and poster, the project page, dead letters, the cockpit and the metrics.
@Suite(.serialized) struct ConsolePageTests {
    @Test func draftSubmitApproveThroughTheConsole() async throws {
        try await ServiceHarness.withConsole { h in
            try await h.importProject()
            let alice = try await h.console(as: "alice")
            let project = try await alice.get("/console/projects/\(Fixtures.projectKey)")
            #expect(project.status == 200)
            #expect(HTMLProbe.has(id: "new-notice", in: project.text))
            #expect(
                HTMLProbe.tag(id: "public-link", in: project.text)?.contains(
                    "href=\"\(ServiceHarness.base)/p/\(Fixtures.projectKey)\"") == true)
            #expect(HTMLProbe.tag(id: "parcel-\(Fixtures.parcel1)", in: project.text) != nil)
            #expect(project.text.contains("<svg class=\"map\""))

            _ = try await alice.get("/console/projects/\(Fixtures.projectKey)/notices/new")
            let created = try await alice.post(
                "/console/projects/\(Fixtures.projectKey)/notices",
                [
                    ("kind", "pre-announcement"), ("title", "安吉县人民政府征收土地预公告"), ("issuer", "安吉县人民政府"),
                    ("documentNumber", "安政征预〔2026〕37号"), ("dateWritten", "2026-12-01"),
                    ("parcels", Fixtures.parcel1), ("parcels", Fixtures.parcel2), ("body", "第一段。\r\n\r\n第二段。"),
                ])
            #expect(created.status == 303)
            let location = try #require(created.header("Location"))
            let id = String(location.dropFirst("/console/notices/".count).prefix { $0 != "?" })
            let stored = try #require(try await h.store.read { tx in try tx.noticeVersions(id).last })
            #expect(stored.content.body == ["第一段。", "第二段。"])
            #expect(stored.content.parcels == [Fixtures.parcel1, Fixtures.parcel2])
            #expect(stored.drafter == "alice")

            let draftPage = try await alice.get(location)
            #expect(HTMLProbe.has(id: "action-submit", in: draftPage.text))
            #expect(HTMLProbe.has(id: "action-edit", in: draftPage.text))
            #expect(try await alice.post("/console/notices/\(id)/submit").status == 303)

            let bob = try await h.console(as: "bob")
            let cockpit = try await bob.get("/console")
            #expect(HTMLProbe.has(id: "awaiting-\(id)", in: cockpit.text))
            let page = try await bob.get("/console/notices/\(id)")
            #expect(HTMLProbe.text(id: "notice-state", in: page.text) == "submitted")
            #expect(!HTMLProbe.has(id: "poster-png", in: page.text), "no poster before approval")
            let approved = try await bob.post("/console/notices/\(id)/approve", [("version", "1"), ("confirm", "yes")])
            #expect(approved.status == 303)
            let after = try await bob.get("/console/notices/\(id)")
            #expect(HTMLProbe.text(id: "notice-state", in: after.text) == "approved")
            for channel in Fixtures.channels {
                #expect(HTMLProbe.text(id: "delivery-\(channel)-state", in: after.text) == "pending", "\(channel)")
                #expect(HTMLProbe.has(id: "delivery-\(channel)-attempts", in: after.text))
            }
            #expect(HTMLProbe.has(id: "action-withdraw", in: after.text))
            #expect(HTMLProbe.tag(id: "version-1", in: after.text)?.contains("data-state=\"approved\"") == true)

            // The poster preview and PDF, authorised by the session (no bearer token).
            let png = try #require(HTMLProbe.tag(id: "poster-png", in: after.text))
            #expect(png.contains("src=\"/console/notices/\(id)/versions/1/poster.png\""))
            let image = try await bob.get("/console/notices/\(id)/versions/1/poster.png")
            #expect(image.status == 200)
            #expect(image.header("Content-Type") == "image/png")
            let pdf = try await bob.get("/console/notices/\(id)/versions/1/poster.pdf")
            #expect(pdf.status == 200 && pdf.text.hasPrefix("%PDF"))
            let anonymous = try await ConsoleClient(port: h.port).get("/console/notices/\(id)/versions/1/poster.png")
            #expect(anonymous.status == 303, "no session, no poster")
            let printer = try await h.console(as: "pete")
            #expect(
                try await printer.get("/console/notices/\(id)/versions/1/poster.png").status == 200,
                "printers may fetch posters, as through the API")
            let refused = try await printer.get("/console/notices/\(id)")
            #expect(refused.status == 403, "printers may not read notices, as through the API")
            #expect(try await printer.post("/console/notices/\(id)/approve", [("confirm", "yes")]).status == 403)

            let timeline = try await bob.get("/console/projects/\(Fixtures.projectKey)")
            #expect(HTMLProbe.has(id: "timeline-\(id)", in: timeline.text))
            #expect(HTMLProbe.text(id: "project-stage", in: timeline.text) == NoticeKind.preAnnouncement.chineseName)
        }
    }

    @Test func deadLettersCanBeFilteredRetriedAndReplayed() async throws {
        try await ServiceHarness.withConsole { h in
            try await h.importProject()
            let id = try await h.publish(Fixtures.preAnnouncement())
            let provincial = try await ConsoleScene.kill(channel: "provincial-portal", of: id, h)
            let county = try await ConsoleScene.kill(channel: "county-column", of: id, h)
            let bob = try await h.console(as: "bob")

            let cockpit = try await bob.get("/console")
            #expect(HTMLProbe.text(id: "dead-letter-count", in: cockpit.text) == "2")
            #expect(HTMLProbe.text(id: "count-provincial-portal-dead", in: cockpit.text) == "1")
            #expect(
                HTMLProbe.tag(id: "health-county-column", in: cockpit.text)?.contains("data-circuit=\"open\"") == true)

            let all = try await bob.get("/console/dead-letters")
            #expect(
                HTMLProbe.has(id: "dead-\(provincial)", in: all.text)
                    && HTMLProbe.has(id: "dead-\(county)", in: all.text))
            let one = try await bob.get("/console/dead-letters?channel=county-column&since=2026-01-01")
            #expect(
                HTMLProbe.has(id: "dead-\(county)", in: one.text)
                    && !HTMLProbe.has(id: "dead-\(provincial)", in: one.text))
            let later = CivilDate(h.clock.now()).adding(days: 1).description
            let none = try await bob.get("/console/dead-letters?since=\(later)")
            #expect(HTMLProbe.text(id: "dead-count", in: none.text) == "0")
            let bad = try await bob.get("/console/dead-letters?channel=nowhere")
            #expect(bad.status == 422)

            // Retry one from the notice page's table, back to where it was asked.
            let page = try await bob.get("/console/notices/\(id)")
            #expect(HTMLProbe.text(id: "delivery-provincial-portal-state", in: page.text) == "dead")
            #expect(HTMLProbe.has(id: "retry-provincial-portal", in: page.text))
            let retried = try await bob.post(
                "/console/deliveries/\(provincial)/retry", [("return", "/console/notices/\(id)")])
            #expect(retried.status == 303)
            #expect(retried.header("Location") == "/console/notices/\(id)?done=retried")
            #expect(try await h.store.read { tx in try tx.delivery(provincial)!.state } == .pending)
            let again = try await bob.post(
                "/console/deliveries/\(provincial)/retry", [("return", "/console/notices/\(id)")])
            #expect(again.status == 409, "a pending delivery is not retried again")
            for offsite in ["https://evil.example/", "//evil.example/console", "/console\\@evil", "/api/x"] {
                #expect(ConsoleResponse.localPath(offsite, fallback: "/console") == "/console", "\(offsite)")
            }

            // Replay everything the filtered page showed.
            _ = try await bob.get("/console/dead-letters?channel=county-column")
            let replayed = try await bob.post(
                "/console/dead-letters/replay", [("channel", "county-column"), ("since", "")])
            #expect(replayed.status == 303)
            #expect(replayed.header("Location") == "/console/dead-letters?channel=county-column&since=&done=replayed")
            #expect(try await h.store.read { tx in try tx.delivery(county)!.state } == .pending)
            let audit = try await h.store.read { tx in try tx.auditEntries(after: 0, limit: 1000) }
            #expect(audit.contains { $0.action == "delivery.retry" && $0.actor == "bob" && $0.subject == provincial })
            #expect(
                audit.contains { $0.action == "delivery.replay" && $0.actor == "bob" && $0.subject == "county-column" })
        }
    }

    @Test func consoleRequestsAreCountedInTheMetrics() async throws {
        try await ServiceHarness.withConsole { h in
            let c = ConsoleClient(port: h.port)
            _ = try await c.get("/console")
            _ = try await c.get("/console/signin")
            let metrics = try await h.call("GET", "/metrics").text
            #expect(metrics.contains("gonggao_http_requests_total{method=\"GET\",route=\"/console\",status=\"303\"} 1"))
            #expect(
                metrics.contains(
                    "gonggao_http_requests_total{method=\"GET\",route=\"/console/signin\",status=\"200\"} 1"))
        }
    }

    @Test func withoutTemplatesTheConsoleSaysSo() async throws {
        try await ServiceHarness.with { h in
            let r = try await Loopback.request(port: h.port, "GET", "/console/signin")
            #expect(r.status == 503)
        }
    }

    @Test func everyConsoleTemplateRendersAndNeedsNoExternalAsset() throws {
        let templates = try ConsolePages.load(directory: ServiceHarness.consoleTemplatesDirectory())
        for name in ConsolePages.required {
            let source = try String(
                contentsOfFile: ServiceHarness.consoleTemplatesDirectory() + "/\(name).html", encoding: .utf8)
            #expect(
                !source.contains("http://") && !source.contains("https://"), "\(name).html refers to an outside address"
            )
            #expect(!source.contains("<script"), "\(name).html has a script")
        }
        #expect(throws: PageTemplateError.self) {
            try PageTemplates([PageTemplate(name: "signin", source: "")], required: ConsolePages.required)
        }
        _ = templates
    }
}
