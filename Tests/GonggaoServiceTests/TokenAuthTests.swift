import Foundation
import GonggaoCore
@testable import GonggaoService
import HTTPTestSupport
import Testing
import TestSupport

@Suite(.serialized) struct TokenAuthTests {
    @Test func tokensExpire() async throws {
        try await ServiceHarness.with { h in
            #expect(try await h.call("GET", "/api/me", as: "vera").status == 200)
            h.clock.advance(by: 86_400)
            let r = try await h.call("GET", "/api/me", as: "vera")
            #expect(r.status == 401)
            #expect(r.json?["error"] as? String == "invalid-token")
            #expect((r.json?["message"] as? String)?.contains("expired") == true)
            #expect(r.header("WWW-Authenticate")?.contains("invalid_token") == true)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func adminCreatesListsAndRevokesTokens(backend: StoreBackend) async throws {
        try await ServiceHarness.with(backend: backend) { h in
            let created = try await h.call("POST", "/api/tokens", as: "root", json: ["user": "carol", "expiresIn": "2h", "label": "手机"])
            #expect(created.status == 201)
            let token = created.json?["token"] as? String ?? ""
            let id = created.json?["id"] as? String ?? ""
            #expect(token.hasPrefix("ggt_"))
            let me = try await Loopback.request(port: h.port, "GET", "/api/me", headers: [("Authorization", "Bearer \(token)")])
            #expect(me.status == 200)
            #expect(me.json?["user"] as? String == "carol")
            #expect(me.json?["tokenId"] as? String == id)

            let list = try await h.call("GET", "/api/tokens?user=carol", as: "root")
            let items = list.json?["items"] as? [[String: Any]] ?? []
            #expect(items.count == 2)
            #expect(!list.text.contains(token))
            #expect(!list.text.contains(APIToken.hash(of: token)))

            let revoked = try await h.call("DELETE", "/api/tokens/\(id)", as: "root")
            #expect(revoked.status == 200)
            #expect(revoked.json?["valid"] as? Bool == false)
            let after = try await Loopback.request(port: h.port, "GET", "/api/me", headers: [("Authorization", "Bearer \(token)")])
            #expect(after.status == 401)
            #expect((after.json?["message"] as? String)?.contains("revoked") == true)
            #expect(try await h.call("DELETE", "/api/tokens/\(id)", as: "root").status == 200)
            #expect(try await h.call("DELETE", "/api/tokens/tok_nope", as: "root").status == 404)

            let tooLong = try await h.call("POST", "/api/tokens", as: "root", json: ["user": "carol", "expiresIn": "400d"])
            #expect(tooLong.status == 422)
            #expect(tooLong.json?["field"] as? String == "expiresIn")
            let unknownUser = try await h.call("POST", "/api/tokens", as: "root", json: ["user": "mallory"])
            #expect(unknownUser.status == 422)
            #expect(unknownUser.json?["field"] as? String == "user")
        }
    }

    @Test func tokenIssuerForTheCLI() async throws {
        try await StoreBackend.sqlite.withStore { ts in
            let users = ServiceUsers.directory
            let issued = try await TokenIssuer.issue(user: "bob", lifetime: try TokenLifetime.parse("30d"), label: "cli",
                                                     store: ts.store, users: users, now: Fixtures.t0)
            #expect(issued.record.expiresAt == Fixtures.t0.addingTimeInterval(30 * 86_400))
            let stored = try await TokenIssuer.list(user: "bob", store: ts.store)
            #expect(stored.map(\.id) == [issued.record.id])
            #expect(stored[0].hash == APIToken.hash(of: issued.token))
            #expect(try await TokenIssuer.authenticate(token: issued.token + "\n", store: ts.store, users: users, now: Fixtures.t0).name == "bob")
            try await TokenIssuer.revoke(id: issued.record.id, store: ts.store, now: Fixtures.t0)
            await #expect(throws: TokenRefusal.revoked(id: issued.record.id)) {
                try await TokenIssuer.authenticate(token: issued.token, store: ts.store, users: users, now: Fixtures.t0)
            }
            await #expect(throws: WorkflowError.unknownUser("nobody")) {
                try await TokenIssuer.issue(user: "nobody", lifetime: 60, store: ts.store, users: users)
            }
            let audit = try await ts.store.read { tx in try tx.auditEntries(after: 0, limit: 10).map(\.action) }
            #expect(audit == ["token.create", "token.revoke"])
        }
        #expect(try TokenLifetime.parse("12h") == 43_200)
        #expect(try TokenLifetime.parse("3600") == 3_600)
        #expect(throws: ValidationError.self) { try TokenLifetime.parse("soon") }
        #expect(TokenLifetime.format(30 * 86_400) == "30d")
    }

    /// Ten failed logins a minute from one address, then 429 — even for a valid token — until the window passes.
    @Test func failedLoginsAreRateLimitedPerAddress() async throws {
        try await ServiceHarness.with { h in
            for i in 0..<10 {
                let r = try await Loopback.request(port: h.port, "GET", "/api/me", headers: [("Authorization", "Bearer ggt_wrong\(i)")])
                #expect(r.status == 401)
            }
            let blocked = try await h.call("GET", "/api/me", as: "vera")
            #expect(blocked.status == 429)
            #expect(blocked.json?["error"] as? String == "too-many-failed-logins")
            #expect(Int(blocked.header("Retry-After") ?? "") ?? 0 > 0)
            // Public pages stay open.
            #expect(try await h.call("GET", "/healthz").status == 200)
            h.clock.advance(by: 61)
            #expect(try await h.call("GET", "/api/me", as: "vera").status == 200)
        }
    }

    /// X-Forwarded-For is believed only from a configured proxy.
    @Test func forwardedForIsTrustedOnlyFromConfiguredProxies() async throws {
        try await ServiceHarness.with(auth: AuthSettings(trustedProxies: ["127.0.0.0/8"], failureLimit: 3)) { h in
            for _ in 0..<3 {
                let r = try await Loopback.request(port: h.port, "GET", "/api/me",
                                                   headers: [("Authorization", "Bearer nope"), ("X-Forwarded-For", "203.0.113.5")])
                #expect(r.status == 401)
            }
            let same = try await h.call("GET", "/api/me", as: "vera", headers: [("X-Forwarded-For", "198.51.100.1, 203.0.113.5")])
            #expect(same.status == 429)
            let other = try await h.call("GET", "/api/me", as: "vera", headers: [("X-Forwarded-For", "203.0.113.6")])
            #expect(other.status == 200)
        }
        try await ServiceHarness.with(auth: AuthSettings(trustedProxies: [], failureLimit: 3)) { h in
            for i in 0..<3 {
                _ = try await Loopback.request(port: h.port, "GET", "/api/me",
                                               headers: [("Authorization", "Bearer nope"), ("X-Forwarded-For", "203.0.113.\(i)")])
            }
            // The header was ignored: every failure counted against 127.0.0.1.
            let r = try await h.call("GET", "/api/me", as: "vera", headers: [("X-Forwarded-For", "203.0.113.99")])
            #expect(r.status == 429)
        }
    }

    @Test func clientAddressResolution() {
        let resolver = ClientAddressResolver(trustedProxies: ["10.0.0.0/8", "::1", "192.0.2.7"])
        #expect(resolver.client(peer: "203.0.113.1", forwardedFor: ["1.2.3.4"]) == "203.0.113.1")
        #expect(resolver.client(peer: "10.1.2.3", forwardedFor: ["1.2.3.4"]) == "1.2.3.4")
        #expect(resolver.client(peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 1.2.3.4, 192.0.2.7"]) == "1.2.3.4")
        #expect(resolver.client(peer: "::1", forwardedFor: ["2001:db8::5"]) == "2001:db8::5")
        #expect(resolver.client(peer: "10.0.0.1", forwardedFor: []) == "10.0.0.1")
        #expect(resolver.client(peer: "10.0.0.1", forwardedFor: ["garbage"]) == "10.0.0.1")
        #expect(resolver.client(peer: "::ffff:10.0.0.9", forwardedFor: ["5.5.5.5"]) == "5.5.5.5")
        #expect(AddressRange("10.0.0.0/33") == nil)
        #expect(AuthSettings(trustedProxies: ["nginx"]).problem?.contains("trustedProxies[0]") == true)
    }
}
