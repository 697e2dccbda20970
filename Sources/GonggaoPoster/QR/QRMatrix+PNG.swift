/// A QR code as a 1-bit PNG (for `gonggao qr URL -o FILE.png`).
extension QRMatrix {
    /// A 1-bit grey PNG, `scale` pixels per module, quiet zone included; pHYs from `dpi` when given.
    public func png(scale: Int = 8, dpi: Double? = nil, text: [(key: String, value: String)] = []) throws(PNGWriter
        .Failure) -> [UInt8]
    {
        precondition(scale >= 1, "scale must be at least 1 pixel per module")
        let side = totalSize * scale
        let stride = (side + 7) / 8
        // 1-bit grey: 1 = white. Build each module row's pixel row once, then repeat it `scale` times.
        var pixels = [UInt8](repeating: 0xFF, count: stride * side)
        pixels.withUnsafeMutableBufferPointer { out in
            var row = [UInt8](repeating: 0xFF, count: stride)
            for y in 0..<symbolSize {
                row.withUnsafeMutableBufferPointer { r in
                    for i in 0..<stride { r[i] = 0xFF }
                    for x in 0..<symbolSize where dark[y * symbolSize + x] {
                        let x0 = (x + quietZone) * scale
                        for px in x0..<x0 + scale { r[px >> 3] &= ~(0x80 >> UInt8(px & 7)) }
                    }
                }
                let top = (y + quietZone) * scale
                row.withUnsafeBufferPointer { r in
                    for dy in 0..<scale {
                        (out.baseAddress! + (top + dy) * stride).update(from: r.baseAddress!, count: stride)
                    }
                }
            }
        }
        return try PNGWriter.encode(
            pixels: pixels, stride: stride, width: side, height: side, layout: .gray1,
            dpi: dpi, text: text)
    }
}
