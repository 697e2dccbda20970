import Foundation
import GonggaoCore

extension Fixtures {
    /// The working-day calendar from the shipped `Config/calendars` files (2025 and 2026).
    public static func shippedCalendar() throws -> WorkingDayCalendar {
        let folder = GonggaoBinary.repositoryRoot.appendingPathComponent("Config/calendars")
        let years = try ["CN-2025.json", "CN-2026.json"].map { name in
            try JSONDecoder().decode(CalendarYear.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
        }
        return try WorkingDayCalendar(years)
    }
}
