import Foundation
import GonggaoCore
import GonggaoCrypto

/// A rendered poster, ready for a printer.
public struct PrintDocument: Sendable {
    public var pdf: [UInt8]
    /// One PNG per page (empty when the renderer made none).
    public var pngPages: [[UInt8]]
    /// The PNG pages' resolution, when there are any.
    public var dpi: Int?
    /// `A4` or `A3`.
    public var paper: String
    public var pages: Int
    /// Code points drawn without a glyph (`--allow-missing-glyphs`); empty for a complete poster.
    public var missingGlyphs: [String]
    /// Set when the PNG pages are rendered after the PDF is spooled (`SpoolPreviews`): their input.
    public var preview: PreviewJob.Poster?

    public init(pdf: [UInt8], pngPages: [[UInt8]] = [], dpi: Int? = nil, paper: String, pages: Int,
                missingGlyphs: [String] = [], preview: PreviewJob.Poster? = nil) {
        self.pdf = pdf
        self.pngPages = pngPages
        self.dpi = pngPages.isEmpty ? nil : dpi
        self.paper = paper
        self.pages = pages
        self.missingGlyphs = missingGlyphs
        self.preview = preview
    }
}

/// The `print` channel: renders the poster (a correction marked 更正, a withdrawal as 撤回公告),
/// writes it to the spool folder and/or submits it to an IPP printer.
///
/// With `previews`, a document rendered without its PNG pages (`PosterPrinting.PNGPages.later`) is
/// acknowledged once its PDF is spooled and printed; its pages are recorded as a preview job first and
/// rendered afterwards by that queue (the manifest says `previewsPending` until they are written).
public struct PrintAdapter: ChannelAdapter {
    public let channel: String
    public let timeout: Duration
    let render: @Sendable (ChannelRequest) async throws -> PrintDocument
    let spool: SpoolFolder?
    let printer: (client: IPPClient, uri: String)?
    let previews: SpoolPreviews?

    public init(channel: String = "print", timeout: Duration = .seconds(60), spool: SpoolFolder?, printer: (IPPClient, String)?,
                previews: SpoolPreviews? = nil,
                render: @escaping @Sendable (ChannelRequest) async throws -> PrintDocument) {
        self.channel = channel
        self.timeout = timeout
        self.spool = spool
        self.printer = printer.map { (client: $0.0, uri: $0.1) }
        self.previews = previews
        self.render = render
    }

    public func send(_ request: ChannelRequest) async -> ChannelOutcome {
        let document: PrintDocument
        do {
            document = try await render(request)
        } catch {
            // A template or glyph error will not go away by itself: an operator must act.
            return .rejected("rendering failed: \(error)")
        }
        let notice = request.notice
        let suffix = request.operation == .withdraw ? "-withdrawal" : ""
        let baseName = "\(notice.id)-v\(notice.version)\(suffix)"
        var receipt = DeliveryReceipt()
        var notes: [String] = []
        var previewJob: PreviewJob?
        if let spool {
            do {
                let files: [(suffix: String, bytes: [UInt8])] = [(".pdf", document.pdf)]
                    + document.pngPages.enumerated().map { ("-p\($0.offset + 1).png", $0.element) }
                let later = previews != nil ? document.preview : nil
                var manifest = SpoolFolder.Manifest(noticeID: notice.id, version: notice.version, kind: notice.content.kind.rawValue,
                                                    operation: request.operation.rawValue, paper: document.paper,
                                                    pages: document.pages, dpi: document.dpi,
                                                    parcels: notice.content.parcels, files: [:],
                                                    missingGlyphs: document.missingGlyphs.isEmpty ? nil : document.missingGlyphs,
                                                    previewsPending: later == nil ? nil : true)
                let parcel = request.project.parcel(notice.content.parcels.first ?? "")
                let county = parcel?.countyName ?? request.project.county.name
                let township = parcel?.township ?? request.project.township
                if let later {
                    manifest.files[baseName + ".pdf"] = GonggaoCrypto.hex(GonggaoCrypto.sha256(document.pdf))
                    previewJob = PreviewJob(county: county, township: township, baseName: baseName, manifest: manifest, poster: later)
                }
                let (job, written, previews) = (previewJob, manifest, previews)
                // Writes and fsyncs block: on a Dispatch thread, never on the cooperative pool.
                let path = try await SpoolFolder.offPool {
                    if let job { try previews?.record(job) }
                    return try spool.write(county: county, township: township, baseName: baseName, files: files, manifest: written)
                }
                receipt.publicURL = "file://" + path
                notes.append("spooled \(path)")
            } catch {
                return .retryable("spool write failed: \(error)")
            }
        }
        if let printer {
            switch await printer.client.print(document.pdf, jobName: baseName, printerURI: printer.uri, timeout: timeout) {
            case .accepted(let job):
                receipt.publicationID = "ipp-job-\(job)"
                notes.append("IPP job \(job)")
            case .retryable(let reason):
                return .retryable("printer: \(reason)")
            case .rejected(let reason):
                return .rejected("printer: \(reason)")
            }
        }
        if let previewJob, let previews {
            previews.submit(previewJob)
            notes.append("preview pages to follow")
        }
        receipt.excerpt = notes.joined(separator: "; ")
        return .delivered(receipt, reason: "printed \(document.pages) page(s) on \(document.paper)")
    }
}
