import Foundation
import GonggaoCrypto
import Testing

/// Known-answer tests of the libcrypto wrapper.
@Suite struct CryptoTests {
    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        ("公告", "069c0ecbf8983f6f8e1bcf81e519e1ba4c4965d85ba1143d82ad6d1ae61558de"),
    ])
    func sha256(text: String, digest: String) {
        #expect(GonggaoCrypto.sha256Hex(text) == digest)
        #expect(GonggaoCrypto.hex(GonggaoCrypto.sha256(Array(text.utf8))) == digest)
        #expect(GonggaoCrypto.hex(GonggaoCrypto.sha256(Data(text.utf8))) == digest)
    }

    @Test func sha256OfAMillionAs() {
        #expect(
            GonggaoCrypto.hex(GonggaoCrypto.sha256([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// RFC 4231 test cases 1, 2 and 6.
    @Test func hmacSHA256() {
        #expect(
            GonggaoCrypto.hex(
                GonggaoCrypto.hmacSHA256(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            GonggaoCrypto.hex(
                GonggaoCrypto.hmacSHA256(
                    key: Array("Jefe".utf8),
                    message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            GonggaoCrypto.hex(
                GonggaoCrypto.hmacSHA256(
                    key: [UInt8](repeating: 0xaa, count: 131),
                    message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func hmacWithAnEmptyMessage() {
        // HMAC-SHA256(key "key", "") — a common published value.
        #expect(
            GonggaoCrypto.hex(GonggaoCrypto.hmacSHA256(key: Array("key".utf8), message: [UInt8]()))
                == "5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0")
    }

    /// PBKDF2-HMAC-SHA256: RFC 7914 §11 and the widely published "password"/"salt" vectors.
    @Test func pbkdf2() throws {
        #expect(
            GonggaoCrypto.hex(
                try GonggaoCrypto.pbkdf2SHA256(password: "passwd", salt: Array("salt".utf8), iterations: 1, length: 64))
                == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
        )
        #expect(
            GonggaoCrypto.hex(
                try GonggaoCrypto.pbkdf2SHA256(password: "password", salt: Array("salt".utf8), iterations: 1))
                == "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        #expect(
            GonggaoCrypto.hex(
                try GonggaoCrypto.pbkdf2SHA256(password: "password", salt: Array("salt".utf8), iterations: 4096))
                == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
    }

    @Test(arguments: [0, 1, 16, 32, 1000])
    func randomBytesHaveTheAskedLength(count: Int) throws {
        #expect(try GonggaoCrypto.randomBytes(count).count == count)
    }

    @Test func randomBytesDiffer() throws {
        let draws = try (0..<64).map { _ in try GonggaoCrypto.randomBytes(16) }
        #expect(Set(draws.map(GonggaoCrypto.hex)).count == 64)
        #expect(try GonggaoCrypto.randomBytes(4096).contains { $0 != 0 })
    }

    @Test func constantTimeEqual() {
        #expect(GonggaoCrypto.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!GonggaoCrypto.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!GonggaoCrypto.constantTimeEqual([1, 2, 3], [1, 2]))
        #expect(GonggaoCrypto.constantTimeEqual([], []))
    }

    @Test func hexIsLowercaseAndRoundTrips() {
        let all = (0...255).map { UInt8($0) }
        let text = GonggaoCrypto.hex(all)
        #expect(text.count == 512)
        #expect(text.hasPrefix("000102") && text.hasSuffix("fdfeff"))
        #expect(Self.bytes(hex: text) == all)
        #expect(GonggaoCrypto.hex([]) == "")
    }
}
