/// An error from PostgreSQL or libpq: the SQLSTATE (when the server sent one) and a one-line message.
///
/// Never carries SQL text, parameter values or the password: server messages are the primary text
/// only (never DETAIL, which can quote row values), and connection messages are rebuilt from what
/// failed.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The five-character SQLSTATE (`23505`, `40001`, …); nil for client-side failures.
    public let sqlState: String?
    public let message: String
    /// True when the connection itself is gone (it must be dropped, not reused).
    public let connectionLost: Bool

    public init(sqlState: String?, message: String, connectionLost: Bool = false) {
        self.sqlState = sqlState
        // Data exceptions (class 22) quote the offending value (`invalid input syntax for type
        // bigint: "…"`): keep the text before the quote.
        if sqlState?.hasPrefix("22") == true, let quote = message.range(of: ": \"") {
            self.message = String(message[..<quote.lowerBound])
        } else {
            self.message = message
        }
        self.connectionLost = connectionLost
    }

    public var description: String {
        if let sqlState { return "PostgreSQL error \(sqlState): \(message)" }
        return message
    }

    /// Class 23: a constraint (unique, foreign key, check, not null) refused the change.
    public var isConstraintViolation: Bool { sqlState?.hasPrefix("23") == true }
    /// 40001 serialization failure or 40P01 deadlock: the transaction may simply be run again.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// The StoreError callers outside the store see.
    var storeError: StoreError {
        if isConstraintViolation { return .conflict(message) }
        return .backend(code: Self.numericCode(sqlState), message: description)
    }

    /// A SQLSTATE packed into an Int32 for `StoreError.backend` (base 36, as PostgreSQL itself does);
    /// -1 when there is none.
    static func numericCode(_ sqlState: String?) -> Int32 {
        guard let s = sqlState, s.count == 5 else { return -1 }
        var v: Int32 = 0
        for c in s.uppercased() {
            guard let d = c.hexDigitValue ?? (c.isLetter ? Int(c.asciiValue ?? 0) - 55 : nil) else { return -1 }
            v = v * 36 + Int32(d)
        }
        return v
    }
}
