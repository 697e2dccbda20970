import Foundation
import GonggaoCore

/// Strict decoding of the config file: unknown keys, unknown roles and channel types, duplicate
/// names and bad URLs are refused with the key path that holds them.
extension Config: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case store, publicBaseURL, users, channels }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(Keys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: Keys.self)
        file = ""
        store = try c.decode(StoreConfig.self, forKey: .store)
        publicBaseURL = try c.decode(String.self, forKey: .publicBaseURL)
        if let problem = URLCheck.problem(publicBaseURL, schemes: ["http", "https"]) {
            throw decoder.configProblem(at: [Keys.publicBaseURL], problem)
        }
        users = try c.decode([UserEntry].self, forKey: .users).map(\.user)
        if users.isEmpty { throw decoder.configProblem(at: [Keys.users], "at least one user is required") }
        channels = try c.decode([ChannelConfig].self, forKey: .channels)
        try Self.refuseDuplicates(users.map(\.name), list: Keys.users, decoder, what: "user")
        try Self.refuseDuplicates(channels.map(\.name), list: Keys.channels, decoder, what: "channel")
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
            throw decoder.configProblem(at: [key], "the PostgreSQL backend is not available yet; use {\"sqlite\": \"path\"}")
        default:
            throw decoder.configProblem(at: [key], "unknown store backend (expected one of: \(Self.knownBackends.joined(separator: ", ")))")
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

extension ChannelConfig: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case name, type, enabled, url }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(Keys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: Keys.self)
        name = try c.decode(String.self, forKey: .name)
        do {
            try Project.validateKey(name, field: "name")
        } catch {
            throw decoder.configProblem(at: [Keys.name], "'\(name)' is not a channel name (ASCII letters, digits and inner hyphens, at most \(Project.maxKeyLength))")
        }
        let typeName = try c.decode(String.self, forKey: .type)
        guard let type = ChannelType(rawValue: typeName) else {
            throw decoder.configProblem(at: [Keys.type], "unknown channel type '\(typeName)' (expected one of: \(ChannelType.names))")
        }
        self.type = type
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        url = try c.decodeIfPresent(String.self, forKey: .url)
        if let url {
            let schemes = type == .print ? ["http", "https", "ipp", "ipps"] : ["http", "https"]
            if let problem = URLCheck.problem(url, schemes: schemes) {
                throw decoder.configProblem(at: [Keys.url], problem)
            }
        }
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
