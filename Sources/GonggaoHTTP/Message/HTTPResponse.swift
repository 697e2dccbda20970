import Foundation

/// What a handler answers: a status, header fields and a body — or an instruction to drop the
/// connection without answering at all.
public struct HTTPResponse: Sendable {
    /// How the server should end the exchange.
    public enum Disposition: Sendable, Equatable {
        /// Send status, headers and body.
        case respond
        /// Close the connection without sending anything (a "reset" to the client). Used by fault
        /// injection; the access log records status 0.
        case closeConnection
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var disposition: Disposition

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        self.disposition = .respond
    }

    /// Close the connection without a response.
    public static var closeConnection: HTTPResponse {
        var r = HTTPResponse(status: 0)
        r.disposition = .closeConnection
        return r
    }

    /// A UTF-8 body with the given content type.
    public static func text(
        _ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8"
    ) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: Array(text.utf8))
    }

    /// `application/json` from already-encoded bytes.
    public static func json(bytes: [UInt8], status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: bytes)
    }

    /// `application/json` encoded with sorted keys and unescaped slashes; dates as ISO 8601.
    public static func json<T: Encodable>(_ value: T, status: Int = 200) -> HTTPResponse {
        do {
            return json(bytes: Array(try JSONCoding.encoder.encode(value)), status: status)
        } catch {
            return .error(status: 500, code: "encoding-failed", message: "the response could not be encoded as JSON")
        }
    }

    /// The JSON error body every Gonggao endpoint uses: `{"error": code, "message": text, "field"?: name}`.
    public static func error(status: Int, code: String, message: String, field: String? = nil) -> HTTPResponse {
        json(ErrorBody(error: code, message: message, field: field), status: status)
    }

    /// This response with one more header field.
    public func adding(_ name: String, _ value: String) -> HTTPResponse {
        var copy = self
        copy.headers.add(name, value)
        return copy
    }
}

/// The body of every JSON error answer.
public struct ErrorBody: Codable, Sendable, Equatable {
    public var error: String
    public var message: String
    public var field: String?

    public init(error: String, message: String, field: String? = nil) {
        self.error = error
        self.message = message
        self.field = field
    }
}

/// The encoder and decoder the HTTP layer uses for JSON bodies.
public enum JSONCoding {
    public static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    public static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
