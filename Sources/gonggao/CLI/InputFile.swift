import Foundation
import GonggaoCore

/// Reads a JSON input FILE named on the command line.
enum InputFile {
    /// The bytes of `path`; a missing or unreadable file is a usage error (exit 2).
    static func read(_ path: String) throws(UsageError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw UsageError("\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw UsageError("\(path): is a directory, not a JSON file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("\(path): cannot read the file") }
        return data
    }

    /// Decodes `path` as `T`; malformed JSON and missing fields are refused (exit 3) naming the
    /// file, and the field or line and column.
    static func decode<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
        let data = try read(path)
        return try JSONInput.decode(T.self, from: data, source: path)
    }
}
