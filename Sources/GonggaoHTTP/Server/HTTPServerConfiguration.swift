import GonggaoCore

/// How an `HTTPServer` listens and what it tolerates. Every default is documented here.
public struct HTTPServerConfiguration: Sendable, Equatable {
    /// How libmicrohttpd waits for socket events. Never `select()`: it stops at 1,024 descriptors.
    public enum EventLoop: String, Sendable, Equatable {
        /// Linux epoll (default); falls back to poll when the library lacks it.
        case epoll
        case poll
    }

    /// A numeric IPv4 or IPv6 address, or `localhost` (= 127.0.0.1). Default 127.0.0.1.
    public var host: String = "127.0.0.1"
    /// 0 = the OS picks a free port (read it back from `HTTPServer.port`). Default 0.
    public var port: UInt16 = 0
    /// libmicrohttpd threads polling sockets and reading requests. Handlers do not run on them.
    /// Default 2.
    public var threads: Int = 2
    public var eventLoop: EventLoop = .epoll
    /// Connections open at once; more wait in the listen backlog until one closes. Default 256.
    public var connectionLimit: Int = 256
    /// Connections from one address at once; nil = no per-address limit. Default nil.
    public var perClientConnectionLimit: Int?
    /// The kernel's queue of not yet accepted connections. Default 512.
    public var listenBacklog: Int = 512
    /// A connection with no traffic for this long is closed (whole seconds, at least 1). Default 30 s.
    public var idleTimeout: Duration = .seconds(30)
    /// The longest a client may take to deliver one complete request (headers and body), counted
    /// from the connection's start or the end of its previous response; slower clients — one
    /// header byte a second — are cut off. Default 10 s.
    public var requestTimeout: Duration = .seconds(10)
    /// The body limit of routes that do not set their own, in bytes. Default 1 MiB.
    public var defaultBodyLimit: Int = 1 << 20
    /// Per-connection memory for headers and read buffers (bytes). Default 64 KiB.
    public var connectionMemoryLimit: Int = 64 << 10
    /// How long `stop()` waits for in-flight requests before cutting them off. Default 10 s.
    public var shutdownGrace: Duration = .seconds(10)
    /// The level of the one-line-per-request access log; nil = no access log. Default info.
    public var accessLogLevel: Logger.Level? = .info

    public init(
        host: String = "127.0.0.1", port: UInt16 = 0, threads: Int = 2, connectionLimit: Int = 256,
        idleTimeout: Duration = .seconds(30), requestTimeout: Duration = .seconds(10),
        defaultBodyLimit: Int = 1 << 20, shutdownGrace: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.threads = threads
        self.connectionLimit = connectionLimit
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.defaultBodyLimit = defaultBodyLimit
        self.shutdownGrace = shutdownGrace
    }

    /// The first setting that cannot work, as `key: reason`, or nil.
    public var problem: String? {
        if threads < 1 || threads > 256 { return "threads: must be 1…256 (got \(threads))" }
        if connectionLimit < 1 { return "connectionLimit: must be at least 1 (got \(connectionLimit))" }
        if connectionLimit < threads { return "connectionLimit: must be at least threads (\(threads))" }
        if let p = perClientConnectionLimit, p < 1 { return "perClientConnectionLimit: must be at least 1 (got \(p))" }
        if listenBacklog < 1 { return "listenBacklog: must be at least 1" }
        if idleTimeout < .seconds(1) { return "idleTimeout: must be at least 1 s" }
        if requestTimeout <= .zero { return "requestTimeout: must be positive" }
        if defaultBodyLimit < 0 { return "defaultBodyLimit: must not be negative" }
        if connectionMemoryLimit < 8 << 10 { return "connectionMemoryLimit: must be at least 8 KiB" }
        if shutdownGrace < .zero { return "shutdownGrace: must not be negative" }
        return nil
    }
}

extension Duration {
    /// Whole seconds, rounded up.
    var wholeSecondsRoundedUp: Int {
        let (s, atto) = components
        return Int(s) + (atto > 0 ? 1 : 0)
    }

    var milliseconds: Double {
        let (s, atto) = components
        return Double(s) * 1000 + Double(atto) / 1e15
    }
}
