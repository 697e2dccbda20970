/// What a user may do. An approver can never approve a version they drafted (four-eyes).
public enum Role: String, Codable, CaseIterable, Sendable {
    case drafter, approver, admin, printer, poster, viewer
}

/// A person known to Gonggao, from config.
public struct User: Codable, Equatable, Sendable {
    public var name: String
    public var displayName: String?
    public var roles: Set<Role>

    public init(name: String, displayName: String? = nil, roles: Set<Role>) {
        self.name = name
        self.displayName = displayName
        self.roles = roles
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) || roles.contains(.admin) }
}

/// The users from config, looked up by name.
public struct UserDirectory: Sendable {
    private let byName: [String: User]

    public init(_ users: [User]) {
        var map: [String: User] = [:]
        for u in users { map[u.name] = u }
        byName = map
    }

    public var all: [User] { byName.values.sorted { $0.name < $1.name } }

    /// The user named `name`, or `WorkflowError.unknownUser`.
    public func user(_ name: String) throws(WorkflowError) -> User {
        guard let u = byName[name] else { throw .unknownUser(name) }
        return u
    }
}
