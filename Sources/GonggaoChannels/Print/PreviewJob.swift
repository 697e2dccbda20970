import Foundation
import GonggaoCore
import GonggaoPoster

/// The PNG preview pages of one spooled poster, still to be rendered: everything the render needs
/// (the seal comes from the renderer's config) and where the pages go. Written to the spool's
/// `.previews/` folder before the print delivery is acknowledged, removed once the pages are written,
/// so a crash in between only delays the previews: the next worker renders them.
public struct PreviewJob: Codable, Sendable, Equatable {
    public var county: String
    public var township: String
    /// `<notice>-v<version>` or `<notice>-v<version>-withdrawal`.
    public var baseName: String
    /// The manifest as written with the PDF (its `files` names the PDF).
    public var manifest: SpoolFolder.Manifest
    public var poster: Poster

    /// The render input, minus the seal.
    public struct Poster: Codable, Sendable, Equatable {
        public var noticeID: String
        public var version: Int
        public var content: NoticeContent
        public var contentHash: String
        public var project: Project
        public var qrURL: String
        public var postingPeriod: String?
        public var approvedAt: Date
        public var mark: String?

        public init(_ input: PosterInput) {
            noticeID = input.noticeID
            version = input.version
            content = input.content
            contentHash = input.contentHash
            project = input.project
            qrURL = input.qrURL
            postingPeriod = input.postingPeriod
            approvedAt = input.approvedAt
            mark = input.mark
        }

        /// The input to render, with the configured seal.
        public func input(seal: SealImage?) -> PosterInput {
            PosterInput(noticeID: noticeID, version: version, content: content, contentHash: contentHash, project: project,
                        qrURL: qrURL, postingPeriod: postingPeriod, seal: seal, approvedAt: approvedAt, mark: mark)
        }
    }

    public init(county: String, township: String, baseName: String, manifest: SpoolFolder.Manifest, poster: Poster) {
        self.county = county
        self.township = township
        self.baseName = baseName
        self.manifest = manifest
        self.poster = poster
    }

    /// The job file's name in `.previews/`: the folder and the base name, so two townships' posters never collide.
    var fileName: String {
        [SpoolFolder.safeComponent(county), SpoolFolder.safeComponent(township), baseName]
            .joined(separator: "__").replacingOccurrences(of: "/", with: "_") + ".json"
    }
}
