/// The data a page template renders: text (escaped on output), trusted markup, flags, lists and
/// objects. Built by the page's model code; templates cannot call functions.
public enum PageValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    case text(String)
    case html(TrustedHTML)
    case bool(Bool)
    case list([PageValue])
    case object([String: PageValue])

    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: PageValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, PageValue)...) {
        self = .object(Dictionary(elements) { _, last in last })
    }

    /// `.text(text)`, or `false` when `text` is nil or empty (so `{{#x}}` skips it).
    public static func optional(_ text: String?) -> PageValue {
        guard let text, !text.isEmpty else { return .bool(false) }
        return .text(text)
    }

    /// The member `key` of an object.
    subscript(key: String) -> PageValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// Whether a `{{#section}}` renders: everything but false, "", [] and {}.
    var isTruthy: Bool {
        switch self {
        case .text(let s): !s.isEmpty
        case .html(let h): !h.markup.isEmpty
        case .bool(let b): b
        case .list(let l): !l.isEmpty
        case .object(let o): !o.isEmpty
        }
    }
}
