import GonggaoCore
import GonggaoService
import GonggaoStore

extension CommandSpec {
    /// `gonggao token revoke ID`.
    static let tokenRevoke = CommandSpec(
        path: ["token", "revoke"],
        summary: "revoke an API token at once (idempotent)",
        arguments: [ArgumentSpec(name: "ID", help: "the token's id (tok_…), from 'gonggao token list'")],
        discussion: "Only an admin revokes tokens (with their own token), unless the config trusts local operators.",
        adminOnly: true
    ) { inv, ctx in
        let id = inv.argument("ID")
        let token = try await ctx.withStore { store in
            do {
                return try await TokenIssuer.revoke(id: id, by: inv.actor, store: store, now: ctx.now())
            } catch StoreError.notFound {
                throw CommandFailure(.refused, "unknown token '\(id)' (see 'gonggao token list')")
            }
        }
        ctx.output.line("revoked \(token.id) of \(token.user)")
    }
}
