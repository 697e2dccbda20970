/// A command line parsed against one command's spec: its arguments, option values and flags.
struct Invocation: Sendable {
    var command: CommandSpec
    var arguments: [String: String] = [:]
    var options: [String: String] = [:]
    var flags: Set<String> = []
    /// Who an admin-only command acts as, once `OperatorIdentity` has checked it (audit actor).
    var actor = "cli"

    /// A required positional argument (presence is checked by the parser).
    func argument(_ name: String) -> String { arguments[name] ?? "" }
    func optionalArgument(_ name: String) -> String? { arguments[name] }

    func option(_ name: String) -> String? { options[name] }
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// `--as USER` (required by every command that changes something).
    var user: String { options["as"] ?? "" }
    var json: Bool { flag("json") }

    /// An option that must be a positive integer.
    func positiveInt(_ name: String) throws(UsageError) -> Int? {
        guard let text = options[name] else { return nil }
        guard let n = Int(text), n > 0 else { throw UsageError("--\(name) must be a positive whole number, not '\(text)'") }
        return n
    }

    /// An option that must name one case of `E`.
    func choice<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws(UsageError) -> E? where E.RawValue == String {
        guard let text = options[name] else { return nil }
        guard let value = E(rawValue: text) else {
            let known = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError("--\(name) '\(text)' is not one of: \(known)")
        }
        return value
    }
}
