import Foundation
import GonggaoCore
import GonggaoCrypto
import TestSupport
import Testing

/// The SHA-256 content hash over the canonical form of a notice.
@Suite struct ContentHashTests {
    /// A small fixed content whose hash is recorded below. If this golden value changes, every
    /// stored hash changes with it: that needs a new canonical-form version, not a new golden value.
    static let fixed = NoticeContent(
        project: "330523-2026-37", kind: .hearing, title: "听证公告", issuer: "安吉县人民政府", documentNumber: "安政听〔2026〕1号",
        dateWritten: CivilDate(year: 2026, month: 12, day: 1)!, parcels: ["330523-2026-37-1", "330523-2026-37-2"],
        body: ["第一段。", "第二段：见附图。"], approval: nil,
        hearing: HearingDetails(date: CivilDate(year: 2027, month: 1, day: 20)!, place: "梅溪镇人民政府"))

    static let goldenHash = "c9a76795c5a8f7cab4610b148e638524ac58baed2d1dc7f1bb74a7637c5ae9cc"

    @Test func theHashIsStable() {
        #expect(Self.fixed.contentHash == Self.goldenHash)
        #expect(Self.fixed.contentHash == Self.fixed.contentHash)
    }

    @Test func theHashIsLowercaseHexSHA256OfTheCanonicalForm() {
        let hash = Fixtures.preAnnouncement().contentHash
        #expect(hash.count == 64)
        #expect(hash.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(hash == GonggaoCrypto.sha256Hex(Fixtures.preAnnouncement().canonicalForm))
        #expect(Self.fixed.canonicalForm.hasPrefix("gonggao-notice-v1\n"))
    }

    struct Change: Sendable, CustomStringConvertible {
        let description: String
        let apply: @Sendable (inout NoticeContent) -> Void
    }

    static let changes: [Change] = [
        Change(description: "project") { $0.project = "330523-2026-38" },
        Change(description: "kind") { $0.kind = .surveyResults },
        Change(description: "title") { $0.title += " " },
        Change(description: "issuer") { $0.issuer = "安吉县自然资源和规划局" },
        Change(description: "documentNumber") { $0.documentNumber = "安政听〔2026〕2号" },
        Change(description: "dateWritten") { $0.dateWritten = CivilDate(year: 2026, month: 12, day: 2)! },
        Change(description: "a parcel removed") { $0.parcels.removeLast() },
        Change(description: "parcels reordered") { $0.parcels.reverse() },
        Change(description: "a paragraph edited") { $0.body[0] = "第一段" },
        Change(description: "a paragraph added") { $0.body.append("第三段。") },
        Change(description: "text moved across paragraphs") { $0.body = ["第一段。第", "二段：见附图。"] },
        Change(description: "paragraphs joined") { $0.body = ["第一段。第二段：见附图。"] },
        Change(description: "approval added") {
            $0.approval = ApprovalReference(
                authority: "浙江省人民政府", documentNumber: "浙政土〔2027〕1号",
                date: CivilDate(year: 2027, month: 1, day: 1)!)
        },
        Change(description: "hearing removed") { $0.hearing = nil },
        Change(description: "hearing date") { $0.hearing?.date = CivilDate(year: 2027, month: 1, day: 21)! },
        Change(description: "hearing place") { $0.hearing?.place = "梅溪镇人民政府三楼" },
        Change(description: "a field's text moved into the next") {
            $0.title = "听证"
            $0.issuer = "公告安吉县人民政府"
        },
    ]

    @Test(arguments: changes)
    func anyChangeChangesTheHash(_ change: Change) {
        var content = Self.fixed
        change.apply(&content)
        #expect(content != Self.fixed)
        #expect(content.contentHash != Self.fixed.contentHash)
    }

    @Test func everyChangeGivesADistinctHash() {
        let hashes = Self.changes.map { change in
            var content = Self.fixed
            change.apply(&content)
            return content.contentHash
        }
        #expect(Set(hashes).count == hashes.count)
    }

    @Test func theHashDoesNotDependOnJSONKeyOrderOrSpacing() throws {
        let a = """
            {"project":"330523-2026-37","kind":"hearing","title":"听证公告","issuer":"安吉县人民政府","documentNumber":"安政听〔2026〕1号",
             "dateWritten":"2026-12-01","parcels":["330523-2026-37-1","330523-2026-37-2"],"body":["第一段。","第二段：见附图。"],
             "hearing":{"date":"2027-01-20","place":"梅溪镇人民政府"}}
            """
        let b = """
            {
                "hearing": { "place": "梅溪镇人民政府", "date": "2027-01-20" },
                "body": [ "第一段。", "第二段：见附图。" ],
                "parcels": [ "330523-2026-37-1", "330523-2026-37-2" ],
                "dateWritten": "2026-12-01",
                "documentNumber": "安政听〔2026〕1号",
                "issuer": "安吉县人民政府",
                "title": "听证公告",
                "kind": "hearing",
                "project": "330523-2026-37"
            }
            """
        let ca = try JSONInput.decode(NoticeContent.self, from: Data(a.utf8), source: "a.json")
        let cb = try JSONInput.decode(NoticeContent.self, from: Data(b.utf8), source: "b.json")
        #expect(ca == Self.fixed)
        #expect(ca.contentHash == cb.contentHash)
        #expect(cb.contentHash == Self.goldenHash)
    }

    @Test func aRoundTripThroughJSONKeepsTheHash() throws {
        let content = Fixtures.content(.expropriation)
        let data = try JSONEncoder().encode(content)
        let decoded = try JSONInput.decode(NoticeContent.self, from: data, source: "roundtrip")
        #expect(decoded == content)
        #expect(decoded.contentHash == content.contentHash)
    }
}
