import Foundation
import GonggaoCore
import GonggaoDelivery
import GonggaoStore

/// A mistake on the command line (exit 2).
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// A failure with its own exit status and one-line message.
struct CommandFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    var description: String
    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        description = message
    }
}

/// Input content refused by validation, with the file it came from.
struct InputRefused: Error, CustomStringConvertible {
    var source: String
    var error: ValidationError
    var description: String { "\(source): \(error)" }
}

/// Maps every error to an exit status and the one line printed after `gonggao: `.
enum ErrorReport {
    static func classify(_ error: any Error) -> (status: ExitStatus, message: String) {
        let (status, message): (ExitStatus, String) = switch error {
        case let e as UsageError: (.usage, e.description)
        case let e as ConfigError: (.usage, e.description)
        case let e as CommandFailure: (e.status, e.description)
        case let e as InputRefused: (.refused, e.description)
        case let e as ValidationError: (.refused, e.description)
        case let e as JSONInput.Failure: (.refused, e.description)
        case let e as WorkflowError: (.refused, e.description)
        case let e as DeliveryDesk.Refusal: (.refused, e.description)
        case let e as StoreError: classify(e)
        default: (.failure, String(describing: error))
        }
        return (status, oneLine(message))
    }

    private static func classify(_ e: StoreError) -> (ExitStatus, String) {
        switch e {
        case .conflict: (.refused, e.description)
        default: (.failure, e.description)
        }
    }

    /// Newlines and tabs folded into spaces so every error is one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
    }
}
