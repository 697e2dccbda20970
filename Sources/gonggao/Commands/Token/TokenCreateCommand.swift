import Foundation
import GonggaoCore
import GonggaoService

/// What `token create --json` prints: the token text (shown this once) and its record.
struct CreatedToken: Encodable {
    var token: String
    var id: String
    var user: String
    var label: String?
    var expiresAt: Date
}

extension CommandSpec {
    /// `gonggao token create --user U [--expires-in D] [--label L]`.
    static let tokenCreate = CommandSpec(
        path: ["token", "create"],
        summary: "create an API token for a user (printed once; only its SHA-256 is stored)",
        options: [
            OptionSpec(name: "user", value: "U", required: true, help: "the user the token acts as (from the config's users)"),
            OptionSpec(name: "expires-in", value: "D", help: "lifetime: 30d, 12h, 45m or 3600s (default 30d, at most 365d)"),
            OptionSpec(name: "label", value: "L", help: "a note to tell tokens apart (e.g. the machine)"),
            .json,
        ],
        discussion: """
            The token is printed on stdout and never again: keep it in a file only its user can read and pass
            it as 'Authorization: Bearer <token>'. Revoke it with 'gonggao token revoke ID'.
            Only an admin creates tokens (with their own token, GONGGAO_TOKEN or --token-file), unless the config
            trusts local operators. The first admin token is made without one: 'gonggao token create --user ADMIN'
            works while no valid admin token exists.
            """,
        adminOnly: true
    ) { inv, ctx in
        let lifetime = try inv.option("expires-in").map { text throws(ValidationError) in try TokenLifetime.parse(text, field: "--expires-in") }
            ?? AuthSettings().defaultTokenLifetime
        let issued = try await ctx.withStore { store in
            do {
                return try await TokenIssuer.issue(user: inv.option("user") ?? "", lifetime: lifetime, label: inv.option("label"),
                                        by: inv.actor, store: store, users: ctx.config.userDirectory, now: ctx.now(),
                                        onlyAsFirstAdminToken: inv.actor == "bootstrap")
            } catch let refusal as TokenRefusal {
                throw CommandFailure(.refused, "token create: \(refusal)")
            }
        }
        let r = issued.record
        if inv.json {
            try ctx.output.json(CreatedToken(token: issued.token, id: r.id, user: r.user, label: r.label, expiresAt: r.expiresAt))
        } else {
            ctx.output.line(issued.token)
            Output.error("token \(r.id) for \(r.user) expires \(ShanghaiTime.text(r.expiresAt)); it is shown only this once")
        }
    }
}
