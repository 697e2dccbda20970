extension PageTemplate {
    /// Renders with `value` as the outermost context; `partials` resolves `{{>name}}`.
    func render(_ value: PageValue, partials: [String: PageTemplate]) throws(PageTemplateError) -> String {
        var out = ""
        var stack = [value]
        try render(nodes, stack: &stack, partials: partials, depth: 0, into: &out)
        return out
    }

    private func render(
        _ nodes: [Node], stack: inout [PageValue], partials: [String: PageTemplate], depth: Int, into out: inout String
    ) throws(PageTemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .value(let path, let line):
                guard let value = Self.lookup(path, in: stack) else {
                    throw PageTemplateError(template: name, line: line, message: "no value named '\(path.joined(separator: "."))'")
                }
                switch value {
                case .text(let text): out += HTML.escape(text)
                case .html(let markup): out += markup.markup
                case .bool, .list, .object:
                    throw PageTemplateError(
                        template: name, line: line,
                        message: "'\(path.joined(separator: "."))' is not text (use it as a {{#section}})")
                }
            case .section(let path, let inverted, let body, _):
                let value = Self.lookup(path, in: stack)
                let truthy = value?.isTruthy ?? false
                if inverted {
                    if !truthy { try render(body, stack: &stack, partials: partials, depth: depth, into: &out) }
                    continue
                }
                guard truthy, let value else { continue }
                let items: [PageValue] = if case .list(let l) = value { l } else { [value] }
                for item in items {
                    stack.append(item)
                    defer { stack.removeLast() }
                    try render(body, stack: &stack, partials: partials, depth: depth, into: &out)
                }
            case .partial(let partialName, let line):
                guard let partial = partials[partialName] else {
                    throw PageTemplateError(template: name, line: line, message: "no partial named '\(partialName)'")
                }
                guard depth < 16 else {
                    throw PageTemplateError(template: name, line: line, message: "partials nest too deep (a cycle?)")
                }
                try partial.render(partial.nodes, stack: &stack, partials: partials, depth: depth + 1, into: &out)
            }
        }
    }

    /// The first segment is looked up from the innermost context outwards, the rest as members.
    static func lookup(_ path: [String], in stack: [PageValue]) -> PageValue? {
        if path == ["."] { return stack.last }
        var found: PageValue?
        for context in stack.reversed() {
            if let v = context[path[0]] {
                found = v
                break
            }
        }
        for key in path.dropFirst() { found = found?[key] }
        return found
    }
}
