import Foundation
import GonggaoCore
import Testing

/// Legal dates: calendar days read in Asia/Shanghai while the machines run UTC.
@Suite struct CivilDateTests {
    static func utc(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)!
    }

    @Test(arguments: ["2026-12-01", "2024-02-29", "2000-02-29", "1999-12-31", "2027-01-01"])
    func parsesRealDays(text: String) throws {
        let date = try #require(CivilDate(iso: text))
        #expect(date.description == text)
    }

    @Test func parsesItsParts() throws {
        let date = try #require(CivilDate(iso: "2026-02-09"))
        #expect((date.year, date.month, date.day) == (2026, 2, 9))
        #expect(date.chinese == "2026年2月9日")
        #expect(CivilDate(year: 2026, month: 2, day: 9) == date)
    }

    @Test(arguments: [
        "2026-02-30", "2025-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-12-00", "2026-12-32",
        "2026-2-1", "2026-02-1", "2026-2-01", "26-12-01", "02026-12-01", "2026/12/01", "2026-12-01T00:00:00Z",
        " 2026-12-01", "2026-12-01 ", "", "2026-12", "2026-12-01-01", "２０２６-12-01", "2026-1a-01", "+026-12-01",
        "-026-12-01", "2026--12-01",
    ])
    func rejectsAnythingElse(text: String) {
        #expect(CivilDate(iso: text) == nil)
    }

    @Test func rejectsImpossibleParts() {
        #expect(CivilDate(year: 2026, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2026, month: 0, day: 1) == nil)
        #expect(CivilDate(year: 0, month: 1, day: 1) == nil)
    }

    @Test func readsAnInstantInShanghai() {
        // 16:30 UTC on 1 December is 00:30 on 2 December in Shanghai (UTC+8).
        #expect(CivilDate(Self.utc("2026-12-01T16:30:00Z")) == CivilDate(year: 2026, month: 12, day: 2))
        #expect(CivilDate(Self.utc("2026-12-01T15:59:59Z")) == CivilDate(year: 2026, month: 12, day: 1))
        #expect(CivilDate(Self.utc("2026-12-01T16:00:00Z")) == CivilDate(year: 2026, month: 12, day: 2))
        #expect(CivilDate(Self.utc("2026-12-31T16:00:00Z")) == CivilDate(year: 2027, month: 1, day: 1))
        #expect(CivilDate(Date(timeIntervalSince1970: 1_796_142_600)).description == "2026-12-02")
    }

    @Test func startsAtShanghaiMidnight() {
        #expect(CivilDate(year: 2026, month: 12, day: 2)!.startInstant == Self.utc("2026-12-01T16:00:00Z"))
        #expect(CivilDate.legalTimeZone.identifier == "Asia/Shanghai")
    }

    @Test(arguments: [
        ("2026-11-30", 1), ("2026-12-01", 2), ("2026-12-02", 3), ("2026-12-05", 6), ("2026-12-06", 7),
        ("2026-12-07", 1),
        ("2024-02-29", 4), ("2027-01-01", 5),
    ])
    func isoWeekday(text: String, weekday: Int) throws {
        #expect(try #require(CivilDate(iso: text)).isoWeekday == weekday)
    }

    @Test func addsCalendarDays() throws {
        let d = try #require(CivilDate(iso: "2026-12-31"))
        #expect(d.adding(days: 1).description == "2027-01-01")
        #expect(d.adding(days: -31).description == "2026-11-30")
        #expect(CivilDate(iso: "2028-02-28")!.adding(days: 1).description == "2028-02-29")
        #expect(d.adding(days: 0) == d)
    }

    @Test func ordersByDay() throws {
        let dates = ["2027-01-01", "2026-12-31", "2026-02-28", "2026-12-01"].compactMap { CivilDate(iso: $0) }
        #expect(dates.sorted().map(\.description) == ["2026-02-28", "2026-12-01", "2026-12-31", "2027-01-01"])
    }

    @Test func codesAsAnISOString() throws {
        let date = try #require(CivilDate(iso: "2026-12-01"))
        #expect(String(decoding: try JSONEncoder().encode([date]), as: UTF8.self) == #"["2026-12-01"]"#)
        #expect(try JSONDecoder().decode([CivilDate].self, from: Data(#"["2026-12-01"]"#.utf8)) == [date])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data(#"["2026-02-30"]"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data(#"["2026-2-1"]"#.utf8))
        }
    }
}
