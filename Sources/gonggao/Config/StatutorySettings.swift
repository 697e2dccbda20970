import Foundation
import GonggaoChannels
import GonggaoCore

/// `calendars`, `rules` and `warnings`: where the statutory clocks come from and how often the
/// warnings are evaluated. The files are read once, by `ConfigLoader`, into a `StatutoryClock`.
struct StatutorySettings: Sendable, Equatable {
    /// The folder of `CN-YYYY.json` working-day calendars, as written in the config (nil: the default
    /// `calendars` beside the config file, which may be absent: every date is then provisional).
    var calendars: String?
    /// The rules file, as written (nil: `rules.json` beside the config; absent: the built-in defaults).
    var rules: String?
    var warnings = WarningSettings()
}

/// `warnings`: the evaluation loop of `gonggao serve` and `gonggao worker`.
struct WarningSettings: Sendable, Equatable {
    /// How often the statutory warnings are evaluated. Default 600 s (10 minutes).
    var evaluateEverySeconds: Double = 600
    /// The officers' alert endpoint; nil: warnings are only listed, not pushed.
    var alerts: AlertSettings?
}

/// `warnings.alerts`: where raised and escalated warnings are pushed (signed Standard Webhooks).
struct AlertSettings: Sendable, Equatable {
    var url: String
    var signing: ChannelConfig.SigningSettings
    var timeoutSeconds: Double = 10
}

extension AlertSettings: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case url, signing, timeoutSeconds }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(Keys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: Keys.self)
        url = try c.decode(String.self, forKey: .url)
        if let problem = URLCheck.problem(url, schemes: ["http", "https"]) { throw decoder.configProblem(at: [Keys.url], problem) }
        signing = try c.decode(ChannelConfig.SigningSettings.self, forKey: .signing)
        if signing.secrets.isEmpty { throw decoder.configProblem(at: [Keys.signing], "needs at least one secret") }
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 10
        guard timeoutSeconds > 0 && timeoutSeconds <= 120 else {
            throw decoder.configProblem(at: [Keys.timeoutSeconds], "must be more than 0 and at most 120")
        }
    }
}

extension WarningSettings: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case evaluateEverySeconds, alerts }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(Keys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: Keys.self)
        evaluateEverySeconds = try c.decodeIfPresent(Double.self, forKey: .evaluateEverySeconds) ?? 600
        alerts = try c.decodeIfPresent(AlertSettings.self, forKey: .alerts)
        guard (1...86_400).contains(evaluateEverySeconds) else {
            throw decoder.configProblem(at: [Keys.evaluateEverySeconds], "must be 1…86400 seconds, not \(evaluateEverySeconds)")
        }
    }
}

/// Reads the calendar folder and the rules file a config names.
enum StatutoryLoader {
    static let defaultCalendars = "calendars"
    static let defaultRules = "rules.json"

    /// The clock of `settings`, with paths relative to `directory` (the config file's folder).
    /// - Throws: `ConfigError` naming the config key and the file (and the key inside it).
    static func load(_ settings: StatutorySettings, directory: URL, configFile: String) throws(ConfigError) -> StatutoryClock {
        let calendar = try calendars(settings.calendars, directory: directory, configFile: configFile)
        let rules = try rules(settings.rules, directory: directory, configFile: configFile)
        return StatutoryClock(rules: rules, calendar: calendar)
    }

    static func calendars(_ given: String?, directory: URL, configFile: String) throws(ConfigError) -> WorkingDayCalendar {
        let folder = ConfigLoader.resolve(given ?? defaultCalendars, against: directory)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            if given == nil { return WorkingDayCalendar() }
            throw ConfigError(file: configFile, path: "calendars", "no folder at '\(folder)'")
        }
        guard isFolder.boolValue else { throw ConfigError(file: configFile, path: "calendars", "'\(folder)' is not a folder") }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { $0.hasPrefix("CN-") && $0.hasSuffix(".json") }.sorted()
        } catch {
            throw ConfigError(file: configFile, path: "calendars", "cannot list '\(folder)'")
        }
        var years: [CalendarYear] = []
        for name in names {
            let file = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ConfigError(file: configFile, path: "calendars", "cannot read \(file)")
            }
            let year: CalendarYear
            do {
                year = try JSONInput.decode(CalendarYear.self, from: data, source: file)
            } catch {
                throw ConfigError(file: configFile, path: "calendars", error.description)
            }
            do {
                try year.validate()
            } catch {
                throw ConfigError(file: configFile, path: "calendars", "\(file): \(error)")
            }
            let expected = String(name.dropFirst(3).dropLast(5))
            guard expected == String(year.year) else {
                throw ConfigError(file: configFile, path: "calendars", "\(file): year: \(year.year) does not match the file name (CN-\(year.year).json)")
            }
            years.append(year)
        }
        do {
            return try WorkingDayCalendar(years)
        } catch {
            throw ConfigError(file: configFile, path: "calendars", "\(folder): \(error)")
        }
    }

    static func rules(_ given: String?, directory: URL, configFile: String) throws(ConfigError) -> StatutoryRules {
        let file = ConfigLoader.resolve(given ?? defaultRules, against: directory)
        guard FileManager.default.fileExists(atPath: file) else {
            if given == nil { return StatutoryRules() }
            throw ConfigError(file: configFile, path: "rules", "no file at '\(file)'")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigError(file: configFile, path: "rules", "cannot read '\(file)'")
        }
        let rules: StatutoryRules
        do {
            rules = try JSONInput.decode(StatutoryRules.self, from: data, source: file)
        } catch {
            throw ConfigError(file: configFile, path: "rules", error.description)
        }
        if let problem = rules.problem { throw ConfigError(file: configFile, path: "rules", "\(file): \(problem)") }
        return rules
    }
}
