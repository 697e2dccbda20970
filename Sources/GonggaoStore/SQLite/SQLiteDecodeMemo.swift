import Foundation

/// The decoded values of the JSON bodies read most often and changed least (notice versions and
/// projects: every delivery and every notice page reads them), by row key, reused while the stored
/// body is byte for byte the one they were decoded from. Identical bytes decode to an identical
/// value, so a hit is exactly what decoding would have given, whoever wrote the row (this process
/// or another on the same file); a changed body is decoded again and replaces the entry.
///
/// - Important: not thread-safe. One memo belongs to one `SQLiteStore` and is only touched on its
///   serial queue, inside a transaction.
final class SQLiteDecodeMemo {
    private struct Entry {
        let body: String
        let value: Any
    }

    private var entries: [String: Entry] = [:]
    /// The most entries kept; when full, the memo starts again empty (bodies are a few KiB each).
    let capacity: Int

    init(capacity: Int = 1_024) { self.capacity = capacity }

    /// The value `body` decodes to: the memo's when `key` was last seen with the same bytes,
    /// otherwise `decode(body)`, remembered.
    func value<T>(_ type: T.Type, key: String, body: String, decode: (String) throws -> T) rethrows -> T {
        let memoKey = "\(T.self) \(key)"
        if let entry = entries[memoKey], Self.sameBytes(entry.body, body), let value = entry.value as? T {
            return value
        }
        let value = try decode(body)
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[memoKey] = Entry(body: body, value: value)
        return value
    }

    /// Byte equality of the UTF-8 (not `==`, which compares Unicode canonical equivalence).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { pa in
            b.withUTF8 { pb in
                pa.count == pb.count && (pa.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0)
            }
        }
    }
}
