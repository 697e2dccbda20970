/// A coding key for any name or index, used to check keys and to build key paths in errors.
struct ConfigKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init(index: Int) { stringValue = "Index \(index)"; intValue = index }
    init?(intValue: Int) { self.init(index: intValue) }
}

extension Decoder {
    /// Refuses keys the config does not know, so a typo (`enabeld`) is an error, not a silent default.
    func refuseUnknownKeys(_ allowed: [String]) throws {
        let container = try container(keyedBy: ConfigKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw configProblem(at: [key], "unknown key (expected one of: \(allowed.joined(separator: ", ")))")
        }
    }

    /// A decoding error at `codingPath + path`, which `JSONInput` prints as `path: message`.
    func configProblem(at path: [any CodingKey], _ message: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath + path, debugDescription: message))
    }
}
