/// Markup that is already safe to insert into a page: built by code from numbers and escaped text,
/// never from raw user input. The only way a template outputs unescaped text.
public struct TrustedHTML: Sendable, Equatable, CustomStringConvertible {
    public let markup: String

    /// - Important: only for markup the caller built itself; user text goes through `HTML.escape`.
    public init(trusted markup: String) { self.markup = markup }

    public var description: String { markup }
}

/// HTML escaping for text content and attribute values.
public enum HTML {
    /// Escapes `& < > " '` so `text` is inert in element content and in quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
