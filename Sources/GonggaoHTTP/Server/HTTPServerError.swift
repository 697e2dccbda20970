/// Why a server could not start. Carries the OS error code where there is one.
public struct HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case badConfiguration
        case badHost
        case socket
        case bind
        case listen
        case daemonStart
        case alreadyStarted
    }

    public var kind: Kind
    public var message: String
    /// `errno` of the failing call, if any.
    public var code: Int32?

    public init(_ kind: Kind, _ message: String, code: Int32? = nil) {
        self.kind = kind
        self.message = message
        self.code = code
    }

    public var description: String { message }
}
