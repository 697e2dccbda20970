import GonggaoCore

/// Who may call a route. Admins may call every route; the workflow then applies its own rules
/// (only a version's drafter edits it, four-eyes on approval).
enum Access: Sendable, Equatable {
    /// No token needed (parcel pages, health, metrics, the OpenAPI document).
    case everyone
    /// Any valid token.
    case signedIn
    /// A valid token of a user holding one of these roles (or admin).
    case anyOf(Set<Role>)

    /// Reading projects, notices and deliveries: officers and viewers, not printers.
    static let officers = Access.anyOf([.viewer, .drafter, .approver])
    /// Downloading posters: everyone with a token, printers and posters included.
    static let posters = Access.anyOf([.viewer, .drafter, .approver, .printer, .poster])
    static let drafters = Access.anyOf([.drafter])
    static let approvers = Access.anyOf([.approver])
    static let admins = Access.anyOf([.admin])

    func permits(_ user: User) -> Bool {
        switch self {
        case .everyone, .signedIn: true
        case .anyOf(let roles): user.roles.contains(.admin) || roles.contains { user.has($0) }
        }
    }

    /// Roles that pass, for the OpenAPI document and messages (admin listed last).
    var roleNames: [String] {
        switch self {
        case .everyone: []
        case .signedIn: Role.allCases.map(\.rawValue)
        case .anyOf(let roles): Role.allCases.filter { roles.contains($0) || $0 == .admin }.map(\.rawValue)
        }
    }
}
