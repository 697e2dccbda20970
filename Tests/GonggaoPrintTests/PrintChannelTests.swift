import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoCrypto
import Synchronization
import Testing
import TestSupport

extension PrinterSuites {
    /// The print channel against real parts: a spool folder on disk and a real IPP printer.
    @Suite("Print channel")
    struct PrintChannelTests {
        /// A one-page PDF (enough for a printer; the poster renderer's own tests check real posters).
        static let pdf: [UInt8] = Array("""
            %PDF-1.4
            1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
            2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
            3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
            trailer << /Root 1 0 R >>
            %%EOF
            """.utf8)

        func request(operation: ChannelOperation = .create) -> ChannelRequest {
            let project = Fixtures.sampleProject()
            var v = NoticeVersion(id: "ntc_print", version: 1, content: Fixtures.preAnnouncement(), drafter: "alice", at: Fixtures.t0)
            v.state = .approved
            let d = Delivery(id: "dlv_print", noticeID: v.id, version: 1, channel: "print", purpose: .publish, at: Fixtures.t0)
            return ChannelRequest(delivery: d, operation: operation, notice: v, corrects: nil, project: project,
                                  publicURL: "https://gg.example/p/\(project.key)", priorReceipt: nil, attempt: 1, now: Fixtures.t0)
        }

        func tempDir() throws -> URL {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }

        @Test func spoolsPdfPngPagesAndManifestAtomicallyAndIdempotently() async throws {
            let root = try tempDir()
            defer { try? FileManager.default.removeItem(at: root) }
            let pngs: [[UInt8]] = (1...2).map { page in [0x89, 0x50, 0x4E, 0x47, UInt8(page)] + Array(repeating: 7, count: 3_000_000) }
            let adapter = PrintAdapter(spool: SpoolFolder(root: root.path), printer: nil) { _ in
                PrintDocument(pdf: Self.pdf, pngPages: pngs, dpi: 300, paper: "A4", pages: 2)
            }
            // A print station polling the folder while we spool: it must never see a partial file.
            let folder = root.appendingPathComponent("安吉县/梅溪镇")
            let stop = Atomic<Bool>(false)
            let partials = Atomic<Int>(0)
            let watcher = Task.detached {
                while !stop.load(ordering: .relaxed) {
                    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where !name.contains(".tmp-") {
                        let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) ?? Data()
                        if name.hasSuffix(".png") && data.count != pngs[0].count { partials.add(1, ordering: .relaxed) }
                        if name.hasSuffix(".pdf") && Array(data) != Self.pdf { partials.add(1, ordering: .relaxed) }
                    }
                }
            }
            var manifests: [Data] = []
            for _ in 0..<5 {
                let outcome = await adapter.send(request())
                guard case .delivered(let receipt) = outcome.kind else { Issue.record("not delivered: \(outcome)"); return }
                #expect(receipt.publicURL?.hasSuffix("ntc_print-v1.json") == true)
                manifests.append(try Data(contentsOf: folder.appendingPathComponent("ntc_print-v1.json")))
            }
            stop.store(true, ordering: .relaxed)
            await watcher.value
            #expect(partials.load(ordering: .relaxed) == 0)
            #expect(Set(manifests).count == 1) // re-delivery rewrites identical bytes
            let manifest = try JSONDecoder().decode(SpoolFolder.Manifest.self, from: manifests[0])
            #expect(manifest.files == [
                "ntc_print-v1.pdf": GonggaoCrypto.hex(GonggaoCrypto.sha256(Self.pdf)),
                "ntc_print-v1-p1.png": GonggaoCrypto.hex(GonggaoCrypto.sha256(pngs[0])),
                "ntc_print-v1-p2.png": GonggaoCrypto.hex(GonggaoCrypto.sha256(pngs[1])),
            ])
            #expect(manifest.parcels == [Fixtures.parcel1, Fixtures.parcel2] && manifest.paper == "A4")
            #expect(manifest.pages == 2 && manifest.dpi == 300 && manifest.missingGlyphs == nil)
            #expect(try Data(contentsOf: folder.appendingPathComponent("ntc_print-v1-p2.png")) == Data(pngs[1]))
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(names == ["ntc_print-v1-p1.png", "ntc_print-v1-p2.png", "ntc_print-v1.json", "ntc_print-v1.pdf"])
        }

        @Test func aWithdrawalSpoolsBesideTheOriginalAndRecordsMissingGlyphs() async throws {
            let root = try tempDir()
            defer { try? FileManager.default.removeItem(at: root) }
            let adapter = PrintAdapter(spool: SpoolFolder(root: root.path), printer: nil) { request in
                let marker: [UInt8] = Array("%\(request.operation.rawValue)\n".utf8)
                return PrintDocument(pdf: Self.pdf + marker, paper: "A4", pages: 1,
                                     missingGlyphs: request.operation == .withdraw ? ["U+20000"] : [])
            }
            let folder = root.appendingPathComponent("安吉县/梅溪镇")
            guard case .delivered = await adapter.send(request()).kind else { Issue.record("publish not delivered"); return }
            let outcome = await adapter.send(request(operation: .withdraw))
            guard case .delivered(let receipt) = outcome.kind else { Issue.record("withdrawal not delivered: \(outcome)"); return }
            #expect(receipt.publicURL?.hasSuffix("ntc_print-v1-withdrawal.json") == true)
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(names == ["ntc_print-v1-withdrawal.json", "ntc_print-v1-withdrawal.pdf", "ntc_print-v1.json", "ntc_print-v1.pdf"])
            // The original is still the original: the withdrawal did not overwrite it.
            #expect(try Data(contentsOf: folder.appendingPathComponent("ntc_print-v1.pdf")) == Data(Self.pdf + Array("%create\n".utf8)))
            let manifest = try JSONDecoder().decode(SpoolFolder.Manifest.self,
                                                    from: Data(contentsOf: folder.appendingPathComponent("ntc_print-v1-withdrawal.json")))
            #expect(manifest.operation == "withdraw" && manifest.missingGlyphs == ["U+20000"] && manifest.dpi == nil)
            #expect(Set(manifest.files.keys) == ["ntc_print-v1-withdrawal.pdf"])
        }

        @Test func anUnwritableSpoolIsRetryableAndARenderingErrorPermanent() async throws {
            let blocked = try tempDir()
            defer { try? FileManager.default.removeItem(at: blocked) }
            let file = blocked.appendingPathComponent("not-a-folder")
            try Data("x".utf8).write(to: file)
            let spoolFails = PrintAdapter(spool: SpoolFolder(root: file.path), printer: nil) { _ in
                PrintDocument(pdf: Self.pdf, paper: "A4", pages: 1)
            }
            guard case .retryable = await spoolFails.send(request()).kind else { Issue.record("expected retryable"); return }
            struct Missing: Error, CustomStringConvertible { var description: String { "no glyph for 𠀀 in title" } }
            let renderFails = PrintAdapter(spool: SpoolFolder(root: blocked.path), printer: nil) { _ in throw Missing() }
            let outcome = await renderFails.send(request())
            #expect(outcome.kind == .rejected && outcome.reason.contains("𠀀"))
        }

        @Test func printsOnARealIPPPrinterAndABusyPrinterIsRetryable() async throws {
            let printer = try IPPTestPrinter()
            defer { printer.stop() }
            let adapter = PrintAdapter(spool: nil, printer: (IPPClient(), printer.uri)) { _ in
                PrintDocument(pdf: Self.pdf, paper: "A4", pages: 1)
            }
            let outcome = await adapter.send(request())
            guard case .delivered(let receipt) = outcome.kind else { Issue.record("not delivered: \(outcome)"); return }
            #expect(receipt.publicationID?.hasPrefix("ipp-job-") == true)
            // While it "prints" that job, ippeveprinter answers server-error-busy to the next one: the
            // adapter reports it as retryable (the engine tries again later), never as delivered or rejected.
            var busy: ChannelOutcome?
            for _ in 0..<20 where busy == nil {
                let next = await adapter.send(request())
                if case .retryable = next.kind, next.reason.contains("busy") || next.reason.contains("0507") { busy = next }
                if next.kind == .rejected { Issue.record("a busy printer is not a rejection: \(next)"); return }
            }
            let retry = try #require(busy, "ippeveprinter never answered busy")
            #expect(retry.reason.hasPrefix("printer: IPP 0507"), "\(retry.reason)")
            let spooled = try #require(try await printer.firstCompleteDocument())
            let same = Array(spooled) == Self.pdf
            if !same { try? spooled.write(to: URL(fileURLWithPath: "/tmp/ipp-spooled-\(#line).pdf")) }
            #expect(same, "spooled \(spooled.count) bytes, expected \(Self.pdf.count)")
        }

        @Test func aDocumentThePrinterRefusesIsAPermanentRejection() async throws {
            // This printer takes PWG raster only: it answers a PDF with a client error (ippeveprinter
            // says 040b, attributes-or-values-not-supported, naming document-format).
            let printer = try IPPTestPrinter(formats: "image/pwg-raster")
            defer { printer.stop() }
            let adapter = PrintAdapter(spool: nil, printer: (IPPClient(), printer.uri)) { _ in
                PrintDocument(pdf: Self.pdf, paper: "A4", pages: 1)
            }
            let outcome = await adapter.send(request())
            #expect(outcome.kind == .rejected, "\(outcome)")
            #expect(outcome.reason.hasPrefix("printer: IPP 04") && outcome.reason.contains("document-format"), "\(outcome.reason)")
            #expect(printer.spooledFiles().isEmpty)
        }

        @Test func anUnreachablePrinterIsRetryable() async throws {
            let port = try FreePort.find()
            let result = await IPPClient().print(Self.pdf, jobName: "x", printerURI: "ipp://localhost:\(port)/ipp/print", timeout: .seconds(2))
            guard case .retryable = result else { Issue.record("expected retryable, got \(result)"); return }
            let bad = await IPPClient().print(Self.pdf, jobName: "x", printerURI: "http://localhost/x", timeout: .seconds(2))
            guard case .rejected = bad else { Issue.record("expected rejected, got \(bad)"); return }
        }

        func eventuallyTrue(_ condition: () -> Bool) async throws -> Bool {
            for _ in 0..<100 {
                if condition() { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return condition()
        }
    }
}
