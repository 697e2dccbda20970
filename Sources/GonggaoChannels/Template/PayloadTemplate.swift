import Foundation
import GonggaoCore

/// A payload body read from a file in `Templates/channels/` — data a deployer can change.
///
/// The language, in full:
/// - `{{notice.title}}` writes a value. In a JSON template the escaping follows the context: inside a
///   string literal (`"{{notice.title}}（更正）"`) the value's text is escaped as string content;
///   elsewhere the value is written as JSON — a string with its quotes, a list as an array, an
///   absent optional value as `null`.
/// - Filters, applied left to right: `{{notice.title | truncate:30}}` (cut at a character boundary
///   with "…", the ellipsis included in the limit), `{{notice.paragraphs | join:"\n"}}`,
///   `{{notice.approval.authority | default:"—"}}` (for null or empty).
/// - `{{#if corrects}}…{{else}}…{{/if}}`: the first branch when the value is present and not
///   empty or false.
/// - `{{! a comment }}`.
///
/// Errors name the file, the line and the key (`item.json:7: notice.titel: unknown key …`).
public struct PayloadTemplate: Sendable {
    public enum Format: String, Sendable {
        /// JSON-escaping per context; the rendered body must parse as JSON.
        case json
        /// Values written as they are.
        case text
    }

    public let source: String
    public let format: Format
    let nodes: [Node]

    /// Parses `text`; `source` names the template in errors. The format defaults from the
    /// source's extension (`.json` → JSON, anything else → text).
    public init(text: String, source: String, format: Format? = nil) throws(PayloadTemplateError) {
        self.source = source
        self.format = format ?? (source.lowercased().hasSuffix(".json") ? .json : .text)
        var parser = TemplateParser(source: source, format: self.format)
        nodes = try parser.parse(text)
    }

    /// Reads and parses a template file (`source` in errors is the path as given).
    public static func load(path: String) throws(PayloadTemplateError) -> PayloadTemplate {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PayloadTemplateError(source: path, line: 0, key: "", "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PayloadTemplateError(source: path, line: 0, key: "", "is not UTF-8 text")
        }
        return try PayloadTemplate(text: text, source: path)
    }

    /// The body for `context`. A JSON template's output is checked to be JSON.
    public func render(_ context: TemplateValue) throws(PayloadTemplateError) -> String {
        var out = ""
        try render(nodes, context, allBranches: false, into: &out)
        if format == .json,
            (try? JSONSerialization.jsonObject(with: Data(out.utf8), options: [.fragmentsAllowed])) == nil
        {
            throw PayloadTemplateError(
                source: source, line: 0, key: "", "the rendered body is not valid JSON (a missing comma or quote?)")
        }
        return out
    }

    /// Checks every placeholder of every branch against `sample` (a context with every key the
    /// adapter provides, optional ones present), then renders it once: unknown keys, filters on
    /// the wrong kind of value and invalid JSON are start-up errors, not failed deliveries.
    public func validate(sample: TemplateValue) throws(PayloadTemplateError) {
        var scratch = ""
        try render(nodes, sample, allBranches: true, into: &scratch)
        _ = try render(sample)
    }

    private func render(_ nodes: [Node], _ context: TemplateValue, allBranches: Bool, into out: inout String)
        throws(PayloadTemplateError)
    {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .value(let expression, let escaping, let line):
                var value = try resolve(expression.path, in: context, line: line)
                for filter in expression.filters {
                    value = try filter.apply(to: value) { message throws(PayloadTemplateError) in
                        throw PayloadTemplateError(source: source, line: line, key: expression.raw, message)
                    }
                }
                out += try write(value, escaping, expression.raw, line)
            case .conditional(let path, let line, let then, let otherwise):
                let value = try resolve(path, in: context, line: line)
                if allBranches {
                    try render(then, context, allBranches: true, into: &out)
                    try render(otherwise, context, allBranches: true, into: &out)
                } else {
                    try render(value.isTruthy ? then : otherwise, context, allBranches: false, into: &out)
                }
            }
        }
    }

    /// Walks `path`; an absent optional (null) anywhere on the way gives null, an unknown key is an error.
    private func resolve(_ path: [String], in context: TemplateValue, line: Int) throws(PayloadTemplateError)
        -> TemplateValue
    {
        var current = context
        for (depth, segment) in path.enumerated() {
            let walked = path[...depth].joined(separator: ".")
            switch current {
            case .null:
                return .null
            case .object(let members):
                guard let next = members[segment] else {
                    let parent = depth == 0 ? "the context" : path[..<depth].joined(separator: ".")
                    throw PayloadTemplateError(
                        source: source, line: line, key: walked,
                        "unknown key (\(parent) has: \(members.keys.sorted().joined(separator: ", ")))")
                }
                current = next
            default:
                throw PayloadTemplateError(
                    source: source, line: line, key: walked,
                    "\(path[..<depth].joined(separator: ".")) is \(current.typeName), not an object")
            }
        }
        return current
    }

    private func write(_ value: TemplateValue, _ escaping: Escaping, _ key: String, _ line: Int)
        throws(PayloadTemplateError) -> String
    {
        switch escaping {
        case .jsonValue:
            return value.json
        case .jsonString, .text:
            guard let text = value.text else {
                throw PayloadTemplateError(
                    source: source, line: line, key: key,
                    "is \(value.typeName): inside a string write a single value (or use | join:\"…\")")
            }
            guard escaping == .jsonString else { return text }
            return String(JSONText.quote(text).dropFirst().dropLast())
        }
    }
}

extension PayloadTemplate {
    /// How a placeholder's value is written.
    enum Escaping: Sendable {
        case jsonValue, jsonString, text
    }

    indirect enum Node: Sendable {
        case text(String)
        case value(Expression, Escaping, line: Int)
        case conditional(path: [String], line: Int, then: [Node], otherwise: [Node])
    }

    struct Expression: Sendable {
        var path: [String]
        /// The placeholder as written, for errors.
        var raw: String
        var filters: [Filter]
    }

    enum Filter: Sendable {
        case truncate(Int)
        case join(String)
        case fallback(String)

        func apply(to value: TemplateValue, fail: (String) throws(PayloadTemplateError) -> Never)
            throws(PayloadTemplateError) -> TemplateValue
        {
            switch (self, value) {
            case (.truncate(let limit), .string(let s)):
                return .string(TextLimit.cut(s, to: limit))
            case (.truncate, .null), (.join, .null):
                return .null
            case (.join(let separator), .array(let items)):
                var parts: [String] = []
                for item in items {
                    guard let text = item.text else { try fail("join needs a list of single values") }
                    parts.append(text)
                }
                return .string(parts.joined(separator: separator))
            case (.fallback(let text), _):
                return value.isTruthy || value == .bool(false) || value == .int(0) ? value : .string(text)
            case (.truncate, _):
                try fail("truncate needs a string, not \(value.typeName)")
            case (.join, _):
                try fail("join needs a list, not \(value.typeName)")
            }
        }
    }
}

/// Cutting text to a limit counted in characters (grapheme clusters, as the portals count).
public enum TextLimit {
    /// `text` when it fits, else its first `limit - 1` characters (trailing spaces dropped) and "…".
    public static func cut(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        guard limit > 1 else { return limit == 1 ? "…" : "" }
        var head = String(text.prefix(limit - 1))
        while let last = head.last, last.isWhitespace { head.removeLast() }
        return head + "…"
    }
}
