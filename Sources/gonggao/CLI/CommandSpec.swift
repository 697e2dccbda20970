/// A positional argument of a command.
struct ArgumentSpec: Sendable {
    var name: String
    var optional = false
    var help: String
}

/// An option of a command: `--name VALUE`, or a flag when `value` is nil.
struct OptionSpec: Sendable {
    var name: String
    var value: String?
    var required = false
    var help: String

    var isFlag: Bool { value == nil }

    /// `--name`, or `-x` for a one-letter option.
    var spelling: String { name.count == 1 ? "-\(name)" : "--\(name)" }

    /// `--config FILE`, accepted by every command.
    static let config = OptionSpec(name: "config", value: "FILE",
                                   help: "config file (default: $GONGGAO_CONFIG, else Config/gonggao.json)")
    static let help = OptionSpec(name: "help", help: "show this help")
    static let json = OptionSpec(name: "json", help: "print the result as JSON")
    /// `--as USER`: required where the config trusts local operators and no token is given; with a
    /// token it may be left out (it must then match the token's user).
    static let user = OptionSpec(name: "as", value: "USER", help: "the user acting (from the config's users; with a token: its user)")
    /// `--token-file FILE`, added to every command that takes `--as`.
    static let tokenFile = OptionSpec(name: "token-file", value: "FILE",
                                      help: "a file holding the user's API token (else $GONGGAO_TOKEN)")
}

/// One command: its words, arguments, options, help text and what it does.
struct CommandSpec: Sendable {
    /// The words that name it, e.g. `["notice", "approve"]`.
    var path: [String]
    var summary: String
    var arguments: [ArgumentSpec] = []
    /// Command-specific options; `--config` and `--help` are added to every command.
    var options: [OptionSpec] = []
    /// Extra help text printed after the options.
    var discussion: String?
    /// Whether only an admin may run it (token management): with an admin's token, or without one
    /// where the config trusts local operators.
    var adminOnly = false
    /// What it does, given the parsed command line and the context built from the config.
    var run: @Sendable (Invocation, Context) async throws -> Void

    var name: String { path.joined(separator: " ") }
    /// Whether it changes something in a user's name (it takes `--as USER` and a token).
    var actsAsUser: Bool { options.contains { $0.name == OptionSpec.user.name } }
    var allOptions: [OptionSpec] { options + (actsAsUser || adminOnly ? [.tokenFile] : []) + [.config, .help] }

    var usageLine: String {
        var parts = ["gonggao", name]
        for a in arguments { parts.append(a.optional ? "[\(a.name)]" : a.name) }
        for o in options {
            let text = o.isFlag ? o.spelling : "\(o.spelling) \(o.value!)"
            parts.append(o.required ? text : "[\(text)]")
        }
        return parts.joined(separator: " ")
    }

    var helpText: String {
        var lines = ["\(summary)", "", "usage: \(usageLine)"]
        if !arguments.isEmpty {
            lines += ["", "arguments:"]
            lines += arguments.map { "  " + pad($0.name, 20) + $0.help }
        }
        lines += ["", "options:"]
        lines += allOptions.map { o in
            "  " + pad(o.isFlag ? o.spelling : "\(o.spelling) \(o.value!)", 20) + o.help
        }
        if let discussion { lines += ["", discussion] }
        return lines.joined(separator: "\n")
    }
}

/// `text` padded with spaces to `width` terminal columns (at least one space after it).
func pad(_ text: String, _ width: Int) -> String {
    let used = displayWidth(text)
    return used >= width ? text + " " : text + String(repeating: " ", count: width - used)
}

/// Terminal columns `text` takes: East Asian wide characters (汉字, full-width forms) take two.
func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { sum, s in
        switch s.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            sum + 2
        case 0x0300...0x036F, 0x200B...0x200F:
            sum
        default:
            sum + 1
        }
    }
}
