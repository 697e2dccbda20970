import Foundation
import GonggaoCore
import GonggaoDelivery
import GonggaoSandbox
import GonggaoStore
import HTTPTestSupport
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Crash safety with real processes: the built `gonggao worker` delivers 200 approved notices to a
/// `gonggao sandbox` child process, is killed with SIGKILL at three random moments and restarted
/// each time. In the end every delivery is delivered and each portal published each (notice,
/// version) exactly once; a repeat reaches a portal only under the same webhook-id.
///
/// The kill moments are drawn from a seeded generator; the seed is printed, and
/// `GONGGAO_CRASH_SEED=<n>` replays a run.
@Suite("Crash safety of gonggao worker", .serialized)
struct WorkerCrashTests {
    static let notices = 200
    static let portals: [SandboxPortal] = [.provincial, .county, .mobile]
    /// Each portal channel's timeout in the config (the lease is derived from it).
    static let timeoutSeconds = 2

    @Test func killedThreeTimesStillDeliversEveryNoticeOnce() async throws {
        let seed = ProcessInfo.processInfo.environment["GONGGAO_CRASH_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("crash-safety seed: \(seed) (replay with GONGGAO_CRASH_SEED=\(seed))")
        var rng = SplitMix64(seed: seed)
        let started = ContinuousClock.now
        let port = try freeLoopbackPort()
        let cli = try CLISandbox(configJSON: Self.config(port: port))
        defer { cli.cleanup() }
        _ = try await cli.ok(["init"])

        // 200 approved notices, approved in-process through the workflow on the same SQLite file
        // (one transaction each, exactly what `notice approve` runs): the outbox the worker drains.
        let total = Self.notices * Self.portals.count
        let base = Fixtures.t0
        let ids = try await Self.approveNotices(storePath: cli.storePath, at: base)
        let store = try SQLiteStore(path: cli.storePath)
        #expect(try await Self.count(store, .pending) == total)

        let sandbox = try cli.start(["sandbox", "--port", "\(port)"], extra: ["GONGGAO_CLOCK": Self.iso(base)])
        defer { sandbox.stopBlocking() }
        try await Self.waitFor("sandbox portals on", in: sandbox)
        let sandboxStarted = ContinuousClock.now
        // Every portal answers 60 ms after publishing (a real portal's latency): a kill then always
        // finds sends the portal has taken but the worker has not recorded.
        for portal in Self.portals {
            let fault: [String: Any] = ["mode": "slow", "delayMs": 60, "count": 1_000_000]
            let r = try await Loopback.json(port: port, "POST", "/_sandbox/\(portal.rawValue)/faults", fault)
            #expect(r.status == 201, "\(r.text)")
        }

        // A killed worker's claims stay leased until their lease runs out. Each restart's clock is
        // set one lease further on (as if the operator had waited that long), still well inside the
        // portals' 300 s signature tolerance.
        let lease = LaneSettings(adapter: ScriptedAdapter("x", timeout: .seconds(Self.timeoutSeconds))).lease.seconds + 1
        // The three kill points: a number of delivered deliveries in each third of the run, plus 0–40 ms.
        let thresholds = (0..<3).map { k in Int.random(in: (total * k / 3 + 20)...(total * (k + 1) / 3 - 20), using: &rng) }
        let extraDelays = (0..<3).map { _ in Int.random(in: 0...40, using: &rng) }
        print("crash-safety kill points (delivered deliveries): \(thresholds), then +\(extraDelays) ms")

        var interrupted: [Int] = []
        for run in 0...3 {
            let clock = base.addingTimeInterval((ContinuousClock.now - sandboxStarted).seconds + Double(run) * lease)
            let worker = try cli.start(["worker", "--until-idle"], extra: ["GONGGAO_CLOCK": Self.iso(clock)])
            guard run < 3 else {
                let ended = await worker.wait(timeout: .seconds(120))
                #expect(ended.status == 0, "the last worker finishes and exits by itself: \(ended)")
                break
            }
            let deadline = ContinuousClock.now + .seconds(90)
            var delivered = 0
            while ContinuousClock.now < deadline {
                delivered = try await Self.count(store, .delivered)
                if delivered >= thresholds[run] { break }
                try await Task.sleep(for: .milliseconds(3))
            }
            try await Task.sleep(for: .milliseconds(extraDelays[run]))
            kill(worker.pid, SIGKILL)
            let ended = await worker.wait(timeout: .seconds(10))
            #expect(ended.status == 128 + SIGKILL, "worker \(run + 1) was killed mid-run, not finished: \(ended)")
            let inFlight = try await Self.count(store, .inFlight)
            interrupted.append(inFlight)
            print("crash-safety: killed worker \(run + 1) at \(delivered)+ delivered; \(inFlight) deliveries left in flight")
            try #require(delivered >= thresholds[run], "worker \(run + 1) never reached \(thresholds[run]) deliveries:\n\(ended)")
        }

        // The store: every delivery delivered, with the portal's publication id as its receipt.
        let deliveries = try await store.read { try $0.deliveries(DeliveryFilter(limit: 10_000)) }
        #expect(deliveries.count == total)
        #expect(deliveries.filter { $0.state != .delivered }.map { "\($0.id) \($0.state) \($0.lastError ?? "")" } == [])
        #expect(interrupted.reduce(0, +) > 0, "the kills interrupted sends in flight")

        // The portals: each (notice, version, channel) published exactly once; repeats only as the
        // same webhook-id (answered from the portal's record, outcome `duplicate`).
        var duplicates = 0
        for portal in Self.portals {
            let mine = Dictionary(uniqueKeysWithValues: deliveries.filter { $0.channel == portal.channelKind }.map { ($0.noticeID, $0) })
            let items = try await Self.admin([SandboxItem].self, port: port, "/_sandbox/\(portal.rawValue)/items", key: "items")
            let log = try await Self.admin([SandboxLogEntry].self, port: port, "/_sandbox/\(portal.rawValue)/log", key: "entries")
            #expect(items.count == Self.notices && Set(items.map(\.noticeId)) == Set(ids), "\(portal): \(items.count) items")
            for item in items {
                let d = try #require(mine[item.noticeId])
                let what = "\(portal) \(item.noticeId)"
                #expect(item.history.map(\.effect) == [.created], "\(what) published once: \(item.history)")
                #expect(item.history.allSatisfy { $0.webhookId == d.id && $0.version == 1 }, "\(what): \(item.history)")
                #expect(d.receipt?.publicationID == item.publicationId, "\(what): receipt \(String(describing: d.receipt))")
            }
            for entry in log {
                let d = try #require(entry.noticeId.flatMap { mine[$0] }, "\(portal): request for an unknown notice: \(entry)")
                #expect(entry.webhookId == d.id, "\(portal) \(d.noticeID): a repeat under another webhook-id: \(entry)")
                #expect(["created", "duplicate"].contains(entry.outcome), "\(portal) \(d.noticeID): \(entry)")
            }
            let published = log.filter { $0.outcome == "created" }
            #expect(published.count == Self.notices && Set(published.compactMap(\.webhookId)).count == Self.notices)
            duplicates += log.filter { $0.outcome == "duplicate" }.count
        }
        print("crash-safety: \(total) deliveries, \(duplicates) repeats answered as duplicates, \(ContinuousClock.now - started)")
        #expect(duplicates > 0, "a kill caught a send the portal had taken but the worker had not recorded")
        await store.close()
    }

    // MARK: helpers

    /// The three portal channels pointed at the sandbox's port; fast retries, quick polling.
    static func config(port: UInt16) -> String {
        let root = GonggaoBinary.repositoryRoot.appendingPathComponent("Templates").path
        return """
            {
              "store": { "sqlite": "gonggao.sqlite" },
              "publicBaseURL": "https://gonggao.example.gov.cn",
              "users": \(CLISandbox.usersJSON),
              "channels": [
                { "name": "provincial-portal", "type": "provincial-portal", "url": "http://127.0.0.1:\(port)/provincial",
                  "timeoutSeconds": \(timeoutSeconds), "signing": { "secrets": [{ "env": "GG_TEST_PROVINCIAL_WHSEC" }] } },
                { "name": "county-column", "type": "county-column", "url": "http://127.0.0.1:\(port)/county",
                  "timeoutSeconds": \(timeoutSeconds), "signing": { "secrets": [{ "env": "GG_TEST_COUNTY_WHSEC" }] },
                  "credential": { "env": "GG_TEST_COUNTY_TOKEN" }, "county": { "orgCode": "002567901" } },
                { "name": "mobile-platform", "type": "mobile-platform", "url": "http://127.0.0.1:\(port)/mobile",
                  "timeoutSeconds": \(timeoutSeconds), "signing": { "secrets": [{ "env": "GG_TEST_MOBILE_WHSEC" }] },
                  "credential": { "env": "GG_TEST_MOBILE_APPKEY" } }
              ],
              "templates": "\(root)",
              "delivery": { "concurrency": 8, "ratePerSecond": 10000, "pollMilliseconds": 20,
                            "retryScheduleSeconds": [0.1, 0.2, 0.5, 1, 1, 1, 1, 1], "retryJitter": 0, "graceSeconds": 2 },
              "http": { "trustLocalOperators": true }
            }
            """
    }

    /// Imports the sample project and drafts, submits and approves `notices` pre-announcements as
    /// the config's users; returns the notice ids.
    static func approveNotices(storePath: String, at instant: Date) async throws -> [String] {
        let store = try SQLiteStore(path: storePath)
        let users = UserDirectory([
            User(name: "zhang.wei", displayName: "张伟", roles: [.drafter]),
            User(name: "li.na", displayName: "李娜", roles: [.approver]),
        ])
        let channels = portals.map(\.channelKind)
        let workflow = NoticeWorkflow(store: store, users: users, channels: channels, withdrawChannels: channels,
                                      now: { instant })
        do {
            _ = try await workflow.importProject(Fixtures.sampleProject(), as: "zhang.wei")
            var ids: [String] = []
            for n in 1...notices {
                var content = Fixtures.preAnnouncement()
                content.documentNumber = "安政征预〔2026〕\(n)号"
                let v = try await workflow.draft(content, as: "zhang.wei")
                _ = try await workflow.submit(v.id, as: "zhang.wei")
                _ = try await workflow.approve(v.id, as: "li.na")
                ids.append(v.id)
            }
            await store.close()
            return ids
        } catch {
            await store.close()
            throw error
        }
    }

    static func count(_ store: SQLiteStore, _ state: DeliveryState) async throws -> Int {
        try await store.read { try $0.deliveries(DeliveryFilter(state: state, limit: 10_000)).count }
    }

    /// A list from one of the sandbox's `/_sandbox/…` endpoints, decoded with the sandbox's own types.
    static func admin<T: Decodable>(_ type: T.Type, port: UInt16, _ path: String, key: String) async throws -> T {
        let response = try await Loopback.request(port: port, "GET", path, timeout: .seconds(20))
        try #require(response.status == 200, "GET \(path): \(response.status)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: JSONSerialization.data(withJSONObject: object[key] ?? []))
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

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

/// A small seeded generator (SplitMix64), so a failing run's kill moments can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A loopback port nobody listens on right now (the OS's choice), for a child process to bind.
func freeLoopbackPort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw PortError() }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard ok else { throw PortError() }
    return UInt16(bigEndian: address.sin_port)
}

struct PortError: Error {}
