import Foundation

/// What `HTTPClient.send(_:)` ends with: a response (any status) or a transport failure.
public enum HTTPClientResult: Sendable {
    case response(HTTPResponse)
    case failure(HTTPTransportError)

    public var response: HTTPResponse? {
        if case .response(let r) = self { return r }
        return nil
    }

    public var failure: HTTPTransportError? {
        if case .failure(let e) = self { return e }
        return nil
    }
}

/// A received response: status, headers and the first `maxResponseBytes` of the body.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Response headers in order, as received (of the final response, not of a `100 Continue`).
    public var headers: [(name: String, value: String)]
    /// The body, at most `HTTPTransportOptions.maxResponseBytes` long.
    public var body: [UInt8]
    /// True when the server sent more than the cap: the rest was not read and the connection dropped.
    public var bodyTruncated: Bool
    /// From the start of the transfer to its end.
    public var elapsed: Duration

    public init(
        status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], bodyTruncated: Bool = false,
        elapsed: Duration = .zero
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
        self.elapsed = elapsed
    }

    /// The first header called `name` (compared case-insensitively).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// `Retry-After` as a delay from `now` (seconds or an HTTP date), when present and valid.
    public func retryAfter(now: Date) -> Duration? {
        header("Retry-After").flatMap { RetryAfter.parse($0, now: now) }
    }

    /// The body as text (invalid UTF-8 repaired).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public var isSuccess: Bool { (200...299).contains(status) }
}

/// A request that got no HTTP response. `description` is generic — it never holds the URL, a host,
/// a header or libcurl's error buffer — and names the libcurl code.
public struct HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case timeout
        case connectionRefused = "connection refused"
        case connectionReset = "connection reset"
        case hostNotFound = "host not found"
        case tls = "TLS failure"
        case unsupportedScheme = "scheme not allowed"
        case invalidRequest = "invalid request"
        case cancelled
        case shutdown = "client shut down"
        case other = "transport failure"
    }

    public var kind: Kind
    /// libcurl's `CURLcode`, when libcurl reported the failure.
    public var curlCode: Int?
    /// libcurl's generic text for the code (`curl_easy_strerror`), never the error buffer.
    public var curlMessage: String?

    public init(kind: Kind, curlCode: Int? = nil, curlMessage: String? = nil) {
        self.kind = kind
        self.curlCode = curlCode
        self.curlMessage = curlMessage
    }

    /// Whether trying again later may succeed. Timeouts, refused and reset connections, DNS and
    /// unknown network failures are; so are TLS failures (an expired portal certificate or a CA
    /// bundle being fixed heals without our changing anything). A scheme other than http/https or
    /// a malformed request never will.
    public var isRetryable: Bool {
        switch kind {
        case .timeout, .connectionRefused, .connectionReset, .hostNotFound, .tls, .other, .cancelled, .shutdown: true
        case .unsupportedScheme, .invalidRequest: false
        }
    }

    public var description: String {
        var text = kind.rawValue
        if let curlMessage, kind == .other || kind == .tls { text += ": " + curlMessage }
        if let curlCode { text += " (curl \(curlCode))" }
        return text
    }
}
