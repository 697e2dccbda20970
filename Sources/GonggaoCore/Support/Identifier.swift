import GonggaoCrypto

/// Random identifiers: a prefix and 12 Crockford base-32 characters (60 random bits).
public enum Identifier {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    /// A fresh id such as `ntc_3k9v0q7m2xwe`.
    public static func make(_ prefix: String) -> String {
        let bytes = (try? GonggaoCrypto.randomBytes(12)) ?? (0..<12).map { _ in UInt8.random(in: 0...255) }
        return prefix + "_" + String(bytes.map { alphabet[Int($0) % 32] })
    }
}
