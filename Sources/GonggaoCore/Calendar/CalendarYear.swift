/// One year of the official holiday arrangement (国务院办公厅 部分节假日安排), as data: the weekdays that
/// are public holidays and the weekend days that are working days (调休). Every other Saturday and
/// Sunday is a rest day and every other weekday a working day.
///
/// Read from `Config/calendars/CN-YYYY.json`; an officer adds next year's file when it is published.
public struct CalendarYear: Codable, Equatable, Sendable {
    public var year: Int
    /// Weekdays (Monday–Friday) that are public holidays.
    public var holidays: [CivilDate]
    /// Saturdays and Sundays that are working days (调休).
    public var makeupWorkingDays: [CivilDate]
    /// The festivals as announced (name → first and last day off), for display only.
    public var festivals: [String: FestivalPeriod]?

    public struct FestivalPeriod: Codable, Equatable, Sendable {
        public var from: CivilDate
        public var to: CivilDate
    }

    public init(year: Int, holidays: [CivilDate], makeupWorkingDays: [CivilDate], festivals: [String: FestivalPeriod]? = nil) {
        self.year = year
        self.holidays = holidays
        self.makeupWorkingDays = makeupWorkingDays
        self.festivals = festivals
    }

    /// A misspelt optional key cannot hide here: both lists are required, `_comment` and others are ignored.
    enum CodingKeys: String, CodingKey, CaseIterable { case year, holidays, makeupWorkingDays, festivals }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        year = try c.decode(Int.self, forKey: .year)
        holidays = try c.decode([CivilDate].self, forKey: .holidays)
        makeupWorkingDays = try c.decode([CivilDate].self, forKey: .makeupWorkingDays)
        festivals = try c.decodeIfPresent([String: FestivalPeriod].self, forKey: .festivals)
    }

    /// Checks the file says what it means: every date in `year`, holidays on weekdays, make-up days
    /// on weekends, no date twice.
    public func validate() throws(ValidationError) {
        guard (2000...2200).contains(year) else { throw ValidationError(field: "year", "\(year) is not a plausible year") }
        for (i, d) in holidays.enumerated() {
            if d.year != year { throw ValidationError(field: "holidays[\(i)]", "\(d) is not in \(year)") }
            if d.isoWeekday >= 6 { throw ValidationError(field: "holidays[\(i)]", "\(d) is a weekend day: list only weekday holidays") }
        }
        for (i, d) in makeupWorkingDays.enumerated() {
            if d.year != year { throw ValidationError(field: "makeupWorkingDays[\(i)]", "\(d) is not in \(year)") }
            if d.isoWeekday < 6 { throw ValidationError(field: "makeupWorkingDays[\(i)]", "\(d) is a weekday: list only weekend working days") }
        }
        if Set(holidays).count != holidays.count { throw ValidationError(field: "holidays", "a date is listed twice") }
        if Set(makeupWorkingDays).count != makeupWorkingDays.count {
            throw ValidationError(field: "makeupWorkingDays", "a date is listed twice")
        }
    }
}
