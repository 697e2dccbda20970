import Foundation
import GonggaoCore
import Testing

@testable import GonggaoPoster

/// Whole posters, checked with independent tools (zbarimg, poppler). Serialized: each test spawns
/// several processes and the machine's cores are shared.
@Suite(.serialized) struct PosterRenderTests {
    static let templates = ["a4", "a3"]

    /// Writes the poster's files into a scratch directory.
    static func write(_ poster: RenderedPoster, _ name: String) throws -> (dir: URL, pdf: URL, pngs: [URL]) {
        let dir = try Fixtures.scratch(name)
        let pdf = dir.appendingPathComponent("poster.pdf")
        try Data(poster.pdf ?? []).write(to: pdf)
        var pngs: [URL] = []
        for (i, png) in poster.pngPages.enumerated() {
            let url = dir.appendingPathComponent("poster-\(i + 1).png")
            try Data(png).write(to: url)
            pngs.append(url)
        }
        return (dir, pdf, pngs)
    }

    /// Text with every kind of whitespace removed (pdftotext breaks lines and may space justified text).
    static func squeeze(_ text: String) -> String {
        String(text.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
    }

    @Test(.enabled(if: Tools.shouldRun), arguments: templates)
    func qrDecodesToExactlyTheURLFromPNGAndFromThePDFAtSeventyTwoDPI(template: String) throws {
        let poster = try Fixtures.renderer(template).render(Fixtures.input(), format: .both, dpi: 150)
        let files = try Self.write(poster, "qr-\(template)")
        #expect(poster.pageCount == files.pngs.count)
        for page in 1...poster.pageCount {
            #expect(try Tools.decodeQR(files.pngs[page - 1]) == Fixtures.url, "PNG page \(page)")
            let raster = try Tools.rasterize(files.pdf, page: page, dpi: 72)
            #expect(try Tools.decodeQR(raster) == Fixtures.url, "pdftoppm -r 72 page \(page)")
        }
    }

    @Test(.enabled(if: Tools.shouldRun), arguments: templates)
    func printedModuleIsAtLeastOneMillimetre(template: String) throws {
        let renderer = try Fixtures.renderer(template)
        // The longest URL allowed gives the densest code.
        let longest = "https://gg.anji.gov.cn/p/" + String(repeating: "k", count: 55)
        #expect(longest.utf8.count == 80)
        for url in [Fixtures.url, longest] {
            let poster = try renderer.render(Fixtures.input(url: url), format: .pdf)
            #expect(poster.qr.moduleMM >= 1.0)
            #expect(abs(poster.qr.sizeMM - poster.qr.moduleMM * Double(poster.qr.modulesWithQuietZone)) < 1e-6)

            // Independently, from the PDF's pixels: the dark extent of the code at 300 dpi / symbol modules.
            let files = try Self.write(poster, "module-\(template)")
            let pgm = try Tools.rasterize(files.pdf, page: 1, dpi: 300, gray: true)
            let image = try PGM(Array(Data(contentsOf: pgm)))
            let px = 300 / 25.4
            let box = (
                x0: Int(poster.qr.x * px), y0: Int(poster.qr.y * px),
                x1: Int((poster.qr.x + poster.qr.sizeMM) * px), y1: Int((poster.qr.y + poster.qr.sizeMM) * px)
            )
            let dark = try #require(image.darkBounds(x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1))
            let symbolModules = Double(poster.qr.modulesWithQuietZone - 8)
            let measuredModuleMM = Double(dark.x1 - dark.x0 + 1) / px / symbolModules
            #expect(measuredModuleMM >= 1.0, "measured \(measuredModuleMM) mm per module")
            #expect(abs(measuredModuleMM - poster.qr.moduleMM) < 0.05)
            #expect(try Tools.decodeQR(Tools.rasterize(files.pdf, page: 1, dpi: 72)) == url)
        }
    }

    @Test(.enabled(if: Tools.shouldRun), arguments: templates)
    func pdfEmbedsEveryFontAndCarriesAllTheText(template: String) throws {
        let input = Fixtures.input()
        let poster = try Fixtures.renderer(template).render(input, format: .pdf)
        let files = try Self.write(poster, "text-\(template)")

        let fonts = try Tools.run("pdffonts", [files.pdf.path]).split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for line in fonts {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            // name type… encoding emb sub uni object ID: emb is the 5th field from the end.
            #expect(columns.count >= 7 && columns[columns.count - 5] == "yes", "not embedded: \(line)")
            #expect(line.contains("CJKsc"), "unexpected face: \(line)")
        }
        #expect(fonts.count <= 2)

        var text = try Tools.run("pdftotext", [files.pdf.path, "-"])
        // Drop what repeats on every page, so paragraphs split over a page break read through.
        text = text.replacingOccurrences(of: "扫码查看地块信息及征收进度", with: "")
            .replacingOccurrences(of: Fixtures.url, with: "")
        text = text.replacingOccurrences(
            of: #"公告编号\s*\S+\s*第\d+版\s*第\d+/\d+页\s*校验码\s*[0-9A-Z]{8}"#, with: "",
            options: .regularExpression)
        let squeezed = Self.squeeze(text)
        #expect(squeezed.contains(Self.squeeze(input.content.title)))
        #expect(squeezed.contains(input.content.documentNumber))
        #expect(squeezed.contains(input.content.issuer))
        for (i, paragraph) in input.content.body.enumerated() {
            #expect(squeezed.contains(Self.squeeze(paragraph)), "body[\(i)] missing from pdftotext")
        }
        #expect(squeezed.contains("本公告张贴期限不少于十个工作日"))
        #expect(squeezed.contains("2026年12月1日"))
        for parcel in Fixtures.sampleParcels { #expect(squeezed.contains(parcel.key)) }
        // Footer on every page with page x/y and the verification code.
        let raw = try Tools.run("pdftotext", [files.pdf.path, "-"])
        for page in 1...poster.pageCount {
            #expect(Self.squeeze(raw).contains("第\(page)/\(poster.pageCount)页"))
        }
        #expect(raw.components(separatedBy: poster.verificationCode).count - 1 == poster.pageCount)
        #expect(poster.verificationCode == VerificationCode.of(contentHash: input.contentHash))
    }

    @Test(arguments: [150, 300]) func pngPhysicalSizeMatchesTheDPI(dpi: Int) throws {
        let poster = try Fixtures.renderer("a4").render(Fixtures.input(), format: .png, dpi: dpi)
        #expect(poster.pdf == nil)
        for png in poster.pngPages {
            let chunks = try PNGChunks(png)
            let phys = try #require(chunks.physical)
            #expect(phys.unit == 1)
            #expect(phys.x == phys.y)
            #expect(abs(Double(phys.x) * 0.0254 - Double(dpi)) < 0.5)
            // A4 at the dpi, to the pixel.
            #expect(chunks.width == Int((210 / 25.4 * Double(dpi)).rounded()))
            #expect(chunks.height == Int((297 / 25.4 * Double(dpi)).rounded()))
            #expect(chunks.colorType == 2)
            #expect(chunks.texts["Title"] == "安吉县人民政府征收土地预公告")
            #expect(chunks.texts["Notice"] == "ntc_3k9v0q7m2xwe")
            #expect(chunks.texts["Version"] == "2")
        }
    }

    @Test(.enabled(if: Tools.shouldRun)) func twoHundredParcelsContinueTheTableOnLaterPages() throws {
        let project = Fixtures.bigProject(count: 200)
        let content = Fixtures.content(parcels: project.parcels.map(\.key))
        let poster = try Fixtures.renderer("a4").render(
            Fixtures.input(content: content, project: project), format: .pdf)
        #expect(poster.pageCount > 3)
        let files = try Self.write(poster, "parcels")
        let text = Self.squeeze(try Tools.run("pdftotext", [files.pdf.path, "-"]))
        #expect(text.contains("330523-2026-37-200"))
        #expect(text.contains("330523-2026-37-1"))
        // Every parcel row is on some page, once.
        let rows = poster.layout.pages.flatMap { $0 }.filter {
            $0.role == "table" && $0.text?.hasPrefix("330523-2026-37-") == true
        }
        #expect(Set(rows.compactMap(\.text)).count == 200)
        // Continuation pieces repeat the heading and the header row.
        let continued = poster.layout.pages.filter { $0.contains { $0.text == "附件1：拟征收地块一览表（续）" } }
        #expect(continued.count >= 2)
        for page in continued { #expect(page.contains { $0.role == "tableHeader" && $0.text == "地块编号" }) }
        #expect(text.contains("合计200宗"))
    }

    @Test func bodyAtTheStoreMaximumRendersSeveralPagesInBoundedTime() throws {
        let sentence = "被征收土地的所有权人、使用权人应当在规定期限内办理补偿登记，逾期未登记的，其补偿内容以前期调查结果为准。"
        var body: [String] = []
        var total = 0
        while total < NoticeContent.maxBodyCharacters {
            var paragraph = String(repeating: sentence, count: 8)
            paragraph = String(paragraph.prefix(NoticeContent.maxBodyCharacters - total))
            body.append(paragraph)
            total += paragraph.count
        }
        #expect(total == NoticeContent.maxBodyCharacters)
        let input = Fixtures.input(content: Fixtures.content(body: body))
        let clock = ContinuousClock()
        var poster: RenderedPoster?
        let elapsed = try clock.measure { poster = try Fixtures.renderer("a4").render(input, format: .both, dpi: 72) }
        let pages = try #require(poster).pageCount
        #expect(pages >= 20)
        #expect(poster?.pngPages.count == pages)
        #expect(elapsed < .seconds(30), "took \(elapsed)")
        try checkNothingOverflows(poster!.layout, template: Fixtures.template("a4"))
    }

    @Test func longTitleWrapsInsideTheTextBlock() throws {
        let title = "安吉县人民政府关于梅溪镇2026年度第37批次城镇建设用地涉及红庙村、荆湾村部分集体土地征收的征收土地预公告"
        let poster = try Fixtures.renderer("a4").render(
            Fixtures.input(content: Fixtures.content(title: title)), format: .pdf)
        let lines = poster.layout.pages[0].filter { $0.role == "title" }
        #expect(lines.count >= 2)
        #expect(lines.compactMap(\.text).joined() == title)
        try checkNothingOverflows(poster.layout, template: Fixtures.template("a4"))
    }

    @Test func textNeverOverflowsItsRegions() throws {
        for name in Self.templates {
            let project = Fixtures.bigProject(count: 60)
            let content = Fixtures.content(parcels: project.parcels.map(\.key))
            let layout = try Fixtures.renderer(name).layout(Fixtures.input(content: content, project: project))
            try checkNothingOverflows(layout, template: Fixtures.template(name))
        }
    }

    /// Every text box lies inside the page's text block or its own fixed region, and flow text never
    /// touches the QR block.
    func checkNothingOverflows(_ layout: PosterLayout, template: PosterTemplate) throws {
        let body = template.regions.body
        let qr = template.regions.qr
        let footer = template.regions.footer
        let tolerance = 0.15
        func inside(_ b: PosterLayout.Box, _ r: PosterTemplate.Region) -> Bool {
            b.x >= r.x - tolerance && b.y >= r.y - tolerance && b.x + b.width <= r.maxX + tolerance
                && b.y + b.height <= r.maxY + tolerance
        }
        for (p, page) in layout.pages.enumerated() {
            let qrBox = try #require(page.first { $0.kind == "qr" })
            for box in page where box.kind == "text" {
                switch box.role {
                case "footer": #expect(inside(box, footer), "page \(p + 1): \(box)")
                case "qrCaption", "qrURL": #expect(inside(box, qr), "page \(p + 1): \(box)")
                default:
                    #expect(inside(box, body), "page \(p + 1): \(box)")
                    let overlapsQR =
                        box.x < qrBox.x + qrBox.width && box.x + box.width > qrBox.x
                        && box.y < qrBox.y + qrBox.height && box.y + box.height > qrBox.y
                    #expect(!overlapsQR, "page \(p + 1): \(box) overlaps the QR code")
                }
            }
        }
    }

    @Test func urlOverEightyBytesIsRefused() throws {
        let url = "https://gg.anji.gov.cn/p/" + String(repeating: "k", count: 56)
        #expect(throws: QRError.urlTooLong(bytes: 81, max: 80)) {
            try Fixtures.renderer("a4").render(Fixtures.input(url: url))
        }
    }

    @Test func missingGlyphsAreListedWithWhereTheyOccur() throws {
        var body = Fixtures.sampleBody
        body[1] += "（地块内有𰀀姓农户）"
        let content = Fixtures.content(title: "征收土地预公告😀", body: body)
        let error = try #require(throws: PosterError.self) {
            try Fixtures.renderer("a4").render(Fixtures.input(content: content))
        }
        guard case .missingGlyphs(let glyphs) = error else {
            Issue.record("expected missingGlyphs, got \(error)")
            return
        }
        #expect(glyphs.map(\.codePoint) == ["U+1F600", "U+30000"])
        #expect(glyphs[0].locations == ["title"])
        #expect(glyphs[1].locations == ["body[1]"])
        #expect(error.description.contains("'𰀀' U+30000 in body[1]"))
        #expect(error.description.contains("U+1F600 in title"))
    }

    @Test(.enabled(if: Tools.shouldRun)) func allowMissingGlyphsRendersAndRecordsThem() throws {
        var body = Fixtures.sampleBody
        body[0] += "𰀀"
        let refused = #expect(throws: PosterError.self) {
            try Fixtures.renderer("a4").render(Fixtures.input(content: Fixtures.content(body: body)))
        }
        // The error names the CLI flag that overrides it.
        #expect(refused?.description.contains("render anyway with --allow-missing-glyphs") == true)

        let input = Fixtures.input(content: Fixtures.content(body: body), allowMissingGlyphs: true)
        let poster = try Fixtures.renderer("a4").render(input, format: .both, dpi: 72)
        #expect(poster.missingGlyphs.map(\.codePoint) == ["U+30000"])
        let record = "missing-glyphs U+30000 (--allow-missing-glyphs)"
        // Recorded in the files themselves: the PDF keywords and every PNG page's text.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glyphs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = dir.appendingPathComponent("poster.pdf")
        try Data(try #require(poster.pdf)).write(to: pdf)
        let keywords = try Tools.run("pdfinfo", [pdf.path]).split(separator: "\n").first { $0.hasPrefix("Keywords:") }
        #expect(keywords?.hasSuffix("; " + record) == true, "\(keywords ?? "no Keywords")")
        for png in poster.pngPages {
            #expect(try PNGChunks(png).texts["MissingGlyphs"] == record)
        }
        // A complete poster records nothing.
        let complete = try Fixtures.renderer("a4").render(Fixtures.input(), format: .png, dpi: 72)
        #expect(try PNGChunks(complete.pngPages[0]).texts["MissingGlyphs"] == nil)
    }

    @Test func renderingTwiceGivesIdenticalBytes() throws {
        let input = Fixtures.input()
        let first = try Fixtures.renderer("a4").render(input, format: .both, dpi: 100)
        let second = try Fixtures.renderer("a4").render(input, format: .both, dpi: 100)
        let fresh = try PosterRenderer(template: Fixtures.template("a4")).render(input, format: .both, dpi: 100)
        #expect(first.pdf == second.pdf)
        #expect(first.pdf == fresh.pdf)
        #expect(first.pngPages == second.pngPages)
        #expect(first.pngPages == fresh.pngPages)
        // The PDF's dates are the approval time (10:00 in Asia/Shanghai), not the time of rendering.
        let pdf = String(decoding: first.pdf!, as: UTF8.self)
        // (cairo 1.16 writes the date without the "D:" prefix; poppler reads it either way.)
        #expect(
            pdf.contains("/CreationDate (20261201100000+08'00)")
                || pdf.contains("/CreationDate (D:20261201100000+08'00)"))
    }

    @Test func invalidInputIsAClearError() throws {
        let renderer = try Fixtures.renderer("a4")
        #expect(throws: ValidationError(field: "body", "at least one paragraph is required")) {
            try renderer.render(Fixtures.input(content: Fixtures.content(body: [])))
        }
        #expect(throws: ValidationError.self) {
            try renderer.render(Fixtures.input(content: Fixtures.content(parcels: ["330523-2026-37-9"])))
        }
        #expect(throws: PosterError.invalidDPI(20)) { try renderer.render(Fixtures.input(), format: .png, dpi: 20) }
        #expect(throws: PosterError.self) {
            try renderer.render(Fixtures.input(seal: SealImage(png: [1, 2, 3])))
        }
    }

    @Test func sealImageIsDrawnOverTheDate() throws {
        // A 64×64 red square as the seal.
        var pixels: [UInt8] = []
        for _ in 0..<64 * 64 { pixels += [0xE6, 0x00, 0x12] }
        let png = try PNGWriter.encode(pixels: pixels, stride: 64 * 3, width: 64, height: 64, layout: .rgb8, dpi: nil)
        let poster = try Fixtures.renderer("a4").render(
            Fixtures.input(seal: SealImage(png: png)), format: .png, dpi: 72)
        let page = try #require(poster.layout.pages.first { $0.contains { $0.kind == "seal" } })
        let seal = try #require(page.first { $0.kind == "seal" })
        let date = try #require(page.first { $0.role == "signatureDate" })
        #expect(abs(seal.width - 42) < 0.1)
        // The date lies inside the seal's square, a little below its centre.
        #expect(date.x >= seal.x && date.x + date.width <= seal.x + seal.width)
        #expect(date.y + date.height / 2 > seal.y + seal.height / 2)
    }

    @Test func layoutSnapshotMatchesTheGoldenFile() throws {
        let layout = try Fixtures.renderer("a4").layout(Fixtures.input())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(layout)
        let golden = Fixtures.repoRoot.appendingPathComponent("Tests/GonggaoPosterTests/Snapshots/sample-a4.json")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try data.write(to: golden)
            return
        }
        let recorded = try Data(contentsOf: golden)
        let expected = try JSONDecoder().decode(PosterLayout.self, from: recorded)
        #expect(
            expected.pages.count == layout.pages.count, "re-record with RECORD_SNAPSHOTS=1 if the change is intended")
        for (p, (want, got)) in zip(expected.pages, layout.pages).enumerated() {
            #expect(want.count == got.count, "page \(p + 1): box count")
            for (a, b) in zip(want, got) where a != b {
                Issue.record("page \(p + 1): expected \(a), got \(b)")
                break
            }
        }
    }
}

/// A binary greyscale PGM (P5) as pdftoppm -gray writes it.
struct PGM {
    let width: Int, height: Int
    let pixels: [UInt8]

    init(_ bytes: [UInt8]) throws {
        var fields: [String] = []
        var i = 0
        while fields.count < 4 {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 {
                i += 1
            }
            var field = ""
            while i < bytes.count, !(bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09) {
                field.append(Character(Unicode.Scalar(bytes[i])))
                i += 1
            }
            fields.append(field)
        }
        i += 1
        guard fields[0] == "P5", let w = Int(fields[1]), let h = Int(fields[2]), fields[3] == "255" else {
            throw Tools.Failure(description: "not an 8-bit P5 PGM: \(fields)")
        }
        width = w
        height = h
        pixels = Array(bytes[i..<i + w * h])
    }

    /// Bounding box of pixels darker than mid-grey inside the given rectangle.
    func darkBounds(x0: Int, y0: Int, x1: Int, y1: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        var result: (Int, Int, Int, Int)?
        for y in max(0, y0)..<min(height, y1) {
            for x in max(0, x0)..<min(width, x1) where pixels[y * width + x] < 128 {
                if let r = result {
                    result = (min(r.0, x), min(r.1, y), max(r.2, x), max(r.3, y))
                } else {
                    result = (x, y, x, y)
                }
            }
        }
        return result.map { (x0: $0.0, y0: $0.1, x1: $0.2, y1: $0.3) }
    }
}
