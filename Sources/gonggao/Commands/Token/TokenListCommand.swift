import Foundation
import GonggaoCore
import GonggaoService

/// A token as `token list --json` prints it: never its text nor its hash.
struct ListedToken: Encodable {
    var id: String
    var user: String
    var label: String?
    var createdAt: Date
    var expiresAt: Date
    var revokedAt: Date?
    var status: String
}

extension CommandSpec {
    /// `gonggao token list [--user U]`.
    static let tokenList = CommandSpec(
        path: ["token", "list"],
        summary: "list API tokens, newest first (never their text)",
        options: [OptionSpec(name: "user", value: "U", help: "only this user's tokens"), .json]
    ) { inv, ctx in
        let now = ctx.now()
        let tokens = try await ctx.withStore { store in try await TokenIssuer.list(user: inv.option("user"), store: store) }
        let listed = tokens.map { t in
            ListedToken(id: t.id, user: t.user, label: t.label, createdAt: t.createdAt, expiresAt: t.expiresAt,
                        revokedAt: t.revokedAt, status: t.revokedAt != nil ? "revoked" : t.isValid(at: now) ? "valid" : "expired")
        }
        if inv.json {
            try ctx.output.json(listed)
        } else if listed.isEmpty {
            ctx.output.line("no tokens (create one with 'gonggao token create --user U')")
        } else {
            var table = Table("ID", "USER", "STATUS", "EXPIRES", "LABEL")
            for t in listed { table.add(t.id, t.user, t.status, ShanghaiTime.text(t.expiresAt), t.label ?? "") }
            ctx.output.lines(table.lines)
        }
    }
}
