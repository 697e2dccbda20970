import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoCrypto
import GonggaoPoster
import Testing
import TestSupport

extension PrinterSuites {
    /// The print channel acknowledges on the PDF; the PNG preview pages follow from a queue of their own,
    /// recorded before the acknowledgment so a crash only delays them.
    @Suite("Preview pages after the PDF")
    struct SpoolPreviewsTests {
        let poster = PosterPrintingTests()

        func spoolRoot() -> URL {
            FileManager.default.temporaryDirectory.appendingPathComponent("previews-\(UUID().uuidString)")
        }

        func manifest(_ folder: URL) throws -> SpoolFolder.Manifest {
            try JSONDecoder().decode(SpoolFolder.Manifest.self, from: Data(contentsOf: folder.appendingPathComponent("ntc_poster-v1.json")))
        }

        func adapter(_ printing: PosterPrinting, _ spool: SpoolFolder, _ previews: SpoolPreviews) -> PrintAdapter {
            PrintAdapter(spool: spool, printer: nil, previews: previews) { try await printing.document(for: $0, pngPages: .later) }
        }

        @Test func thePDFIsAcknowledgedFirstAndThePagesFollow() async throws {
            let root = spoolRoot()
            defer { try? FileManager.default.removeItem(at: root) }
            let printing = try poster.printing()
            let spool = SpoolFolder(root: root.path)
            let previews = try printing.previews(spool: spool, logger: Logger.discard)
            defer { previews.stop() }
            let outcome = await adapter(printing, spool, previews).send(poster.request())
            guard case .delivered = outcome.kind else { Issue.record("not delivered: \(outcome)"); return }
            let folder = root.appendingPathComponent("安吉县/梅溪镇")
            let pdf = try [UInt8](Data(contentsOf: folder.appendingPathComponent("ntc_poster-v1.pdf")))
            await previews.drain()
            #expect(previews.pending == 0)
            let done = try manifest(folder)
            #expect(done.previewsPending == nil && done.dpi == 150)
            #expect(done.files["ntc_poster-v1.pdf"] == GonggaoCrypto.hex(GonggaoCrypto.sha256(pdf)))
            #expect(done.files.count == done.pages + 1)
            for page in 1...done.pages {
                let png = folder.appendingPathComponent("ntc_poster-v1-p\(page).png")
                let bytes = try [UInt8](Data(contentsOf: png))
                #expect(done.files[png.lastPathComponent] == GonggaoCrypto.hex(GonggaoCrypto.sha256(bytes)))
                #expect(ExternalTools.pngGeometry(bytes)?.width == 1240)
                #expect(try await ExternalTools.decodeQR(png.path) == "https://gg.example/p/\(Fixtures.projectKey)", "page \(page)")
            }
            // The job file is gone once its pages are written.
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: previews.jobFolder)) ?? []).isEmpty)
            // The same pages as the all-at-once render.
            let inline = try await printing.document(for: poster.request())
            #expect(try [UInt8](Data(contentsOf: folder.appendingPathComponent("ntc_poster-v1-p1.png"))) == inline.pngPages[0])
        }

        @Test func aCrashBeforeThePagesLeavesAJobTheNextRunRenders() async throws {
            let root = spoolRoot()
            defer { try? FileManager.default.removeItem(at: root) }
            let printing = try poster.printing()
            let spool = SpoolFolder(root: root.path)
            // A queue that is already stopped takes nothing: the process "dies" right after the acknowledgment.
            let dying = try printing.previews(spool: spool, logger: Logger.discard)
            dying.stop()
            let outcome = await adapter(printing, spool, dying).send(poster.request())
            guard case .delivered = outcome.kind else { Issue.record("not delivered: \(outcome)"); return }
            let folder = root.appendingPathComponent("安吉县/梅溪镇")
            let pending = try manifest(folder)
            #expect(pending.previewsPending == true && pending.dpi == nil)
            #expect(pending.files.keys.sorted() == ["ntc_poster-v1.pdf"])
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("ntc_poster-v1-p1.png").path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dying.jobFolder).count == 1)

            let next = try printing.previews(spool: spool, logger: Logger.discard)
            defer { next.stop() }
            #expect(next.recover() == 1)
            await next.drain()
            let done = try manifest(folder)
            #expect(done.previewsPending == nil && done.dpi == 150 && done.files.count == done.pages + 1)
            #expect(try await ExternalTools.decodeQR(folder.appendingPathComponent("ntc_poster-v1-p1.png").path)
                == "https://gg.example/p/\(Fixtures.projectKey)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: next.jobFolder).isEmpty)
        }

        @Test func aJobWithoutItsPDFWaitsForItsDeliveryAndIsDroppedAfterADay() async throws {
            let root = spoolRoot()
            defer { try? FileManager.default.removeItem(at: root) }
            let printing = try poster.printing()
            let spool = SpoolFolder(root: root.path)
            let previews = try printing.previews(spool: spool, logger: Logger.discard)
            defer { previews.stop() }
            let input = PosterInput(notice: poster.request().notice, project: Fixtures.sampleProject(),
                                    qrURL: "https://gg.example/p/\(Fixtures.projectKey)", postingPeriod: nil)
            let manifest = SpoolFolder.Manifest(noticeID: "ntc_poster", version: 1, kind: "pre-announcement", operation: "create",
                                                paper: "A4", pages: 1, dpi: nil, parcels: [], files: [:], previewsPending: true)
            // Recorded, but the delivery died before spooling the PDF: its retry will record it again.
            try previews.record(PreviewJob(county: "安吉县", township: "梅溪镇", baseName: "ntc_poster-v1", manifest: manifest,
                                           poster: PreviewJob.Poster(input)))
            #expect(previews.recover() == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: previews.jobFolder).count == 1)
            #expect(previews.recover(now: Date().addingTimeInterval(2 * 86_400)) == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: previews.jobFolder).isEmpty)
        }

        /// The renderers render side by side (one per core): eight sends at once give the bytes one alone gives.
        @Test func sendsRenderSideBySideWithTheSameBytes() async throws {
            let printing = try poster.printing()
            let alone = try await printing.document(for: poster.request(), pngPages: .none).pdf
            let together = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<8 { group.addTask { try await printing.document(for: poster.request(), pngPages: .none).pdf } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(together.count == 8 && together.allSatisfy { $0 == alone })
        }
    }
}
