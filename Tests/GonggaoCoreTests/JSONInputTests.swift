import Foundation
import GonggaoCore
import TestSupport
import Testing

/// User-supplied JSON: errors say where (line and column) or which field (a path like `parcels[1].key`).
@Suite struct JSONInputTests {
    /// The sample project as import JSON, re-encoded from the fixture.
    static func sampleJSON() throws -> [String: Any] {
        let project = Fixtures.sampleProject()
        let data = try JSONEncoder().encode(project)
        var header = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let parcels = header.removeValue(forKey: "parcels")
        return ["project": header, "parcels": parcels!]
    }

    static func failure<T: Decodable>(
        _ type: T.Type, _ text: String, source: String = "input.json"
    ) -> JSONInput.Failure? {
        do {
            _ = try JSONInput.decode(T.self, from: Data(text.utf8), source: source)
            return nil
        } catch {
            return error
        }
    }

    static func failure(mutating change: (inout [String: Any]) -> Void) throws -> JSONInput.Failure? {
        var object = try sampleJSON()
        change(&object)
        let data = try JSONSerialization.data(withJSONObject: object)
        return failure(ProjectFile.self, String(decoding: data, as: UTF8.self), source: "project.json")
    }

    static func parcels(_ object: inout [String: Any], _ change: (inout [[String: Any]]) -> Void) {
        var parcels = object["parcels"] as! [[String: Any]]
        change(&parcels)
        object["parcels"] = parcels
    }

    @Test func theReencodedSampleDecodes() throws {
        let data = try JSONSerialization.data(withJSONObject: try Self.sampleJSON())
        let file = try JSONInput.decode(ProjectFile.self, from: data, source: "project.json")
        #expect(file.project == Fixtures.sampleProject())
    }

    @Test func malformedJSONSaysLineAndColumn() throws {
        let text = "{\n  \"title\": \"预公告\",\n  \"kind\": ,\n  \"body\": []\n}\n"
        let f = try #require(Self.failure(NoticeContent.self, text, source: "notice.json"))
        #expect(f.source == "notice.json")
        #expect(f.message == "malformed JSON at line 3, column 11", "\(f.message)")
        #expect(f.description.hasPrefix("notice.json: malformed JSON"))
    }

    @Test(arguments: [
        ("{\"a\": \"1\",,}", 1),
        ("{\n \"a\": x,\n \"b\": \"c\"\n}", 2),
        ("{\"a\": \"1\"} trailing", 1),
        ("{\n\"a\": [1, 2\n", 3),
        ("[1, 2]\n]", 2),
        ("{\n  \"key\": \"330523\"\n  \"name\": \"x\"\n}", 3),
        ("{\n  \"key\": tru\n}", 2),
    ])
    func malformedJSONPointsAtTheLine(text: String, line: Int) throws {
        let f = try #require(Self.failure([String: String].self, text))
        #expect(f.message.contains("line \(line), column"), "\(f.message)")
        #expect(!f.description.contains("\n"))
    }

    @Test func thePositionCountsCharactersNotBytes() throws {
        let f = try #require(Self.failure([String: String].self, "{\n  \"key\": \"330523\"\n  \"name\": \"x\"\n}"))
        #expect(f.message == "malformed JSON at line 3, column 3")
        let g = try #require(Self.failure([String: String].self, "{\"标题\": \"预公告\" \"x\"}"))
        #expect(g.message == "malformed JSON at line 1, column 14", "\(g.message)")
    }

    @Test func emptyInputIsMalformed() throws {
        let f = try #require(Self.failure(NoticeContent.self, ""))
        #expect(f.message.hasPrefix("malformed JSON"), "\(f.message)")
    }

    @Test func aMissingKeyNamesItsPath() throws {
        let f = try #require(try Self.failure { o in Self.parcels(&o) { $0[1].removeValue(forKey: "key") } })
        #expect(f.message == "parcels[1].key is required")
        #expect(f.description == "project.json: parcels[1].key is required")
    }

    @Test func aMissingNestedKeyNamesItsPath() throws {
        let f = try #require(
            try Self.failure { o in
                Self.parcels(&o) { p in
                    var lines = p[0]["landUse"] as! [[String: Any]]
                    lines[2].removeValue(forKey: "code")
                    p[0]["landUse"] = lines
                }
            })
        #expect(f.message == "parcels[0].landUse[2].code is required")
    }

    @Test func aMissingTopLevelKeyNamesIt() throws {
        let f = try #require(try Self.failure { $0.removeValue(forKey: "parcels") })
        #expect(f.message == "parcels is required")
    }

    @Test func aTypeMismatchNamesThePath() throws {
        let f = try #require(try Self.failure { o in Self.parcels(&o) { $0[1]["areaMu"] = "26.22 亩" } })
        #expect(f.message == "parcels[1].areaMu has the wrong type (expected a number)")
        let g = try #require(
            try Self.failure { o in
                var project = o["project"] as! [String: Any]
                project["county"] = "330523"
                o["project"] = project
            })
        #expect(g.message.hasPrefix("project.county has the wrong type"), "\(g.message)")
        let h = try #require(try Self.failure { o in Self.parcels(&o) { $0[0]["landUse"] = ["code": "0101"] } })
        #expect(h.message == "parcels[0].landUse has the wrong type (expected an array)", "\(h.message)")
    }

    @Test func aNullNamesThePath() throws {
        let f = try #require(try Self.failure { o in Self.parcels(&o) { $0[0]["owner"] = NSNull() } })
        #expect(f.message.hasPrefix("parcels[0].owner"), "\(f.message)")
    }

    @Test func aBadDateNamesTheFieldAndTheValue() throws {
        var object =
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(Fixtures.preAnnouncement())) as! [String: Any]
        object["dateWritten"] = "2026-02-30"
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let f = try #require(Self.failure(NoticeContent.self, text))
        #expect(f.message.hasPrefix("dateWritten: '2026-02-30' is not a date"), "\(f.message)")
    }

    @Test func anUnknownKindNamesTheField() throws {
        var object =
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(Fixtures.preAnnouncement())) as! [String: Any]
        object["kind"] = "announcement"
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let f = try #require(Self.failure(NoticeContent.self, text))
        #expect(f.message.hasPrefix("kind"), "\(f.message)")
        #expect(f.message.contains("announcement"), "\(f.message)")
        #expect(!f.description.contains("\n"))
    }

    @Test func pathsReadLikeJSONPaths() {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int?
            init(_ s: String) {
                stringValue = s
                intValue = nil
            }
            init(_ i: Int) {
                stringValue = "Index \(i)"
                intValue = i
            }
            init?(stringValue: String) { self.init(stringValue) }
            init?(intValue: Int) { self.init(intValue) }
        }
        #expect(
            JSONInput.path([Key("parcels"), Key(1), Key("landUse"), Key(0), Key("code")])
                == "parcels[1].landUse[0].code")
        #expect(JSONInput.path([]) == "(document)")
        #expect(JSONInput.path([Key(2), Key("key")]) == "[2].key")
    }
}
