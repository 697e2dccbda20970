import GonggaoCore

/// One HTTP request for `HTTPClient.send(_:)`: a plain value, safe to build anywhere.
///
/// - Important: `headers` usually carry credentials (signatures, bearer tokens, app keys). They are
///   handed to libcurl and never logged, echoed in errors or kept in results.
public struct HTTPClientRequest: Sendable {
    public enum Method: String, Sendable, CaseIterable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case patch = "PATCH"
        case delete = "DELETE"
    }

    public var method: Method
    /// An absolute `http` or `https` URL; any other scheme is refused by libcurl (`CURLOPT_PROTOCOLS_STR`).
    public var url: String
    /// Name–value pairs in order; names and values must not contain CR or LF.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var options: HTTPTransportOptions

    public init(
        method: Method = .post, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        options: HTTPTransportOptions = HTTPTransportOptions()
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.options = options
    }
}

/// How one request is carried: timeouts, TLS, proxy and the response-size cap. Channels build one
/// from their config; libcurl only reuses a pooled connection whose TLS settings match.
public struct HTTPTransportOptions: Sendable, Equatable {
    /// Longest wait for the TCP (and TLS) connection. Default 5 s.
    public var connectTimeout: Duration
    /// Longest time for the whole transfer, connect included. Default 30 s.
    public var timeout: Duration
    /// A PEM file of CA certificates that replaces the system bundle (for a private CA).
    public var caBundle: String?
    /// A PEM client certificate for mutual TLS; needs `clientKey`.
    public var clientCertificate: String?
    /// The PEM private key of `clientCertificate`.
    public var clientKey: String?
    /// The passphrase of `clientKey`, when it is encrypted.
    public var clientKeyPassword: SecretText?
    /// `http://host:port` of a forward proxy. nil = no proxy at all (the `http_proxy`/`https_proxy`
    /// environment variables are ignored, so a deployment's config alone decides where pushes go).
    public var proxy: String?
    /// Response bodies are read up to this many bytes; the rest is not read and the result is
    /// flagged `bodyTruncated`. Default 1 MiB.
    public var maxResponseBytes: Int

    public static let defaultMaxResponseBytes = 1 << 20

    public init(
        connectTimeout: Duration = .seconds(5), timeout: Duration = .seconds(30), caBundle: String? = nil,
        clientCertificate: String? = nil, clientKey: String? = nil, clientKeyPassword: SecretText? = nil,
        proxy: String? = nil, maxResponseBytes: Int = HTTPTransportOptions.defaultMaxResponseBytes
    ) {
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.caBundle = caBundle
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.clientKeyPassword = clientKeyPassword
        self.proxy = proxy
        self.maxResponseBytes = maxResponseBytes
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so a tiny positive duration never becomes "no limit" (0).
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let remainder = attoseconds % 1_000_000_000_000_000
        return remainder > 0 ? ms + 1 : ms
    }
}
