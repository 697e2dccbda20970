internal import CMicroHTTPD
import Foundation
import GonggaoCore

/// One JSON line per finished exchange: request id, method, path, route, status, duration and
/// bytes. Never headers (they carry `Authorization`, app keys and signatures) nor the query.
enum AccessLog {
    static func record(_ exchange: Exchange, code: MHD_RequestTerminationCode, level: Logger.Level?, logger: Logger) {
        guard let level, level >= logger.minimum else { return }
        let r = exchange.request
        // In key order (`Logger.log(_:_:sortedFields:)`).
        var fields: [(String, String)] = [("http.bytes_in", String(exchange.bytesIn)), ("http.bytes_out", String(exchange.bytesOut))]
        fields.reserveCapacity(11)
        if let client = r.clientAddress, client != r.remoteAddress { fields.append(("http.client", client)) }
        fields.append(("http.duration_ms", oneDecimal((ContinuousClock.now - exchange.started).milliseconds)))
        fields.append(("http.method", r.method.rawValue))
        fields.append(("http.outcome", outcome(code)))
        fields.append(("http.path", r.path))
        if let remote = r.remoteAddress { fields.append(("http.remote", remote)) }
        fields.append(("http.request_id", r.requestID))
        if let route = r.route { fields.append(("http.route", route)) }
        fields.append(("http.status", String(exchange.status)))
        logger.log(level, "http request", sortedFields: fields)
    }

    /// `%.1f` through the C library's `vsnprintf` (Foundation's `String(format:)` costs several
    /// times more, once per request).
    static func oneDecimal(_ value: Double) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buffer in
            let n = withVaList([value]) { vsnprintf(buffer.baseAddress!, buffer.count, "%.1f", $0) }
            guard n > 0, n < buffer.count else { return String(format: "%.1f", value) }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: Int(n)).bindMemory(to: UInt8.self),
                          as: UTF8.self)
        }
    }

    static func outcome(_ code: MHD_RequestTerminationCode) -> String {
        switch code {
        case .REQUEST_TERMINATED_COMPLETED_OK: "completed"
        case .REQUEST_TERMINATED_WITH_ERROR: "error"
        case .REQUEST_TERMINATED_TIMEOUT_REACHED: "timeout"
        case .REQUEST_TERMINATED_DAEMON_SHUTDOWN: "shutdown"
        case .REQUEST_TERMINATED_READ_ERROR: "read-error"
        case .REQUEST_TERMINATED_CLIENT_ABORT: "client-abort"
        @unknown default: "unknown"
        }
    }
}
