import GonggaoCore
import Synchronization

/// A logger whose lines are kept for inspection (e.g. to prove a secret never appears).
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "test", minimum: .debug) { [self] line in lines.withLock { $0.append(line) } }
    }

    var all: [String] { lines.withLock { $0 } }
}
