import GonggaoCrypto

/// The rules and the calendar the statutory computations run on (read once from Config/).
public struct StatutoryClock: Sendable, Equatable {
    public var rules: StatutoryRules
    public var calendar: WorkingDayCalendar

    public init(rules: StatutoryRules = StatutoryRules(), calendar: WorkingDayCalendar) {
        self.rules = rules
        self.calendar = calendar
    }
}

/// The photo of a posted notice: a JPEG of at most 10 MiB, kept under its SHA-256.
public enum PostingPhoto {
    public static let maxBytes = 10 << 20

    /// The photo's SHA-256 (hex), or a `ValidationError` naming `field`.
    public static func check(_ bytes: [UInt8], field: String = "photo") throws(ValidationError) -> String {
        if bytes.count > maxBytes {
            throw ValidationError(field: field, "is \(bytes.count) bytes, at most \(maxBytes) (10 MiB) allowed")
        }
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF else {
            throw ValidationError(field: field, "is not a JPEG image")
        }
        return GonggaoCrypto.hex(GonggaoCrypto.sha256(bytes))
    }
}
