/// A page template: HTML with `{{name}}` (escaped), `{{#name}}…{{/name}}` (list or condition),
/// `{{^name}}…{{/name}}` (inverted), `{{>partial}}` and `{{! comment }}`.
///
/// Every value is HTML-escaped on output; only a `PageValue.html` (markup built by code) is
/// inserted as is. There is no syntax to un-escape text. `{{a.b}}` reads member `b` of `a`;
/// `{{.}}` is the current list item. A name found nowhere is an error, not an empty string, so a
/// typo in a template fails the tests instead of silently dropping a field.
public struct PageTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case value([String], line: Int)
        case section([String], inverted: Bool, body: [Node], line: Int)
        case partial(String, line: Int)
    }

    public let name: String
    let nodes: [Node]

    /// Parses `source`; `name` is used in error messages.
    public init(name: String, source: String) throws(PageTemplateError) {
        self.name = name
        var parser = Parser(name: name, source: source)
        nodes = try parser.parseAll()
    }

    /// Names of the partials this template includes (directly).
    var partials: [String] {
        func collect(_ nodes: [Node]) -> [String] {
            nodes.flatMap { node -> [String] in
                switch node {
                case .partial(let p, _): [p]
                case .section(_, _, let body, _): collect(body)
                case .text, .value: []
                }
            }
        }
        return collect(nodes)
    }
}

/// A template that cannot be parsed or rendered, naming the template and line.
public struct PageTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public let template: String
    public let line: Int
    public let message: String

    public var description: String { "\(template):\(line): \(message)" }
}

extension PageTemplate {
    struct Parser {
        let name: String
        let source: String
        var index: String.Index
        var line = 1

        init(name: String, source: String) {
            self.name = name
            self.source = source
            self.index = source.startIndex
        }

        mutating func parseAll() throws(PageTemplateError) -> [Node] {
            let (nodes, closing) = try parse(until: nil)
            if let closing { throw PageTemplateError(template: name, line: line, message: "unexpected {{/\(closing)}}") }
            return nodes
        }

        /// Parses until `{{/section}}` (returned) or the end.
        private mutating func parse(until section: String?) throws(PageTemplateError) -> ([Node], String?) {
            var nodes: [Node] = []
            while index < source.endIndex {
                guard let open = source.range(of: "{{", range: index..<source.endIndex) else {
                    append(String(source[index...]), to: &nodes)
                    index = source.endIndex
                    break
                }
                append(String(source[index..<open.lowerBound]), to: &nodes)
                guard let close = source.range(of: "}}", range: open.upperBound..<source.endIndex) else {
                    throw PageTemplateError(template: name, line: line, message: "unclosed {{")
                }
                let tag = source[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                let tagLine = line
                line += tag.filter { $0 == "\n" }.count
                index = close.upperBound
                guard let sigil = tag.first else {
                    throw PageTemplateError(template: name, line: tagLine, message: "empty tag {{}}")
                }
                let rest = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
                switch sigil {
                case "!":
                    continue
                case "#", "^":
                    let path = try self.path(rest, line: tagLine)
                    let (body, closing) = try parse(until: rest)
                    guard closing == rest else {
                        throw PageTemplateError(template: name, line: tagLine, message: "{{\(sigil)\(rest)}} is never closed")
                    }
                    nodes.append(.section(path, inverted: sigil == "^", body: body, line: tagLine))
                case "/":
                    guard rest == section else {
                        throw PageTemplateError(
                            template: name, line: tagLine,
                            message: section.map { "{{/\(rest)}} closes {{#\($0)}}" } ?? "unexpected {{/\(rest)}}")
                    }
                    return (nodes, rest)
                case ">":
                    guard !rest.isEmpty else {
                        throw PageTemplateError(template: name, line: tagLine, message: "{{>}} needs a partial name")
                    }
                    nodes.append(.partial(rest, line: tagLine))
                case "{", "&":
                    throw PageTemplateError(
                        template: name, line: tagLine,
                        message: "unescaped output is not supported; pass trusted markup as a PageValue.html")
                default:
                    nodes.append(.value(try self.path(tag, line: tagLine), line: tagLine))
                }
            }
            return (nodes, nil)
        }

        private mutating func append(_ text: String, to nodes: inout [Node]) {
            guard !text.isEmpty else { return }
            line += text.filter { $0 == "\n" }.count
            nodes.append(.text(text))
        }

        private func path(_ text: String, line: Int) throws(PageTemplateError) -> [String] {
            if text == "." { return ["."] }
            let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let ok = parts.allSatisfy { part in
                !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
            }
            guard ok else { throw PageTemplateError(template: name, line: line, message: "bad name '\(text)'") }
            return parts
        }
    }
}
