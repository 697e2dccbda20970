import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoPoster

/// Strict decoding of the config file: unknown keys, unknown roles and channel types, duplicate
/// names and bad URLs are refused with the key path that holds them.
extension Config: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case store, publicBaseURL, users, channels, templates, poster, delivery, http, calendars, rules, warnings
    }

    /// The parcel-page links printed as QR codes are `<base>/p/<key>` with keys of up to
    /// `Project.maxKeyLength` characters, and a QR link holds at most `QRMatrix.maxURLBytes` ASCII bytes: a
    /// base too long for that is a configuration error now, not a failed poster at approval time.
    static func qrLinkProblem(_ base: String) -> String? {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let room = QRMatrix.maxURLBytes - "/p/".utf8.count - Project.maxKeyLength
        if !trimmed.unicodeScalars.allSatisfy({ $0.isASCII }) {
            return "'\(base)' is not ASCII (it is printed in QR codes; use the punycode host name)"
        }
        if trimmed.utf8.count > room {
            return "'\(base)' is \(trimmed.utf8.count) bytes, at most \(room) allowed (a QR link <base>/p/<key of up to \(Project.maxKeyLength)> must fit \(QRMatrix.maxURLBytes) bytes)"
        }
        return nil
    }

    init(from decoder: any Decoder) throws {
        // `_comment` lets a shipped config explain itself; every other unknown key is refused.
        try decoder.refuseUnknownKeys(Keys.allCases.map(\.rawValue) + ["_comment"])
        let c = try decoder.container(keyedBy: Keys.self)
        file = ""
        store = try c.decode(StoreConfig.self, forKey: .store)
        publicBaseURL = try c.decode(String.self, forKey: .publicBaseURL)
        if let problem = URLCheck.problem(publicBaseURL, schemes: ["http", "https"]) {
            throw decoder.configProblem(at: [Keys.publicBaseURL], problem)
        }
        if let problem = Self.qrLinkProblem(publicBaseURL) {
            throw decoder.configProblem(at: [Keys.publicBaseURL], problem)
        }
        users = try c.decode([UserEntry].self, forKey: .users).map(\.user)
        if users.isEmpty { throw decoder.configProblem(at: [Keys.users], "at least one user is required") }
        channels = try c.decode([ChannelConfig].self, forKey: .channels)
        try Self.refuseDuplicates(users.map(\.name), list: Keys.users, decoder, what: "user")
        try Self.refuseDuplicates(channels.map(\.name), list: Keys.channels, decoder, what: "channel")
        templates = try c.decodeIfPresent(String.self, forKey: .templates) ?? "../Templates"
        if templates.isEmpty { throw decoder.configProblem(at: [Keys.templates], "is empty") }
        poster = try c.decodeIfPresent(PosterSettings.self, forKey: .poster) ?? PosterSettings()
        delivery = try c.decodeIfPresent(DeliverySettings.self, forKey: .delivery) ?? DeliverySettings()
        http = try c.decodeIfPresent(HTTPSettings.self, forKey: .http) ?? HTTPSettings()
        statutorySettings.calendars = try c.decodeIfPresent(String.self, forKey: .calendars)
        statutorySettings.rules = try c.decodeIfPresent(String.self, forKey: .rules)
        if statutorySettings.calendars?.isEmpty == true { throw decoder.configProblem(at: [Keys.calendars], "is empty") }
        if statutorySettings.rules?.isEmpty == true { throw decoder.configProblem(at: [Keys.rules], "is empty") }
        statutorySettings.warnings = try c.decodeIfPresent(WarningSettings.self, forKey: .warnings) ?? WarningSettings()
    }

    private static func refuseDuplicates(_ names: [String], list: Keys, _ decoder: any Decoder, what: String) throws {
        var first: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            if let earlier = first[name] {
                throw decoder.configProblem(at: [list, ConfigKey(index: i), ConfigKey("name")],
                                            "duplicate \(what) name '\(name)' (also \(list.rawValue)[\(earlier)])")
            }
            first[name] = i
        }
    }
}

extension StoreConfig: Decodable {
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        let keys = c.allKeys
        guard keys.count == 1, let key = keys.first else {
            throw decoder.configProblem(at: [], "name exactly one backend, e.g. {\"sqlite\": \"../var/gonggao.sqlite\"}")
        }
        switch key.stringValue {
        case "sqlite":
            let path = try c.decode(String.self, forKey: key)
            if path.trimmingCharacters(in: .whitespaces).isEmpty {
                throw decoder.configProblem(at: [key], "is empty (give the SQLite file's path)")
            }
            self = .sqlite(path: path)
        case "postgres":
            if let url = try? c.decode(String.self, forKey: key) {
                self = .postgres(PostgresSettings(url: url))
            } else {
                self = .postgres(try c.decode(PostgresSettings.self, forKey: key))
            }
        default:
            throw decoder.configProblem(at: [key], "unknown store backend (expected one of: \(Self.knownBackends.joined(separator: ", ")))")
        }
    }
}

extension PostgresSettings: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case url, passwordFile, auditHead, poolSize, statementTimeoutSeconds }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(Keys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: Keys.self)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        if let url, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            throw decoder.configProblem(at: [Keys.url], "is not a postgres:// URL")
        }
        passwordFile = try c.decodeIfPresent(String.self, forKey: .passwordFile)
        auditHead = try c.decodeIfPresent(String.self, forKey: .auditHead) ?? auditHead
        poolSize = try c.decodeIfPresent(Int.self, forKey: .poolSize) ?? poolSize
        if !(1...64).contains(poolSize) { throw decoder.configProblem(at: [Keys.poolSize], "must be 1…64 (got \(poolSize))") }
        statementTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .statementTimeoutSeconds) ?? statementTimeoutSeconds
        if !(statementTimeoutSeconds > 0 && statementTimeoutSeconds <= 3600) {
            throw decoder.configProblem(at: [Keys.statementTimeoutSeconds], "must be more than 0 and at most 3600")
        }
    }
}

/// One entry of `users`: `{name, displayName?, roles}`.
struct UserEntry: Decodable {
    var user: User

    enum Keys: String, CodingKey, CaseIterable { case name, displayName, roles }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(Keys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: Keys.self)
        let name = try c.decode(String.self, forKey: .name)
        if name.isEmpty || name.count > 64 || name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) {
            throw decoder.configProblem(at: [Keys.name], "'\(name)' is not a user name (1–64 characters, no spaces)")
        }
        let displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        let roleNames = try c.decode([String].self, forKey: .roles)
        if roleNames.isEmpty { throw decoder.configProblem(at: [Keys.roles], "at least one role is required") }
        var roles = Set<Role>()
        for (i, text) in roleNames.enumerated() {
            guard let role = Role(rawValue: text) else {
                let known = Role.allCases.map(\.rawValue).joined(separator: ", ")
                throw decoder.configProblem(at: [Keys.roles, ConfigKey(index: i)], "unknown role '\(text)' (expected one of: \(known))")
            }
            roles.insert(role)
        }
        user = User(name: name, displayName: displayName, roles: roles)
    }
}

/// Checks that a config value is an absolute URL with one of the allowed schemes and a host.
enum URLCheck {
    static func problem(_ text: String, schemes: [String]) -> String? {
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(), !scheme.isEmpty else {
            return "'\(text)' is not a URL"
        }
        guard schemes.contains(scheme) else {
            return "'\(text)' has scheme '\(scheme)' (expected \(schemes.joined(separator: " or ")))"
        }
        guard let host = parts.host, !host.isEmpty else { return "'\(text)' has no host" }
        if parts.query != nil || parts.fragment != nil { return "'\(text)' must not carry a query or fragment" }
        return nil
    }
}

extension PosterSettings: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case paper, dpi, printDPI, seal }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(Keys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: Keys.self)
        paper = try c.decodeIfPresent(String.self, forKey: .paper) ?? "A4"
        guard ["A4", "A3"].contains(paper) else { throw decoder.configProblem(at: [Keys.paper], "'\(paper)' is not A4 or A3") }
        dpi = try c.decodeIfPresent(Int.self, forKey: .dpi) ?? 150
        guard (72...600).contains(dpi) else { throw decoder.configProblem(at: [Keys.dpi], "must be 72…600, not \(dpi)") }
        printDPI = try c.decodeIfPresent(Int.self, forKey: .printDPI) ?? 150
        guard (72...600).contains(printDPI) else {
            throw decoder.configProblem(at: [Keys.printDPI], "must be 72…600, not \(printDPI)")
        }
        seal = try c.decodeIfPresent(String.self, forKey: .seal)
    }
}

extension DeliverySettings: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case concurrency, ratePerSecond, breakerThreshold, breakerCooldownSeconds, pollMilliseconds, graceSeconds
        case retryScheduleSeconds, retryJitter
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(Keys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: Keys.self)
        func number<T: Decodable & Comparable>(_ key: Keys, _ fallback: T, _ range: ClosedRange<T>) throws -> T {
            let value = try c.decodeIfPresent(T.self, forKey: key) ?? fallback
            guard range.contains(value) else {
                throw decoder.configProblem(at: [key], "must be \(range.lowerBound)…\(range.upperBound), not \(value)")
            }
            return value
        }
        concurrency = try number(.concurrency, 4, 1...256)
        ratePerSecond = try number(.ratePerSecond, 50.0, 0.01...100_000)
        breakerThreshold = try number(.breakerThreshold, 5, 1...1000)
        breakerCooldownSeconds = try number(.breakerCooldownSeconds, 10.0, 0.01...3600)
        pollMilliseconds = try number(.pollMilliseconds, 100, 5...60_000)
        graceSeconds = try number(.graceSeconds, 30.0, 0...3600)
        retryJitter = try number(.retryJitter, 0.2, 0...0.9)
        retryScheduleSeconds = try c.decodeIfPresent([Double].self, forKey: .retryScheduleSeconds)
        if let schedule = retryScheduleSeconds {
            for (i, delay) in schedule.enumerated() where !(0...604_800).contains(delay) {
                throw decoder.configProblem(at: [Keys.retryScheduleSeconds, ConfigKey(index: i)], "must be 0…604800 seconds, not \(delay)")
            }
        }
    }

    /// The retry policy every lane uses.
    var retryPolicy: RetryPolicy {
        guard let schedule = retryScheduleSeconds else {
            var standard = RetryPolicy.standard
            standard.jitter = retryJitter
            return standard
        }
        return RetryPolicy(delays: schedule.map { .milliseconds(Int64($0 * 1000)) }, jitter: retryJitter)
    }
}

extension HTTPSettings: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case host, port, connectionLimit, trustedProxies, trustLocalOperators }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(Keys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: Keys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? "127.0.0.1"
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? 8080
        guard (0...65535).contains(port) else { throw decoder.configProblem(at: [Keys.port], "must be 0…65535, not \(port)") }
        connectionLimit = try c.decodeIfPresent(Int.self, forKey: .connectionLimit) ?? 256
        guard (1...100_000).contains(connectionLimit) else {
            throw decoder.configProblem(at: [Keys.connectionLimit], "must be 1…100000, not \(connectionLimit)")
        }
        trustedProxies = try c.decodeIfPresent([String].self, forKey: .trustedProxies) ?? []
        trustLocalOperators = try c.decodeIfPresent(Bool.self, forKey: .trustLocalOperators) ?? false
    }
}
