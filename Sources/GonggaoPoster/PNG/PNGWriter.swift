internal import CPNG
import Foundation

/// Encodes raw pixel rows to PNG bytes through libpng (via the setjmp shim in `CPNG`).
public enum PNGWriter {
    /// How the rows handed to `encode` are laid out.
    public enum PixelLayout: Sendable {
        /// 1 bit per pixel, most significant bit first, 0 = black.
        case gray1
        /// 1 byte per pixel, 0 = black.
        case gray8
        /// 3 bytes per pixel R, G, B.
        case rgb8
        /// 4 bytes per pixel B, G, R, unused: cairo's RGB24 on a little-endian machine. Written as RGB.
        case bgrx8

        var c: gg_png_input {
            switch self {
            case .gray1: GG_PNG_GRAY1
            case .gray8: GG_PNG_GRAY8
            case .rgb8: GG_PNG_RGB8
            case .bgrx8: GG_PNG_BGRX8
            }
        }
    }

    /// zlib/filter choice. The defaults are chosen for speed on posters, see `Compression.poster`.
    public struct Compression: Sendable {
        public var zlibLevel: Int32
        public var strategy: Int32
        public var filters: Int32

        /// Posters and QR codes are flat white with anti-aliased black and red text. libpng's default
        /// (zlib level 6, all five row filters tried on every row) spends its time on the filter search
        /// and deep string matching; on these images the filters do not even help (anti-aliased glyph
        /// edges defeat Sub/Up/Paeth prediction). Measured on the A4 sample at 150 dpi (1240×1754 RGB,
        /// best of 21): default 166 ms / 195 KB; level 1 + no filter 26 ms / 196 KB (chosen: same size,
        /// ~6× faster); level 1 + Z_RLE 21 ms / 271 KB; storing only 16 ms / 6.5 MB (the floor).
        public static let poster = Compression(
            zlibLevel: 1, strategy: 0 /* Z_DEFAULT_STRATEGY */, filters: 0x08 /* None */)
        /// libpng's own defaults: smallest file, slowest.
        public static let small = Compression(zlibLevel: 6, strategy: 0, filters: 0xF8 /* all */)

        public init(zlibLevel: Int32, strategy: Int32, filters: Int32) {
            self.zlibLevel = zlibLevel
            self.strategy = strategy
            self.filters = filters
        }
    }

    /// A libpng failure, with the shim's return code and libpng's message.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public let code: Int
        public let message: String
        public var description: String { "png: \(message) (code \(code))" }
    }

    /// Pixels per metre for the pHYs chunk: dpi / 0.0254, rounded.
    public static func pixelsPerMetre(dpi: Double) -> UInt32 { UInt32((dpi / 0.0254).rounded()) }

    /// Encodes `height` rows of `stride` bytes from `pixels`.
    /// - Parameters:
    ///   - dpi: written as pHYs so a printer prints at true size; nil writes no pHYs.
    ///   - text: key/value chunks (tEXt when ASCII, iTXt otherwise); keys 1–79 Latin-1 characters.
    public static func encode(
        pixels: UnsafeRawBufferPointer, stride: Int, width: Int, height: Int,
        layout: PixelLayout, dpi: Double?, text: [(key: String, value: String)] = [],
        compression: Compression = .poster
    ) throws(Failure) -> [UInt8] {
        guard pixels.count >= stride * height, let base = pixels.baseAddress else {
            throw Failure(
                code: GG_PNG_ERROR_ARGUMENT,
                message: "pixel buffer holds \(pixels.count) bytes, "
                    + "\(stride * height) needed for \(height) rows of \(stride)")
        }
        var output = PNGBuffer()
        var message = [CChar](repeating: 0, count: 256)
        var settings = gg_png_settings(
            zlib_level: compression.zlibLevel, zlib_strategy: compression.strategy,
            filters: compression.filters)
        let ppm = dpi.map { pixelsPerMetre(dpi: $0) } ?? 0
        let keys: [UnsafeMutablePointer<CChar>] = text.map { strdup($0.key)! }
        let values: [UnsafeMutablePointer<CChar>] = text.map { strdup($0.value)! }
        defer { for pointer in keys + values { free(pointer) } }
        let chunks = zip(keys, values).map { gg_png_text(key: UnsafePointer($0), text: UnsafePointer($1)) }
        let rc = chunks.withUnsafeBufferPointer { c in
            gg_png_encode(
                base.assumingMemoryBound(to: UInt8.self), stride, UInt32(width), UInt32(height),
                layout.c, ppm, c.baseAddress, Int32(c.count), &settings, &output.buffer,
                &message, message.count)
        }
        guard rc == Int32(GG_PNG_OK) else {
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw Failure(code: Int(rc), message: text)
        }
        return output.bytes
    }

    /// Encodes pixels held in a Swift array (see the pointer form).
    public static func encode(
        pixels: [UInt8], stride: Int, width: Int, height: Int, layout: PixelLayout,
        dpi: Double?, text: [(key: String, value: String)] = [],
        compression: Compression = .poster
    ) throws(Failure) -> [UInt8] {
        do {
            return try pixels.withUnsafeBytes { raw in
                try encode(
                    pixels: raw, stride: stride, width: width, height: height, layout: layout, dpi: dpi,
                    text: text, compression: compression)
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            fatalError("unreachable: \(error)")
        }
    }
}

/// The shim's output buffer; `deinit` frees it whether or not the encode succeeded.
private struct PNGBuffer: ~Copyable {
    var buffer = gg_png_buffer(data: nil, size: 0, capacity: 0)

    var bytes: [UInt8] {
        guard let data = buffer.data else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: buffer.size))
    }

    deinit {
        var owned = buffer
        gg_png_buffer_free(&owned)
    }
}
