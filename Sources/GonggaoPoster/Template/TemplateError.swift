/// A template the renderer refuses: the file, the key path (`regions.qr.x`) and why.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the template came from, e.g. `Templates/posters/a4.json`.
    public let source: String
    /// Dotted key path with array indices, e.g. `table.columns[2].weight`.
    public let key: String
    public let message: String

    public init(source: String, key: String, _ message: String) {
        self.source = source
        self.key = key
        self.message = message
    }

    public var description: String { "\(source): \(key): \(message)" }
}
