#if canImport(Glibc)
    import Glibc
#endif
import Foundation

/// A deliberately small HTTP/1.1 client on raw loopback sockets, for tests that need control a
/// real client hides: slow senders, half-sent requests, idle connections, resets.
///
/// - Important: every blocking socket call runs on a fresh thread (`Loopback.offPool`), never on
///   the cooperative pool the server's handlers need.
public struct LoopbackResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object, or nil.
    public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
}

public enum LoopbackError: Error, Equatable, Sendable {
    case connect(Int32)
    /// The server closed the connection before a complete response (`bytes` received).
    case closedWithoutResponse(bytes: Int)
    /// The server reset the connection.
    case reset
    case timedOut
    case malformed(String)
}

/// One blocking client connection. Use from one thread at a time.
public final class LoopbackConnection: @unchecked Sendable {
    private var fd: Int32
    /// Bytes received beyond the last parsed response.
    private var pending: [UInt8] = []

    public init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 {
            let e = errno
            Glibc.close(fd)
            throw LoopbackError.connect(e)
        }
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw errno == ECONNRESET || errno == EPIPE ? LoopbackError.reset : LoopbackError.connect(errno)
            }
            offset += n
        }
    }

    /// Reads one response (its body by `Content-Length`, else up to the close).
    public func readResponse(timeout: Duration = .seconds(10), expectBody: Bool = true) throws -> LoopbackResponse {
        let deadline = ContinuousClock.now + timeout
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = Self.find([13, 10, 13, 10], in: pending)
            if headerEnd == nil {
                guard try receive(until: deadline) else {
                    throw LoopbackError.closedWithoutResponse(bytes: pending.count)
                }
            }
        }
        let head = String(decoding: pending[..<headerEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw LoopbackError.malformed(head) }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let bodyStart = headerEnd! + 4
        let length = expectBody ? headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } : 0
        if let length {
            while pending.count - bodyStart < length {
                guard try receive(until: deadline) else {
                    throw LoopbackError.closedWithoutResponse(bytes: pending.count)
                }
            }
        } else {
            while try receive(until: deadline) {}
        }
        let end = length.map { bodyStart + $0 } ?? pending.count
        let body = Array(pending[bodyStart..<end])
        pending.removeFirst(end)
        return LoopbackResponse(status: status, headers: headers, body: body)
    }

    /// Waits until the server closes the connection (true) or `timeout` passes (false).
    public func waitForClose(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        do {
            while try receive(until: deadline) {}
            return true
        } catch LoopbackError.reset {
            return true
        } catch {
            return false
        }
    }

    /// Whether the server answered nothing within `timeout` and the connection is still open.
    public func staysSilent(for timeout: Duration) -> Bool {
        let before = pending.count
        do {
            let open = try receive(until: ContinuousClock.now + timeout)
            return open && pending.count == before
        } catch LoopbackError.timedOut {
            return pending.count == before
        } catch {
            return false
        }
    }

    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }

    /// Receives what is there; false at end of stream.
    private func receive(until deadline: ContinuousClock.Instant) throws -> Bool {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { throw LoopbackError.timedOut }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = Int32(
            min(
                remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1,
                60_000))
        let ready = poll(&p, 1, ms)
        if ready == 0 { throw LoopbackError.timedOut }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buffer, buffer.count, 0)
        if n < 0 {
            if errno == ECONNRESET { throw LoopbackError.reset }
            if errno == EINTR || errno == EAGAIN { return true }
            throw LoopbackError.connect(errno)
        }
        if n == 0 { return false }
        pending.append(contentsOf: buffer[..<n])
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}

public enum Loopback {
    /// Runs blocking work on a new thread and awaits its result.
    public static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// The bytes of a request (with `Content-Length` and, by default, `Connection: close`).
    public static func requestBytes(
        port: UInt16, method: String, path: String, headers: [(String, String)] = [],
        body: [UInt8] = [], keepAlive: Bool = false
    ) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        if !keepAlive { head += "Connection: close\r\n" }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) { head += "Content-Length: \(body.count)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return Array((head + "\r\n").utf8) + body
    }

    /// One request on a fresh connection.
    public static func request(
        port: UInt16, _ method: String, _ path: String, headers: [(String, String)] = [],
        body: [UInt8] = [], timeout: Duration = .seconds(10)
    ) async throws -> LoopbackResponse {
        try await offPool {
            let connection = try LoopbackConnection(port: port)
            defer { connection.close() }
            try connection.send(requestBytes(port: port, method: method, path: path, headers: headers, body: body))
            return try connection.readResponse(timeout: timeout)
        }
    }

    /// One JSON request on a fresh connection.
    public static func json(
        port: UInt16, _ method: String, _ path: String, _ object: Any,
        headers: [(String, String)] = [], timeout: Duration = .seconds(10)
    ) async throws -> LoopbackResponse {
        let body = Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        return try await request(
            port: port, method, path, headers: [("Content-Type", "application/json")] + headers,
            body: body, timeout: timeout)
    }
}
