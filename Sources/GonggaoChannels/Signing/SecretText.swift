/// A credential (bearer token, app secret, key passphrase) that never shows itself: `description`,
/// `debugDescription` and string interpolation all print a placeholder.
///
/// - Important: read the value only with `reveal()` at the point it goes on the wire.
public struct SecretText: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable
{
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The secret itself, for the one place that sends it.
    public func reveal() -> String { value }

    public var isEmpty: Bool { value.isEmpty }
    public var description: String { "(redacted)" }
    public var debugDescription: String { "SecretText(redacted)" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
