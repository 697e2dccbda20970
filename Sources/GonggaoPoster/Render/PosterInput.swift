import Foundation
import GonggaoCore

/// Everything one poster shows: a notice version, its project, the QR link and the posting period.
public struct PosterInput: Sendable {
    public var noticeID: String
    public var version: Int
    public var content: NoticeContent
    /// Hex SHA-256 of the content; the footer's verification code derives from it.
    public var contentHash: String
    /// The project, for the parcels the notice names.
    public var project: Project
    /// The parcel-page URL in the QR code: printable ASCII, at most 80 bytes (see `parcelPageURL`).
    public var qrURL: String
    /// The posting-period line the caller computed, e.g. 本公告张贴期限不少于十个工作日; nil prints none.
    public var postingPeriod: String?
    /// The issuer's seal, drawn over the date; nil leaves the space free for a hand stamp.
    public var seal: SealImage?
    /// Written as the PDF's creation and modification dates, so re-rendering gives identical bytes.
    public var approvedAt: Date
    /// A short red line printed above the title, worded by the caller: e.g. 更正（本版更正第1版） for a
    /// correction, 已撤回 for a withdrawn notice; nil prints none.
    public var mark: String?
    /// Render even when some characters have no glyph in the template's fonts, recording them in
    /// `RenderedPoster.missingGlyphs` instead of failing.
    public var allowMissingGlyphs: Bool

    public init(
        noticeID: String, version: Int, content: NoticeContent, contentHash: String, project: Project,
        qrURL: String, postingPeriod: String?, seal: SealImage? = nil, approvedAt: Date,
        mark: String? = nil, allowMissingGlyphs: Bool = false
    ) {
        self.noticeID = noticeID
        self.version = version
        self.content = content
        self.contentHash = contentHash
        self.project = project
        self.qrURL = qrURL
        self.postingPeriod = postingPeriod
        self.seal = seal
        self.approvedAt = approvedAt
        self.mark = mark
        self.allowMissingGlyphs = allowMissingGlyphs
    }

    /// From a stored version; `approvedAt` defaults to the version's approval time (else its last update).
    public init(
        notice: NoticeVersion, project: Project, qrURL: String, postingPeriod: String?,
        seal: SealImage? = nil, approvedAt: Date? = nil, mark: String? = nil,
        allowMissingGlyphs: Bool = false
    ) {
        self.init(
            noticeID: notice.id, version: notice.version, content: notice.content,
            contentHash: notice.contentHash, project: project, qrURL: qrURL, postingPeriod: postingPeriod,
            seal: seal, approvedAt: approvedAt ?? notice.approvedAt ?? notice.updatedAt, mark: mark,
            allowMissingGlyphs: allowMissingGlyphs)
    }

    /// The QR link, the public parcel page: `<base>/p/<key>`, the key being the parcel's (a
    /// one-parcel notice) or the project's (several parcels).
    public static func parcelPageURL(base: String, content: NoticeContent) -> String {
        let key = content.parcels.count == 1 ? content.parcels[0] : content.project
        return (base.hasSuffix("/") ? base : base + "/") + "p/" + key
    }
}

/// A seal image (PNG with transparency), drawn centred over the issuer and date.
public struct SealImage: Sendable, Equatable {
    public var png: [UInt8]

    public init(png: [UInt8]) { self.png = png }

    /// Reads a PNG file (for the CLI and the printer channel's configuration).
    public init(contentsOfFile path: String) throws(PosterError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .sealImage("cannot read \(path)")
        }
        png = Array(data)
    }
}

/// Output formats of a render.
public enum PosterFormat: String, Sendable, CaseIterable {
    case pdf, png, both

    var wantsPDF: Bool { self != .png }
    var wantsPNG: Bool { self != .pdf }
}

/// A rendered poster: PDF bytes and/or one PNG per page.
public struct RenderedPoster: Sendable {
    /// The PDF, when requested: every page, fonts embedded and subset, metadata fixed to `approvedAt`.
    public var pdf: [UInt8]?
    /// One PNG per page (RGB, pHYs = dpi), when requested; empty otherwise.
    public var pngPages: [[UInt8]]
    public var pageCount: Int
    /// The template's paper name, e.g. `A4`.
    public var paper: String
    public var dpi: Int
    /// The 8-character code in every footer (`VerificationCode.of(contentHash:)`).
    public var verificationCode: String
    public var qr: QRPlacement
    /// Characters drawn without a glyph in the template fonts (only with `allowMissingGlyphs`).
    public var missingGlyphs: [MissingGlyph]
    /// Text boxes and positions per page.
    public var layout: PosterLayout
}

/// Where and how large the QR code was printed.
public struct QRPlacement: Equatable, Sendable {
    public var url: String
    public var version: Int
    public var errorCorrection: QRErrorCorrection
    /// Modules per side including the 4-module quiet zone on each side.
    public var modulesWithQuietZone: Int
    /// Printed module size in millimetres (≥ the template's `qr.minModule`, itself ≥ 1.0).
    public var moduleMM: Double
    /// The code's square on the page, quiet zone included, in millimetres from the top-left.
    public var x: Double
    public var y: Double
    public var sizeMM: Double
}
