import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoCrypto
import GonggaoPoster
import Testing
import TestSupport

extension PrinterSuites {
    /// The print channel with the real renderer: the poster a printer receives is the poster we mean.
    @Suite("Print channel with real posters")
    struct PosterPrintingTests {
        func printing(dpi: Int? = nil) throws -> PosterPrinting {
            let path = GonggaoBinary.repositoryRoot.appendingPathComponent("Templates/posters/a4.json").path
            let template = try PosterTemplate.load(path: path)
            if let dpi { return try PosterPrinting(template: template, publicBaseURL: "https://gg.example", dpi: dpi) }
            return try PosterPrinting(template: template, publicBaseURL: "https://gg.example")
        }

        func request(version: Int = 1, operation: ChannelOperation = .create, body: [String]? = nil) -> ChannelRequest {
            var content = Fixtures.preAnnouncement()
            if let body { content.body = body }
            var v = NoticeVersion(id: "ntc_poster", version: version, content: content, drafter: "alice", at: Fixtures.t0)
            v.state = operation == .withdraw ? .withdrawn : .approved
            v.approvedAt = Fixtures.t0
            if operation == .withdraw { v.withdrawnAt = Fixtures.t0.addingTimeInterval(86_400 * 3) }
            var older = v
            older.version = 1
            older.content.documentNumber = "安政征预〔2026〕36号"
            let d = Delivery(id: "dlv_poster", noticeID: v.id, version: version, channel: "print", purpose: .publish, at: Fixtures.t0)
            return ChannelRequest(delivery: d, operation: operation, notice: v, corrects: version > 1 ? older : nil,
                                  project: Fixtures.sampleProject(), publicURL: "https://gg.example/p/\(Fixtures.projectKey)",
                                  priorReceipt: nil, attempt: 1, now: Fixtures.t0)
        }

        @Test func spooledPosterCarriesTheNoticeAndAScannableQROnEveryPage() async throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let printing = try printing()
            // The PDF is what gets printed; the PNG pages beside it are previews, by default at the preview dpi.
            #expect(printing.dpi == 150 && printing.previewDPI == 150)
            let adapter = PrintAdapter(spool: SpoolFolder(root: root.path), printer: nil) { try await printing.document(for: $0) }
            // A body long enough for two pages or more: every page gets its own PNG.
            let body = Fixtures.preAnnouncement().body + (1...40).map { "第\($0)条　" + String(repeating: "征收范围内的土地现状以附图为准，", count: 4) }
            let outcome = await adapter.send(request(body: body))
            guard case .delivered = outcome.kind else { Issue.record("not delivered: \(outcome)"); return }
            let folder = root.appendingPathComponent("安吉县/梅溪镇")
            let pdf = folder.appendingPathComponent("ntc_poster-v1.pdf").path
            let text = try await ExternalTools.pdfText(pdf)
            #expect(text.contains("安吉县人民政府征收土地预公告"))
            #expect(text.contains("安政征预〔2026〕37号"))
            let pages = try #require(Int(try await ExternalTools.pdfInfo(pdf)["Pages"] ?? ""))
            #expect(pages >= 2)
            let manifestURL = folder.appendingPathComponent("ntc_poster-v1.json")
            let manifest = try JSONDecoder().decode(SpoolFolder.Manifest.self, from: Data(contentsOf: manifestURL))
            #expect(manifest.pages == pages && manifest.dpi == 150)
            #expect(manifest.files.count == pages + 1)
            for page in 1...pages {
                let png = folder.appendingPathComponent("ntc_poster-v1-p\(page).png")
                let bytes = try [UInt8](Data(contentsOf: png))
                #expect(manifest.files[png.lastPathComponent] == GonggaoCrypto.hex(GonggaoCrypto.sha256(bytes)))
                // 150 dpi = 5906 pixels per metre; A4 is 1240 pixels wide at 150 dpi.
                let geometry = try #require(ExternalTools.pngGeometry(bytes))
                #expect(geometry.pixelsPerMetre == 5906 && geometry.width == 1240, "page \(page)")
                #expect(try await ExternalTools.decodeQR(png.path) == "https://gg.example/p/\(Fixtures.projectKey)", "page \(page)")
            }
            // Re-delivery writes the very same bytes (creation date fixed to the approval time).
            let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
                try Data(contentsOf: folder.appendingPathComponent($0))
            }
            _ = await adapter.send(request(body: body))
            let after = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
                try Data(contentsOf: folder.appendingPathComponent($0))
            }
            #expect(before == after)
        }

        /// `poster.printDPI` 300, for print shops that print from the PNGs.
        @Test func printShopsCanHave300DPIPages() async throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let printing = try printing(dpi: 300)
            let adapter = PrintAdapter(spool: SpoolFolder(root: root.path), printer: nil) { try await printing.document(for: $0) }
            let outcome = await adapter.send(request())
            guard case .delivered = outcome.kind else { Issue.record("not delivered: \(outcome)"); return }
            let folder = root.appendingPathComponent("安吉县/梅溪镇")
            let manifest = try JSONDecoder().decode(SpoolFolder.Manifest.self,
                                                    from: Data(contentsOf: folder.appendingPathComponent("ntc_poster-v1.json")))
            #expect(manifest.dpi == 300)
            let png = folder.appendingPathComponent("ntc_poster-v1-p1.png")
            // 300 dpi = 11811 pixels per metre; A4 is 2480 pixels wide at 300 dpi.
            let geometry = try #require(ExternalTools.pngGeometry(try [UInt8](Data(contentsOf: png))))
            #expect(geometry.pixelsPerMetre == 11811 && geometry.width == 2480)
            #expect(try await ExternalTools.decodeQR(png.path) == "https://gg.example/p/\(Fixtures.projectKey)")
        }

        @Test func correctionsAndWithdrawalsAreMarked() async throws {
            let printing = try printing()
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("marks-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let expected = [
                // The correction names the document number of the version it corrects (v1: 36号).
                ("correction", request(version: 2), "更正公告：本版（第2版）更正安政征预〔2026〕36号（第1版）"),
                // The withdrawal is dated when the notice was withdrawn (t0 + 3 days, Shanghai time).
                ("withdrawal", request(operation: .withdraw), "撤回公告：本公告已于2026年12月4日撤回，原公告内容作废"),
            ]
            for (name, req, mark) in expected {
                let doc = try await printing.document(for: req)
                let file = dir.appendingPathComponent("\(name).pdf")
                try Data(doc.pdf).write(to: file)
                let text = try await ExternalTools.pdfText(file.path)
                #expect(text.contains(mark), "\(name): \(text.prefix(200))")
            }
            // The first publication carries no mark.
            let plain = dir.appendingPathComponent("plain.pdf")
            try Data(try await printing.document(for: request()).pdf).write(to: plain)
            let text = try await ExternalTools.pdfText(plain.path)
            #expect(!text.contains("更正") && !text.contains("撤回公告"))
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
}
