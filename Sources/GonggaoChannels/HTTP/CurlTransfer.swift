internal import CCurl
import Foundation

/// One libcurl easy handle with everything it depends on, owned by the multi loop's thread.
///
/// - Important: created, driven and cleaned up on the loop thread only. The header list lives as
///   long as the handle ("the list must remain valid for the whole transfer", CURLOPT_HTTPHEADER).
final class CurlTransfer {
    let id: UInt64
    let continuation: CheckedContinuation<HTTPClientResult, Never>
    let started = ContinuousClock.now
    private(set) var handle: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let maxBody: Int

    // Filled by libcurl's callbacks, on the loop thread.
    private(set) var body: [UInt8] = []
    private(set) var bodyTruncated = false
    private(set) var responseHeaders: [(name: String, value: String)] = []

    /// Builds and configures the easy handle; a request libcurl cannot take fails here.
    init(
        id: UInt64, request: HTTPClientRequest, userAgent: String,
        continuation: CheckedContinuation<HTTPClientResult, Never>
    ) throws(HTTPTransportError) {
        self.id = id
        self.continuation = continuation
        self.maxBody = max(0, request.options.maxResponseBytes)
        guard let handle = curl_easy_init() else {
            throw HTTPTransportError(kind: .other, curlMessage: "curl_easy_init failed")
        }
        self.handle = handle
        try configure(handle, request, userAgent: userAgent)
    }

    deinit { close() }

    /// Frees the easy handle and its header list; safe to call twice. The handle must already be
    /// removed from the multi handle.
    func close() {
        if let handle { curl_easy_cleanup(handle) }
        handle = nil
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
    }

    /// The HTTP status of the last response (0 when none arrived).
    var responseCode: Int {
        guard let handle else { return 0 }
        var code: Int = 0
        _ = gg_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    // MARK: - Configuration

    private func configure(_ h: UnsafeMutableRawPointer, _ request: HTTPClientRequest, userAgent: String)
        throws(HTTPTransportError)
    {
        let o = request.options
        try set(h, CURLOPT_URL, request.url)
        // Only http and https, for the first request and (were redirects followed) for redirects.
        try set(h, CURLOPT_PROTOCOLS_STR, "http,https")
        try set(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        // Redirects are never followed: a signed push goes to the configured endpoint or nowhere.
        try set(h, CURLOPT_FOLLOWLOCATION, 0)
        // "If you use a multi-threaded application you must set CURLOPT_NOSIGNAL" (curl_easy_setopt(3)).
        try set(h, CURLOPT_NOSIGNAL, 1)
        try set(h, CURLOPT_CONNECTTIMEOUT_MS, Int(o.connectTimeout.wholeMilliseconds))
        try set(h, CURLOPT_TIMEOUT_MS, Int(o.timeout.wholeMilliseconds))
        try set(h, CURLOPT_SSL_VERIFYPEER, 1)
        try set(h, CURLOPT_SSL_VERIFYHOST, 2)
        if let ca = o.caBundle { try set(h, CURLOPT_CAINFO, ca) }
        if let cert = o.clientCertificate { try set(h, CURLOPT_SSLCERT, cert) }
        if let key = o.clientKey { try set(h, CURLOPT_SSLKEY, key) }
        if let password = o.clientKeyPassword { try set(h, CURLOPT_KEYPASSWD, password.reveal()) }
        // "" disables proxies, including those named by http_proxy/https_proxy/all_proxy.
        try set(h, CURLOPT_PROXY, o.proxy ?? "")
        try set(h, CURLOPT_USERAGENT, userAgent)
        try set(h, CURLOPT_TCP_KEEPALIVE, 1)

        switch request.method {
        case .get:
            try set(h, CURLOPT_HTTPGET, 1)
        case .delete where request.body.isEmpty:
            try set(h, CURLOPT_CUSTOMREQUEST, "DELETE")
        default:
            try set(h, CURLOPT_POST, 1)
            if request.method != .post { try set(h, CURLOPT_CUSTOMREQUEST, request.method.rawValue) }
            // Size first, then CURLOPT_COPYPOSTFIELDS copies exactly that many bytes (binary-safe).
            try check(gg_curl_setopt_offset(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            // A trailing NUL gives an empty body a valid address; libcurl copies only the size set above.
            let rc = (request.body + [0]).withUnsafeBytes { bytes in
                gg_curl_setopt_pointer(h, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
            try check(rc)
        }

        var list: UnsafeMutablePointer<curl_slist>? = nil
        // An empty `Expect:` stops libcurl waiting for `100 Continue` before sending larger bodies.
        var lines = ["Expect:"]
        for (name, value) in request.headers {
            guard Self.isValidHeader(name: name, value: value) else {
                if let list { curl_slist_free_all(list) }
                throw HTTPTransportError(kind: .invalidRequest, curlMessage: "a header name or value is not allowed")
            }
            lines.append("\(name): \(value)")
        }
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                if let list { curl_slist_free_all(list) }
                throw HTTPTransportError(kind: .other, curlMessage: "curl_slist_append failed")
            }
            list = appended
        }
        headerList = list
        try check(gg_curl_setopt_slist(h, CURLOPT_HTTPHEADER, list))

        let me = Unmanaged.passUnretained(self).toOpaque()
        try check(gg_curl_setopt_data_callback(h, CURLOPT_WRITEFUNCTION, curlWriteCallback))
        try check(gg_curl_setopt_pointer(h, CURLOPT_WRITEDATA, me))
        try check(gg_curl_setopt_data_callback(h, CURLOPT_HEADERFUNCTION, curlHeaderCallback))
        try check(gg_curl_setopt_pointer(h, CURLOPT_HEADERDATA, me))
    }

    private func set(_ h: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Int) throws(HTTPTransportError) {
        try check(gg_curl_setopt_long(h, option, value))
    }

    private func set(_ h: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String) throws(HTTPTransportError) {
        // libcurl copies string options (curl_easy_setopt(3): "strings passed to libcurl … are copied").
        try check(gg_curl_setopt_string(h, option, value))
    }

    private func check(_ rc: CURLcode) throws(HTTPTransportError) {
        guard rc != CURLE_OK else { return }
        throw CurlCode.error(rc)
    }

    static func isValidHeader(name: String, value: String) -> Bool {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: ":") }) else {
            return false
        }
        return !value.utf8.contains { $0 == 0x0d || $0 == 0x0a || $0 == 0 }
    }

    // MARK: - Callbacks (loop thread)

    /// Keeps at most `maxBody` bytes; returning less than offered makes libcurl stop with
    /// CURLE_WRITE_ERROR, which the loop reports as a truncated response.
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        let room = maxBody - body.count
        if bytes.count <= room {
            body.append(contentsOf: bytes)
            return bytes.count
        }
        body.append(contentsOf: bytes.prefix(max(0, room)))
        bodyTruncated = true
        return 0
    }

    fileprivate func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new response (after `100 Continue` or a proxy's CONNECT answer): start over.
            responseHeaders.removeAll()
            return
        }
        guard let colon = line.firstIndex(of: ":"), responseHeaders.count < 200 else { return }
        let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        responseHeaders.append((name, value))
    }
}

private let curlWriteCallback: gg_curl_data_callback = { buffer, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
}

private let curlHeaderCallback: gg_curl_data_callback = { buffer, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: size * count))
    return size * count
}

/// libcurl's result codes, turned into generic transport errors (one `check` for the wrapper).
enum CurlCode {
    static func error(_ rc: CURLcode) -> HTTPTransportError {
        let code = Int(rc.rawValue)
        return HTTPTransportError(
            kind: kind(of: code), curlCode: code, curlMessage: String(cString: curl_easy_strerror(rc)))
    }

    static func kind(of code: Int) -> HTTPTransportError.Kind {
        switch code {
        case 28: .timeout  // CURLE_OPERATION_TIMEDOUT
        case 7: .connectionRefused  // CURLE_COULDNT_CONNECT
        case 52, 55, 56, 18, 92: .connectionReset  // GOT_NOTHING, SEND_ERROR, RECV_ERROR, PARTIAL_FILE, HTTP2_STREAM
        case 6, 5: .hostNotFound  // COULDNT_RESOLVE_HOST / _PROXY
        case 1: .unsupportedScheme  // CURLE_UNSUPPORTED_PROTOCOL
        case 3, 43: .invalidRequest  // URL_MALFORMAT, BAD_FUNCTION_ARGUMENT
        case 58, 60, 77, 53, 54, 59, 64, 66, 80, 82, 83, 90, 91, 98: .tls  // certificate and TLS set-up problems
        default: .other  // 35 (TLS connect error) included: often a reset
        }
    }
}
