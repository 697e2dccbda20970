import Foundation

/// Runs one command line: resolves the command, loads the config, runs, maps errors to exit codes.
enum CommandLineTool {
    static func run(arguments: [String], environment: [String: String]) async -> ExitStatus {
        let output = Output()
        do {
            switch try resolve(Array(arguments.dropFirst())) {
            case .help(let text):
                output.line(text)
                return .success
            case .command(var invocation, let configFlag):
                try ArgumentParser.checkRequired(invocation)
                let (path, origin) = ConfigLoader.locate(flag: configFlag, environment: environment)
                let config = try ConfigLoader.load(path: path, origin: origin)
                let context = Context(config: config, now: try WallClock.from(environment: environment), output: output,
                                      environment: environment)
                try await OperatorIdentity.establish(&invocation, context: context)
                try await invocation.command.run(invocation, context)
                return .success
            }
        } catch {
            let (status, message) = ErrorReport.classify(error)
            Output.error(message)
            return status
        }
    }

    enum Resolution {
        case help(String)
        case command(Invocation, configFlag: String?)
    }

    /// Finds the command named by the leading words; options before them may only be global ones.
    static func resolve(_ tokens: [String]) throws(UsageError) -> Resolution {
        var rest = tokens[...]
        var leadingConfig: String?
        var wantsHelp = false
        var path: [String] = []

        while let token = rest.first {
            if token == "--help" || token == "-h" {
                wantsHelp = true
                rest = rest.dropFirst()
            } else if token == "--config" || token.hasPrefix("--config=") {
                rest = rest.dropFirst()
                if token == "--config" {
                    guard let value = rest.first else { throw UsageError("option --config needs a value (FILE)") }
                    leadingConfig = value
                    rest = rest.dropFirst()
                } else {
                    leadingConfig = String(token.dropFirst("--config=".count))
                }
            } else if token.hasPrefix("-") {
                if path.isEmpty { throw UsageError("unknown option '\(token)' (see 'gonggao --help')") }
                break
            } else {
                let candidate = path + [token]
                if CommandTable.all.contains(where: { $0.path == candidate }) || !CommandTable.commands(under: candidate).isEmpty {
                    path = candidate
                    rest = rest.dropFirst()
                    // A command that also heads a group (`warnings`, `warnings ack`) goes on only to a subcommand.
                    let next = rest.first.map { path + [$0] }
                    let continues = next.map { n in CommandTable.all.contains { Array($0.path.prefix(n.count)) == n } } ?? false
                    if CommandTable.all.contains(where: { $0.path == path }) && !continues { break }
                } else if path.isEmpty {
                    throw UsageError("unknown command '\(token)' (see 'gonggao --help')")
                } else {
                    throw UsageError("unknown command '\(token)' for 'gonggao \(path.joined(separator: " "))' (see 'gonggao \(path[0]) --help')")
                }
            }
        }

        guard let command = CommandTable.all.first(where: { $0.path == path }) else {
            if path.isEmpty {
                if wantsHelp { return .help(CommandTable.overview) }
                throw UsageError("no command given (see 'gonggao --help')")
            }
            let group = path.joined(separator: " ")
            if wantsHelp || rest.contains("--help") || rest.contains("-h") { return .help(CommandTable.groupHelp(group)) }
            let names = CommandTable.commands(under: path).map { $0.path.last! }.joined(separator: ", ")
            throw UsageError("'gonggao \(group)' needs a command: \(names)")
        }

        var invocation = try ArgumentParser.parse(Array(rest), for: command)
        if wantsHelp || invocation.flag("help") { return .help(command.helpText) }
        if let leadingConfig {
            if invocation.options["config"] != nil { throw UsageError("option --config is given twice") }
            invocation.options["config"] = leadingConfig
        }
        return .command(invocation, configFlag: invocation.options["config"])
    }
}
