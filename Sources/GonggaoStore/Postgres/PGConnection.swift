internal import CPQ
import Foundation

/// One open `PGconn*`.
///
/// Every statement goes through `PQexecParams` with its values as bound parameters (text format,
/// bytea in binary): a value is never spliced into SQL text.
///
/// - Important: not thread-safe; `PostgresStore` uses each connection from one serial queue at a time,
///   and the listener keeps its own.
final class PGConnection {
    private var handle: OpaquePointer?
    let configuration: PostgresConfiguration
    /// Rows changed by the last INSERT/UPDATE/DELETE (`PQcmdTuples`).
    private(set) var changes = 0
    /// The first error since `resetTransactionError()`: after one, PostgreSQL refuses every other
    /// statement of the transaction, so this is the error the transaction failed with.
    private(set) var transactionError: PostgresError?

    /// Connects; a failure is a one-line error that names the host, database and user and what went
    /// wrong (refused, wrong password, no such database…), never the password.
    init(_ configuration: PostgresConfiguration) throws {
        self.configuration = configuration
        let parameters = configuration.connectionParameters
        let conn = Self.withCStrings(parameters.map(\.0)) { keys in
            Self.withCStrings(parameters.map(\.1)) { values in
                PQconnectdbParams(keys, values, 0)
            }
        }
        // "PQconnectdbParams … returns a PGconn object … unless there is too little memory"; the
        // object must be freed with PQfinish even when the connection failed.
        guard let conn else { throw PostgresError(sqlState: nil, message: "out of memory", connectionLost: true) }
        guard PQstatus(conn) == CONNECTION_OK else {
            let raw = String(cString: PQerrorMessage(conn))
            PQfinish(conn)
            throw PostgresError(sqlState: nil, message: Self.connectionMessage(raw, configuration), connectionLost: true)
        }
        // libpq's default notice processor prints server NOTICEs ("relation … already exists,
        // skipping") to stderr, which would break the CLI's one-line errors: drop them.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        handle = conn
    }

    deinit { close() }

    /// Closes the connection; idempotent.
    func close() {
        if let h = handle {
            PQfinish(h)
            handle = nil
        }
    }

    /// False once the server or the network dropped the connection (it must be replaced).
    var isUsable: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Runs `body` with the raw handle; it must not escape.
    func withUnsafeHandle<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        guard let handle else { throw StoreError.closed }
        return try body(handle)
    }

    func resetTransactionError() { transactionError = nil }

    // MARK: statements

    /// Runs one statement without parameters or results (DDL, BEGIN/COMMIT).
    func execute(_ sql: String) throws {
        try rows(SQL(stringLiteral: sql))
    }

    /// Runs one statement, returning every result row.
    @discardableResult
    func rows(_ sql: SQL) throws -> [SQLRow] {
        do {
            return try run(sql)
        } catch let e as PostgresError {
            if transactionError == nil { transactionError = e }
            throw e
        }
    }

    private func run(_ sql: SQL) throws -> [SQLRow] {
        let conn = try withUnsafeHandle { $0 }
        let text = try PGPlaceholders.numbered(sql.text, expecting: sql.bindings.count)
        let params = PGParameters(sql.bindings)
        defer { params.free() }
        let result: OpaquePointer? = params.values.withUnsafeBufferPointer { values in
            params.types.withUnsafeBufferPointer { types in
                params.lengths.withUnsafeBufferPointer { lengths in
                    params.formats.withUnsafeBufferPointer { formats in
                        PQexecParams(conn, text, Int32(params.count), types.baseAddress, values.baseAddress,
                                     lengths.baseAddress, formats.baseAddress, 0)
                    }
                }
            }
        }
        guard let result else { throw lastError(conn, result: nil) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            changes = Int(String(cString: PQcmdTuples(result))) ?? 0
            return []
        case PGRES_TUPLES_OK:
            changes = Int(String(cString: PQcmdTuples(result))) ?? 0
            return Self.decode(result)
        default:
            throw lastError(conn, result: result)
        }
    }

    private func lastError(_ conn: OpaquePointer, result: OpaquePointer?) -> PostgresError {
        let lost = PQstatus(conn) != CONNECTION_OK
        // PG_DIAG_SQLSTATE = 'C', PG_DIAG_MESSAGE_PRIMARY = 'M' (the primary text: never DETAIL, which can quote values).
        if let result, let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))) {
            let message = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? "error"
            let sqlState = String(cString: state)
            return PostgresError(sqlState: sqlState, message: message,
                                 connectionLost: lost || sqlState.hasPrefix("08") || sqlState.hasPrefix("57P"))
        }
        let raw = Self.oneLine(String(cString: PQerrorMessage(conn)))
        return PostgresError(sqlState: nil, message: raw.isEmpty ? "the statement failed" : raw, connectionLost: lost)
    }

    /// Maps result columns to `SQLValue` by their type OID.
    private static func decode(_ result: OpaquePointer) -> [SQLRow] {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        let types = (0..<columnCount).map { PQftype(result, $0) }
        var rows: [SQLRow] = []
        rows.reserveCapacity(Int(rowCount))
        for r in 0..<rowCount {
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columnCount))
            for c in 0..<columnCount {
                if PQgetisnull(result, r, c) == 1 {
                    values.append(.null)
                    continue
                }
                let n = Int(PQgetlength(result, r, c))
                let p = PQgetvalue(result, r, c)!
                let text = String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self)
                values.append(PGType.value(text: text, oid: types[Int(c)]))
            }
            rows.append(SQLRow(values: values))
        }
        return rows
    }

    // MARK: notifications

    /// The socket to wait on (`poll`) for notifications; -1 when closed.
    var socket: Int32 { handle.map { PQsocket($0) } ?? -1 }

    /// Reads whatever the server sent and returns the notifications received, oldest first.
    func consumeNotifications() throws -> [(channel: String, payload: String)] {
        let conn = try withUnsafeHandle { $0 }
        // "PQconsumeInput normally returns 1 indicating 'no error', but returns 0 if there was some
        // kind of trouble (in which case PQerrorMessage can be consulted)."
        guard PQconsumeInput(conn) == 1 else { throw lastError(conn, result: nil) }
        var received: [(String, String)] = []
        while let n = PQnotifies(conn) {
            received.append((String(cString: n.pointee.relname), String(cString: n.pointee.extra)))
            PQfreemem(n)
        }
        return received
    }

    // MARK: helpers

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// A clear one-liner for a failed connection attempt; the password never appears.
    static func connectionMessage(_ raw: String, _ c: PostgresConfiguration) -> String {
        var text = oneLine(raw)
        if let password = c.password, !password.isEmpty { text = text.replacingOccurrences(of: password, with: "***") }
        let why: String
        if text.contains("password authentication failed") {
            why = "password authentication failed for user \"\(c.user)\" (wrong password?)"
        } else if text.contains("no password supplied") {
            why = "the server wants a password for user \"\(c.user)\" and none was given"
        } else if text.contains("database \"\(c.database)\" does not exist") {
            why = "database \"\(c.database)\" does not exist"
        } else if text.contains("role \"\(c.user)\" does not exist") {
            why = "user (role) \"\(c.user)\" does not exist"
        } else if text.contains("Connection refused") {
            why = "connection refused (is PostgreSQL running there, listening on that port?)"
        } else if text.contains("No such file or directory") && c.host.hasPrefix("/") {
            why = "no server socket in \(c.host) for port \(c.port) (is PostgreSQL running?)"
        } else if text.contains("could not translate host name") {
            why = "unknown host \"\(c.host)\""
        } else if text.contains("timeout expired") {
            why = "no answer within \(c.connectTimeoutSeconds) s"
        } else {
            why = text
        }
        return "cannot connect to PostgreSQL at \(c.hostAndPort), database \"\(c.database)\", user \"\(c.user)\": \(why)"
    }

    /// Calls `body` with a NULL-terminated array of C strings that live for the call.
    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// The parameter arrays `PQexecParams` takes, owning their C memory until `free()`.
private struct PGParameters {
    var values: [UnsafePointer<CChar>?] = []
    var types: [Oid] = []
    var lengths: [Int32] = []
    var formats: [Int32] = []
    private var owned: [UnsafeMutableRawPointer] = []
    var count: Int { values.count }

    init(_ bindings: [SQLValue]) {
        for value in bindings {
            switch value {
            case .null: append(nil, type: 0)
            case .integer(let v): append(String(v), type: PGType.int8)
            case .real(let v): append(PGType.text(v), type: PGType.float8)
            case .text(let s): append(s, type: 0) // unknown: the server infers it from the column
            case .blob(let bytes):
                // bytea in binary format: the bytes as they are, with their length.
                let p = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
                bytes.withUnsafeBytes { if let base = $0.baseAddress { p.copyMemory(from: base, byteCount: bytes.count) } }
                owned.append(p)
                values.append(UnsafePointer(p.assumingMemoryBound(to: CChar.self)))
                types.append(PGType.bytea)
                lengths.append(Int32(bytes.count))
                formats.append(1)
            }
        }
    }

    private mutating func append(_ text: String?, type: Oid) {
        if let text, let copy = strdup(text) {
            owned.append(UnsafeMutableRawPointer(copy))
            values.append(UnsafePointer(copy))
        } else {
            values.append(nil)
        }
        types.append(type)
        lengths.append(0)
        formats.append(0)
    }

    func free() { owned.forEach { Foundation.free($0) } }
}

/// Type OIDs (pg_type.h) and their text forms.
enum PGType {
    static let bool: Oid = 16, bytea: Oid = 17, int8: Oid = 20, int2: Oid = 21, int4: Oid = 23, oidType: Oid = 26
    static let float4: Oid = 700, float8: Oid = 701, numeric: Oid = 1700

    static func value(text: String, oid type: Oid) -> SQLValue {
        switch type {
        case int2, int4, int8, oidType: return Int64(text).map(SQLValue.integer) ?? .text(text)
        case float4, float8: return Double(text).map(SQLValue.real) ?? .text(text)
        case numeric:
            if let i = Int64(text) { return .integer(i) }
            return Double(text).map(SQLValue.real) ?? .text(text)
        case bool: return .integer(text == "t" ? 1 : 0)
        case bytea: return .blob(hexBytes(text))
        default: return .text(text)
        }
    }

    /// A float8 in a form PostgreSQL reads back exactly.
    static func text(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        return "\(v)"
    }

    /// bytea's text output (`\x` then two hex digits a byte, the default `bytea_output = hex`).
    static func hexBytes(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x") else { return Array(text.utf8) }
        func nibble(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: c - UInt8(ascii: "A") + 10
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var i = 2
        while i + 1 < utf8.count {
            bytes.append(nibble(utf8[i]) << 4 | nibble(utf8[i + 1]))
            i += 2
        }
        return bytes
    }
}
