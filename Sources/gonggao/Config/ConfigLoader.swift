import Foundation
import GonggaoCore

/// Finds, reads and validates the config file: `--config FILE`, else `GONGGAO_CONFIG`, else
/// `Config/gonggao.json` (relative to the working directory).
enum ConfigLoader {
    static let defaultPath = "Config/gonggao.json"
    static let environmentVariable = "GONGGAO_CONFIG"

    /// The file to read and how it was chosen (for the "not found" message).
    static func locate(flag: String?, environment: [String: String]) -> (path: String, origin: String) {
        if let flag { return (flag, "named by --config") }
        if let env = environment[environmentVariable], !env.isEmpty { return (env, "named by \(environmentVariable)") }
        return (defaultPath, "the default; choose one with --config FILE or \(environmentVariable)")
    }

    /// Reads and validates the config at `path`; relative store paths are resolved against its directory.
    static func load(path: String, origin: String) throws(ConfigError) -> Config {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ConfigError(file: path, "no such config file (\(origin))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, "cannot read the config file")
        }
        var config: Config
        do {
            config = try JSONInput.decode(Config.self, from: data, source: path)
        } catch {
            throw ConfigError(file: path, error.message)
        }
        config.file = path
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        config.store = config.store.resolved(against: directory)
        config.channels = config.channels.map { $0.resolvingPaths(against: directory) }
        config.templates = resolve(config.templates, against: directory)
        config.poster.seal = config.poster.seal.map { resolve($0, against: directory) }
        if let seal = config.poster.seal, !FileManager.default.isReadableFile(atPath: seal) {
            throw ConfigError(file: path, "poster.seal: no readable file at '\(seal)'")
        }
        config.statutory = try StatutoryLoader.load(config.statutorySettings, directory: directory, configFile: path)
        return config
    }

    /// `path` made absolute against `directory` (the config file's folder).
    static func resolve(_ path: String, against directory: URL) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        return directory.appendingPathComponent(path).standardizedFileURL.path
    }
}
