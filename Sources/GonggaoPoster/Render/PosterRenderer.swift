import Foundation
import GonggaoCore

/// Renders notice posters (PDF and PNG) from one template.
///
/// ```swift
/// let template = try PosterTemplate.load(path: "Templates/posters/a4.json")
/// let renderer = try PosterRenderer(template: template)
/// let poster = try renderer.render(input, format: .both, dpi: 150)
/// ```
///
/// - Important: `render` is blocking CPU work (≈ tens of milliseconds per page). Call it from a
///   dedicated thread or dispatch queue, not from the cooperative pool. One renderer serialises its
///   renders (Pango is not thread-safe); use one renderer per worker for parallel rendering.
public final class PosterRenderer: @unchecked Sendable {
    // @unchecked Sendable: the only mutable state is the Pango font map/context inside `engine`,
    // touched only while holding `lock`.
    public let template: PosterTemplate
    private let engine: TextEngine
    private let lock = NSLock()

    /// Checks that every font family and weight of the template is installed.
    /// - Throws: `TemplateError` naming the font key, e.g. `fonts.body.family: 'X' is not installed`.
    public init(template: PosterTemplate) throws(TemplateError) {
        self.template = template
        engine = TextEngine()
        for (key, font) in template.fonts.all {
            let resolved = engine.font(TextStyle(font, template: template))
            if resolved.family.caseInsensitiveCompare(font.family) != .orderedSame {
                throw TemplateError(
                    source: template.source, key: "fonts.\(key).family",
                    "'\(font.family)' is not installed (fontconfig would substitute '\(resolved.family)'); install it or name an installed family such as 'Noto Serif CJK SC'"
                )
            }
        }
    }

    /// Renders `input` as PDF, PNG (one per page) or both.
    ///
    /// - Parameters:
    ///   - dpi: PNG resolution (150 for previews, 300 for print); the PDF is vector.
    /// - Throws: `ValidationError` (content invalid for its project), `QRError` (URL not ASCII or over
    ///   80 bytes), `PosterError` (missing glyphs, content that cannot fit), `CairoFailure`, `PNGWriter.Failure`.
    public func render(_ input: PosterInput, format: PosterFormat = .pdf, dpi: Int = 150) throws -> RenderedPoster {
        guard (36...1200).contains(dpi) else { throw PosterError.invalidDPI(dpi) }
        let prepared = try prepare(input)

        lock.lock()
        defer { lock.unlock() }
        let missing = try checkGlyphs(input, parcels: prepared.parcels)
        var store = LayoutStore()
        let composer = PosterComposer(
            template: template, engine: engine, input: input, parcels: prepared.parcels,
            qr: prepared.qr, styles: PosterComposer.Styles(template))
        let composed = try composer.compose(store: &store)
        let code = VerificationCode.of(contentHash: input.contentHash) ?? ""

        var seal: SealSurface? = nil
        if let png = input.seal?.png {
            do { seal = try SealSurface(png: png) } catch {
                throw PosterError.sealImage("not a PNG cairo can read (\(error.message))")
            }
        }
        let width = template.paper.width.mm
        let height = template.paper.height.mm

        var pdf: [UInt8]?
        if format.wantsPDF {
            let document = try PDFDocument(
                widthPoints: width, heightPoints: height,
                metadata: metadata(input, code: code, missing: missing))
            for page in composed.pages {
                drawPage(page, on: document.cr, store: store, seal: seal)
                document.showPage()
            }
            pdf = try document.finish()
        }

        var pngs: [[UInt8]] = []
        if format.wantsPNG {
            for (index, page) in composed.pages.enumerated() {
                let raster = try RasterPage(widthPoints: width, heightPoints: height, dpi: Double(dpi))
                drawPage(page, on: raster.cr, store: store, seal: seal)
                var text: [(key: String, value: String)] = [
                    ("Title", input.content.title),
                    ("Notice", input.noticeID),
                    ("Version", String(input.version)),
                    ("Page", "\(index + 1)/\(composed.pages.count)"),
                    ("Verification", code),
                    ("Software", "Gonggao"),
                ]
                if !missing.isEmpty { text.append(("MissingGlyphs", Self.missingRecord(missing))) }
                pngs.append(try raster.png(dpi: Double(dpi), text: text))
            }
        }

        let layout = PosterLayout(paper: template.name, pages: composed.pages.map { $0.map(\.snapshot) })
        return RenderedPoster(
            pdf: pdf, pngPages: pngs, pageCount: composed.pages.count, paper: template.name, dpi: dpi,
            verificationCode: code, qr: composed.qr, missingGlyphs: missing, layout: layout)
    }

    /// The layout alone (text boxes and positions per page), without drawing: for snapshots and previews.
    public func layout(_ input: PosterInput) throws -> PosterLayout {
        let prepared = try prepare(input)
        lock.lock()
        defer { lock.unlock() }
        _ = try checkGlyphs(input, parcels: prepared.parcels)
        var store = LayoutStore()
        let composer = PosterComposer(
            template: template, engine: engine, input: input, parcels: prepared.parcels,
            qr: prepared.qr, styles: PosterComposer.Styles(template))
        let composed = try composer.compose(store: &store)
        return PosterLayout(paper: template.name, pages: composed.pages.map { $0.map(\.snapshot) })
    }

    // MARK: - Steps

    private func prepare(_ input: PosterInput) throws -> (parcels: [Parcel], qr: QRMatrix) {
        try input.content.validate(in: input.project)
        let parcels = try input.content.parcels.map { key in
            guard let parcel = input.project.parcel(key) else {
                throw PosterError.unknownParcel(key: key, project: input.project.key)
            }
            return parcel
        }
        let qr = try QRMatrix.encode(url: input.qrURL, errorCorrection: template.qr.errorCorrection)
        return (parcels, qr)
    }

    private func drawPage(
        _ ops: [PageOp], on cr: OpaquePointer, store: borrowing LayoutStore,
        seal: borrowing SealSurface?
    ) {
        let drawer = PageDrawer(cr: cr)
        switch seal {
        case .some(let image):
            drawer.draw(ops, store: store) { rect in image.draw(on: cr, in: rect) }
        case .none:
            drawer.draw(ops, store: store) { _ in }
        }
    }

    /// How a render with missing glyphs is recorded in the PDF keywords and the PNG text:
    /// `missing-glyphs U+20000 U+1F600 (--allow-missing-glyphs)`.
    public static func missingRecord(_ missing: [MissingGlyph]) -> String {
        "missing-glyphs " + missing.map(\.codePoint).joined(separator: " ") + " (--allow-missing-glyphs)"
    }

    private func metadata(_ input: PosterInput, code: String, missing: [MissingGlyph]) -> PDFMetadata {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CivilDate.legalTimeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: input.approvedAt)
        // Asia/Shanghai has kept +08:00 without daylight saving since 1991.
        let date = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d+08:00", c.year!, c.month!, c.day!, c.hour!,
            c.minute!, c.second!)
        return PDFMetadata(
            title: input.content.title, author: input.content.issuer,
            subject: "\(input.content.documentNumber) · \(input.noticeID) v\(input.version) · 校验码 \(code)",
            keywords: ([input.content.parcels.joined(separator: ", ")] + (missing.isEmpty ? [] : [Self.missingRecord(missing)]))
                .joined(separator: "; "),
            creator: "Gonggao", date: date)
    }

    /// Throws `PosterError.missingGlyphs` unless the input allows them; returns what is missing.
    private func checkGlyphs(_ input: PosterInput, parcels: [Parcel]) throws -> [MissingGlyph] {
        let styles = PosterComposer.Styles(template)
        let content = input.content
        typealias Source = GlyphCoverage.Source
        var sources: [Source] = [
            Source(location: "title", text: content.title, style: styles.title),
            Source(location: "issuer", text: content.issuer, style: styles.issuer),
            Source(location: "issuer", text: content.issuer, style: styles.body),
            Source(location: "documentNumber", text: content.documentNumber, style: styles.documentNumber),
            Source(location: "dateWritten", text: content.dateWritten.chinese, style: styles.body),
            Source(location: "qrURL", text: input.qrURL, style: styles.url),
        ]
        for (i, paragraph) in content.body.enumerated() {
            sources.append(Source(location: "body[\(i)]", text: paragraph, style: styles.body))
        }
        if let mark = input.mark {
            sources.append(Source(location: "mark", text: mark, style: styles.heading))
        }
        if let period = input.postingPeriod {
            sources.append(Source(location: "postingPeriod", text: period, style: styles.body))
        }
        for (i, parcel) in parcels.enumerated() {
            for column in template.table.columns {
                sources.append(
                    Source(
                        location: "parcels[\(i)].\(column.field.rawValue)",
                        text: PosterComposer.cellText(column.field, parcel), style: styles.table))
            }
            sources.append(Source(location: "parcels[\(i)].key", text: parcel.key, style: styles.map))
        }
        let t = template
        let templateSource = template.source
        sources += [
            Source(location: "\(templateSource): qr.caption", text: t.qr.caption, style: styles.caption),
            Source(location: "\(templateSource): table.title", text: t.table.title, style: styles.heading),
            Source(
                location: "\(templateSource): table.continuedTitle", text: t.table.continuedTitle, style: styles.heading
            ),
            Source(
                location: "\(templateSource): table.totalLabel", text: t.table.totalLabel + "0123456789.宗",
                style: styles.table),
            Source(location: "\(templateSource): map.title", text: t.map.title, style: styles.heading),
            Source(location: "map labels", text: "0123456789米比例尺:北", style: styles.map),
            Source(
                location: "footer",
                text: PosterComposer.footerText(
                    noticeID: input.noticeID, version: input.version,
                    page: 1, of: 1, code: "0123456789ABCDEFGHJKMNPQRSTVWXYZ"),
                style: styles.footer),
        ]
        for (i, column) in t.table.columns.enumerated() {
            sources.append(
                Source(
                    location: "\(templateSource): table.columns[\(i)].title", text: column.title,
                    style: styles.tableHeader))
        }
        let missing = GlyphCoverage.missing(in: sources, engine: engine)
        if !missing.isEmpty && !input.allowMissingGlyphs { throw PosterError.missingGlyphs(missing) }
        return missing
    }
}
