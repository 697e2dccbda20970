import Foundation

/// Turns template text into nodes, tracking whether each placeholder stands inside a JSON string.
struct TemplateParser {
    let source: String
    let format: PayloadTemplate.Format

    private struct JSONState: Equatable {
        var inString = false
        var escaped = false
    }

    private enum FrameKind {
        case root
        case then(path: [String], raw: String, line: Int)
        case otherwise(path: [String], raw: String, line: Int, then: [PayloadTemplate.Node], thenEnd: JSONState)
    }

    private struct Frame {
        var kind: FrameKind
        var nodes: [PayloadTemplate.Node] = []
        var start: JSONState
    }

    private var frames: [Frame] = []
    private var state = JSONState()
    private var line = 1

    init(source: String, format: PayloadTemplate.Format) {
        self.source = source
        self.format = format
    }

    mutating func parse(_ text: String) throws(PayloadTemplateError) -> [PayloadTemplate.Node] {
        frames = [Frame(kind: .root, start: state)]
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            literal(rest[..<open.lowerBound])
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw error("", "'{{' is never closed with '}}'")
            }
            let tag = rest[open.upperBound..<close.lowerBound]
            try handle(tag.trimmingCharacters(in: .whitespacesAndNewlines))
            line += tag.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
            rest = rest[close.upperBound...]
        }
        literal(rest)
        if let open = frames.last, case .then(_, let raw, let at) = open.kind {
            throw PayloadTemplateError(source: source, line: at, key: raw, "{{#if}} is never closed with {{/if}}")
        }
        if let open = frames.last, case .otherwise(_, let raw, let at, _, _) = open.kind {
            throw PayloadTemplateError(source: source, line: at, key: raw, "{{#if}} is never closed with {{/if}}")
        }
        if format == .json && state.inString { throw error("", "a JSON string is never closed") }
        return frames[0].nodes
    }

    private mutating func literal(_ text: Substring) {
        guard !text.isEmpty else { return }
        for ch in text {
            if ch == "\n" { line += 1 }
            guard format == .json else { continue }
            if state.inString {
                if state.escaped {
                    state.escaped = false
                } else if ch == "\\" {
                    state.escaped = true
                } else if ch == "\"" {
                    state.inString = false
                }
            } else if ch == "\"" {
                state.inString = true
            }
        }
        append(.text(String(text)))
    }

    private mutating func append(_ node: PayloadTemplate.Node) {
        frames[frames.count - 1].nodes.append(node)
    }

    private mutating func handle(_ tag: String) throws(PayloadTemplateError) {
        if tag.hasPrefix("!") { return }
        if tag.hasPrefix("#if") {
            let raw = String(tag.dropFirst(3)).trimmingCharacters(in: .whitespaces)
            let path = try parsePath(raw)
            frames.append(Frame(kind: .then(path: path, raw: raw, line: line), start: state))
            return
        }
        if tag == "else" {
            guard let top = frames.last, case .then(let path, let raw, let at) = top.kind else {
                throw error("else", "{{else}} outside {{#if}}")
            }
            frames.removeLast()
            frames.append(
                Frame(
                    kind: .otherwise(path: path, raw: raw, line: at, then: top.nodes, thenEnd: state), start: top.start)
            )
            state = top.start
            return
        }
        if tag == "/if" {
            guard let top = frames.popLast() else { throw error("/if", "{{/if}} without {{#if}}") }
            let node: PayloadTemplate.Node
            switch top.kind {
            case .root:
                frames.append(top)
                throw error("/if", "{{/if}} without {{#if}}")
            case .then(let path, let raw, let at):
                guard state == top.start else {
                    throw PayloadTemplateError(
                        source: source, line: at, key: raw, "the {{#if}} block opens or closes a JSON string")
                }
                node = .conditional(path: path, line: at, then: top.nodes, otherwise: [])
            case .otherwise(let path, let raw, let at, let then, let thenEnd):
                guard state == top.start, thenEnd == top.start else {
                    throw PayloadTemplateError(
                        source: source, line: at, key: raw, "the {{#if}} block opens or closes a JSON string")
                }
                node = .conditional(path: path, line: at, then: then, otherwise: top.nodes)
            }
            append(node)
            return
        }
        if tag.hasPrefix("#") || tag.hasPrefix("/") {
            throw error(tag, "unknown block (only {{#if …}}, {{else}} and {{/if}})")
        }
        try append(.value(parseExpression(tag), escaping, line: line))
    }

    private var escaping: PayloadTemplate.Escaping {
        format == .text ? .text : state.inString ? .jsonString : .jsonValue
    }

    private func parseExpression(_ tag: String) throws(PayloadTemplateError) -> PayloadTemplate.Expression {
        let parts = splitOutsideQuotes(tag, on: "|")
        let path = try parsePath(parts[0].trimmingCharacters(in: .whitespaces))
        var filters: [PayloadTemplate.Filter] = []
        for part in parts.dropFirst() {
            let text = part.trimmingCharacters(in: .whitespaces)
            let name: String
            let argument: String?
            if let colon = text.firstIndex(of: ":") {
                name = String(text[..<colon]).trimmingCharacters(in: .whitespaces)
                argument = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            } else {
                name = text
                argument = nil
            }
            switch name {
            case "truncate":
                guard let argument, let limit = Int(argument), limit >= 1 else {
                    throw error(tag, "truncate needs a positive length, e.g. truncate:30")
                }
                filters.append(.truncate(limit))
            case "join", "default":
                guard let argument, let literal = unquote(argument) else {
                    throw error(tag, "\(name) needs a quoted string, e.g. \(name):\"\\n\"")
                }
                filters.append(name == "join" ? .join(literal) : .fallback(literal))
            default:
                throw error(tag, "unknown filter '\(name)' (known: truncate, join, default)")
            }
        }
        return PayloadTemplate.Expression(path: path, raw: tag, filters: filters)
    }

    private func parsePath(_ text: String) throws(PayloadTemplateError) -> [String] {
        let segments = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for segment in segments {
            guard let first = segment.unicodeScalars.first,
                first == "_" || (first.isASCII && first.properties.isAlphabetic),
                segment.unicodeScalars.allSatisfy({
                    $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
                })
            else {
                throw error(text, "'\(text)' is not a key (letters, digits and _, joined by dots)")
            }
        }
        return segments
    }

    private func splitOutsideQuotes(_ text: String, on separator: Character) -> [String] {
        var parts: [String] = [""]
        var quoted = false
        var escaped = false
        for ch in text {
            if quoted {
                if escaped {
                    escaped = false
                } else if ch == "\\" {
                    escaped = true
                } else if ch == "\"" {
                    quoted = false
                }
            } else if ch == "\"" {
                quoted = true
            } else if ch == separator {
                parts.append("")
                continue
            }
            parts[parts.count - 1].append(ch)
        }
        return parts
    }

    /// `"…"` with `\n`, `\t`, `\"` and `\\` escapes; nil when not one quoted string.
    private func unquote(_ text: String) -> String? {
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { return nil }
        var out = ""
        var escaped = false
        for ch in text.dropFirst().dropLast() {
            if escaped {
                switch ch {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(ch)
                }
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == "\"" {
                return nil
            } else {
                out.append(ch)
            }
        }
        return escaped ? nil : out
    }

    private func error(_ key: String, _ message: String) -> PayloadTemplateError {
        PayloadTemplateError(source: source, line: line, key: key, message)
    }
}
