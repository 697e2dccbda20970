import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoPoster
import Testing
import TestSupport

/// The print channel with the real renderer: the poster a printer receives is the poster we mean.
@Suite("Print channel with real posters", .serialized)
struct PosterPrintingTests {
    func printing() throws -> PosterPrinting {
        let path = GonggaoBinary.repositoryRoot.appendingPathComponent("Templates/posters/a4.json").path
        return try PosterPrinting(template: try PosterTemplate.load(path: path), publicBaseURL: "https://gg.example")
    }

    func request(version: Int = 1, operation: ChannelOperation = .create) -> ChannelRequest {
        var v = NoticeVersion(id: "ntc_poster", version: version, content: Fixtures.preAnnouncement(), drafter: "alice", at: Fixtures.t0)
        v.state = .approved
        v.approvedAt = Fixtures.t0
        var older = v
        older.version = 1
        let d = Delivery(id: "dlv_poster", noticeID: v.id, version: version, channel: "print", purpose: .publish, at: Fixtures.t0)
        return ChannelRequest(delivery: d, operation: operation, notice: v, corrects: version > 1 ? older : nil,
                              project: Fixtures.sampleProject(), publicURL: "https://gg.example/p/\(Fixtures.projectKey)",
                              priorReceipt: nil, attempt: 1, now: Fixtures.t0)
    }

    func tool(_ path: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func spooledPosterCarriesTheNoticeAndAScannableQR() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let printing = try printing()
        let adapter = PrintAdapter(spool: SpoolFolder(root: root.path), printer: nil) { try await printing.document(for: $0) }
        let outcome = await adapter.send(request())
        guard case .delivered = outcome.kind else { Issue.record("not delivered: \(outcome)"); return }
        let folder = root.appendingPathComponent("安吉县/梅溪镇")
        let pdf = folder.appendingPathComponent("ntc_poster-v1.pdf").path
        let text = try tool("/usr/bin/pdftotext", [pdf, "-"]).filter { !$0.isWhitespace }
        #expect(text.contains("安吉县人民政府征收土地预公告"))
        #expect(text.contains("安政征预〔2026〕37号"))
        let png = folder.appendingPathComponent("ntc_poster-v1.png").path
        let decoded = try tool("/usr/bin/zbarimg", ["--nodbus", "-q", "--raw", png]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(decoded == "https://gg.example/p/\(Fixtures.projectKey)")
        // Re-delivery writes the very same bytes (creation date fixed to the approval time).
        let first = try Data(contentsOf: URL(fileURLWithPath: pdf))
        _ = await adapter.send(request())
        #expect(try Data(contentsOf: URL(fileURLWithPath: pdf)) == first)
    }

    @Test func correctionsAndWithdrawalsAreMarked() async throws {
        let printing = try printing()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("marks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, req) in [("correction", request(version: 2)), ("withdrawal", request(operation: .withdraw))] {
            let doc = try await printing.document(for: req)
            let file = dir.appendingPathComponent("\(name).pdf")
            try Data(doc.pdf).write(to: file)
            let text = try tool("/usr/bin/pdftotext", [file.path, "-"]).filter { !$0.isWhitespace }
            #expect(text.contains(name == "correction" ? "更正" : "撤回"), "\(name)")
        }
    }

    @Test func theIPPPrinterSpoolsExactlyThePosterPDF() async throws {
        let printer = try IPPTestPrinter()
        defer { printer.stop() }
        let printing = try printing()
        let adapter = PrintAdapter(spool: nil, printer: (IPPClient(), printer.uri)) { try await printing.document(for: $0) }
        let outcome = await adapter.send(request())
        guard case .delivered(let receipt) = outcome.kind else { Issue.record("not delivered: \(outcome)"); return }
        #expect(receipt.publicationID?.hasPrefix("ipp-job-") == true)
        let expected = try await printing.document(for: request()).pdf
        let spooled = try #require(try await printer.firstCompleteDocument())
        let same = Array(spooled) == expected
        if !same { try? spooled.write(to: URL(fileURLWithPath: "/tmp/ipp-spooled-\(#line).pdf")) }
        #expect(same, "spooled \(spooled.count) bytes, expected \(expected.count)")
    }
}
