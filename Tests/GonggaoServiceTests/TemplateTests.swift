import Testing
@testable import GonggaoService

@Suite struct TemplateTests {
    private func render(_ source: String, _ value: PageValue, partials: [String: String] = [:]) throws -> String {
        var templates = try partials.map { try PageTemplate(name: $0.key, source: $0.value) }
        templates.append(try PageTemplate(name: "t", source: source))
        return try PageTemplate(name: "t", source: source)
            .render(value, partials: Dictionary(uniqueKeysWithValues: templates.map { ($0.name, $0) }))
    }

    @Test func escapesTextButNotTrustedMarkup() throws {
        #expect(try render("<p>{{x}}</p>", ["x": "<script>alert(1)</script>"]) == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
        #expect(try render("<a title=\"{{x}}\">", ["x": "\"'&"]) == "<a title=\"&quot;&#39;&amp;\">")
        #expect(try render("{{svg}}", ["svg": .html(TrustedHTML(trusted: "<svg/>"))]) == "<svg/>")
    }

    @Test func sectionsListsInvertedAndPartials() throws {
        let value: PageValue = ["items": [["n": "1"], ["n": "2"]], "on": true, "off": false, "name": "x", "obj": ["a": "b"]]
        #expect(try render("{{#items}}[{{n}}]{{/items}}", value) == "[1][2]")
        #expect(try render("{{#on}}yes{{/on}}{{#off}}no{{/off}}{{^off}}not{{/off}}", value) == "yesnot")
        #expect(try render("{{#missing}}x{{/missing}}{{^missing}}none{{/missing}}", value) == "none")
        #expect(try render("{{obj.a}}{{#obj}}{{a}}{{name}}{{/obj}}", value) == "bbx")
        #expect(try render("{{#items}}{{>row}}{{/items}}", value, partials: ["row": "<{{n}}>"]) == "<1><2>")
        #expect(try render("{{! a comment }}ok", value) == "ok")
        #expect(try render("{{#l}}{{.}},{{/l}}", ["l": ["a", "<b>"]]) == "a,&lt;b&gt;,")
    }

    @Test func mistakesAreErrorsNotSilence() throws {
        #expect(throws: PageTemplateError.self) { try render("{{nope}}", [:]) }
        #expect(throws: PageTemplateError.self) { try render("{{items}}", ["items": ["a"]]) }
        #expect(throws: PageTemplateError.self) { try PageTemplate(name: "t", source: "{{{raw}}}") }
        #expect(throws: PageTemplateError.self) { try PageTemplate(name: "t", source: "{{&raw}}") }
        #expect(throws: PageTemplateError.self) { try PageTemplate(name: "t", source: "{{#a}}x") }
        #expect(throws: PageTemplateError.self) { try PageTemplate(name: "t", source: "{{#a}}x{{/b}}") }
        #expect(throws: PageTemplateError.self) { try PageTemplate(name: "t", source: "x {{y") }
        #expect(throws: PageTemplateError.self) { try render("{{>ghost}}", [:]) }
        let error = try? PageTemplate(name: "page", source: "a\nb\n{{#x}}\n{{/y}}")
        #expect(error == nil)
    }

    @Test func theShippedTemplatesLoad() throws {
        let pages = try PageTemplates.load(directory: ServiceHarness.pagesDirectory())
        for name in PageTemplates.required { #expect(pages.templates[name] != nil) }
    }
}
