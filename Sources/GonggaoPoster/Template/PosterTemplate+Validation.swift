import Foundation

/// Geometry and style checks that decoding alone cannot do; each error names the key.
extension PosterTemplate {
    func validate() throws(TemplateError) {
        func fail(_ key: String, _ message: String) -> TemplateError {
            TemplateError(source: source, key: key, message)
        }
        func positive(_ value: Double, _ key: String, max: Double = 10_000) throws(TemplateError) {
            guard value.isFinite, value > 0 else { throw fail(key, "must be greater than 0, is \(value)") }
            guard value <= max else { throw fail(key, "is \(value), at most \(max) allowed") }
        }
        func nonNegative(_ value: Double, _ key: String) throws(TemplateError) {
            guard value.isFinite, value >= 0 else { throw fail(key, "must not be negative, is \(value)") }
        }

        try positive(paper.width, "paper.width", max: 2_000)
        try positive(paper.height, "paper.height", max: 2_000)

        for (name, hex) in colors.sorted(by: { $0.key < $1.key }) {
            guard RGBColor(hex: hex) != nil else { throw fail("colors.\(name)", "'\(hex)' is not #RRGGBB") }
        }
        try checkColor(header.ruleColor, "header.ruleColor")

        for (key, font) in fonts.all {
            let base = "fonts.\(key)"
            if font.family.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("\(base).family", "is empty") }
            try positive(font.size, "\(base).size", max: 400)
            if let min = font.minSize {
                try positive(min, "\(base).minSize", max: 400)
                if min > font.size { throw fail("\(base).minSize", "\(min) pt is larger than size \(font.size) pt") }
            }
            if let lineHeight = font.lineHeight {
                try positive(lineHeight, "\(base).lineHeight", max: 800)
                if lineHeight < font.size {
                    throw fail("\(base).lineHeight", "\(lineHeight) pt is smaller than the font size \(font.size) pt")
                }
            }
            if let color = font.color { try checkColor(color, "\(base).color") }
        }

        let named: [(String, Region)] = [
            ("header", regions.header), ("body", regions.body),
            ("qr", regions.qr), ("footer", regions.footer),
        ]
        for (name, r) in named {
            let base = "regions.\(name)"
            guard r.x.isFinite, r.x >= 0, r.x < paper.width else {
                throw fail("\(base).x", "off the page (\(r.x) mm; the paper is \(paper.width) mm wide)")
            }
            guard r.y.isFinite, r.y >= 0, r.y < paper.height else {
                throw fail("\(base).y", "off the page (\(r.y) mm; the paper is \(paper.height) mm high)")
            }
            try positive(r.width, "\(base).width")
            try positive(r.height, "\(base).height")
            if r.maxX > paper.width + 1e-9 {
                throw fail(
                    "\(base).width", "runs off the page (ends at \(r.maxX) mm; the paper is \(paper.width) mm wide)")
            }
            if r.maxY > paper.height + 1e-9 {
                throw fail(
                    "\(base).height", "runs off the page (ends at \(r.maxY) mm; the paper is \(paper.height) mm high)")
            }
        }
        let body = regions.body
        if regions.header.x < body.x - 1e-9 || regions.header.maxX > body.maxX + 1e-9
            || regions.header.y < body.y - 1e-9 || regions.header.maxY > body.maxY + 1e-9
        {
            throw fail("regions.header", "must lie inside regions.body")
        }
        if regions.footer.y < body.maxY - 1e-9 && regions.footer.maxY > body.y + 1e-9
            && regions.footer.x < body.maxX && regions.footer.maxX > body.x
        {
            throw fail("regions.footer", "overlaps regions.body")
        }

        let qrRegion = regions.qr
        let overlapsBody =
            qrRegion.x < body.maxX && qrRegion.maxX > body.x && qrRegion.y < body.maxY && qrRegion.maxY > body.y
        if overlapsBody && qrRegion.maxY < body.maxY - 1e-9 {
            throw fail(
                "regions.qr",
                "overlaps regions.body but does not reach its bottom edge (text flows above and beside the QR, never below it)"
            )
        }
        if overlapsBody && qrRegion.y <= regions.header.maxY {
            throw fail("regions.qr", "overlaps regions.header")
        }

        try nonNegative(header.documentNumberGap, "header.documentNumberGap")
        try nonNegative(header.ruleGap, "header.ruleGap")
        try positive(header.ruleWidth, "header.ruleWidth", max: 10)
        try nonNegative(header.gapAfter, "header.gapAfter")
        try nonNegative(self.body.firstLineIndentChars, "body.firstLineIndentChars")
        try nonNegative(self.body.paragraphGap, "body.paragraphGap")
        try nonNegative(self.body.titleGapAfter, "body.titleGapAfter")
        try nonNegative(self.body.sideGap, "body.sideGap")
        try nonNegative(signature.gapBefore, "signature.gapBefore")
        try nonNegative(signature.rightIndentChars, "signature.rightIndentChars")
        try nonNegative(signature.sealDiameter, "signature.sealDiameter")
        try nonNegative(signature.lineGap, "signature.lineGap")
        try nonNegative(attachments.gapBefore, "attachments.gapBefore")
        try nonNegative(attachments.gapBetween, "attachments.gapBetween")

        if table.columns.isEmpty { throw fail("table.columns", "needs at least one column") }
        for (i, column) in table.columns.enumerated() {
            try positive(column.weight, "table.columns[\(i)].weight")
        }
        try nonNegative(table.cellPadding, "table.cellPadding")
        try positive(table.ruleWidth, "table.ruleWidth", max: 5)

        try positive(map.height, "map.height")
        try nonNegative(map.padding, "map.padding")
        try positive(map.lineWidth, "map.lineWidth", max: 5)
        if map.height + 2 * map.padding > body.height {
            throw fail("map.height", "\(map.height) mm does not fit in regions.body (\(body.height) mm high)")
        }

        guard qr.minModule.isFinite, qr.minModule >= 1.0 else {
            throw fail("qr.minModule", "\(qr.minModule) mm is below the 1.0 mm printed-module minimum")
        }
        if let module = qr.module, !(module.isFinite && module >= qr.minModule) {
            throw fail("qr.module", "\(module) mm is smaller than qr.minModule (\(qr.minModule) mm)")
        }
        try nonNegative(qr.captionGap, "qr.captionGap")
        // The region must hold the densest code a valid URL can need, at the minimum module size.
        let worst = try? QRMatrix.encode(
            text: String(repeating: "a", count: QRMatrix.maxURLBytes),
            errorCorrection: qr.errorCorrection)
        if let worst {
            let needed = Double(worst.totalSize) * qr.minModule
            if regions.qr.width + 1e-9 < needed {
                throw fail(
                    "regions.qr.width",
                    "\(regions.qr.width) mm is too narrow: an \(QRMatrix.maxURLBytes)-byte URL at level \(qr.errorCorrection.rawValue) "
                        + "is \(worst.totalSize) modules with quiet zone, \(needed) mm at \(qr.minModule) mm per module"
                )
            }
            if regions.qr.height + 1e-9 < needed {
                throw fail("regions.qr.height", "\(regions.qr.height) mm is too short for a \(needed) mm code")
            }
        }
        try nonNegative(footer.ruleWidth, "footer.ruleWidth")
    }

    private func checkColor(_ value: String, _ key: String) throws(TemplateError) {
        if RGBColor(hex: value) == nil && colors[value].flatMap(RGBColor.init(hex:)) == nil {
            throw TemplateError(source: source, key: key, "'\(value)' is neither #RRGGBB nor a name in colors")
        }
    }

    /// A colour by name (from `colors`) or `#RRGGBB`; black when unknown (validation rules that out).
    func color(_ value: String?, default fallback: String = "text") -> RGBColor {
        let name = value ?? fallback
        return RGBColor(hex: name) ?? colors[name].flatMap(RGBColor.init(hex:)) ?? RGBColor(r: 0, g: 0, b: 0)
    }
}

/// An sRGB colour, components 0…1.
struct RGBColor: Equatable, Sendable {
    var r: Double, g: Double, b: Double

    init(r: Double, g: Double, b: Double) {
        self.r = r
        self.g = g
        self.b = b
    }

    init?(hex: String) {
        guard hex.count == 7, hex.first == "#", let v = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        r = Double(v >> 16 & 0xFF) / 255
        g = Double(v >> 8 & 0xFF) / 255
        b = Double(v & 0xFF) / 255
    }
}
