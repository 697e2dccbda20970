import Foundation

/// A calendar date with legal meaning (a date written, a deadline), always read in Asia/Shanghai.
///
/// Encoded as `YYYY-MM-DD`. Never derived from a UTC timestamp without going through `init(_:in:)`.
public struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The time zone in which every legal date of Gonggao is read.
    public static let legalTimeZone = TimeZone(identifier: "Asia/Shanghai")!

    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = legalTimeZone
        return c
    }()

    /// A date from its parts; nil when the parts do not name a real day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let parts = DateComponents(year: year, month: month, day: day)
        guard let date = Self.calendar.date(from: parts),
              Self.calendar.component(.day, from: date) == day,
              Self.calendar.component(.month, from: date) == month else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The date in Asia/Shanghai at `instant`.
    public init(_ instant: Date) {
        let c = Self.calendar.dateComponents([.year, .month, .day], from: instant)
        self.year = c.year!
        self.month = c.month!
        self.day = c.day!
    }

    /// Midnight at the start of this day in Asia/Shanghai.
    public var startInstant: Date {
        Self.calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    /// This date moved by `days` calendar days.
    public func adding(days: Int) -> CivilDate {
        CivilDate(Self.calendar.date(byAdding: .day, value: days, to: startInstant)!)
    }

    /// ISO weekday: 1 Monday … 7 Sunday.
    public var isoWeekday: Int {
        let w = Self.calendar.component(.weekday, from: startInstant) // 1 = Sunday
        return w == 1 ? 7 : w - 1
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// The way Chinese official documents write a date: 2026年12月1日.
    public var chinese: String { "\(year)年\(month)月\(day)日" }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is not a date of the form YYYY-MM-DD"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
