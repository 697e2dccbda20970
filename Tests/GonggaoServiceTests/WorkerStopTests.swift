import Foundation
import GonggaoCore
import HTTPTestSupport
import Testing
import TestSupport

/// `gonggao worker` against `gonggao sandbox`, both the built binary: SIGTERM lets the send in flight
/// finish, the attempt log holds the answer's fields (and no secret), `channel list` shows the circuit.
@Suite(.serialized) struct WorkerStopTests {
    static let secret = CLISandbox.channelSecrets["GG_TEST_PROVINCIAL_WHSEC"]!

    /// A loopback port nobody listens on right now.
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return UInt16(bigEndian: address.sin_port)
    }

    /// One provincial channel pointed at the sandbox on `port`; the channel's own retry schedule
    /// (0.2 s) over a global one of an hour.
    static func world(port: UInt16) throws -> CLISandbox {
        let config = """
            {
              "store": { "sqlite": "gonggao.sqlite" },
              "publicBaseURL": "https://gonggao.example.gov.cn",
              "users": \(CLISandbox.usersJSON),
              "channels": [
                { "name": "provincial-portal", "type": "provincial-portal", "url": "http://127.0.0.1:\(port)/provincial",
                  "signing": { "secrets": [{ "env": "GG_TEST_PROVINCIAL_WHSEC" }] }, "timeoutSeconds": 5,
                  "delivery": { "retryScheduleSeconds": [0.2, 0.2], "breakerThreshold": 3 } }
              ],
              "templates": "\(GonggaoBinary.repositoryRoot.appendingPathComponent("Templates").path)",
              "delivery": { "graceSeconds": 10, "retryScheduleSeconds": [3600] },
              "http": { "trustLocalOperators": true }
            }
            """
        return try CLISandbox(configJSON: config)
    }

    /// Starts the sandbox portals and waits for their line.
    static func sandbox(_ world: CLISandbox, port: UInt16) async throws -> RunningProcess {
        let process = try world.start(["sandbox", "--port", "\(port)"])
        for _ in 0..<400 where !process.stdoutSoFar.contains("sandbox portals on") {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(process.stdoutSoFar.contains("sandbox portals on"), "\(process.stderrSoFar)")
        return process
    }

    static func approved(_ world: CLISandbox) async throws -> String {
        _ = try await world.ok(["init"])
        _ = try await world.ok(["project", "import", GonggaoBinary.sample("anji-meixi-2026-37.project.json"), "--as", "zhang.wei"])
        let id = try await world.ok(["notice", "draft", GonggaoBinary.sample("anji-meixi-2026-37.pre-announcement.json"),
                                     "--as", "zhang.wei"])
        _ = try await world.ok(["notice", "submit", id, "--as", "zhang.wei"])
        _ = try await world.ok(["notice", "approve", id, "--as", "li.na"])
        return id
    }

    static func fault(_ port: UInt16, _ json: String) async throws {
        let answer = try await Loopback.request(port: port, "POST", "/_sandbox/provincial/faults",
                                                headers: [("Content-Type", "application/json")], body: Array(json.utf8))
        #expect(answer.status == 201)
    }

    static func show(_ world: CLISandbox, _ id: String) async throws -> [String: Any] {
        let list = try await world.ok(["deliveries", "list", "--notice", id, "--json"])
        let deliveries = try JSONSerialization.jsonObject(with: Data(list.utf8)) as! [[String: Any]]
        let deliveryID = deliveries[0]["id"] as! String
        let shown = try await world.ok(["deliveries", "show", deliveryID, "--json"])
        return try JSONSerialization.jsonObject(with: Data(shown.utf8)) as! [String: Any]
    }

    @Test func sigtermLetsTheSendInFlightFinishAndExitsZero() async throws {
        let port = try Self.freePort()
        let world = try Self.world(port: port)
        defer { world.cleanup() }
        let portals = try await Self.sandbox(world, port: port)
        defer { portals.stopBlocking(signal: SIGTERM) }
        let id = try await Self.approved(world)
        // The portal publishes, then takes 3 s to answer (within the channel's 5 s timeout).
        try await Self.fault(port, #"{"mode": "slow", "delayMs": 3000}"#)
        let worker = try world.start(["worker"])
        defer { worker.stopBlocking() }
        var inFlight = false
        for _ in 0..<200 where !inFlight {
            try await Task.sleep(for: .milliseconds(25))
            inFlight = try await world.ok(["deliveries", "list", "--state", "in-flight"]).contains(id)
        }
        #expect(inFlight)
        let signalled = ContinuousClock.now
        kill(worker.pid, SIGTERM)
        let ended = await worker.wait(timeout: .seconds(30))
        #expect(ended.status == 0, "\(ended)")
        #expect(ContinuousClock.now - signalled < .seconds(10), "within delivery.graceSeconds")
        #expect(ContinuousClock.now - signalled > .milliseconds(500), "it waited for the answer")

        let detail = try await Self.show(world, id)
        let delivery = detail["delivery"] as! [String: Any]
        let attempts = detail["attempts"] as! [[String: Any]]
        #expect(delivery["state"] as? String == "delivered", "\(detail)")
        #expect(attempts.count == 1 && attempts[0]["outcome"] as? String == "delivered", "\(attempts)")
        #expect(attempts[0]["httpStatus"] as? Int == 201, "\(attempts)")
        #expect(!ended.stderr.contains("cancelled"), "\(ended.stderr)")
    }

    @Test func theAttemptLogKeepsTheAnswersFieldsAndNoSecret() async throws {
        let port = try Self.freePort()
        let world = try Self.world(port: port)
        defer { world.cleanup() }
        let portals = try await Self.sandbox(world, port: port)
        defer { portals.stopBlocking(signal: SIGTERM) }
        let id = try await Self.approved(world)
        try await Self.fault(port, #"{"mode": "status", "status": 503, "count": 1}"#)
        // The channel's own schedule (0.2 s) retries; the global one (1 h) would leave it waiting.
        let run = try await world.run(["worker", "--until-idle"])
        #expect(run.status == 0, "\(run)")

        let detail = try await Self.show(world, id)
        let attempts = detail["attempts"] as! [[String: Any]]
        #expect((detail["delivery"] as! [String: Any])["state"] as? String == "delivered", "\(detail)")
        #expect(attempts.map { $0["outcome"] as? String } == ["retryable", "delivered"], "\(attempts)")
        let failed = attempts[0]
        #expect(failed["httpStatus"] as? Int == 503)
        #expect((failed["excerpt"] as? String)?.contains("injected-fault") == true, "\(failed)")
        #expect((failed["reason"] as? String)?.isEmpty == false)
        #expect(failed["curlError"] == nil)
        #expect(failed["startedAt"] != nil && failed["finishedAt"] != nil)
        #expect((attempts[1]["excerpt"] as? String)?.contains("publicationId") == true, "\(attempts[1])")

        let text = try await world.ok(["deliveries", "show", (detail["delivery"] as! [String: Any])["id"] as! String])
        #expect(text.contains("http      503") && text.contains("response  ") && text.contains("injected-fault"), "\(text)")
        let secretBody = String(Self.secret.dropFirst("whsec_".count))
        for output in [text, run.stderr, run.stdout, try await world.dump()] {
            #expect(!output.contains(Self.secret) && !output.contains(secretBody))
        }

        // The worker recorded the circuit: closed again after the success.
        let channels = try await world.ok(["channel", "list"])
        #expect(channels.contains("CIRCUIT") && channels.contains("closed"), "\(channels)")
        let json = try await world.ok(["channel", "list", "--json"])
        let overview = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        let circuit = try #require(overview.first?["circuit"] as? [String: Any])
        #expect(circuit["state"] as? String == "closed" && circuit["consecutiveFailures"] as? Int == 0, "\(circuit)")
    }

    @Test func aLeaseNotLongerThanTheChannelsTimeoutIsAStartUpError() async throws {
        let world = try CLISandbox(configJSON: """
            {
              "store": { "sqlite": "gonggao.sqlite" },
              "publicBaseURL": "https://gonggao.example.gov.cn",
              "users": \(CLISandbox.usersJSON),
              "channels": [
                { "name": "print", "type": "print", "timeoutSeconds": 60, "delivery": { "leaseSeconds": 30 } }
              ],
              "templates": "\(GonggaoBinary.repositoryRoot.appendingPathComponent("Templates").path)"
            }
            """)
        defer { world.cleanup() }
        _ = try await world.ok(["init"])
        let run = try await world.run(["worker", "--until-idle"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("channels[0].delivery.leaseSeconds") && run.stderr.contains("must be longer than the channel's timeout"),
                "\(run)")
    }
}
