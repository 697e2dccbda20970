/// A failure a handler can throw from helpers and turn into its JSON error answer.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    /// A stable machine-readable code (`not-found`, `bad-parameter`, …).
    public var code: String
    public var message: String
    public var field: String?

    public init(status: Int, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    /// The `{error, message, field?}` answer.
    public var response: HTTPResponse { .error(status: status, code: code, message: message, field: field) }

    public var description: String { "HTTP \(status) \(code): \(message)" }
}
