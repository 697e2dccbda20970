/// A date a legal computation produced, and whether it is **provisional**: computed on weekends only
/// because the calendar lacks a year it reached into. Shown as `2027-01-12（暂定）` wherever it appears,
/// and recomputed once the year's calendar is added.
public struct LegalDate: Codable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var date: CivilDate
    public var provisional: Bool
    /// Years the computation needed and the calendar lacks (empty when not provisional).
    public var missingYears: [Int]

    public init(_ date: CivilDate, missingYears: [Int] = []) {
        self.date = date
        self.missingYears = missingYears.sorted()
        self.provisional = !missingYears.isEmpty
    }

    public var description: String { provisional ? "\(date) (provisional)" : date.description }
    public var chinese: String { provisional ? "\(date.chinese)（暂定）" : date.chinese }

    public static func < (a: LegalDate, b: LegalDate) -> Bool { a.date < b.date }
}

/// Which days count: working days on the official calendar, or every calendar day.
public enum DayUnit: String, Codable, Sendable, CaseIterable {
    case working
    case calendar
}

/// Working days in Asia/Shanghai: weekdays, minus weekday public holidays, plus make-up working days
/// (调休), from one `CalendarYear` per year. In a year it lacks, only weekends are rest days and every
/// date computed through that year is provisional.
public struct WorkingDayCalendar: Sendable, Equatable {
    private var holidays: Set<CivilDate> = []
    private var makeups: Set<CivilDate> = []
    public private(set) var years: [Int] = []

    /// An empty calendar (every computation provisional) — for tests of the fallback.
    public init() {}

    /// - Throws: `ValidationError` naming the year when one is given twice or is inconsistent.
    public init(_ calendarYears: [CalendarYear]) throws(ValidationError) {
        for y in calendarYears.sorted(by: { $0.year < $1.year }) {
            try y.validate()
            if years.contains(y.year) { throw ValidationError(field: "calendars", "the year \(y.year) is given twice") }
            years.append(y.year)
            holidays.formUnion(y.holidays)
            makeups.formUnion(y.makeupWorkingDays)
        }
    }

    public func covers(_ year: Int) -> Bool { years.contains(year) }

    /// Whether `day` is a working day (in an uncovered year: whether it is a weekday).
    public func isWorkingDay(_ day: CivilDate) -> Bool {
        if makeups.contains(day) { return true }
        if holidays.contains(day) { return false }
        return day.isoWeekday <= 5
    }

    /// The `count`-th working day after `start` (`start` itself is not counted: a period begins the
    /// day after the event, 民法典 art. 201). `count` 0 gives `start`.
    public func addingWorkingDays(_ count: Int, to start: CivilDate) -> LegalDate {
        var day = start
        var missing = Set<Int>()
        var left = count
        while left > 0 {
            day = day.adding(days: 1)
            if !covers(day.year) { missing.insert(day.year) }
            if isWorkingDay(day) { left -= 1 }
        }
        return LegalDate(day, missingYears: Array(missing))
    }

    /// The `count`-th day after `start` in `unit`s.
    public func adding(_ count: Int, _ unit: DayUnit, to start: CivilDate) -> LegalDate {
        switch unit {
        case .working: addingWorkingDays(count, to: start)
        case .calendar: LegalDate(start.adding(days: count))
        }
    }

    /// The latest date whose `count`-th working day after it is `end` or earlier, i.e. `end` moved back
    /// by `count` working days (for warnings raised a lead time before a due date).
    public func subtractingWorkingDays(_ count: Int, from end: CivilDate) -> LegalDate {
        var day = end
        var missing = Set<Int>()
        var left = count
        while left > 0 {
            day = day.adding(days: -1)
            if !covers(day.year) { missing.insert(day.year) }
            if isWorkingDay(day) { left -= 1 }
        }
        return LegalDate(day, missingYears: Array(missing))
    }
}
