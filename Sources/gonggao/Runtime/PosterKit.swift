import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoPoster

/// The poster engine as the config sets it up: the template for the paper, the seal, the dpi.
struct PosterKit: Sendable {
    let config: Config

    /// `<templates>/posters/a4.json` or `a3.json`.
    func templatePath(paper: String) -> String {
        (config.templates as NSString).appendingPathComponent("posters/\(paper.lowercased()).json")
    }

    /// A renderer for `paper` (template errors name the file and key; fonts are checked here).
    func renderer(paper: String) throws -> PosterRenderer {
        do {
            return try PosterRenderer(template: try PosterTemplate.load(path: templatePath(paper: paper)))
        } catch {
            throw CommandFailure(.usage, "\(error)")
        }
    }

    /// The configured seal image, if any.
    func seal() throws -> SealImage? {
        guard let path = config.poster.seal else { return nil }
        do {
            return try SealImage(contentsOfFile: path)
        } catch {
            throw ConfigError(file: config.file, path: "poster.seal", "\(error)")
        }
    }

    /// The print channel's renderer: the configured paper, PNG pages at `poster.printDPI` (150),
    /// downloads at `poster.dpi` (150).
    func printing() throws -> PosterPrinting {
        do {
            return try PosterPrinting(template: try PosterTemplate.load(path: templatePath(paper: config.poster.paper)),
                                      publicBaseURL: config.publicBaseURL, dpi: config.poster.printDPI,
                                      previewDPI: config.poster.dpi, seal: try seal())
        } catch let e as ConfigError {
            throw e
        } catch {
            throw CommandFailure(.usage, "\(error)")
        }
    }

    /// The input for one stored version (the QR opens its parcel page), marked as the print channel
    /// marks it (`PosterMark.of`): 草稿 before approval, 更正 with the document number of `previous`
    /// (version n−1) for a correction, 撤回公告 once withdrawn.
    func input(_ notice: NoticeVersion, previous: NoticeVersion?, project: Project, allowMissingGlyphs: Bool) throws -> PosterInput {
        var input = PosterInput(notice: notice, project: project,
                                qrURL: PosterInput.parcelPageURL(base: config.publicBaseURL, content: notice.content),
                                postingPeriod: notice.content.kind.postingPeriodLine, seal: try seal(),
                                mark: PosterMark.of(notice, previous: previous)?.text,
                                allowMissingGlyphs: allowMissingGlyphs)
        if notice.state == .withdrawn, let withdrawnAt = notice.withdrawnAt { input.approvedAt = withdrawnAt }
        return input
    }
}
