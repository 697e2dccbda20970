import Foundation

/// The public pages' templates (`Templates/pages/*.html`), loaded once at start-up and checked:
/// the pages the service renders exist and every `{{>partial}}` resolves.
public struct PageTemplates: Sendable {
    /// The templates the service renders; a folder missing one is refused at load time.
    public static let required = ["parcel", "project", "not-found"]

    let templates: [String: PageTemplate]

    /// Parsed templates by name (file name without `.html`); `required` names the pages that must exist
    /// (the public pages' by default, `ConsolePages.required` for the console's).
    public init(_ templates: [PageTemplate], required: [String] = PageTemplates.required) throws(PageTemplateError) {
        var byName: [String: PageTemplate] = [:]
        for t in templates { byName[t.name] = t }
        for name in required where byName[name] == nil {
            throw PageTemplateError(template: name, line: 0, message: "the template \(name).html is missing")
        }
        for t in templates {
            for p in t.partials where byName[p] == nil {
                throw PageTemplateError(template: t.name, line: 0, message: "includes {{>\(p)}}, which does not exist")
            }
        }
        self.templates = byName
    }

    /// Reads every `*.html` file of `directory` (called once, from `main`).
    public static func load(directory: String, required: [String] = PageTemplates.required) throws -> PageTemplates {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".html") }.sorted()
        var parsed: [PageTemplate] = []
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path),
                  let source = String(data: data, encoding: .utf8) else {
                throw PageTemplateError(template: file, line: 0, message: "cannot read \(path) as UTF-8")
            }
            parsed.append(try PageTemplate(name: String(file.dropLast(".html".count)), source: source))
        }
        return try PageTemplates(parsed, required: required)
    }

    /// Renders template `name` with `value`.
    public func render(_ name: String, _ value: PageValue) throws(PageTemplateError) -> String {
        guard let template = templates[name] else {
            throw PageTemplateError(template: name, line: 0, message: "no template named \(name)")
        }
        return try template.render(value, partials: templates)
    }
}
