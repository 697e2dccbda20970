/// A value bound to, or read from, a SQL statement.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// Turns a Swift value into a bound parameter.
public protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .integer(self) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .real(self) } }

/// Bytes bound as a BLOB (a `[UInt8]` would be ambiguous next to text).
public struct SQLBlob: SQLBindable {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var sqlValue: SQLValue { .blob(bytes) }
}

/// A SQL statement whose interpolated values become bound parameters, never text.
///
/// `"SELECT body FROM projects WHERE key = \(key)"` binds `key`; raw SQL fragments only through the
/// loudly named `\(unsafeSQL: …)`.
public struct SQL: ExpressibleByStringInterpolation, Sendable {
    public private(set) var text: String
    public private(set) var bindings: [SQLValue]

    public init(stringLiteral value: String) {
        text = value
        bindings = []
    }

    public init(stringInterpolation: Interpolation) {
        text = stringInterpolation.text
        bindings = stringInterpolation.bindings
    }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""
        var bindings: [SQLValue] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) { text += literal }

        public mutating func appendInterpolation(_ value: some SQLBindable) {
            text += "?"
            bindings.append(value.sqlValue)
        }

        /// NULL when `value` is nil.
        public mutating func appendInterpolation<T: SQLBindable>(_ value: T?) {
            text += "?"
            bindings.append(value?.sqlValue ?? .null)
        }

        public mutating func appendInterpolation(unsafeSQL fragment: String) { text += fragment }
    }

    /// Appends `other`, keeping its bindings.
    public mutating func append(_ other: SQL) {
        text += other.text
        bindings += other.bindings
    }
}

/// One result row, its columns by position.
public struct SQLRow: Sendable {
    public let values: [SQLValue]

    public func text(_ i: Int) -> String? {
        if case .text(let s) = values[i] { return s }
        return nil
    }

    public func int(_ i: Int) -> Int64? {
        switch values[i] {
        case .integer(let v): return v
        case .real(let v): return Int64(v)
        default: return nil
        }
    }
}
