import Foundation
import GonggaoCore
import HTTPTestSupport
import TestSupport
import Testing

@testable import GonggaoService

/// The officer console's sign-in, cookies, sign-out and session expiry, over real HTTP and SQLite.
@Suite(.serialized) struct ConsoleSessionTests {
    @Test func signInShowsTheCockpitAndSignOutEndsTheSession() async throws {
        try await ServiceHarness.withConsole { h in
            let anonymous = ConsoleClient(port: h.port)
            let away = try await anonymous.get("/console")
            #expect(away.status == 303)
            #expect(away.header("Location") == "/console/signin")

            let c = ConsoleClient(port: h.port)
            let form = try await c.get("/console/signin")
            #expect(form.status == 200)
            #expect(
                HTMLProbe.has(id: "signin-token", in: form.text) && HTMLProbe.has(id: "signin-submit", in: form.text))
            let signed = try await c.post("/console/signin", [("token", h.tokens["alice"]!)])
            #expect(signed.status == 303)
            #expect(signed.header("Location")?.hasPrefix("/console") == true)
            let cookie = try #require(
                signed.headers.first { $0.0.lowercased() == "set-cookie" && $0.1.hasPrefix("gonggao_session=") }?.1)
            #expect(
                cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"))
            #expect(!cookie.contains("Secure"), "plain HTTP from an untrusted peer: no Secure flag")

            let cockpit = try await c.get("/console")
            #expect(cockpit.status == 200)
            #expect(cockpit.text.contains("data-testid=\"cockpit\""))
            #expect(HTMLProbe.text(id: "whoami", in: cockpit.text)?.contains("alice") == true)
            #expect(cockpit.header("Cache-Control") == "no-store")
            #expect(cockpit.header("Content-Security-Policy")?.contains("default-src 'none'") == true)

            let out = try await c.post("/console/signout")
            #expect(out.status == 303)
            #expect(out.header("Location") == "/console/signin")
            #expect(h.app.consoleSessions.count == 0)
            #expect(try await c.get("/console").status == 303)
        }
    }

    @Test func aStolenCookieIsUselessAfterSignOut() async throws {
        try await ServiceHarness.withConsole { h in
            let c = try await h.console(as: "bob")
            let stolen = try #require(c.cookies[ConsoleCookie.session])
            _ = try await c.post("/console/signout")
            let r = try await Loopback.request(
                port: h.port, "GET", "/console", headers: [("Cookie", "gonggao_session=\(stolen)")])
            #expect(r.status == 303)
        }
    }

    @Test func aWrongTokenIsRefusedOnTheFormAndCountsAsAFailedLogin() async throws {
        try await ServiceHarness.withConsole { h in
            let c = ConsoleClient(port: h.port)
            _ = try await c.get("/console/signin")
            let r = try await c.post("/console/signin", [("token", "gg_not-a-real-token")])
            #expect(r.status == 401)
            #expect(HTMLProbe.text(id: "signin-error", in: r.text)?.isEmpty == false)
            #expect(c.cookies[ConsoleCookie.session] == nil)
            // The API's throttle: the same address is refused once the limit (10) is reached.
            for _ in 0..<9 { _ = try await c.post("/console/signin", [("token", "gg_wrong")]) }
            let blocked = try await c.post("/console/signin", [("token", h.tokens["alice"]!)])
            #expect(blocked.status == 429)
            #expect(HTMLProbe.has(id: "signin-error", in: blocked.text))
            let api = try await h.call("GET", "/api/projects", as: "alice")
            #expect(api.status == 429, "one set of rules: the API refuses the address too")
        }
    }

    @Test func signInWithoutTheFormsCSRFValueIsRefused() async throws {
        try await ServiceHarness.withConsole { h in
            let c = ConsoleClient(port: h.port)
            let r = try await c.post("/console/signin", [("token", h.tokens["alice"]!)], csrf: .value("forged"))
            #expect(r.status == 403)
            #expect(HTMLProbe.tag(id: "error", in: r.text)?.contains("data-reason=\"csrf\"") == true)
            #expect(c.cookies[ConsoleCookie.session] == nil)
        }
    }

    @Test func theCookieIsSecureOnlyBehindATrustedTLSProxy() async throws {
        let templates = try ConsolePages.load(directory: ServiceHarness.consoleTemplatesDirectory())
        try await ServiceHarness.with(
            auth: AuthSettings(trustedProxies: ["127.0.0.1"]), configure: { $0.console.templates = templates }
        ) { h in
            let c = ConsoleClient(port: h.port)
            let https = [("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "203.0.113.9")]
            _ = try await c.get("/console/signin", headers: https)
            let r = try await c.post("/console/signin", [("token", h.tokens["alice"]!)], headers: https)
            #expect(r.status == 303)
            let cookie = try #require(
                r.headers.first { $0.0.lowercased() == "set-cookie" && $0.1.hasPrefix("gonggao_session=") }?.1)
            #expect(cookie.contains("; Secure"))
        }
        try await ServiceHarness.withConsole { h in
            // The same header from a peer that is not a trusted proxy is ignored.
            let c = ConsoleClient(port: h.port)
            _ = try await c.get("/console/signin")
            let r = try await c.post(
                "/console/signin", [("token", h.tokens["alice"]!)], headers: [("X-Forwarded-Proto", "https")])
            let cookie = try #require(
                r.headers.first { $0.0.lowercased() == "set-cookie" && $0.1.hasPrefix("gonggao_session=") }?.1)
            #expect(!cookie.contains("Secure"))
        }
    }

    @Test func sessionsEndWhenIdleAndAfterTheirAbsoluteLifetime() async throws {
        try await ServiceHarness.withConsole(settings: {
            $0.idleTimeout = 30 * 60
            $0.absoluteTimeout = 2 * 3_600
        }) { h in
            let c = try await h.console(as: "bob")
            h.clock.advance(by: 29 * 60)
            #expect(try await c.get("/console").status == 200, "29 minutes idle: still signed in")
            h.clock.advance(by: 29 * 60)
            #expect(try await c.get("/console").status == 200, "each request restarts the idle clock")
            h.clock.advance(by: 30 * 60)
            #expect(try await c.get("/console").status == 303, "30 minutes idle: signed out")

            let busy = try await h.console(as: "bob")
            for _ in 0..<5 {
                h.clock.advance(by: 20 * 60)
                #expect(try await busy.get("/console").status == 200)
            }
            h.clock.advance(by: 20 * 60)
            let late = try await busy.get("/console")
            #expect(late.status == 303, "two hours after sign-in the session ends however busy")
            #expect(late.header("Location") == "/console/signin")
        }
    }

    @Test func revokingTheTokenEndsItsSessions() async throws {
        try await ServiceHarness.withConsole { h in
            let c = try await h.console(as: "bob")
            #expect(try await c.get("/console").status == 200)
            let id = try await TokenIssuer.list(user: "bob", store: h.store)[0].id
            try await TokenIssuer.revoke(id: id, by: "test", store: h.store, now: h.clock.now())
            #expect(try await c.get("/console").status == 303)
            #expect(h.app.consoleSessions.count == 0)
        }
    }
}
