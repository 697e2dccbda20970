import Foundation

/// A structured logger, passed in (never created inside a library), writing one JSON object a line.
///
/// Metadata keys are dotted (`notice.id`, `channel.name`, `delivery.attempt`). Never log a secret:
/// values are written as given.
public struct Logger: Sendable {
    public enum Level: Int, Comparable, Sendable, CaseIterable {
        case debug, info, notice, warning, error
        public var name: String {
            switch self {
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            }
        }
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public typealias Metadata = [String: String]

    /// Where lines go; must be safe to call from any thread.
    public let sink: @Sendable (String) -> Void
    public var minimum: Level
    public var label: String
    public var metadata: Metadata

    public init(label: String, minimum: Level = .info, metadata: Metadata = [:], sink: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.minimum = minimum
        self.metadata = metadata
        self.sink = sink
    }

    /// A logger that writes JSON lines to standard error.
    public static func standardError(label: String, minimum: Level = .info) -> Logger {
        Logger(label: label, minimum: minimum) { line in
            // One write(2) per line, as FileHandle.write made it, without the copy into Data.
            var text = line
            text.append("\n")
            text.withUTF8 { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { return }
                    offset += n
                }
            }
        }
    }

    /// A logger that drops everything.
    public static let discard = Logger(label: "discard", minimum: .error) { _ in }

    /// This logger with more metadata.
    public func with(_ extra: Metadata) -> Logger {
        var copy = self
        copy.metadata.merge(extra) { _, new in new }
        return copy
    }

    public func log(_ level: Level, _ message: String, _ extra: Metadata = [:], at now: Date = Date()) {
        guard level >= minimum else { return }
        var fields = metadata.merging(extra) { _, new in new }
        fields["ts"] = Self.timestamp(now)
        fields["level"] = level.name
        fields["logger"] = label
        fields["msg"] = message
        sink(Self.jsonLine(fields))
    }

    /// The line `log(level, message, Metadata(fields))` writes, from fields whose keys are unique and
    /// sorted (a line per HTTP request: no dictionary built, hashed and sorted each time).
    public func log(_ level: Level, _ message: String, sortedFields fields: [(String, String)], at now: Date = Date()) {
        guard level >= minimum else { return }
        var rest = metadata.filter { key, _ in !fields.contains { $0.0 == key } }
        rest["ts"] = Self.timestamp(now)
        rest["level"] = level.name
        rest["logger"] = label
        rest["msg"] = message
        var others = rest.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }[...]
        var merged: [(String, String)] = []
        merged.reserveCapacity(fields.count + others.count)
        for field in fields {
            // A fixed key equal to a field's replaces it, as in `log(_:_:_:at:)`.
            while let next = others.first, next.0 <= field.0 {
                merged.append(next)
                others.removeFirst()
            }
            if merged.last?.0 != field.0 { merged.append(field) }
        }
        merged += others
        sink(Self.jsonLine(pairs: merged))
    }

    public func debug(_ m: String, _ extra: Metadata = [:]) { log(.debug, m, extra) }
    public func info(_ m: String, _ extra: Metadata = [:]) { log(.info, m, extra) }
    public func notice(_ m: String, _ extra: Metadata = [:]) { log(.notice, m, extra) }
    public func warning(_ m: String, _ extra: Metadata = [:]) { log(.warning, m, extra) }
    public func error(_ m: String, _ extra: Metadata = [:]) { log(.error, m, extra) }

    /// `2026-12-04T06:48:00.123Z` (UTC, milliseconds rounded), built digit by digit: this runs for
    /// every log line, and `String(format:)` cost more than the rest of the line.
    static func timestamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = ms / 1000
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        let millis = Int(ms % 1000)
        let year = Int(parts.tm_year) + 1900
        guard (0...9999).contains(year), millis >= 0 else {
            return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                          parts.tm_hour, parts.tm_min, parts.tm_sec, millis)
        }
        return String(unsafeUninitializedCapacity: 24) { out in
            var i = 0
            func put(_ value: Int, digits: Int) {
                var v = value
                var k = digits - 1
                while k >= 0 {
                    out[i + k] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
                    v /= 10
                    k -= 1
                }
                i += digits
            }
            func put(_ c: Unicode.Scalar) {
                out[i] = UInt8(ascii: c)
                i += 1
            }
            put(year, digits: 4)
            put("-")
            put(Int(parts.tm_mon) + 1, digits: 2)
            put("-")
            put(Int(parts.tm_mday), digits: 2)
            put("T")
            put(Int(parts.tm_hour), digits: 2)
            put(":")
            put(Int(parts.tm_min), digits: 2)
            put(":")
            put(Int(parts.tm_sec), digits: 2)
            put(".")
            put(millis, digits: 3)
            put("Z")
            return i
        }
    }

    /// `{"k":"v",…}` with keys sorted, strings escaped per RFC 8259.
    static func jsonLine(_ fields: Metadata) -> String {
        jsonLine(pairs: fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// `{"k":"v",…}` in the order given.
    static func jsonLine(pairs: [(String, String)]) -> String {
        var line = "{"
        line.reserveCapacity(64 * pairs.count)
        var first = true
        for (key, value) in pairs {
            if !first { line.append(",") }
            first = false
            JSONText.append(key, to: &line)
            line.append(":")
            JSONText.append(value, to: &line)
        }
        line.append("}")
        return line
    }
}

/// Minimal JSON string quoting (for log lines and hand-built documents).
public enum JSONText {
    public static func quote(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 2)
        append(s, to: &out)
        return out
    }

    /// Appends `s` quoted to `out`; a string with nothing to escape (the usual case) in one piece.
    public static func append(_ s: String, to out: inout String) {
        out.append("\"")
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(s)
            out.append("\"")
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += "\\u00" + (c.value < 0x10 ? "0" : "") + String(c.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }
}
