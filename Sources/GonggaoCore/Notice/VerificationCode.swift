/// The 8-character code printed in every poster's footer and shown on the parcel page, so a villager
/// can tell a genuine poster: Crockford base-32 of the first 5 bytes (40 bits) of the content hash.
///
/// This is the only place the derivation lives; the poster renderer and the parcel page both call it.
public enum VerificationCode {
    /// Crockford's alphabet: no I, L, O or U, so the code survives being read aloud or retyped.
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// `contentHash` is the lowercase (or uppercase) hex SHA-256 of a notice version; nil when it does not
    /// start with 10 hex digits.
    public static func of(contentHash: String) -> String? {
        let hex = Array(contentHash.utf8.prefix(10))
        guard hex.count == 10 else { return nil }
        var bits: UInt64 = 0
        for c in hex {
            let nibble: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            bits = bits << 4 | UInt64(nibble)
        }
        // 40 bits → 8 groups of 5, most significant first.
        return String((0..<8).map { i in alphabet[Int((bits >> UInt64(35 - 5 * i)) & 31)] })
    }
}
