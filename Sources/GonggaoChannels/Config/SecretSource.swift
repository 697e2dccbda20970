import Foundation
import GonggaoCore

/// Where a secret comes from: an environment variable or a file, named in config — never the
/// secret itself. `{"env": "GONGGAO_PROVINCIAL_SECRET"}` or `{"file": "/etc/gonggao/provincial.whsec"}`.
public enum SecretReference: Sendable, Equatable, Decodable, CustomStringConvertible {
    case environment(String)
    case file(String)

    enum Keys: String, CodingKey, CaseIterable { case env, file }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownChannelKeys(Keys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: Keys.self)
        let env = try c.decodeIfPresent(String.self, forKey: .env)
        let file = try c.decodeIfPresent(String.self, forKey: .file)
        switch (env, file) {
        case (let name?, nil):
            guard !name.isEmpty, name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) else {
                throw decoder.channelConfigProblem(at: [Keys.env], "'\(name)' is not an environment variable name")
            }
            self = .environment(name)
        case (nil, let path?):
            guard !path.isEmpty else { throw decoder.channelConfigProblem(at: [Keys.file], "is empty") }
            self = .file(path)
        default:
            throw decoder.channelConfigProblem(
                at: [], "name exactly one of \"env\" or \"file\" (secrets never appear in config)")
        }
    }

    /// The key this reference sits under, for error paths (`env` / `file`).
    var key: String {
        switch self {
        case .environment: "env"
        case .file: "file"
        }
    }

    public var description: String {
        switch self {
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "file \(path)"
        }
    }

    /// A relative file path made absolute against `directory` (the config file's folder).
    func resolved(against directory: URL) -> SecretReference {
        guard case .file(let path) = self, !path.hasPrefix("/") else { return self }
        return .file(directory.appendingPathComponent(path).standardizedFileURL.path)
    }
}

/// Reads secrets named by `SecretReference`s. Built once in `main` (`.process()`) and passed down;
/// tests use `.fixed(…)`. Values come back as `SecretText`, which never prints itself.
public struct SecretSource: Sendable {
    /// Why a secret could not be read; names the variable or file, never a value.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    private let read: @Sendable (SecretReference) throws(Failure) -> String

    public init(read: @escaping @Sendable (SecretReference) throws(Failure) -> String) {
        self.read = read
    }

    /// The value, trimmed of surrounding whitespace (files usually end with a newline).
    public func resolve(_ reference: SecretReference) throws(Failure) -> SecretText {
        let value = try read(reference).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw Failure(message: "\(reference) is empty") }
        return SecretText(value)
    }

    /// Reads this process's environment (captured now) and files on disk.
    public static func process(environment: [String: String] = ProcessInfo.processInfo.environment) -> SecretSource {
        SecretSource { reference throws(Failure) in
            switch reference {
            case .environment(let name):
                guard let value = environment[name] else {
                    throw Failure(message: "environment variable \(name) is not set")
                }
                return value
            case .file(let path):
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw Failure(message: "file \(path) cannot be read")
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw Failure(message: "file \(path) is not UTF-8 text")
                }
                return text
            }
        }
    }

    /// Fixed values, for tests and the sandbox demo.
    public static func fixed(environment: [String: String] = [:], files: [String: String] = [:]) -> SecretSource {
        SecretSource { reference throws(Failure) in
            switch reference {
            case .environment(let name):
                guard let value = environment[name] else {
                    throw Failure(message: "environment variable \(name) is not set")
                }
                return value
            case .file(let path):
                guard let value = files[path] else { throw Failure(message: "file \(path) cannot be read") }
                return value
            }
        }
    }
}
