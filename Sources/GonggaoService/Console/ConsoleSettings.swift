import Foundation

/// The officer console's templates and session lifetimes. Every default is documented here.
public struct ConsoleSettings: Sendable {
    /// `Templates/console/*.html`, loaded once in `main`; nil = the console answers 503.
    public var templates: PageTemplates?
    /// A session unused this long ends. Default 30 minutes.
    public var idleTimeout: TimeInterval
    /// A session ends this long after sign-in, however busy. Default 12 hours.
    public var absoluteTimeout: TimeInterval
    /// The most sessions kept at once (the oldest are dropped beyond it). Default 10,000.
    public var maxSessions: Int

    public init(
        templates: PageTemplates? = nil, idleTimeout: TimeInterval = 30 * 60,
        absoluteTimeout: TimeInterval = 12 * 3_600, maxSessions: Int = 10_000
    ) {
        self.templates = templates
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.maxSessions = maxSessions
    }
}

/// The console's page templates.
public enum ConsolePages {
    /// The pages the console renders; a folder missing one is refused at load time.
    public static let required = ["signin", "cockpit", "project", "notice", "draft", "dead-letters", "error"]

    /// Reads `directory/*.html` (called once, from `main`).
    public static func load(directory: String) throws -> PageTemplates {
        try PageTemplates.load(directory: directory, required: required)
    }
}
