import Dispatch
import Foundation
import GonggaoCore
import GonggaoPoster

/// Renders the poster a print delivery needs: the approved version, a correction marked 更正 with
/// the document number it corrects, or a withdrawal marked 撤回. Rendering blocks (pango/cairo), so
/// it runs on a pool of renderers with serial queues of their own (one per core), never on the
/// cooperative pool.
public final class PosterPrinting: Sendable {
    private let template: PosterTemplate
    private let pool: RendererPool
    public let publicBaseURL: String
    /// The resolution of the PNG pages spooled beside the PDF (150, previews; 300 for print shops
    /// that print from the PNGs).
    public let dpi: Int
    /// The resolution of a PNG download (150, a preview).
    public let previewDPI: Int
    public let seal: SealImage?

    public init(template: PosterTemplate, publicBaseURL: String, dpi: Int = 150, previewDPI: Int = 150,
                seal: SealImage? = nil) throws {
        self.template = template
        pool = try RendererPool(template: template)
        self.publicBaseURL = publicBaseURL
        self.dpi = dpi
        self.previewDPI = previewDPI
        self.seal = seal
    }

    /// When a print document's PNG pages are rendered.
    public enum PNGPages: Sendable {
        /// With the PDF, before the delivery is acknowledged.
        case now
        /// Afterwards, by a `SpoolPreviews` queue: the document carries what that render needs.
        case later
        /// Never (an IPP printer without a spool folder prints the PDF only).
        case none
    }

    /// The document for one print request.
    public func document(for request: ChannelRequest, pngPages: PNGPages = .now) async throws -> PrintDocument {
        var prepared = PosterInput(notice: request.notice, project: request.project,
                                   qrURL: PosterInput.parcelPageURL(base: publicBaseURL, content: request.notice.content),
                                   postingPeriod: request.notice.content.kind.postingPeriodLine, seal: seal,
                                   mark: Self.mark(for: request)?.text)
        // A withdrawal notice is a document of its own day: its PDF dates are the withdrawal time.
        if request.operation == .withdraw, let withdrawnAt = request.notice.withdrawnAt { prepared.approvedAt = withdrawnAt }
        let input = prepared
        let poster = try await pool.render(input, format: pngPages == .now ? .both : .pdf, dpi: dpi)
        guard let pdf = poster.pdf else { throw PosterError.invalidDPI(dpi) }
        return PrintDocument(pdf: pdf, pngPages: poster.pngPages, dpi: dpi, paper: poster.paper, pages: poster.pageCount,
                             missingGlyphs: poster.missingGlyphs.map(\.codePoint),
                             preview: pngPages == .later ? PreviewJob.Poster(input) : nil)
    }

    /// The queue that renders PNG pages after the PDF (`PNGPages.later`), with a renderer of its own,
    /// at this object's print dpi and seal.
    public func previews(spool: SpoolFolder, logger: Logger) throws -> SpoolPreviews {
        SpoolPreviews(spool: spool, renderer: try PosterRenderer(template: template), dpi: dpi, seal: seal, logger: logger)
    }

    /// One version's poster for download: the PDF, or the first page as a PNG at the preview dpi.
    public func download(_ notice: NoticeVersion, project: Project, png: Bool) async throws -> [UInt8] {
        let input = PosterInput(notice: notice, project: project,
                                qrURL: PosterInput.parcelPageURL(base: publicBaseURL, content: notice.content),
                                postingPeriod: notice.content.kind.postingPeriodLine, seal: seal)
        let poster = try await pool.render(input, format: png ? .png : .pdf, dpi: previewDPI)
        guard let bytes = png ? poster.pngPages.first : poster.pdf else { throw PosterError.invalidDPI(dpi) }
        return bytes
    }

    /// The red line above the title: 撤回公告 for a withdrawal, 更正 for a correction (see `PosterMark`).
    static func mark(for request: ChannelRequest) -> PosterMark? {
        if request.operation == .withdraw { return .withdrawal(request.notice, fallback: request.now) }
        if let corrects = request.corrects { return .correction(request.notice, corrects: corrects) }
        return nil
    }
}
