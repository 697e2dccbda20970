#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// The listening TCP socket the server binds itself (so a busy port is reported with its `errno`,
/// and port 0 yields the port the OS chose). libmicrohttpd accepts on it.
///
/// - Important: MHD_quiesce_daemon hands the socket back to us, and "if MHD is run using threads
///   … it must not be closed until AFTER MHD_stop_daemon has been called" (microhttpd.h): `close()`
///   is only called after the daemon is stopped.
final class ListenSocket: Sendable {
    private let descriptor: Mutex<Int32>
    /// The bound port.
    let port: UInt16
    let isIPv6: Bool

    init(host: String, port: UInt16, backlog: Int) throws(HTTPServerError) {
        let address = try SocketAddress(host: host, port: port)
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            let e = errno
            throw HTTPServerError(.socket, "cannot create a socket: \(String(cString: strerror(e)))", code: e)
        }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = address.withSockaddr { bind(fd, $0, $1) }
        if bound != 0 {
            let e = errno
            Glibc.close(fd)
            throw HTTPServerError(.bind, "cannot bind \(host):\(port): \(String(cString: strerror(e)))", code: e)
        }
        if listen(fd, Int32(clamping: backlog)) != 0 {
            let e = errno
            Glibc.close(fd)
            throw HTTPServerError(.listen, "cannot listen on \(host):\(port): \(String(cString: strerror(e)))", code: e)
        }
        // libmicrohttpd's worker threads all wait on this socket: it must not block in accept().
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.port = Self.boundPort(fd) ?? port
        self.isIPv6 = address.family == AF_INET6
        self.descriptor = Mutex(fd)
    }

    /// The descriptor, or -1 once closed.
    var fd: Int32 { descriptor.withLock { $0 } }

    /// Refuses new connections at once (Linux: a listening socket shut down stops listening) while
    /// keeping the descriptor number reserved until `close()`.
    func stopListening() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Closes the socket; idempotent.
    func close() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }

    deinit { close() }

    private static func boundPort(_ fd: Int32) -> UInt16? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { return nil }
        return withUnsafePointer(to: &storage) { p -> UInt16 in
            if Int32(p.pointee.ss_family) == AF_INET6 {
                return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    UInt16(bigEndian: $0.pointee.sin6_port)
                }
            }
            return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }
}

/// A numeric IPv4/IPv6 address and port (`localhost` means 127.0.0.1; names are not resolved).
struct SocketAddress {
    private var v4 = sockaddr_in()
    private var v6 = sockaddr_in6()
    let family: Int32

    init(host: String, port: UInt16) throws(HTTPServerError) {
        let numeric = host == "localhost" ? "127.0.0.1" : host
        if inet_pton(AF_INET, numeric, &v4.sin_addr) == 1 {
            family = AF_INET
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
        } else if inet_pton(AF_INET6, numeric.trimmingBrackets, &v6.sin6_addr) == 1 {
            family = AF_INET6
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
        } else {
            throw HTTPServerError(.badHost, "host \(host): not a numeric IPv4 or IPv6 address (nor localhost)")
        }
    }

    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        if family == AF_INET {
            var a = v4
            return withUnsafePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        var a = v6
        return withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
    }

    /// `127.0.0.1` / `::1` for a peer address, or nil.
    static func text(_ address: UnsafePointer<sockaddr>?) -> String? {
        guard let address else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = Int32(address.pointee.sa_family)
        let ok: Bool
        if family == AF_INET {
            ok = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                var a = sin.pointee.sin_addr
                return inet_ntop(AF_INET, &a, &buffer, socklen_t(buffer.count)) != nil
            }
        } else if family == AF_INET6 {
            ok = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin in
                var a = sin.pointee.sin6_addr
                return inet_ntop(AF_INET6, &a, &buffer, socklen_t(buffer.count)) != nil
            }
        } else {
            return nil
        }
        return ok ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
    }
}

private extension String {
    var trimmingBrackets: String {
        hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
    }
}
