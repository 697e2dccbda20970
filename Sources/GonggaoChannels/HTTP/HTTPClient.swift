import GonggaoCore

/// An HTTP client on libcurl's multi interface: every send of the process shares one `CURLM*`
/// (and its connection pool), driven by one dedicated thread — never the cooperative pool.
///
/// ```swift
/// let client = try HTTPClient(logger: logger)
/// let result = await client.send(HTTPClientRequest(url: "https://portal.example/api", body: bytes))
/// await client.shutdown(gracePeriod: .seconds(5))
/// ```
///
/// - Important: the loop thread starts in `init` and runs until `shutdown`, `close` or `deinit`.
///   Request headers (credentials) are never logged or copied into results and errors.
public final class HTTPClient: Sendable {
    public struct Configuration: Sendable {
        /// Idle connections the pool keeps for reuse (CURLMOPT_MAXCONNECTS). Default 64.
        public var maxConnections: Int
        /// Connections at once to one host; 0 = no limit (CURLMOPT_MAX_HOST_CONNECTIONS).
        public var maxConnectionsPerHost: Int
        public var userAgent: String

        public init(maxConnections: Int = 64, maxConnectionsPerHost: Int = 0, userAgent: String = "gonggao/1.0") {
            self.maxConnections = maxConnections
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.userAgent = userAgent
        }
    }

    private let loop: CurlMultiLoop

    public init(configuration: Configuration = Configuration(), logger: Logger) throws(HTTPTransportError) {
        loop = try CurlMultiLoop(
            maxConnections: configuration.maxConnections,
            maxConnectionsPerHost: configuration.maxConnectionsPerHost,
            userAgent: configuration.userAgent, logger: logger)
        loop.start()
    }

    deinit { loop.close(gracePeriod: .zero) }

    /// Sends one request. Never throws: a response of any status is `.response`, anything else
    /// (timeout, refused, TLS, cancellation, shutdown) is `.failure` with the curl code.
    public func send(_ request: HTTPClientRequest) async -> HTTPClientResult {
        if Task.isCancelled { return .failure(HTTPTransportError(kind: .cancelled)) }
        let loop = self.loop
        let id = loop.makeID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                loop.submit(CurlMultiLoop.Submission(id: id, request: request, continuation: continuation))
            }
        } onCancel: {
            loop.cancel(id)
        }
    }

    /// Refuses new sends, lets in-flight ones finish for up to `gracePeriod`, aborts the rest
    /// (`.shutdown`) and returns once the loop thread is gone. Idempotent.
    public func shutdown(gracePeriod: Duration = .seconds(5)) async {
        loop.close(gracePeriod: gracePeriod)
        await loop.waitUntilFinished()
    }

    /// Like `shutdown(gracePeriod: .zero)` without waiting for the loop thread. Idempotent.
    public func close() {
        loop.close(gracePeriod: .zero)
    }
}
