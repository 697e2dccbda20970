import Foundation

/// Decodes what `gonggao … --json` prints: instants are ISO 8601 with milliseconds and an offset.
public enum CLIJSON {
    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let date = formatter.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not an ISO 8601 instant")
            }
            return date
        }
        return try decoder.decode(T.self, from: Data(text.utf8))
    }
}
