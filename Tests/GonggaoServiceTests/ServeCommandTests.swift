import Foundation
import HTTPTestSupport
import Testing
import TestSupport

/// `gonggao serve`, the built binary on an ephemeral port: the README's walk-through over real HTTP
/// (import → draft → submit → approve as another user → deliveries → poster → parcel page), then a
/// graceful SIGTERM.
@Suite(.serialized) struct ServeCommandTests {
    static let project = GonggaoBinary.sample("anji-meixi-2026-37.project.json")
    static let notice = GonggaoBinary.sample("anji-meixi-2026-37.pre-announcement.json")

    /// Starts `serve` and returns it with its port once it prints `serving on http://HOST:PORT`.
    static func serve(_ sandbox: CLISandbox, _ extra: [String] = []) async throws -> (RunningProcess, UInt16) {
        let process = try sandbox.start(["serve", "--port", "0"] + extra)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let line = process.stdoutSoFar.split(separator: "\n").first(where: { $0.hasPrefix("serving on http://") }),
               let port = line.split(separator: ":").last.flatMap({ UInt16($0) }) {
                return (process, port)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let stderr = process.stderrSoFar
        process.stopBlocking()
        throw ServeDidNotStart(stderr: stderr)
    }

    static func call(_ port: UInt16, _ method: String, _ path: String, token: String? = nil, file: String? = nil)
        async throws -> LoopbackResponse
    {
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        var body: [UInt8] = []
        if let file {
            body = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            headers.append(("Content-Type", "application/json"))
        }
        return try await Loopback.request(port: port, method, path, headers: headers, body: body)
    }

    @Test func theWalkThroughOverHTTPThenAGracefulStop() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.cleanup() }
        _ = try await sandbox.ok(["init"])
        let drafter = try await sandbox.ok(["token", "create", "--user", "zhang.wei"])
        let approver = try await sandbox.ok(["token", "create", "--user", "li.na"])
        let (server, port) = try await Self.serve(sandbox)
        defer { server.stopBlocking() }

        #expect(try await Self.call(port, "GET", "/healthz").status == 200)
        let ready = try await Self.call(port, "GET", "/readyz")
        #expect(ready.status == 200 && ready.text.contains("\"workers\":\"ok\""), "\(ready.text)")
        #expect(try await Self.call(port, "GET", "/api/notices").status == 401)

        let imported = try await Self.call(port, "POST", "/api/projects", token: drafter, file: Self.project)
        #expect([200, 201].contains(imported.status), "\(imported.text)")
        let drafted = try await Self.call(port, "POST", "/api/notices", token: drafter, file: Self.notice)
        #expect(drafted.status == 201, "\(drafted.text)")
        let id = try #require(drafted.json?["id"] as? String)
        #expect(try await Self.call(port, "POST", "/api/notices/\(id)/submit", token: drafter).status == 200)
        #expect(try await Self.call(port, "POST", "/api/notices/\(id)/approve", token: drafter).status == 403,
                "four-eyes: the drafter cannot approve")
        let approved = try await Self.call(port, "POST", "/api/notices/\(id)/approve", token: approver)
        #expect(approved.status == 200, "\(approved.text)")
        let again = try await Self.call(port, "POST", "/api/notices/\(id)/approve", token: approver)
        #expect(again.status == 200)
        let ids = { (r: LoopbackResponse) in (r.json?["deliveries"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
        #expect(ids(approved).count == 4 && ids(again) == ids(approved), "approve is idempotent over HTTP")

        // The workers of this process spool the poster at once (the portals point at a closed port and retry).
        var printState = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline && printState != "delivered" {
            let show = try await Self.call(port, "GET", "/api/notices/\(id)", token: drafter)
            let channels = show.json?["channels"] as? [[String: Any]] ?? []
            printState = channels.first { $0["channel"] as? String == "print" }?["state"] as? String ?? ""
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(printState == "delivered")

        let pdf = try await Self.call(port, "GET", "/api/notices/\(id)/versions/1/poster.pdf", token: drafter)
        #expect(pdf.status == 200 && pdf.header("Content-Type") == "application/pdf")
        #expect(pdf.body.starts(with: Array("%PDF-".utf8)))
        let png = try await Self.call(port, "GET", "/api/notices/\(id)/versions/1/poster.png", token: drafter)
        #expect(png.status == 200 && png.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))

        let page = try await Self.call(port, "GET", "/p/330523-2026-37")
        #expect(page.status == 200 && page.text.contains("安吉县人民政府征收土地预公告"))
        #expect(try await Self.call(port, "GET", "/p/330523-2026-99").status == 404)
        let metrics = try await Self.call(port, "GET", "/metrics")
        #expect(metrics.text.contains("gonggao_deliveries{channel=\"print\",state=\"delivered\"} 1"))

        kill(server.pid, SIGTERM)
        let ended = await server.wait(timeout: .seconds(40))
        #expect(ended.status == 0, "\(ended)")
        #expect(ended.stderr.contains("\"msg\":\"service stopped\""))
        #expect(!ended.stderr.contains(drafter) && !ended.stderr.contains(approver), "tokens never appear in logs")
    }

    @Test func noWorkersServesHTTPOnlyAndBadOptionsAreUsageErrors() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.cleanup() }
        _ = try await sandbox.ok(["init"])
        let (server, port) = try await Self.serve(sandbox, ["--no-workers"])
        defer { server.stopBlocking() }
        let ready = try await Self.call(port, "GET", "/readyz")
        #expect(ready.status == 200 && ready.text.contains("not-configured"), "\(ready.text)")
        kill(server.pid, SIGINT)
        #expect(await server.wait(timeout: .seconds(20)).status == 0)

        let badPort = try await sandbox.run(["serve", "--port", "70000"])
        #expect(badPort.status == 2 && badPort.stderr.contains("--port"))
        let taken = try await sandbox.run(["serve", "--port", "\(port)", "--host", "256.1.1.1"])
        #expect(taken.status != 0 && taken.stderrLines.count == 1, "\(taken)")
    }
}

/// `gonggao serve` printed no "serving on" line in time.
struct ServeDidNotStart: Error, CustomStringConvertible {
    var stderr: String
    var description: String { "gonggao serve did not start:\n\(stderr)" }
}
