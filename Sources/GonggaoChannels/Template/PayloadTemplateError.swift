/// A payload template that cannot be used or rendered: the file, the line, the placeholder and why.
public struct PayloadTemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the template came from, e.g. `Templates/channels/provincial-portal/item.json`.
    public let source: String
    /// 1-based line of the placeholder (0 when the whole file is at fault).
    public let line: Int
    /// The key or placeholder at fault, e.g. `notice.titel`.
    public let key: String
    public let message: String

    public init(source: String, line: Int, key: String, _ message: String) {
        self.source = source
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        let location = line > 0 ? "\(source):\(line)" : source
        return key.isEmpty ? "\(location): \(message)" : "\(location): \(key): \(message)"
    }
}
