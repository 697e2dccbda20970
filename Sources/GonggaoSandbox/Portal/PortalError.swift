import GonggaoHTTP

/// A portal's refusal: status, stable code, message and the offending field. 4xx refusals are
/// permanent for the sender (a retry cannot change the verdict).
struct PortalError: Error, Sendable, Equatable {
    var status: Int
    var code: String
    var message: String
    var field: String?

    var response: HTTPResponse { .error(status: status, code: code, message: message, field: field) }

    static func missing(_ field: String) -> PortalError {
        PortalError(status: 422, code: "missing-field", message: "\(field) is required", field: field)
    }

    static func invalid(_ field: String, _ message: String) -> PortalError {
        PortalError(status: 422, code: "invalid-field", message: "\(field): \(message)", field: field)
    }

    static func tooLong(_ field: String, count: Int, limit: Int) -> PortalError {
        PortalError(
            status: 422, code: "field-too-long",
            message: "\(field) has \(count) characters; the limit is \(limit)", field: field)
    }

    static func unauthorized(_ code: String, _ message: String) -> PortalError {
        PortalError(status: 401, code: code, message: message)
    }
}
