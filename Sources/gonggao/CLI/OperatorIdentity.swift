import Foundation
import GonggaoCore
import GonggaoService

/// Who runs a write command: the user of a presented token (`GONGGAO_TOKEN` or `--token-file`),
/// or — only where the config trusts local operators (`http.trustLocalOperators`) — `--as USER`.
/// Without this, four-eyes could be bypassed by typing another officer's name.
enum OperatorIdentity {
    /// Sets `--as` of a write command to the authenticated user, or refuses.
    static func establish(_ invocation: inout Invocation, context: Context) async throws {
        if invocation.command.adminOnly { return try await establishAdmin(&invocation, context: context) }
        guard invocation.command.actsAsUser else { return }
        let claimed = invocation.options[OptionSpec.user.name]
        guard let token = try presentedToken(invocation, environment: context.environment) else {
            guard context.config.http.trustLocalOperators else {
                throw CommandFailure(.refused, "'gonggao \(invocation.command.name)' needs the user's token: set GONGGAO_TOKEN or give --token-file FILE (this config does not trust local operators: http.trustLocalOperators is false)")
            }
            guard claimed != nil else {
                throw UsageError("missing --as USER for 'gonggao \(invocation.command.name)' (usage: \(invocation.command.usageLine))")
            }
            return
        }
        let user = try await authenticate(token, context: context)
        if let claimed, claimed != user.name {
            throw CommandFailure(.refused, "--as \(claimed) does not match the token, which belongs to '\(user.name)'")
        }
        invocation.options[OptionSpec.user.name] = user.name
    }

    /// Token management (`token create|revoke`) is an admin's: with an admin's token; without one only
    /// where the config trusts local operators, or to bootstrap — `token create` for an admin user
    /// while no valid admin token exists (checked again inside the write, see `TokenIssuer.issue`).
    static func establishAdmin(_ invocation: inout Invocation, context: Context) async throws {
        let name = invocation.command.name
        if let token = try presentedToken(invocation, environment: context.environment) {
            let user = try await authenticate(token, context: context)
            guard user.roles.contains(.admin) else {
                throw CommandFailure(.refused, "'gonggao \(name)' needs an admin's token; the token's user '\(user.name)' is not an admin")
            }
            invocation.actor = user.name
            return
        }
        if context.config.http.trustLocalOperators {
            invocation.actor = "cli"
            return
        }
        let target = invocation.option("user").flatMap { try? context.config.userDirectory.user($0) }
        guard invocation.command.path == ["token", "create"], let target, target.roles.contains(.admin) else {
            throw CommandFailure(.refused, "'gonggao \(name)' needs an admin's token: set GONGGAO_TOKEN or give --token-file FILE (this config does not trust local operators; the first admin token can be created without one)")
        }
        invocation.actor = "bootstrap"
    }

    private static func authenticate(_ token: String, context: Context) async throws -> User {
        try await context.withStore { store in
            do {
                return try await TokenIssuer.authenticate(token: token, store: store, users: context.config.userDirectory,
                                                          now: context.now())
            } catch let refusal as TokenRefusal {
                throw CommandFailure(.refused, "the token is refused: \(refusal)")
            } catch let e as WorkflowError {
                throw CommandFailure(.refused, "the token's user is refused: \(e)")
            }
        }
    }

    /// The token from `--token-file` (first line) or `GONGGAO_TOKEN`; never echoed in errors.
    static func presentedToken(_ invocation: Invocation, environment: [String: String]) throws -> String? {
        if let path = invocation.options[OptionSpec.tokenFile.name] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UsageError("--token-file \(path): cannot read the file")
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw UsageError("--token-file \(path): the file is empty") }
            return text
        }
        let text = environment["GONGGAO_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? nil : text
    }
}
