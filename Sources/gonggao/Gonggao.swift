import Foundation

/// The `gonggao` command: officer actions, inspection and audit over the configured store.
@main
struct Gonggao {
    static func main() async {
        let status = await CommandLineTool.run(arguments: CommandLine.arguments,
                                               environment: ProcessInfo.processInfo.environment)
        exit(status.rawValue)
    }
}
