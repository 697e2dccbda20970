import GonggaoCore

/// A JSON document built in Swift with its keys in the order written (for the OpenAPI document).
indirect enum JSONValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    case object([Member])
    case array([JSONValue])
    case string(String)
    case int(Int)
    case bool(Bool)
    case null

    struct Member: Sendable, Equatable {
        let key: String
        let value: JSONValue
    }

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { Member(key: $0.0, value: $0.1) })
    }

    static func object(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(pairs.map { Member(key: $0.0, value: $0.1) }) }

    static func strings(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }

    /// Member `key` of an object.
    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    /// The object with `extra` members appended.
    func merging(_ extra: [(String, JSONValue)]) -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members + extra.map { Member(key: $0.0, value: $0.1) })
    }

    /// Pretty-printed with two-space indents.
    func serialized(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent + 1)
        let end = String(repeating: "  ", count: indent)
        switch self {
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { pad + JSONText.quote($0.key) + ": " + $0.value.serialized(indent: indent + 1) }
                .joined(separator: ",\n") + "\n" + end + "}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { pad + $0.serialized(indent: indent + 1) }.joined(separator: ",\n") + "\n" + end + "]"
        case .string(let s): return JSONText.quote(s)
        case .int(let i): return "\(i)"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }
}
