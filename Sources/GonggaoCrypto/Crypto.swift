internal import CCrypto
import Foundation

/// Hashes, MACs and random bytes over libcrypto — the only module that imports it.
public enum GonggaoCrypto {
    /// A libcrypto call that failed; carries the function name only (never key material).
    public struct Failure: Error, CustomStringConvertible {
        public let function: String
        public var description: String { "libcrypto: \(function) failed" }
    }

    /// SHA-256 of `data` (32 bytes).
    public static func sha256(_ data: some DataProtocol) -> [UInt8] {
        let bytes = Array(data)
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        // EVP_Digest only fails on allocation failure; a hash we cannot compute is a broken process.
        precondition(ok == 1 && length == 32, "EVP_Digest(SHA-256) failed")
        return digest
    }

    /// SHA-256 of the UTF-8 bytes of `text`, as lowercase hex.
    public static func sha256Hex(_ text: String) -> String {
        hex(sha256(Array(text.utf8)))
    }

    /// HMAC-SHA256 of `message` under `key` (32 bytes).
    public static func hmacSHA256(key: [UInt8], message: some DataProtocol) -> [UInt8] {
        let bytes = Array(message)
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            bytes.withUnsafeBytes { m in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count),
                     m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count, &out, &length)
            }
        }
        precondition(result != nil && length == 32, "HMAC(SHA-256) failed")
        return out
    }

    /// `count` bytes from the OpenSSL CSPRNG.
    public static func randomBytes(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard count == 0 || RAND_bytes(&out, Int32(count)) == 1 else { throw Failure(function: "RAND_bytes") }
        return out
    }

    /// PBKDF2-HMAC-SHA256 (for password hashes).
    public static func pbkdf2SHA256(password: String, salt: [UInt8], iterations: Int, length: Int = 32) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        let pw = Array(password.utf8)
        let ok = pw.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { pc in
                PKCS5_PBKDF2_HMAC(pc.baseAddress, Int32(pc.count), salt, Int32(salt.count),
                                  Int32(iterations), EVP_sha256(), Int32(length), &out)
            }
        }
        guard ok == 1 else { throw Failure(function: "PKCS5_PBKDF2_HMAC") }
        return out
    }

    /// Compares two byte strings in time independent of where they differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 } }
    }

    /// Lowercase hex of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
