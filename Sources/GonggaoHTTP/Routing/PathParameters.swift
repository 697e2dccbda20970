/// The values a route's `{name}` segments captured, read as strings or typed values.
public struct PathParameters: Sendable, Equatable {
    public private(set) var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    /// The raw value of `name`.
    public subscript(name: String) -> String? { values[name] }

    /// The value of `name` converted to `T`; nil when absent or not convertible.
    public func get<T: LosslessStringConvertible>(_ name: String, as type: T.Type = T.self) -> T? {
        values[name].flatMap { T($0) }
    }

    /// The value of `name` converted to `T`, or a 400 `bad-parameter` error naming it.
    public func require<T: LosslessStringConvertible>(_ name: String, as type: T.Type = T.self) throws(HTTPError) -> T {
        guard let raw = values[name] else {
            throw HTTPError(
                status: 400, code: "bad-parameter", message: "path parameter \(name) is missing", field: name)
        }
        guard let value = T(raw) else {
            throw HTTPError(
                status: 400, code: "bad-parameter", message: "path parameter \(name) is not a valid \(T.self)",
                field: name)
        }
        return value
    }
}
