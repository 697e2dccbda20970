import Foundation

/// Decoding a template file; every failure names the file and the key.
extension PosterTemplate {
    /// Decodes and validates a template. `source` names it in errors (the path the caller read it from).
    /// Fonts are checked against the installed ones later, by `PosterRenderer.init(template:)`.
    public static func load(json: Data, source: String) throws(TemplateError) -> PosterTemplate {
        var template: PosterTemplate
        do {
            template = try JSONDecoder().decode(PosterTemplate.self, from: json)
        } catch let error as DecodingError {
            throw TemplateError(decoding: error, source: source)
        } catch {
            throw TemplateError(source: source, key: "(file)", "cannot be read: \(error)")
        }
        template.source = source
        try template.validate()
        return template
    }

    /// Reads and loads a template file (for the CLI; `source` in errors is the path as given).
    public static func load(path: String) throws(TemplateError) -> PosterTemplate {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TemplateError(source: path, key: "(file)", "cannot be read")
        }
        return try load(json: data, source: path)
    }
}

extension TemplateError {
    /// Turns a `DecodingError` into a key-naming error.
    init(decoding error: DecodingError, source: String) {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text.isEmpty ? "(top level)" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(source: source, key: path(context.codingPath + [key]), "is required")
        case .typeMismatch(let type, let context):
            self.init(source: source, key: path(context.codingPath), "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self.init(source: source, key: path(context.codingPath), "expected \(Self.describe(type)), found null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self.init(
                    source: source, key: "(file)",
                    "is not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)")
            } else {
                self.init(
                    source: source, key: path(context.codingPath), "has an invalid value: \(context.debugDescription)")
            }
        @unknown default:
            self.init(source: source, key: "(file)", "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Int.Type: "a number"
        case is String.Type: "a string"
        case is [Any].Type: "an array"
        default: "\(type)".contains("Dictionary") ? "an object" : "\(type)"
        }
    }
}
