import Foundation
import GonggaoCore

/// Instants as officers read them: in Asia/Shanghai, whatever the machine's zone (UTC on servers).
enum ShanghaiTime {
    private static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = CivilDate.legalTimeZone
        return c
    }()

    /// `2026-12-01 09:00:00 +08:00`.
    static func text(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d +08:00", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// `2026-12-01T09:00:00.000+08:00`, the form JSON output uses (milliseconds kept).
    static func iso(_ date: Date) -> String {
        Date.ISO8601FormatStyle(timeZoneSeparator: .colon, includingFractionalSeconds: true,
                                timeZone: CivilDate.legalTimeZone).format(date)
    }
}
