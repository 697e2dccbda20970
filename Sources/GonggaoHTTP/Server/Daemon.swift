#if canImport(Glibc)
    import Glibc
#endif
internal import CMicroHTTPD

/// Owns one `MHD_Daemon*`: started in `init`, stopped by `close()` (idempotent) or `deinit`.
///
/// - Important: @unchecked Sendable: `HTTPServer` serializes every call (start, quiesce, close)
///   through its lifecycle lock, and the pointer never leaves this class except inside
///   `withUnsafeHandle`. microhttpd.h: "it is an API violation to call MHD_stop_daemon while having
///   suspended connections" — `HTTPServer` resumes every connection before `close()`.
final class Daemon: @unchecked Sendable {
    private var handle: OpaquePointer?

    /// Starts libmicrohttpd on `listenFD` with `core` as the context of every callback.
    init(core: ServerCore, listenFD: Int32, configuration c: HTTPServerConfiguration) throws(HTTPServerError) {
        let useEpoll = c.eventLoop == .epoll && MHD_is_feature_supported(.FEATURE_EPOLL) == .YES
        let context = Unmanaged.passUnretained(core).toOpaque()
        let started = gonggao_mhd_start(
            useEpoll ? 1 : 0, listenFD, UInt32(c.threads), UInt32(c.connectionLimit),
            UInt32(c.perClientConnectionLimit ?? 0), UInt32(c.idleTimeout.wholeSecondsRoundedUp),
            c.connectionMemoryLimit,
            { cls, connection, url, method, _, upload, uploadSize, slot in
                guard let cls, let connection, let uploadSize, let slot else { return .NO }
                return Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue()
                    .access(connection, url: url, method: method, upload: upload, uploadSize: uploadSize, slot: slot)
            }, context,
            { cls, _, slot, code in
                guard let cls else { return }
                Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue().completed(slot: slot, code: code)
            }, context,
            { cls, connection, socketContext, code in
                guard let cls, let connection, let socketContext else { return }
                Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue()
                    .connectionEvent(connection, socketContext: socketContext, code: code)
            }, context,
            { cls, format, arguments in
                guard let cls, let format, let arguments else { return }
                var buffer = [CChar](repeating: 0, count: 512)
                _ = vsnprintf(&buffer, buffer.count, format, arguments)
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue().libraryMessage(text)
            }, context)
        guard let started else {
            throw HTTPServerError(
                .daemonStart,
                "libmicrohttpd refused to start (threads \(c.threads), connection limit \(c.connectionLimit))")
        }
        handle = started
        usesEpoll = useEpoll
    }

    /// Whether epoll (true) or poll (false) is in use.
    let usesEpoll: Bool

    func withUnsafeHandle<R>(_ body: (OpaquePointer) -> R) -> R? {
        handle.map(body)
    }

    /// Stops accepting new connections; in-flight ones continue. The listen socket stays ours.
    func quiesce() {
        if let handle { _ = MHD_quiesce_daemon(handle) }
    }

    /// Stops the daemon: joins its threads and closes every connection. Blocks; idempotent.
    func close() {
        guard let handle else { return }
        self.handle = nil
        _ = MHD_quiesce_daemon(handle)  // so MHD never closes the listen socket we own
        MHD_stop_daemon(handle)
    }

    deinit { close() }
}
