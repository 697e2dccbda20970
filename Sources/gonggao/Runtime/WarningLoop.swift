import Foundation
import GonggaoCore
import GonggaoStore

/// Evaluates the statutory warnings every `interval` (`warnings.evaluateEverySeconds`), as one
/// part of the task group of `gonggao serve` and `gonggao worker`; it ends when that group cancels it.
struct WarningLoop: Sendable {
    let desk: WarningDesk
    let interval: Duration
    let logger: Logger
    /// Called after an evaluation that raised, escalated or resolved something.
    var changed: @Sendable (WarningDesk.Evaluation) -> Void = { _ in }

    /// Evaluates at once, then after every interval, until cancelled. A failed evaluation is logged
    /// and tried again at the next interval.
    func run() async throws {
        while !Task.isCancelled {
            do {
                let e = try await desk.evaluate()
                if !(e.raised.isEmpty && e.escalated.isEmpty && e.resolved.isEmpty) {
                    logger.notice("warnings evaluated", [
                        "warnings.raised": "\(e.raised.count)", "warnings.escalated": "\(e.escalated.count)",
                        "warnings.resolved": "\(e.resolved.count)", "warnings.active": "\(e.active)",
                    ])
                    changed(e)
                }
            } catch is CancellationError {
                return
            } catch {
                logger.error("warning evaluation failed", ["error": String(describing: error)])
            }
            try await Task.sleep(for: interval)
        }
    }
}
