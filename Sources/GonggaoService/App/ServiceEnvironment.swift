import Foundation
import GonggaoCore
import GonggaoDelivery
import GonggaoStore

/// The file types a poster is downloaded as.
public enum PosterFileType: String, Sendable, CaseIterable {
    case pdf, png

    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .png: "image/png"
        }
    }
}

/// Renders one notice version's poster (injected by `main`, so this module needs no poster engine).
///
/// - Important: rendering is blocking CPU work; the closure must move it off the cooperative pool.
public typealias PosterRendering = @Sendable (NoticeVersion, Project, PosterFileType) async throws -> [UInt8]

/// A delivery lane's live state, as `DeliveryEngine.laneStatus` reports it.
public typealias LaneStatusReport = @Sendable () -> [(channel: String, circuit: String, inFlight: Int)]

/// Everything the service runs with, built once in `main` and passed down.
public struct ServiceEnvironment: Sendable {
    public var store: any NoticeStore
    public var workflow: NoticeWorkflow
    public var desk: DeliveryDesk
    public var users: UserDirectory
    public var auth: AuthSettings
    /// The base of public links, e.g. `https://gonggao.anji.gov.cn` (parcel pages are `<base>/p/<key>`).
    public var publicBaseURL: String
    public var pages: PageTemplates
    public var logger: Logger
    public var now: @Sendable () -> Date
    /// Called after an approval, withdrawal, retry, replay or resume, so workers look at once.
    public var wake: @Sendable () -> Void
    public var renderPoster: PosterRendering
    /// Circuit state per channel; `{ [] }` when this process runs no workers.
    public var laneStatus: LaneStatusReport
    /// Whether the delivery workers of this process are running; nil when it runs none
    /// (`serve --no-workers`), so `/readyz` does not ask.
    public var workersRunning: (@Sendable () -> Bool)?
    /// The statutory warnings: evaluated for the project after each approval, posting and payment;
    /// nil = no warnings (the warning routes then answer 503).
    public var warnings: WarningDesk?
    /// Called after the service raised, escalated or resolved warnings (the alert dispatcher's wake-up).
    public var warningsChanged: @Sendable (WarningDesk.Evaluation) -> Void = { _ in }
    /// The officer console's templates and session lifetimes (no templates: `/console` answers 503).
    public var console = ConsoleSettings()

    /// The rules and calendar of postings and stage gates (the workflow's, else the warnings').
    public var statutory: StatutoryClock? { workflow.statutory ?? warnings?.clock }

    public init(
        store: any NoticeStore, workflow: NoticeWorkflow, desk: DeliveryDesk, users: UserDirectory,
        auth: AuthSettings = AuthSettings(), publicBaseURL: String, pages: PageTemplates, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }, wake: @escaping @Sendable () -> Void = {},
        renderPoster: @escaping PosterRendering, laneStatus: @escaping LaneStatusReport = { [] },
        workersRunning: (@Sendable () -> Bool)? = nil, warnings: WarningDesk? = nil
    ) {
        self.store = store
        self.workflow = workflow
        self.desk = desk
        self.users = users
        self.auth = auth
        self.publicBaseURL = publicBaseURL
        self.pages = pages
        self.logger = logger
        self.now = now
        self.wake = wake
        self.renderPoster = renderPoster
        self.laneStatus = laneStatus
        self.workersRunning = workersRunning
        self.warnings = warnings
    }

    /// The parcel page of a parcel or project key: `<publicBaseURL>/p/<key>`, the URL in the QR code.
    public func parcelPageURL(_ key: String) -> String { ParcelLinks.pageURL(base: publicBaseURL, key: key) }
}

/// The public links the QR code and the API hand out.
public enum ParcelLinks {
    /// `<base>/p/<key>` (one `/` between them whatever `base` ends with).
    public static func pageURL(base: String, key: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/p/" + key
    }

    /// The key a notice's QR code points at: its parcel when it names one, else its project.
    public static func key(of content: NoticeContent) -> String {
        content.parcels.count == 1 ? content.parcels[0] : content.project
    }

    /// The path of a published version's poster under a parcel page.
    static func publicPosterPath(key: String, notice: String, version: Int, type: PosterFileType) -> String {
        "/p/\(key)/notices/\(notice)/versions/\(version)/poster.\(type.rawValue)"
    }
}
