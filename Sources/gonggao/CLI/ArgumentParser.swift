/// Parses the words after a command's name against its spec (hand-written; no packages).
///
/// Options may come before, between or after arguments, as `--name value` or `--name=value`;
/// `-h` means `--help`; `--` ends the options. Presence of required arguments and options is
/// checked by `checkRequired` so that `--help` works on an incomplete command line.
enum ArgumentParser {
    static func parse(_ tokens: [String], for command: CommandSpec) throws(UsageError) -> Invocation {
        var inv = Invocation(command: command)
        var positionals: [String] = []
        var i = 0
        var optionsEnded = false
        while i < tokens.count {
            let token = tokens[i]
            i += 1
            if !optionsEnded && token == "--" { optionsEnded = true; continue }
            guard !optionsEnded, token.hasPrefix("-"), token != "-" else { positionals.append(token); continue }

            var name = token == "-h" ? "help" : String(token.drop(while: { $0 == "-" }))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            // `--name`, or `-x` for a one-letter option (`qr URL -o FILE`).
            let dashes = token.hasPrefix("--") ? 2 : 1
            guard dashes == 2 || token == "-h" || name.count == 1, let spec = command.allOptions.first(where: { $0.name == name }) else {
                throw UsageError("unknown option '\(token)' for 'gonggao \(command.name)' (see 'gonggao \(command.name) --help')")
            }
            if spec.isFlag {
                if inline != nil { throw UsageError("option \(spec.spelling) takes no value") }
                inv.flags.insert(name)
                continue
            }
            let value: String
            if let inline {
                value = inline
            } else {
                guard i < tokens.count else { throw UsageError("option \(spec.spelling) needs a value (\(spec.value!))") }
                value = tokens[i]
                i += 1
            }
            if inv.options[name] != nil { throw UsageError("option \(spec.spelling) is given twice") }
            inv.options[name] = value
        }

        for (n, arg) in command.arguments.enumerated() where n < positionals.count {
            inv.arguments[arg.name] = positionals[n]
        }
        if positionals.count > command.arguments.count {
            let extra = positionals[command.arguments.count]
            throw UsageError("unexpected argument '\(extra)' for 'gonggao \(command.name)' (usage: \(command.usageLine))")
        }
        return inv
    }

    /// Refuses a command line that lacks a required argument or option.
    static func checkRequired(_ inv: Invocation) throws(UsageError) {
        for arg in inv.command.arguments where !arg.optional && inv.arguments[arg.name] == nil {
            throw UsageError("missing \(arg.name) for 'gonggao \(inv.command.name)' (usage: \(inv.command.usageLine))")
        }
        for option in inv.command.options where option.required && inv.options[option.name] == nil {
            throw UsageError("missing \(option.spelling) \(option.value ?? "") for 'gonggao \(inv.command.name)' (usage: \(inv.command.usageLine))")
        }
        for (name, value) in inv.options where value.isEmpty {
            throw UsageError("option \(name.count == 1 ? "-" : "--")\(name) is empty")
        }
    }
}
