import Foundation
import GonggaoCore
import Testing

@testable import GonggaoPoster

/// Fixed regions: content shrinks down to the template's minimum size, then wraps, never overflows.
@Suite struct PosterFitTests {
    static func issuer(_ name: String) -> NoticeContent {
        var content = Fixtures.content()
        content.issuer = name
        return content
    }

    @Test func aLongIssuerShrinksButNotBelowTheMinimumSize() throws {
        let template = try Fixtures.template("a4")
        let renderer = try Fixtures.renderer("a4")
        let normal = try #require(try renderer.layout(Fixtures.input()).pages[0].first { $0.role == "issuer" })

        // 13 characters at 40 pt do not fit 156 mm; at ~34 pt they do: one shrunk line.
        let long = try renderer.layout(Fixtures.input(content: Self.issuer("安吉县人民政府办公室自然资源局")))
        let lines = long.pages[0].filter { $0.role == "issuer" }
        #expect(lines.count == 1)
        #expect(lines[0].width <= template.regions.header.width + 0.1)
        #expect(lines[0].height < normal.height)
        // Line height is ~1.45 em: never smaller than the minimum size allows.
        let minimumLineMM = template.fonts.issuer.minSize! * 1.4 / 72 * 25.4
        #expect(lines[0].height >= minimumLineMM)

        // Far too long for one line even at the minimum: wraps at the minimum size, inside the header.
        let longer = try renderer.layout(Fixtures.input(content: Self.issuer("安吉县人民政府办公室安吉县自然资源和规划局梅溪镇人民政府")))
        let wrapped = longer.pages[0].filter { $0.role == "issuer" }
        #expect(wrapped.count == 2)
        for line in wrapped {
            #expect(line.height >= minimumLineMM && line.height < normal.height)
            #expect(
                line.x >= template.regions.header.x - 0.1 && line.x + line.width <= template.regions.header.maxX + 0.1)
        }
        let rule = try #require(longer.pages[0].first { $0.role == "headerRule" })
        #expect(rule.y + rule.height <= template.regions.header.maxY + 0.1)
    }

    @Test func anIssuerThatCannotFitTheHeaderIsAnErrorNamingTheRegion() throws {
        let name = String(repeating: "安吉县人民政府办公室", count: 6)
        let error = try #require(throws: PosterError.self) {
            try Fixtures.renderer("a4").layout(Fixtures.input(content: Self.issuer(name)))
        }
        guard case .doesNotFit(let key, _) = error else {
            Issue.record("expected doesNotFit, got \(error)")
            return
        }
        #expect(key == "regions.header.height")
    }

    @Test(arguments: ["a4", "a3"]) func theLongestURLStaysInsideTheQRRegion(template name: String) throws {
        let template = try Fixtures.template(name)
        let url = "https://gg.anji.gov.cn/p/" + String(repeating: "k", count: 55)
        let layout = try Fixtures.renderer(name).layout(Fixtures.input(url: url))
        let region = template.regions.qr
        for page in layout.pages {
            let texts = page.filter { $0.role == "qrURL" }
            #expect(texts.compactMap(\.text).joined() == url)
            for box in texts + page.filter({ $0.role == "qrCaption" || $0.kind == "qr" }) {
                #expect(box.x >= region.x - 0.1 && box.x + box.width <= region.maxX + 0.1, "\(box)")
                #expect(box.y >= region.y - 0.1 && box.y + box.height <= region.maxY + 0.1, "\(box)")
            }
        }
    }

    @Test func aMarkIsPrintedInRedAboveTheTitle() throws {
        var input = Fixtures.input()
        input.mark = "更正（本版更正第1版）"
        let layout = try Fixtures.renderer("a4").layout(input)
        let page = layout.pages[0]
        let mark = try #require(page.first { $0.role == "mark" })
        let title = try #require(page.first { $0.role == "title" })
        #expect(mark.text == "更正（本版更正第1版）")
        #expect(mark.y + mark.height <= title.y)
    }
}

@Suite struct PosterConcurrencyTests {
    @Test func separateRenderersRenderInParallelToTheSameBytes() async throws {
        let template = try Fixtures.template("a4")
        let input = Fixtures.input()
        let expected = try Fixtures.renderer("a4").render(input, format: .pdf).pdf
        let results = try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    // Each task owns its renderer (Pango is not thread-safe; one renderer serialises its renders).
                    try PosterRenderer(template: template).render(input, format: .pdf).pdf
                }
            }
            // And a shared renderer used from several tasks at once: its lock serialises them.
            for _ in 0..<2 {
                group.addTask { try Fixtures.renderer("a4").render(input, format: .pdf).pdf }
            }
            var all: [[UInt8]?] = []
            for try await pdf in group { all.append(pdf) }
            return all
        }
        #expect(results.count == 5)
        #expect(results.allSatisfy { $0 == expected })
    }
}
