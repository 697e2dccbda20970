import Foundation
import GonggaoCore
import GonggaoStore
import Testing
import TestSupport

/// Eight `gonggao notice approve` processes released together approve one notice exactly once.
@Suite(.serialized) struct BarrierApproveTests {
    static let rounds = 20
    static let racers = 8

    /// Each racer is `sh -c '<script>' sh gonggao notice approve …`: it says it is ready, blocks reading
    /// one byte from the FIFO, then execs gonggao. The test holds the FIFO open for reading and writing
    /// (so no racer blocks in open() and none can miss the release), waits until all are ready, then
    /// writes one byte per racer in a single write: the waiting racers are released at once.
    static let script = #"printf x >> "$READY"; head -c 1 "$FIFO" > /dev/null; exec "$@""#

    @Test func eightProcessesApproveOnceTwentyRounds() async throws {
        let sandbox = try await Flow.withProject()
        defer { sandbox.cleanup() }

        for round in 1...Self.rounds {
            let id = try await Flow.submitted(sandbox)
            let results = try await Self.race(sandbox, round: round, arguments: ["notice", "approve", id, "--as", "li.na", "--config", sandbox.configPath])

            #expect(results.allSatisfy { $0.status == 0 }, "round \(round): \(results.filter { $0.status != 0 })")
            let approved = results.filter { $0.stdout.hasPrefix("approved \(id)/v1, 4 deliveries queued") }
            let already = results.filter { $0.stdout.hasPrefix("already approved \(id)/v1") }
            #expect(approved.count == 1, "round \(round): \(results.map(\.stdout))")
            #expect(already.count == Self.racers - 1, "round \(round): \(results.map(\.stdout))")
            #expect(!results.contains { $0.stderr.localizedCaseInsensitiveContains("locked") || $0.stderr.localizedCaseInsensitiveContains("busy") },
                    "round \(round): \(results.map(\.stderr))")

            let (approvals, deliveries) = try await Self.storeFacts(sandbox, notice: id)
            #expect(approvals == 1, "round \(round): one notice.approve audit entry")
            #expect(deliveries.sorted() == CLISandbox.channels.sorted(), "round \(round): one delivery per channel")
        }
        #expect(try await sandbox.ok(["audit", "verify"]).hasPrefix("audit chain OK: "))
    }

    /// Starts the racers behind the barrier, releases them together and collects their results.
    static func race(_ sandbox: CLISandbox, round: Int, arguments: [String]) async throws -> [ProcessResult] {
        let fifo = sandbox.directory.appendingPathComponent("barrier-\(round).fifo").path
        let ready = sandbox.directory.appendingPathComponent("ready-\(round)").path
        guard mkfifo(fifo, 0o600) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        // O_RDWR on a FIFO never blocks on Linux and keeps a writer present until we close it.
        let fd = open(fifo, O_RDWR)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(fd) }

        var env = sandbox.environment
        env["FIFO"] = fifo
        env["READY"] = ready
        var running: [RunningProcess] = []
        for _ in 0..<Self.racers {
            running.append(try ProcessRunner.start("/bin/sh", ["-c", script, "sh", GonggaoBinary.path] + arguments,
                                                  environment: env, directory: sandbox.directory, scratch: sandbox.directory))
        }
        let deadline = ContinuousClock.now + .seconds(30)
        func readyCount() -> Int { (try? FileManager.default.attributesOfItem(atPath: ready)[.size] as? Int) ?? 0 }
        while readyCount() < running.count && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(readyCount() == running.count, "every racer reached the barrier before the release")
        try await Task.sleep(for: .milliseconds(20)) // let the last reader reach read()
        let release = [UInt8](repeating: UInt8(ascii: "x"), count: running.count)
        let written = release.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        #expect(written == running.count)

        var results: [ProcessResult] = []
        for racer in running { results.append(await racer.wait(timeout: .seconds(120))) }
        return results
    }

    /// How many `notice.approve` entries the audit log holds for the notice, and its deliveries' channels.
    static func storeFacts(_ sandbox: CLISandbox, notice id: String) async throws -> (Int, [String]) {
        let store = try SQLiteStore(path: sandbox.storePath)
        let facts = try await store.read { tx in
            var approvals = 0
            var after: Int64 = 0
            while true {
                let page = try tx.auditEntries(after: after, limit: 1000)
                approvals += page.filter { $0.action == "notice.approve" && $0.subject.hasPrefix(id + "/") }.count
                guard let last = page.last else { break }
                after = last.seq
            }
            let channels = try tx.deliveries(DeliveryFilter(noticeID: id)).map(\.channel)
            return (approvals, channels)
        }
        await store.close()
        return facts
    }
}
