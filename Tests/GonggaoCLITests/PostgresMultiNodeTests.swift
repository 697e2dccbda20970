import Foundation
import GonggaoCore
import HTTPTestSupport
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Several "machines" on one PostgreSQL database, with the built binary: `gonggao serve --no-workers`
/// taking approvals over HTTP, three `gonggao worker` processes (each with its own config folder and
/// audit head) delivering to the `gonggao sandbox` portals, one of them killed mid-run; and a run
/// that survives a restart of PostgreSQL itself.
///
/// Every process runs on the real clock (`GONGGAO_CLOCK` empty), so the store's attempt times and
/// the sandbox's request times can be compared.
@Suite(
    .serialized, .enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.notInstalledReason)))
struct PostgresMultiNodeTests {
    static let portals = ["provincial", "county", "mobile"]
    static let kinds = ["provincial": "provincial-portal", "county": "county-column", "mobile": "mobile-platform"]
    static let leaseSeconds = 10.0
    static let realClock = ["GONGGAO_CLOCK": ""]

    @Test func threeWorkersOneKilledDeliverEveryNoticeOnce() async throws {
        let started = ContinuousClock.now
        let server = try await PostgresTestServer.sharedOffPool()
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        let world = try await World(server: server, database: database, workers: 3)
        defer { world.cleanup() }
        let notices = 300

        let workers = try (0..<3).map { try world.nodes[$0 + 1].start(["worker"], extra: world.env) }
        defer { for worker in workers { worker.stopBlocking() } }
        let owners = try await workers.asyncMap { try await Self.workerID($0) }

        // Approvals and deliveries overlap: the workers take each approval as it commits.
        async let ids = world.approve(notices)
        let total = notices * Self.portals.count
        // Kill worker 1 a quarter of the way through, while it holds deliveries in flight (three or
        // more if it gets there within a few seconds, else at least one).
        let deadline = ContinuousClock.now + .seconds(60)
        var reached: ContinuousClock.Instant?
        var held: [(id: String, leaseExpiresMs: Int64)] = []
        while ContinuousClock.now < deadline {
            if reached == nil, try world.count("state = 'delivered'") >= total / 4 { reached = .now }
            if let reached {
                let holding = try world.count("state = 'in-flight' AND lease_owner = '\(owners[0])'")
                if holding >= 3 || (holding >= 1 && ContinuousClock.now - reached > .seconds(3)) { break }
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        kill(workers[0].pid, SIGKILL)
        let killedAt = Date()
        let ended = await workers[0].wait(timeout: .seconds(10))
        #expect(ended.status == 128 + SIGKILL, "worker 1 was killed mid-run: \(ended)")
        held = try world.query(
            "SELECT id, lease_expires_ms FROM deliveries WHERE state = 'in-flight' AND lease_owner = '\(owners[0])'"
        )
        .map { ($0[0], Int64($0[1]) ?? 0) }
        try #require(!held.isEmpty, "the kill left leases behind")
        let noticeIDs = try await ids
        #expect(noticeIDs.count == notices)

        try await world.waitUntilAllDelivered(total, within: .seconds(60))
        try await world.checkPortals(noticeIDs: noticeIDs)

        // One in flight at a time: a delivery's recorded attempts never overlap; every request a
        // portal got lies inside a recorded attempt of that delivery, or came before the kill (the
        // killed worker's own, never recorded); and a delivery the killed worker held was claimed
        // again only once its lease ran out, and within a few seconds of that.
        let (attempts, unrecorded, repeats) = try await world.checkOneAtATime(unrecordedOnlyBefore: killedAt)
        for (id, leaseMs) in held {
            let lease = Date(timeIntervalSince1970: Double(leaseMs) / 1000)
            let first = try #require(attempts[id]?.first, "\(id) was recovered")
            #expect(first.startedAt >= lease.addingTimeInterval(-0.005), "\(id) reclaimed before its lease ran out")
            #expect(
                first.startedAt <= lease.addingTimeInterval(5),
                "\(id) recovered \(first.startedAt.timeIntervalSince(lease)) s after its lease")
            #expect(first.startedAt > killedAt)
            // The lease is the configured one (taken before the kill, running at most leaseSeconds).
            #expect(
                lease.timeIntervalSince(killedAt) <= Self.leaseSeconds,
                "\(id): lease until \(lease), killed at \(killedAt)")
        }
        for (i, node) in world.nodes.enumerated() {
            #expect(
                try await node.ok(["audit", "verify"], extra: world.env).hasPrefix("audit chain OK: "), "node \(i)")
        }
        print(
            "multi-node: \(total) deliveries, \(held.count) leases recovered,"
                + " \(unrecorded) unrecorded sends of the killed worker,"
                + " \(repeats) repeats, \(ContinuousClock.now - started)")
    }

    @Test func aPostgresRestartMidRunLosesNothing() async throws {
        let started = ContinuousClock.now
        // A private server: restarting the shared one would cut other tests' connections.
        let server = try PostgresTestServer.start()
        defer { server.stop() }
        let database = try server.createDatabase()
        let world = try await World(server: server, database: database, workers: 1)
        defer { world.cleanup() }
        let notices = 120
        let noticeIDs = try await world.approve(notices)
        let total = notices * Self.portals.count

        let worker = try world.nodes[1].start(["worker"], extra: world.env)
        defer { worker.stopBlocking() }
        let deadline = ContinuousClock.now + .seconds(60)
        var before = 0
        while ContinuousClock.now < deadline {
            before = try world.count("state = 'delivered'")
            if before >= total / 4 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        let inFlight = try world.count("state = 'in-flight'")
        try server.restart()
        let restarted = Date()
        let after = try world.count("state = 'delivered'")
        #expect(after < total, "the restart came mid-run (\(after) of \(total) delivered)")

        try await world.waitUntilAllDelivered(total, within: .seconds(60))
        try await world.checkPortals(noticeIDs: noticeIDs)
        // Sends the worker could not record while the server was away were retried only after their
        // lease ran out, and the portals answered the repeats as duplicates (checkPortals).
        let (_, unrecorded, repeats) = try await world.checkOneAtATime(unrecordedOnlyBefore: restarted)
        #expect(try await world.nodes[0].ok(["audit", "verify"], extra: world.env).hasPrefix("audit chain OK: "))
        #expect(try await world.nodes[1].ok(["audit", "verify"], extra: world.env).hasPrefix("audit chain OK: "))
        // serve is still answering from the database after the restart.
        let list = try await world.call("GET", "/api/deliveries?state=delivered&limit=1", token: world.approver)
        #expect(list.status == 200, "\(list.text)")
        #expect(kill(worker.pid, 0) == 0, "the worker survived the restart")
        let complaints = worker.stderrSoFar.split(separator: "\n").filter {
            $0.contains("\"level\":\"error\"") || $0.contains("\"level\":\"warning\"")
        }
        #expect(!complaints.isEmpty, "the worker saw the database go away")
        print(
            "postgres restart: \(total) deliveries (\(before) delivered, \(inFlight) in flight at the restart),"
                + " the worker logged \(complaints.count) warnings/errors,"
                + " \(unrecorded) unrecorded sends, \(repeats) repeats,"
                + " \(ContinuousClock.now - started)")
    }

    // MARK: the world

    /// The database, the sandbox portals, `serve --no-workers` (node 0) and the config folders of the workers.
    final class World: Sendable {
        let server: PostgresTestServer
        let database: String
        let nodes: [CLISandbox]
        let env: [String: String]
        let sandboxPort: UInt16
        let portals: RunningProcess
        let serve: RunningProcess
        let servePort: UInt16
        let drafter: String
        let approver: String

        init(server: PostgresTestServer, database: String, workers: Int) async throws {
            self.server = server
            self.database = database
            sandboxPort = UInt16(try PostgresTestServer.freePort())
            var nodes: [CLISandbox] = []
            for i in 0...workers {
                let node = try CLISandbox(configJSON: PostgresMultiNodeTests.config(node: i, sandboxPort: sandboxPort))
                _ = try node.write("db.pass", server.password + "\n")
                nodes.append(node)
            }
            self.nodes = nodes
            env = PostgresMultiNodeTests.realClock.merging(
                [
                    "GONGGAO_DATABASE_URL":
                        "postgres://\(PostgresTestServer.passwordRole)@127.0.0.1:\(server.port)/\(database)"
                ]) { _, b in b }
            _ = try await nodes[0].ok(["init"], extra: env)
            drafter = try await nodes[0].ok(["token", "create", "--user", "zhang.wei"], extra: env)
            approver = try await nodes[0].ok(["token", "create", "--user", "li.na"], extra: env)
            portals = try nodes[0].start(["sandbox", "--port", "\(sandboxPort)"], extra: env)
            serve = try nodes[0].start(["serve", "--port", "0", "--no-workers"], extra: env)
            try await PostgresMultiNodeTests.waitFor("sandbox portals on", in: portals)
            var port: UInt16?
            let deadline = ContinuousClock.now + .seconds(20)
            while port == nil && ContinuousClock.now < deadline {
                port = serve.stdoutSoFar.split(separator: "\n").first { $0.hasPrefix("serving on http://") }
                    .flatMap { $0.split(separator: ":").last.flatMap { UInt16($0) } }
                if port == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            servePort = try #require(port, "serve never said where: \(serve.stderrSoFar)")
            // Each portal answers 60 ms after taking a publication, like a real one: kills and
            // restarts then catch sends in flight.
            for portal in PostgresMultiNodeTests.portals {
                let r = try await Loopback.json(
                    port: sandboxPort, "POST", "/_sandbox/\(portal)/faults",
                    ["mode": "slow", "delayMs": 60, "count": 1_000_000])
                #expect(r.status == 201, "\(r.text)")
            }
            let project = try await call(
                "POST", "/api/projects", token: drafter,
                body: Data(contentsOf: URL(fileURLWithPath: GonggaoBinary.sample("anji-meixi-2026-37.project.json"))))
            #expect([200, 201].contains(project.status), "\(project.text)")
        }

        func cleanup() {
            serve.stopBlocking()
            portals.stopBlocking()
            for node in nodes { node.cleanup() }
        }

        func call(_ method: String, _ path: String, token: String, body: Data? = nil) async throws -> LoopbackResponse {
            var headers = [("Authorization", "Bearer \(token)")]
            if body != nil { headers.append(("Content-Type", "application/json")) }
            return try await Loopback.request(
                port: servePort, method, path, headers: headers, body: Array(body ?? Data()),
                timeout: .seconds(30))
        }

        /// Drafts, submits and approves `count` pre-announcements over HTTP (four at a time); their ids.
        func approve(_ count: Int) async throws -> [String] {
            let sample = try Data(
                contentsOf: URL(fileURLWithPath: GonggaoBinary.sample("anji-meixi-2026-37.pre-announcement.json")))
            return try await withThrowingTaskGroup(of: [String].self) { group in
                for lane in 0..<4 {
                    group.addTask {
                        let template = try #require(try JSONSerialization.jsonObject(with: sample) as? [String: Any])
                        var ids: [String] = []
                        for n in stride(from: lane + 1, through: count, by: 4) {
                            var content = template
                            content["documentNumber"] = "安政征预〔2026〕\(1000 + n)号"
                            let drafted = try await self.call(
                                "POST", "/api/notices", token: self.drafter,
                                body: JSONSerialization.data(withJSONObject: content))
                            let json = try? JSONSerialization.jsonObject(with: Data(drafted.body)) as? [String: Any]
                            let id = try #require(
                                json?["id"] as? String, "draft \(n): \(drafted.status) \(drafted.text)")
                            let submitted = try await self.call(
                                "POST", "/api/notices/\(id)/submit", token: self.drafter)
                            try #require(submitted.status == 200, "submit \(id): \(submitted.text)")
                            let approved = try await self.call(
                                "POST", "/api/notices/\(id)/approve", token: self.approver)
                            try #require(approved.status == 200, "approve \(id): \(approved.text)")
                            ids.append(id)
                        }
                        return ids
                    }
                }
                var all: [String] = []
                for try await ids in group { all += ids }
                return all
            }
        }

        func query(_ sql: String) throws -> [[String]] {
            try server.psql(sql, database: database).split(separator: "\n").map {
                $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            }
        }

        func count(_ condition: String) throws -> Int {
            Int(
                try server.psql("SELECT count(*) FROM deliveries WHERE \(condition)", database: database)
                    .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }

        func waitUntilAllDelivered(_ total: Int, within limit: Duration) async throws {
            let deadline = ContinuousClock.now + limit
            var delivered = 0
            while ContinuousClock.now < deadline {
                // psql may briefly fail while the server restarts.
                delivered = (try? count("state = 'delivered'")) ?? delivered
                if delivered == total { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let states = try query("SELECT state, count(*) FROM deliveries GROUP BY state ORDER BY state").map {
                $0.joined(separator: " ")
            }
            #expect(try count("TRUE") == total)
            try #require(delivered == total, "not all delivered in time: \(states)")
        }

        /// One in flight at a time: a delivery's recorded attempts never overlap, and every request
        /// a portal got lies inside a recorded attempt of that delivery, or came before `cut` (a
        /// send whose sender died, or could not record it, before then). The attempts by delivery,
        /// the number of unrecorded sends and the number of repeated requests.
        func checkOneAtATime(unrecordedOnlyBefore cut: Date) async throws -> ([String: [DeliveryAttempt]], Int, Int) {
            let attempts = try attempts()
            let requests = try await portalRequests()
            var unrecorded = 0
            for (delivery, list) in attempts {
                for (a, b) in zip(list, list.dropFirst()) {
                    #expect(a.finishedAt <= b.startedAt, "\(delivery): attempts \(a.number) and \(b.number) overlap")
                }
            }
            for (delivery, times) in requests {
                let list = attempts[delivery] ?? []
                for at in times {
                    // The sandbox's milliseconds are rounded down; the attempt's are exact.
                    let inside = list.contains { $0.startedAt.addingTimeInterval(-0.001) <= at && at <= $0.finishedAt }
                    if !inside {
                        unrecorded += 1
                        #expect(
                            at <= cut, "\(delivery): a request at \(at) outside every recorded attempt, after \(cut)")
                    }
                }
            }
            return (attempts, unrecorded, requests.values.map { $0.count - 1 }.reduce(0, +))
        }

        /// Every attempt the store recorded, by delivery, in order.
        func attempts() throws -> [String: [DeliveryAttempt]] {
            let lines = try server.psql("SELECT body FROM attempts ORDER BY delivery_id, number", database: database)
                .split(separator: "\n")
            let all = try lines.map { try JSONDecoder().decode(DeliveryAttempt.self, from: Data($0.utf8)) }
            return Dictionary(grouping: all, by: \.deliveryID)
        }

        /// When each portal request arrived (the sandbox's `atMs`), by webhook-id (the delivery id).
        func portalRequests() async throws -> [String: [Date]] {
            var out: [String: [Date]] = [:]
            for portal in PostgresMultiNodeTests.portals {
                for entry in try await sandboxList(portal, "log", key: "entries") {
                    let id = try #require(entry["webhookId"] as? String, "\(entry)")
                    let ms = try #require((entry["atMs"] as? NSNumber)?.int64Value, "\(entry)")
                    let at = Date(timeIntervalSince1970: Double(ms) / 1000)
                    out[id, default: []].append(at)
                }
            }
            return out
        }

        func sandboxList(_ portal: String, _ what: String, key: String) async throws -> [[String: Any]] {
            let r = try await Loopback.request(
                port: sandboxPort, "GET", "/_sandbox/\(portal)/\(what)", timeout: .seconds(20))
            try #require(r.status == 200, "GET /_sandbox/\(portal)/\(what): \(r.status)")
            let object = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
            return object?[key] as? [[String: Any]] ?? []
        }

        /// Each portal published each notice's version 1 exactly once, under that delivery's id;
        /// any repeat came under the same webhook-id and was answered as a duplicate.
        func checkPortals(noticeIDs: [String]) async throws {
            let rows = try query("SELECT id, notice_id, channel, state FROM deliveries")
            for portal in PostgresMultiNodeTests.portals {
                let kind = PostgresMultiNodeTests.kinds[portal]!
                let mine = Dictionary(uniqueKeysWithValues: rows.filter { $0[2] == kind }.map { ($0[1], $0[0]) })
                #expect(Set(mine.keys) == Set(noticeIDs), "\(portal): one delivery per notice")
                let items = try await sandboxList(portal, "items", key: "items")
                #expect(
                    items.count == noticeIDs.count
                        && Set(items.compactMap { $0["noticeId"] as? String }) == Set(noticeIDs),
                    "\(portal): \(items.count) items")
                for item in items {
                    let notice = item["noticeId"] as? String ?? ""
                    let history = item["history"] as? [[String: Any]] ?? []
                    #expect(
                        history.map { $0["effect"] as? String } == ["created"],
                        "\(portal) \(notice) published once: \(history)")
                    #expect(
                        history.allSatisfy { $0["webhookId"] as? String == mine[notice] && $0["version"] as? Int == 1 },
                        "\(portal) \(notice): \(history)")
                }
                let log = try await sandboxList(portal, "log", key: "entries")
                var published: [String] = []
                for entry in log {
                    let notice = entry["noticeId"] as? String ?? ""
                    let outcome = entry["outcome"] as? String ?? ""
                    #expect(
                        entry["webhookId"] as? String == mine[notice],
                        "\(portal): a request under another webhook-id: \(entry)")
                    #expect(["created", "duplicate"].contains(outcome), "\(portal): \(entry)")
                    if outcome == "created" { published.append(notice) }
                }
                #expect(
                    published.count == noticeIDs.count && Set(published) == Set(noticeIDs),
                    "\(portal): \(published.count) published")
            }
        }
    }

    /// Node `node`'s config: the shared database (URL from the environment), its own audit head, the
    /// three portal channels at the sandbox with a 3 s timeout and a 10 s lease.
    static func config(node: Int, sandboxPort port: UInt16) -> String {
        let lane = #""timeoutSeconds": 3, "delivery": { "leaseSeconds": \#(leaseSeconds) }"#
        return """
            {
              "store": { "postgres": { "passwordFile": "db.pass", "auditHead": "node-\(node).audit-head" } },
              "publicBaseURL": "https://gonggao.example.gov.cn",
              "users": \(CLISandbox.usersJSON),
              "channels": [
                { "name": "provincial-portal", "type": "provincial-portal",
                  "url": "http://127.0.0.1:\(port)/provincial",
                  \(lane),
                  "signing": { "secrets": [{ "env": "GG_TEST_PROVINCIAL_WHSEC" }] } },
                { "name": "county-column", "type": "county-column", "url": "http://127.0.0.1:\(port)/county",
                  \(lane),
                  "signing": { "secrets": [{ "env": "GG_TEST_COUNTY_WHSEC" }] },
                  "credential": { "env": "GG_TEST_COUNTY_TOKEN" }, "county": { "orgCode": "002567901" } },
                { "name": "mobile-platform", "type": "mobile-platform", "url": "http://127.0.0.1:\(port)/mobile",
                  \(lane),
                  "signing": { "secrets": [{ "env": "GG_TEST_MOBILE_WHSEC" }] },
                  "credential": { "env": "GG_TEST_MOBILE_APPKEY" } }
              ],
              "templates": "\(GonggaoBinary.repositoryRoot.appendingPathComponent("Templates").path)",
              "delivery": { "concurrency": 8, "ratePerSecond": 10000, "pollMilliseconds": 50,
                            "retryScheduleSeconds": [0.1, 0.2, 0.5, 1, 1, 1, 1, 1], "retryJitter": 0,
                            "graceSeconds": 2 },
              "http": { "trustLocalOperators": true }
            }
            """
    }

    /// The id a started worker logs (`"worker.id":"wrk_…"` on stderr).
    static func workerID(_ worker: RunningProcess) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let text = worker.stderrSoFar
            if let range = text.range(of: #""worker.id":"([^"]+)""#, options: .regularExpression) {
                return String(text[range].dropFirst(#""worker.id":""#.count).dropLast())
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the worker never said its id:\n\(worker.stderrSoFar)")
        throw CancellationError()
    }

    static func waitFor(_ text: String, in process: RunningProcess) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if process.stdoutSoFar.contains(text) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("'\(text)' never appeared:\n\(process.stdoutSoFar)\n\(process.stderrSoFar)")
        throw CancellationError()
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
