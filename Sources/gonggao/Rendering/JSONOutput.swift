import Foundation

/// The JSON that `--json` prints: pretty, keys sorted, instants as ISO 8601 in Asia/Shanghai.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(ShanghaiTime.iso(date))
        }
        return try encoder.encode(value)
    }
}
