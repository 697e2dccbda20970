import Foundation
import Testing

@testable import GonggaoPoster

@Suite struct TemplateTests {
    /// The A4 template with one edit applied to its JSON object.
    static func edited(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.templatePath("a4")))
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    static func load(_ edit: (inout [String: Any]) -> Void) throws -> PosterTemplate {
        try PosterTemplate.load(json: edited(edit), source: "Templates/posters/a4.json")
    }

    static func set(_ object: inout [String: Any], _ path: [String], _ value: Any?) {
        guard let first = path.first else { return }
        if path.count == 1 {
            object[first] = value
        } else {
            var child = object[first] as! [String: Any]
            set(&child, Array(path.dropFirst()), value)
            object[first] = child
        }
    }

    @Test(arguments: ["a4", "a3"]) func bundledTemplatesLoadAndTheirFontsAreInstalled(name: String) throws {
        let template = try Fixtures.template(name)
        #expect(template.fonts.all.allSatisfy { $0.font.family.hasSuffix("CJK SC") })
        // Few faces: every embedded CJK face costs time when the PDF is finished.
        let faces = Set(template.fonts.all.map { "\($0.font.family)/\($0.font.weight.rawValue)" })
        #expect(faces.count <= 2)
        _ = try Fixtures.renderer(name)
    }

    @Test func a4FollowsGBT9704() throws {
        let t = try Fixtures.template("a4")
        #expect(t.paper.width == 210 && t.paper.height == 297)
        #expect(t.regions.body == .init(x: 28, y: 37, width: 156, height: 225))
        #expect(t.fonts.body.size == 16 && t.fonts.body.family == "Noto Serif CJK SC")
        #expect(t.fonts.title.size == 22 && t.fonts.title.weight == .bold)
        #expect(t.color(t.fonts.issuer.color) == RGBColor(hex: "#E60012"))
        #expect(t.body.firstLineIndentChars == 2)
        #expect(t.signature.rightIndentChars == 4)
        #expect(t.qr.errorCorrection == .Q && t.qr.minModule >= 1.0)
        #expect(t.qr.caption == "扫码查看地块信息及征收进度")
    }

    @Test func regionOffThePageNamesTheKey() throws {
        let error = try #require(throws: TemplateError.self) {
            try Self.load { Self.set(&$0, ["regions", "qr", "x"], 250) }
        }
        #expect(error.key == "regions.qr.x")
        #expect(error.description.hasPrefix("Templates/posters/a4.json: regions.qr.x: off the page"))

        let wide = try #require(throws: TemplateError.self) {
            try Self.load { Self.set(&$0, ["regions", "footer", "width"], 300) }
        }
        #expect(wide.key == "regions.footer.width")
        #expect(wide.message.contains("runs off the page"))
    }

    @Test func missingKeyAndWrongTypeNameTheKey() throws {
        let missing = try #require(throws: TemplateError.self) {
            try Self.load { Self.set(&$0, ["fonts", "body", "family"], nil) }
        }
        #expect(missing.description == "Templates/posters/a4.json: fonts.body.family: is required")
        let type = try #require(throws: TemplateError.self) {
            try Self.load { Self.set(&$0, ["paper", "width"], "wide") }
        }
        #expect(type.key == "paper.width")
        #expect(type.message == "expected a number")
        let column = try #require(throws: TemplateError.self) {
            try Self.load { obj in
                var table = obj["table"] as! [String: Any]
                var columns = table["columns"] as! [[String: Any]]
                columns[2]["weight"] = -1
                table["columns"] = columns
                obj["table"] = table
            }
        }
        #expect(column.key == "table.columns[2].weight")
        let json = try #require(throws: TemplateError.self) {
            try PosterTemplate.load(json: Data("{ nope".utf8), source: "x.json")
        }
        #expect(json.key == "(file)")
    }

    @Test func missingFontFamilyIsAnErrorNamingTheKey() throws {
        let template = try Self.load { Self.set(&$0, ["fonts", "body", "family"], "Noto Serif CJK XX") }
        let error = try #require(throws: TemplateError.self) { try PosterRenderer(template: template) }
        #expect(error.key == "fonts.body.family")
        #expect(error.message.contains("'Noto Serif CJK XX' is not installed"))
    }

    @Test func qrRulesAreChecked() throws {
        let small = try #require(throws: TemplateError.self) {
            try Self.load { Self.set(&$0, ["qr", "minModule"], 0.8) }
        }
        #expect(small.key == "qr.minModule")
        // An 80-byte URL at level Q is 53 modules with quiet zone: a 40 mm region cannot hold it at 1 mm.
        let narrow = try #require(throws: TemplateError.self) {
            try Self.load { obj in
                Self.set(&obj, ["regions", "qr", "x"], 144)
                Self.set(&obj, ["regions", "qr", "width"], 40)
            }
        }
        #expect(narrow.key == "regions.qr.width")
        #expect(narrow.message.contains("53 modules"))
        let colour = try #require(throws: TemplateError.self) {
            try Self.load { Self.set(&$0, ["fonts", "url", "color"], "teal") }
        }
        #expect(colour.key == "fonts.url.color")
    }
}
