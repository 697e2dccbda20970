import Foundation
import Synchronization

/// The three portals' books behind one lock, plus the public URL base (known once listening).
final class SandboxState: Sendable {
    private struct Books {
        var provincial = PortalBook(portal: .provincial)
        var county = PortalBook(portal: .county)
        var mobile = PortalBook(portal: .mobile)
        var publicBase = ""
        var listenBase = ""

        /// Mutates one book in place (no copy of its dictionaries).
        mutating func modify<R>(_ portal: SandboxPortal, _ body: (inout PortalBook) -> R) -> R {
            switch portal {
            case .provincial: body(&provincial)
            case .county: body(&county)
            case .mobile: body(&mobile)
            }
        }
    }

    private let books = Mutex(Books())

    init() {}

    var publicBase: String {
        get { books.withLock { $0.publicBase } }
        set { books.withLock { $0.publicBase = newValue } }
    }

    var listenBase: String {
        get { books.withLock { $0.listenBase } }
        set { books.withLock { $0.listenBase = newValue } }
    }

    /// Reads or changes one portal's book under the lock.
    func with<R: Sendable>(_ portal: SandboxPortal, _ body: (inout PortalBook) -> R) -> R {
        books.withLock { $0.modify(portal, body) }
    }

    /// Executes a command with the current public base, atomically with its dedupe check.
    func execute(
        _ portal: SandboxPortal, _ command: PortalCommand, operation: String, webhookId: String, at now: Date
    ) -> PortalAnswer {
        books.withLock { b in
            let base = b.publicBase
            return b.modify(portal) {
                $0.execute(command, operation: operation, webhookId: webhookId, at: now, publicBase: base)
            }
        }
    }

    /// Forgets everything: items, logs, webhook-id answers, faults, counters.
    func reset() {
        books.withLock { b in
            let (publicBase, listenBase) = (b.publicBase, b.listenBase)
            b = Books()
            b.publicBase = publicBase
            b.listenBase = listenBase
        }
    }
}
