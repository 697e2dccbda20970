import Foundation
import Synchronization

/// A clock for tests: starts at a fixed instant and moves one `step` forward on every reading, so
/// every recorded time is distinct, whole-second and independent of today's date.
public final class TestClock: Sendable {
    public let start: Date
    public let step: TimeInterval
    private let readings = Mutex<Int>(0)

    public init(start: Date = Fixtures.t0, step: TimeInterval = 1) {
        self.start = start
        self.step = step
    }

    /// The next instant.
    public func now() -> Date {
        let n = readings.withLock { n in
            defer { n += 1 }
            return n
        }
        return start.addingTimeInterval(Double(n) * step)
    }

    /// `now` as the closure a `NoticeWorkflow` takes.
    public var function: @Sendable () -> Date { { self.now() } }
}
