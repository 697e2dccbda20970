import Foundation
import GonggaoCore
import GonggaoHTTP

/// Reads JSON request bodies: 415 for another media type, 400 for malformed JSON (naming line and
/// column), 422 for a wrong or missing field (naming its path).
enum JSONBody {
    /// The decoded body; nil when the body is empty and `optional`.
    static func decode<T: Decodable>(_ type: T.Type, from request: HTTPRequest, optional: Bool = false) throws(HTTPError) -> T? {
        if request.body.isEmpty {
            if optional { return nil }
            throw HTTPError(status: 400, code: "body-required", message: "this route needs a JSON body")
        }
        guard let media = request.mediaType, media == "application/json" || media.hasSuffix("+json") else {
            throw HTTPError(
                status: 415, code: "unsupported-media-type",
                message: "the body must be application/json, not \(request.mediaType ?? "untyped")")
        }
        let data = Data(request.body)
        do {
            return try JSONInput.decode(T.self, from: data, source: "body")
        } catch {
            throw classify(error, data: data, type: T.self)
        }
    }

    /// The same as `decode` for a body that is required.
    static func require<T: Decodable>(_ type: T.Type, from request: HTTPRequest) throws(HTTPError) -> T {
        try decode(type, from: request)!
    }

    /// Malformed JSON is 400; a well-formed document with a bad field is 422 with the field's path.
    private static func classify<T: Decodable>(_ failure: JSONInput.Failure, data: Data, type: T.Type) -> HTTPError {
        do {
            _ = try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            switch error {
            case .keyNotFound(let key, let ctx):
                return HTTPError(status: 422, code: "validation-failed", message: failure.message,
                                 field: JSONInput.path(ctx.codingPath + [key]))
            case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
                return HTTPError(status: 422, code: "validation-failed", message: failure.message,
                                 field: JSONInput.path(ctx.codingPath))
            case .dataCorrupted(let ctx) where !ctx.codingPath.isEmpty:
                return HTTPError(status: 422, code: "validation-failed", message: failure.message,
                                 field: JSONInput.path(ctx.codingPath))
            default:
                break
            }
        } catch {}
        return HTTPError(status: 400, code: "malformed-json", message: failure.message)
    }
}

/// Instants in request bodies and queries: ISO 8601 with or without fractional seconds, or a date.
enum Instant {
    static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        return CivilDate(iso: text)?.startInstant
    }
}
