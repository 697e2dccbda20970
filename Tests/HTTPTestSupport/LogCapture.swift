import Foundation
import GonggaoCore
import Synchronization

/// A logger whose JSON lines tests can read back.
public final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    public var logger: Logger {
        Logger(label: "test", minimum: .debug) { [self] line in lines.withLock { $0.append(line) } }
    }

    public var all: [String] { lines.withLock { $0 } }

    /// Every line parsed as a JSON object.
    public var records: [[String: String]] {
        all.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String] }
    }
}
