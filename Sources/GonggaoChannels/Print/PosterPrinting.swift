import Dispatch
import Foundation
import GonggaoCore
import GonggaoPoster

/// Renders the poster a print delivery needs: the approved version, a correction marked 更正 with
/// the document number it corrects, or a withdrawal marked 撤回. Rendering blocks (pango/cairo), so
/// it runs on this object's own serial queue, never on the cooperative pool.
public final class PosterPrinting: Sendable {
    private let renderer: PosterRenderer
    private let queue = DispatchQueue(label: "gonggao.poster")
    public let publicBaseURL: String
    public let dpi: Int
    public let seal: SealImage?

    public init(template: PosterTemplate, publicBaseURL: String, dpi: Int = 150, seal: SealImage? = nil) throws {
        renderer = try PosterRenderer(template: template)
        self.publicBaseURL = publicBaseURL
        self.dpi = dpi
        self.seal = seal
    }

    /// The document for one print request.
    public func document(for request: ChannelRequest) async throws -> PrintDocument {
        let input = PosterInput(notice: request.notice, project: request.project,
                                qrURL: PosterInput.parcelPageURL(base: publicBaseURL, content: request.notice.content),
                                postingPeriod: request.notice.content.kind.postingPeriodLine, seal: seal,
                                mark: Self.mark(for: request))
        let renderer = self.renderer
        let dpi = self.dpi
        let poster = try await withCheckedThrowingContinuation { (c: CheckedContinuation<RenderedPoster, Error>) in
            queue.async {
                c.resume(with: Result { try renderer.render(input, format: .both, dpi: dpi) })
            }
        }
        guard let pdf = poster.pdf else { throw PosterError.invalidDPI(dpi) }
        return PrintDocument(pdf: pdf, png: poster.pngPages.first, paper: poster.paper, pages: poster.pageCount)
    }

    /// One version's poster for download: the PDF, or the first page as a PNG at this object's dpi.
    public func download(_ notice: NoticeVersion, project: Project, png: Bool) async throws -> [UInt8] {
        let input = PosterInput(notice: notice, project: project,
                                qrURL: PosterInput.parcelPageURL(base: publicBaseURL, content: notice.content),
                                postingPeriod: notice.content.kind.postingPeriodLine, seal: seal)
        let renderer = self.renderer
        let dpi = self.dpi
        let poster = try await withCheckedThrowingContinuation { (c: CheckedContinuation<RenderedPoster, Error>) in
            queue.async {
                c.resume(with: Result { try renderer.render(input, format: png ? .png : .pdf, dpi: dpi) })
            }
        }
        guard let bytes = png ? poster.pngPages.first : poster.pdf else { throw PosterError.invalidDPI(dpi) }
        return bytes
    }

    /// The red line above the title: 撤回 for a withdrawal, 更正 for a later version.
    static func mark(for request: ChannelRequest) -> String? {
        if request.operation == .withdraw {
            let date = CivilDate(request.notice.withdrawnAt ?? request.now).chinese
            return "撤回公告：本公告已于\(date)撤回，原公告内容作废"
        }
        if let corrects = request.corrects {
            return "更正公告：本版（第\(request.notice.version)版）更正\(corrects.content.documentNumber)（第\(corrects.version)版）"
        }
        return nil
    }
}
