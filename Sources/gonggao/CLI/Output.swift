import Foundation

/// Where a command writes its results (stdout) and the one-line errors (stderr).
struct Output: Sendable {
    /// Writes `text` and a newline to stdout.
    func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes several lines to stdout at once.
    func lines(_ texts: [String]) {
        guard !texts.isEmpty else { return }
        FileHandle.standardOutput.write(Data((texts.joined(separator: "\n") + "\n").utf8))
    }

    /// Writes `value` as pretty, key-sorted JSON with times in Asia/Shanghai.
    func json<T: Encodable>(_ value: T) throws {
        FileHandle.standardOutput.write(try JSONOutput.encode(value) + Data("\n".utf8))
    }

    /// Writes `gonggao: <message>` to stderr.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("gonggao: \(message)\n".utf8))
    }
}
