import Foundation

/// A structured logger, passed in (never created inside a library), writing one JSON object a line.
///
/// Metadata keys are dotted (`notice.id`, `channel.name`, `delivery.attempt`). Never log a secret:
/// values are written as given.
public struct Logger: Sendable {
    public enum Level: Int, Comparable, Sendable, CaseIterable {
        case debug, info, notice, warning, error
        public var name: String { "\(self)" }
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
            FileHandle.standardError.write(Data((line + "\n").utf8))
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

    public func debug(_ m: String, _ extra: Metadata = [:]) { log(.debug, m, extra) }
    public func info(_ m: String, _ extra: Metadata = [:]) { log(.info, m, extra) }
    public func notice(_ m: String, _ extra: Metadata = [:]) { log(.notice, m, extra) }
    public func warning(_ m: String, _ extra: Metadata = [:]) { log(.warning, m, extra) }
    public func error(_ m: String, _ extra: Metadata = [:]) { log(.error, m, extra) }

    static func timestamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = ms / 1000
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, Int(ms % 1000))
    }

    /// `{"k":"v",…}` with keys sorted, strings escaped per RFC 8259.
    static func jsonLine(_ fields: Metadata) -> String {
        "{" + fields.keys.sorted().map { "\(JSONText.quote($0)):\(JSONText.quote(fields[$0]!))" }.joined(separator: ",") + "}"
    }
}

/// Minimal JSON string quoting (for log lines and hand-built documents).
public enum JSONText {
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
