import Foundation
import GonggaoCore
import Testing

@testable import GonggaoPoster

@Suite struct QRTests {
    @Test func encodesURLWithQuietZoneAtDefaultLevelQ() throws {
        let qr = try QRMatrix.encode(url: Fixtures.url)
        #expect(qr.errorCorrection == .Q)
        #expect(qr.quietZone == 4)
        #expect(qr.symbolSize == 21 + 4 * (qr.version - 1))
        #expect(qr.totalSize == qr.symbolSize + 8)
        #expect(qr.dark.count == qr.symbolSize * qr.symbolSize)
        // Finder pattern: the top-left 7×7 has a dark border.
        #expect((0..<7).allSatisfy { qr.isDark(x: $0, y: 0) && qr.isDark(x: 0, y: $0) })
    }

    @Test(arguments: QRErrorCorrection.allCases)
    func higherLevelsNeverGiveSmallerCodes(level: QRErrorCorrection) throws {
        let low = try QRMatrix.encode(url: Fixtures.url, errorCorrection: .L)
        let qr = try QRMatrix.encode(url: Fixtures.url, errorCorrection: level)
        #expect(qr.version >= low.version)
        #expect(qr.errorCorrection == level)
    }

    @Test func runsCoverExactlyTheDarkModules() throws {
        let qr = try QRMatrix.encode(url: Fixtures.url)
        var covered = [Bool](repeating: false, count: qr.dark.count)
        for run in qr.runs {
            #expect(run.length >= 1)
            for x in run.start..<run.start + run.length {
                #expect(!covered[run.row * qr.symbolSize + x])
                covered[run.row * qr.symbolSize + x] = true
            }
            // Runs are maximal: light (or the edge) on both sides.
            if run.start > 0 { #expect(!qr.isDark(x: run.start - 1, y: run.row)) }
            if run.start + run.length < qr.symbolSize { #expect(!qr.isDark(x: run.start + run.length, y: run.row)) }
        }
        #expect(covered == qr.dark)
        #expect(qr.runs.count < qr.dark.filter { $0 }.count)
    }

    @Test func urlOverEightyBytesIsAConfigurationError() throws {
        let url = "https://gg.anji.gov.cn/p/" + String(repeating: "x", count: 56)
        #expect(url.utf8.count == 81)
        #expect(throws: QRError.urlTooLong(bytes: 81, max: 80)) { try QRMatrix.encode(url: url) }
        let error = try #require(throws: QRError.self) { try QRMatrix.encode(url: url) }
        #expect(error.description.contains("81 bytes"))
        // Exactly 80 is fine.
        _ = try QRMatrix.encode(url: String(url.dropLast()))
    }

    @Test func nonASCIIOrEmptyURLIsRefused() {
        #expect(throws: QRError.urlNotASCII(url: "https://gg.cn/p/安吉", offset: 16)) {
            try QRMatrix.encode(url: "https://gg.cn/p/安吉")
        }
        #expect(throws: QRError.urlNotASCII(url: "https://gg.cn/a b", offset: 15)) {
            try QRMatrix.encode(url: "https://gg.cn/a b")
        }
        #expect(throws: QRError.urlEmpty) { try QRMatrix.encode(url: "") }
    }

    @Test(.enabled(if: Tools.shouldRun)) func pngDecodesToTheURL() throws {
        let dir = try Fixtures.scratch("qr")
        for level in QRErrorCorrection.allCases {
            let png = try QRMatrix.encode(url: Fixtures.url, errorCorrection: level).png(scale: 6, dpi: 300)
            let file = dir.appendingPathComponent("qr-\(level.rawValue).png")
            try Data(png).write(to: file)
            #expect(try Tools.decodeQR(file) == Fixtures.url)
            let chunks = try PNGChunks(png)
            #expect(chunks.bitDepth == 1)
            #expect(chunks.colorType == 0)
        }
    }

    @Test func verificationCodeIsCrockfordBase32OfTheFirstFiveBytes() {
        #expect(VerificationCode.of(contentHash: String(repeating: "0", count: 64)) == "00000000")
        #expect(VerificationCode.of(contentHash: "ffffffffff" + String(repeating: "0", count: 54)) == "ZZZZZZZZ")
        // 0x0123456789 = 00000 00100 10001 10100 01010 11001 11100 01001 → 0 4 H M A S W 9
        #expect(VerificationCode.of(contentHash: "0123456789abcdef") == "04HMASW9")
        #expect(VerificationCode.of(contentHash: "0123456789ABCDEF") == "04HMASW9")
        #expect(VerificationCode.of(contentHash: "xyz") == nil)
        let code = VerificationCode.of(contentHash: Fixtures.content().contentHash)!
        #expect(code.count == 8)
        #expect(code.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
    }
}

@Suite struct PNGWriterTests {
    @Test func writesPhysicalSizeAndTextChunks() throws {
        let pixels = [UInt8](repeating: 0x80, count: 10 * 4)
        let png = try PNGWriter.encode(
            pixels: pixels, stride: 10, width: 10, height: 4, layout: .gray8, dpi: 300,
            text: [("Title", "安吉县人民政府征收土地预公告"), ("Notice", "ntc_1")])
        let chunks = try PNGChunks(png)
        #expect(chunks.width == 10 && chunks.height == 4 && chunks.bitDepth == 8 && chunks.colorType == 0)
        let phys = try #require(chunks.physical)
        #expect(phys.unit == 1)
        #expect(phys.x == 11811 && phys.y == 11811)
        #expect(abs(Double(phys.x) * 0.0254 - 300) < 0.5)
        #expect(chunks.texts["Title"] == "安吉县人民政府征收土地预公告")
        #expect(chunks.texts["Notice"] == "ntc_1")
        #expect(chunks.chunks.last?.type == "IEND")
    }

    @Test func writesRGBFromCairoBGRX() throws {
        // One red and one blue pixel in B, G, R, X order.
        let pixels: [UInt8] = [0x12, 0x00, 0xE6, 0xFF, 0xFF, 0x00, 0x00, 0xFF]
        let png = try PNGWriter.encode(pixels: pixels, stride: 8, width: 2, height: 1, layout: .bgrx8, dpi: nil)
        let chunks = try PNGChunks(png)
        #expect(chunks.colorType == 2 && chunks.bitDepth == 8)
        #expect(chunks.physical == nil)
    }

    @Test func refusesShortBuffersWithAReason() throws {
        let error = try #require(throws: PNGWriter.Failure.self) {
            try PNGWriter.encode(pixels: [0, 0, 0], stride: 3, width: 2, height: 2, layout: .rgb8, dpi: 72)
        }
        #expect(error.message.contains("6 needed") || error.message.contains("needed"))
        let libpng = try #require(throws: PNGWriter.Failure.self) {
            try PNGWriter.encode(pixels: [0, 0, 0, 0], stride: 1, width: 4, height: 4, layout: .gray8, dpi: 72)
        }
        #expect(libpng.message.contains("stride"))
    }

    @Test func libpngErrorsComeBackAsFailuresNotCrashes() throws {
        // An empty tEXt key makes libpng call png_error (longjmp) mid-write; the shim turns it into a code.
        let error = try #require(throws: PNGWriter.Failure.self) {
            try PNGWriter.encode(
                pixels: [0], stride: 1, width: 1, height: 1, layout: .gray8, dpi: 72, text: [("", "x")])
        }
        #expect(error.code == 1)
        #expect(!error.message.isEmpty)
    }
}
