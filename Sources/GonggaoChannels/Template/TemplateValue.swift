import GonggaoCore

/// The data a payload template is rendered with: JSON-like, built by an adapter from a request.
public enum TemplateValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([TemplateValue])
    case object([String: TemplateValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }

    /// `.string(text)` or `.null` when `text` is nil.
    public static func optional(_ text: String?) -> TemplateValue { text.map(TemplateValue.string) ?? .null }

    /// Strings as a list.
    public static func strings(_ items: [String]) -> TemplateValue { .array(items.map(TemplateValue.string)) }

    /// The member `key` of an object; nil when this is not an object or has no such member.
    public subscript(key: String) -> TemplateValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// Whether `{{#if …}}` takes its first branch: everything but null, false, "", [] and {}.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .int: true
        case .string(let s): !s.isEmpty
        case .array(let a): !a.isEmpty
        case .object(let o): !o.isEmpty
        }
    }

    /// What the value is, for error messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }

    /// The value as JSON (object members in key order, so output is reproducible).
    var json: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .string(let s): JSONText.quote(s)
        case .array(let items): "[" + items.map(\.json).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.keys.sorted().map { JSONText.quote($0) + ":" + members[$0]!.json }.joined(separator: ",")
                + "}"
        }
    }

    /// A scalar as plain text; nil for lists and objects.
    var text: String? {
        switch self {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .string(let s): s
        case .array, .object: nil
        }
    }
}
