import Dispatch
import Foundation

/// SIGTERM and SIGINT as an async event: `wait()` returns on the first of them.
///
/// The signals are ignored for the default action and watched by dispatch sources, so a Ctrl-C
/// ends the process's work in order (in-flight sends finish) instead of killing it mid-write.
final class StopSignal: @unchecked Sendable {
    // @unchecked: `sources` is written once in init and only read (cancelled) in deinit.
    private var sources: [DispatchSourceSignal] = []
    private let stream: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation

    init(_ signals: [Int32] = [SIGTERM, SIGINT]) {
        (stream, continuation) = AsyncStream<Int32>.makeStream()
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [continuation] in continuation.yield(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Returns the first signal received (or nil when the task is cancelled first).
    func wait() async -> Int32? {
        for await number in stream { return number }
        return nil
    }

    deinit {
        for source in sources { source.cancel() }
        continuation.finish()
    }
}
