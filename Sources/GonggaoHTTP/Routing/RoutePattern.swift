/// A route's path pattern: literal segments and typed parameters, e.g. `/items/{id}`,
/// `/notices/{id}/versions/{version:int}`.
///
/// `{name}` matches any one non-empty segment; `{name:int}` only a decimal integer. A literal
/// segment wins over a parameter, and `int` over a plain parameter, when several routes match.
public struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    /// What a parameter segment accepts.
    public enum ParameterType: String, Sendable, Hashable {
        case string
        case int
    }

    public enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String, ParameterType)
    }

    public let segments: [Segment]
    /// The pattern as written.
    public let description: String

    /// Parses a pattern; a malformed pattern is a programming error and stops the process.
    public init(_ text: String) {
        precondition(text.hasPrefix("/"), "route pattern \(text) must start with /")
        var parsed: [Segment] = []
        var names: Set<String> = []
        for part in Self.split(text) {
            if part.hasPrefix("{") && part.hasSuffix("}") {
                let inner = part.dropFirst().dropLast().split(separator: ":", maxSplits: 1).map(String.init)
                let name = inner.first ?? ""
                let type = inner.count > 1 ? ParameterType(rawValue: inner[1]) : .string
                precondition(!name.isEmpty && type != nil, "route pattern \(text): bad parameter segment \(part)")
                precondition(names.insert(name).inserted, "route pattern \(text): parameter \(name) appears twice")
                parsed.append(.parameter(name, type!))
            } else {
                precondition(
                    !part.contains("{") && !part.contains("}"), "route pattern \(text): braces inside a segment")
                parsed.append(.literal(String(part)))
            }
        }
        segments = parsed
        description = text
    }

    /// The parameters when `pathSegments` match, else nil.
    func match(_ pathSegments: [Substring]) -> [String: String]? {
        guard pathSegments.count == segments.count else { return nil }
        var values: [String: String] = [:]
        for (segment, part) in zip(segments, pathSegments) {
            switch segment {
            case .literal(let literal):
                guard part == literal else { return nil }
            case .parameter(let name, let type):
                guard !part.isEmpty else { return nil }
                if type == .int {
                    guard
                        part.allSatisfy({ $0.isASCII && $0.isNumber })
                            || (part.first == "-" && part.count > 1
                                && part.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }))
                    else { return nil }
                }
                values[name] = String(part)
            }
        }
        return values
    }

    /// Higher is more specific: compared segment by segment (literal > int > string).
    var specificity: [Int] {
        segments.map {
            switch $0 {
            case .literal: 2
            case .parameter(_, .int): 1
            case .parameter(_, .string): 0
            }
        }
    }

    /// `/a/b/` → `a`, `b`, `` (a trailing slash is significant); `/` → no segments.
    static func split<S: StringProtocol>(_ path: S) -> [Substring] {
        let body = Substring(path).dropFirst()
        return body.isEmpty ? [] : body.split(separator: "/", omittingEmptySubsequences: false)
    }
}
