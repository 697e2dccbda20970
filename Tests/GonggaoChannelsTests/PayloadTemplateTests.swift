import Foundation
import GonggaoCore
import Testing

@testable import GonggaoChannels

@Suite struct PayloadTemplateTests {
    let context: TemplateValue = .object([
        "notice": .object([
            "title": "梅溪镇\"征收\"\n公告",
            "version": 2,
            "paragraphs": .strings(["第一段", "第二段"]),
            "approval": .null,
        ]),
        "corrects": .object(["version": 1]),
        "missing": .null,
    ])

    private func render(_ text: String, source: String = "t.json", _ value: TemplateValue? = nil) throws -> String {
        try PayloadTemplate(text: text, source: source).render(value ?? context)
    }

    @Test func valuesOutsideStringsAreJSON() throws {
        let out = try render(
            #"{"t": {{notice.title}}, "v": {{notice.version}}, "p": {{notice.paragraphs}}, "a": {{notice.approval}}}"#)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(object["t"] as? String == "梅溪镇\"征收\"\n公告")
        #expect(object["v"] as? Int == 2)
        #expect(object["p"] as? [String] == ["第一段", "第二段"])
        #expect(object["a"] is NSNull)
    }

    @Test func valuesInsideStringsAreEscapedContent() throws {
        let out = try render(#"{"t": "【更正】{{notice.title}} v{{notice.version}}", "q": "a \"{{notice.version}}\" b"}"#)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(object["t"] as? String == "【更正】梅溪镇\"征收\"\n公告 v2")
        #expect(object["q"] as? String == "a \"2\" b")
    }

    @Test func filters() throws {
        let out = try render(
            #"{"t": {{notice.title | truncate:4}}, "b": {{notice.paragraphs | join:"\n"}}, "d": {{missing | default:"无"}}}"#
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(object["t"] as? String == "梅溪镇…")
        #expect(object["b"] as? String == "第一段\n第二段")
        #expect(object["d"] as? String == "无")
    }

    @Test func conditionals() throws {
        let template =
            #"{"a": 1{{#if corrects}}, "c": {{corrects.version}}{{/if}}{{#if missing}}, "m": 1{{else}}, "n": 2{{/if}}}"#
        let out = try render(template)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(object["c"] as? Int == 1)
        #expect(object["m"] == nil)
        #expect(object["n"] as? Int == 2)
    }

    @Test func absentOptionalObjectsGiveNull() throws {
        #expect(try render(#"{"x": {{missing.deeper}}}"#) == #"{"x": null}"#)
    }

    @Test func textTemplatesWriteValuesAsTheyAre() throws {
        #expect(try render("标题：{{notice.title}}", source: "t.txt") == "标题：梅溪镇\"征收\"\n公告")
    }

    @Test(arguments: [
        (#"{"x": {{notice.titel}}}"#, 1, "notice.titel", "unknown key"),
        ("{\n\"x\":\n {{notice.title | shout}}}", 3, "notice.title | shout", "unknown filter"),
        (#"{"x": {{notice.title"#, 1, "", "never closed"),
        (#"{"x": 1{{#if corrects}}"#, 1, "corrects", "never closed"),
        (#"{"x": "{{notice.paragraphs}}"}"#, 1, "notice.paragraphs", "is a list"),
        (#"{"x": {{notice.version | truncate:3}}}"#, 1, "notice.version | truncate:3", "truncate needs a string"),
        (#"{"x": {{notice.title}} "y": 1}"#, 0, "", "not valid JSON"),
        (#"{"x": {{notice title}}}"#, 1, "notice title", "is not a key"),
    ])
    func errorsNameLineAndKey(_ text: String, _ line: Int, _ key: String, _ message: String) throws {
        do {
            let template = try PayloadTemplate(text: text, source: "Templates/channels/x/item.json")
            try template.validate(sample: context)
            Issue.record("no error for \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.key == key)
            #expect(error.message.contains(message), "\(error)")
            #expect("\(error)".hasPrefix("Templates/channels/x/item.json"))
        }
    }

    @Test func validationChecksBothBranches() throws {
        let template = try PayloadTemplate(
            text: #"{"a": 1{{#if missing}}, "b": {{notice.nope}}{{/if}}}"#, source: "t.json")
        #expect(throws: PayloadTemplateError.self) { try template.validate(sample: context) }
        // Rendering alone would not reach the branch.
        #expect(try template.render(context) == #"{"a": 1}"#)
    }

    @Test(arguments: [
        ("安吉县梅溪镇2026-37-1地块征收土地预公告", 30, "安吉县梅溪镇2026-37-1地块征收土地预公告"),
        ("一二三四五六七八九十", 5, "一二三四…"),
        ("👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦", 2, "👨‍👩‍👧‍👦…"),
        ("abc   def", 5, "abc…"),
        ("一二三", 3, "一二三"),
    ])
    func cutsAtCharacterBoundaries(_ text: String, _ limit: Int, _ expected: String) {
        let cut = TextLimit.cut(text, to: limit)
        #expect(cut == expected)
        #expect(cut.count <= limit)
    }

    @Test func shippedTemplatesAreValid() throws {
        let sample = RequestContext.sample
        let contexts: [String: TemplateValue] = [
            ChannelKind.provincialPortal: ProvincialPortalAdapter.context(sample, channel: "p"),
            ChannelKind.countyColumn: CountyColumnAdapter.context(
                sample, channel: "c", settings: .init(orgCode: "000014349")),
            ChannelKind.mobilePlatform: MobilePlatformAdapter.context(sample, channel: "m", limits: .init()),
        ]
        for (kind, context) in contexts {
            let folder = repositoryTemplates + "/" + kind
            for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".json") {
                try PayloadTemplate.load(path: folder + "/" + file).validate(sample: context)
            }
        }
    }
}
