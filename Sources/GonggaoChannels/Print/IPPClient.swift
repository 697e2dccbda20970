internal import CCups
import Dispatch
import Foundation

/// Submits documents to an IPP printer through libcups — the only user of libcups.
///
/// libcups calls block (and keep their last error per thread), so every job runs start to finish on
/// one dedicated serial queue, never on the cooperative pool.
public final class IPPClient: Sendable {
    /// How a print job ended.
    public enum Result: Sendable, Equatable {
        case accepted(jobID: Int)
        /// The printer is busy, stopped or unreachable: try again later.
        case retryable(String)
        /// The printer refused the document: retrying cannot help.
        case rejected(String)
    }

    private let queue = DispatchQueue(label: "gonggao.ipp")

    public init() {}

    /// Sends `document` as one Print-Job to `printerURI` (`ipp://host:port/ipp/print`).
    public func print(_ document: [UInt8], format: String = "application/pdf", jobName: String, user: String = "gonggao",
                      printerURI: String, timeout: Duration) async -> Result {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Self.printJob(document, format: format, jobName: jobName, user: user,
                                                             uri: printerURI, timeout: timeout))
            }
        }
    }

    private static func printJob(_ document: [UInt8], format: String, jobName: String, user: String, uri: String,
                                 timeout: Duration) -> Result {
        guard let target = IPPURI(uri) else { return .rejected("not an ipp:// or ipps:// printer URI") }
        let encryption = target.secure ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED
        let millis = Int32(max(1, timeout.seconds * 1000))
        guard let http = httpConnect2(target.host, Int32(target.port), nil, AF_UNSPEC, encryption, 1, millis, nil) else {
            return .retryable("printer \(target.host):\(target.port) unreachable")
        }
        defer { httpClose(http) }
        httpSetTimeout(http, timeout.seconds, nil, nil)

        let request = ippNewRequest(IPP_OP_PRINT_JOB)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, uri)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, user)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nil, jobName)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nil, format)

        // The document is streamed after the request header; the response is read afterwards.
        defer { ippDelete(request) }
        // The length is the whole HTTP body: the IPP header plus the document (as ipptool sends it);
        // the document alone makes the printer stop reading ippLength bytes short of the end.
        var status = cupsSendRequest(http, request, target.resource, ippLength(request) + document.count)
        if status == HTTP_STATUS_CONTINUE {
            status = document.withUnsafeBytes { raw in
                cupsWriteRequestData(http, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
            }
        }
        let response = cupsGetResponse(http, target.resource)
        defer { if let response { ippDelete(response) } }
        let ippStatus = cupsLastError()
        let message = cupsLastErrorString().map { String(cString: $0) } ?? "IPP status \(ippStatus.rawValue)"
        guard let response, ippStatus.rawValue < 0x0400 else {
            return classify(ippStatus, message: message, hadResponse: response != nil)
        }
        let jobID = ippFindAttribute(response, "job-id", IPP_TAG_INTEGER).map { Int(ippGetInteger($0, 0)) } ?? 0
        return .accepted(jobID: jobID)
    }

    /// Server errors (busy, unavailable, not accepting) and transport failures are retryable;
    /// client errors (bad document, bad attributes) are permanent.
    private static func classify(_ status: ipp_status_t, message: String, hadResponse: Bool) -> Result {
        let code = status.rawValue
        let text = "IPP \(String(code, radix: 16, uppercase: false).leftPadded(to: 4)): \(message)"
        if !hadResponse || code >= 0x0500 { return .retryable(text) }
        return .rejected(text)
    }
}

/// The parts of an `ipp://host:port/resource` URI libcups needs.
struct IPPURI {
    let secure: Bool
    let host: String
    let port: Int
    let resource: String

    init?(_ text: String) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "ipp" || scheme == "ipps",
              let host = url.host, !host.isEmpty else { return nil }
        secure = scheme == "ipps"
        self.host = host
        port = url.port ?? 631
        resource = url.path.isEmpty ? "/" : url.path
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

extension Duration {
    fileprivate var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
