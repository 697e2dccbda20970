internal import CQRencode
import Foundation

/// QR error-correction level (ISO/IEC 18004): how much of the code may be lost and still read.
public enum QRErrorCorrection: String, Codable, CaseIterable, Sendable {
    /// ~7 % recoverable.
    case L
    /// ~15 %: plain codes.
    case M
    /// ~25 %: outdoor paper (rain, dirt) — the poster default.
    case Q
    /// ~30 %: when a logo is overlaid.
    case H

    var level: QRecLevel {
        switch self {
        case .L: QR_ECLEVEL_L
        case .M: QR_ECLEVEL_M
        case .Q: QR_ECLEVEL_Q
        case .H: QR_ECLEVEL_H
        }
    }
}

/// An encoded QR symbol: a square of dark/light modules plus the quiet zone every print needs.
public struct QRMatrix: Equatable, Sendable {
    /// The text the symbol encodes.
    public let text: String
    public let errorCorrection: QRErrorCorrection
    /// QR version 1…40.
    public let version: Int
    /// Modules per side of the symbol itself, without quiet zone (21 + 4 × (version − 1)).
    public let symbolSize: Int
    /// Light modules around the symbol on each side; always 4 (ISO/IEC 18004).
    public let quietZone: Int
    /// Row-major dark flags of the symbol, `symbolSize × symbolSize`, without quiet zone.
    public let dark: [Bool]

    /// Modules per side including the quiet zone on both sides.
    public var totalSize: Int { symbolSize + 2 * quietZone }

    /// Most bytes a poster URL may have: longer URLs give dense codes that fail at 1 mm per module.
    public static let maxURLBytes = 80

    /// Whether the module at (`x`, `y`) of the symbol (quiet zone excluded) is dark.
    public func isDark(x: Int, y: Int) -> Bool { dark[y * symbolSize + x] }

    /// Encodes a poster URL: printable ASCII, at most `maxURLBytes` bytes.
    /// - Throws: `QRError.urlNotASCII` / `.urlTooLong` (configuration errors), `.encodingFailed`.
    public static func encode(url: String, errorCorrection: QRErrorCorrection = .Q) throws(QRError) -> QRMatrix {
        let bytes = Array(url.utf8)
        if bytes.isEmpty { throw .urlEmpty }
        if let bad = bytes.firstIndex(where: { $0 < 0x21 || $0 > 0x7E }) {
            throw .urlNotASCII(url: url, offset: bad)
        }
        if bytes.count > maxURLBytes { throw .urlTooLong(bytes: bytes.count, max: maxURLBytes) }
        return try encode(text: url, errorCorrection: errorCorrection)
    }

    /// Encodes any text (UTF-8 bytes, mode chosen by libqrencode) without the URL rules.
    public static func encode(text: String, errorCorrection: QRErrorCorrection = .Q) throws(QRError) -> QRMatrix {
        let code = try QRSymbolHandle(text: text, level: errorCorrection.level)
        return code.matrix(text: text, errorCorrection: errorCorrection)
    }
}

/// Owns one `QRcode*` from libqrencode for the span of a copy-out.
private struct QRSymbolHandle: ~Copyable {
    private let code: UnsafeMutablePointer<QRcode>

    init(text: String, level: QRecLevel) throws(QRError) {
        errno = 0
        // version 0 = smallest that fits; QR_MODE_8 hint with case sensitivity keeps URLs byte-exact.
        guard let code = QRcode_encodeString(text, 0, level, QR_MODE_8, 1) else {
            let code = errno
            throw .encodingFailed(
                errno: code,
                reason: code == ERANGE
                    ? "input too large for any QR version"
                    : String(cString: strerror(code)))
        }
        self.code = code
    }

    deinit { QRcode_free(code) }  // libqrencode: "free the instance of QRcode class" with QRcode_free

    func matrix(text: String, errorCorrection: QRErrorCorrection) -> QRMatrix {
        let size = Int(code.pointee.width)
        let data = code.pointee.data!
        // libqrencode: "the least significant bit of each byte is the color: 1 = black".
        let dark = (0..<size * size).map { data[$0] & 1 == 1 }
        return QRMatrix(
            text: text, errorCorrection: errorCorrection, version: Int(code.pointee.version),
            symbolSize: size, quietZone: 4, dark: dark)
    }
}
