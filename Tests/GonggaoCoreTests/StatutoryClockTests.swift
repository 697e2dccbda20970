import Foundation
import GonggaoCore
import Testing
import TestSupport

/// The working-day calendar (the shipped `Config/calendars` files), posting schedules and stage gates,
/// table-driven on fixed dates: nothing here reads today's date.
@Suite struct StatutoryClockTests {
    static func shippedCalendar() throws -> WorkingDayCalendar { try Fixtures.shippedCalendar() }

    static func d(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var start: String
        var count: Int
        var unit: DayUnit
        var end: String
        var missingYears: [Int] = []
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "across 国庆 2026 with the make-up Saturday 10-10", start: "2026-09-29", count: 10, unit: .working, end: "2026-10-19"),
        Case(name: "the day before 国庆: 3 working days end on the make-up Saturday", start: "2026-09-30", count: 3, unit: .working,
             end: "2026-10-10"),
        Case(name: "across 春节 2026 with make-up Saturdays 02-14 and 02-28", start: "2026-02-12", count: 10, unit: .working,
             end: "2026-03-04"),
        Case(name: "across 国庆 2025", start: "2025-09-26", count: 10, unit: .working, end: "2025-10-16"),
        Case(name: "an ordinary week", start: "2026-12-01", count: 3, unit: .working, end: "2026-12-04"),
        Case(name: "15 working days (expropriation deadline)", start: "2026-12-01", count: 15, unit: .working, end: "2026-12-22"),
        Case(name: "into 2027, which the calendar lacks: weekends only, provisional", start: "2026-12-24", count: 10, unit: .working,
             end: "2027-01-07", missingYears: [2027]),
        Case(name: "30 calendar days (compensation plan) never provisional", start: "2026-12-24", count: 30, unit: .calendar,
             end: "2027-01-23"),
    ]

    @Test(arguments: cases)
    func periods(_ c: Case) throws {
        let calendar = try Self.shippedCalendar()
        let end = calendar.adding(c.count, c.unit, to: Self.d(c.start))
        #expect(end.date == Self.d(c.end))
        #expect(end.missingYears == c.missingYears)
        #expect(end.provisional == !c.missingYears.isEmpty)
    }

    @Test func workingDaysFollowTheOfficialArrangement() throws {
        let calendar = try Self.shippedCalendar()
        #expect(!calendar.isWorkingDay(Self.d("2026-10-01")), "National Day")
        #expect(!calendar.isWorkingDay(Self.d("2026-10-03")), "a Saturday in the holiday")
        #expect(calendar.isWorkingDay(Self.d("2026-10-10")), "make-up Saturday")
        #expect(calendar.isWorkingDay(Self.d("2026-02-14")), "make-up Saturday before 春节")
        #expect(!calendar.isWorkingDay(Self.d("2026-02-23")), "the last day of 春节")
        #expect(calendar.covers(2025) && calendar.covers(2026) && !calendar.covers(2027))
        #expect(calendar.subtractingWorkingDays(2, from: Self.d("2026-10-12")).date == Self.d("2026-10-09"))
    }

    @Test func aBadCalendarFileNamesTheEntry() throws {
        let weekendHoliday = CalendarYear(year: 2027, holidays: [Self.d("2027-01-02")], makeupWorkingDays: [])
        #expect(throws: ValidationError(field: "holidays[0]", "2027-01-02 is a weekend day: list only weekday holidays")) {
            try WorkingDayCalendar([weekendHoliday])
        }
        let wrongYear = CalendarYear(year: 2027, holidays: [Self.d("2026-01-05")], makeupWorkingDays: [])
        #expect(throws: ValidationError.self) { try WorkingDayCalendar([wrongYear]) }
        let twice = CalendarYear(year: 2026, holidays: [], makeupWorkingDays: [])
        #expect(throws: ValidationError.self) { try WorkingDayCalendar([twice, twice]) }
    }

    /// Adding the missing year's file turns provisional dates into final ones.
    @Test func addingTheYearRecomputesProvisionalDates() throws {
        let without = try Self.shippedCalendar()
        let y2027 = CalendarYear(year: 2027, holidays: [Self.d("2027-01-01")], makeupWorkingDays: [])
        let with = try WorkingDayCalendar([y2027] + [2025, 2026].map { year in
            try JSONDecoder().decode(CalendarYear.self, from: Data(contentsOf: GonggaoBinary.repositoryRoot
                .appendingPathComponent("Config/calendars/CN-\(year).json")))
        })
        let before = without.addingWorkingDays(10, to: Self.d("2026-12-24"))
        let after = with.addingWorkingDays(10, to: Self.d("2026-12-24"))
        #expect(before.provisional && before.date == Self.d("2027-01-07"))
        #expect(!after.provisional && after.date == Self.d("2027-01-08"), "New Year's Day is a holiday once known")
    }
}
