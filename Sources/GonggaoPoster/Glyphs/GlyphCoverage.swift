/// Checks that every character to be printed has a glyph in the font of its template role.
///
/// Pango would silently fall back to another installed font (or draw a hex box); a poster must
/// instead refuse, naming the characters and where they occur, so an officer can fix the text or
/// install a font. The check asks the configured font itself (`pango_font_has_char`), without fallback.
struct GlyphCoverage {
    /// A piece of text, where it comes from and the font it is printed in.
    struct Source {
        var location: String
        var text: String
        var style: TextStyle
    }

    /// Characters with no glyph, in first-seen order, each with every location it occurs in.
    static func missing(in sources: [Source], engine: TextEngine) -> [MissingGlyph] {
        // Group by face, so each font is loaded once.
        struct Face: Hashable {
            var family: String
            var bold: Bool
        }
        var faces: [Face: TextStyle] = [:]
        for source in sources { faces[Face(family: source.style.family, bold: source.style.bold)] = source.style }

        var missingByFace: [Face: Set<UInt32>] = [:]
        for (face, style) in faces {
            var needed = Set<UInt32>()
            for source in sources where Face(family: source.style.family, bold: source.style.bold) == face {
                for scalar in source.text.unicodeScalars where needsGlyph(scalar) { needed.insert(scalar.value) }
            }
            let font = engine.font(style)
            missingByFace[face] = needed.filter { !font.hasGlyph(Unicode.Scalar($0)!) }
        }

        var order: [UInt32] = []
        var locations: [UInt32: [String]] = [:]
        for source in sources {
            let missing = missingByFace[Face(family: source.style.family, bold: source.style.bold)] ?? []
            if missing.isEmpty { continue }
            for scalar in source.text.unicodeScalars where missing.contains(scalar.value) {
                if locations[scalar.value] == nil { order.append(scalar.value) }
                if locations[scalar.value]?.contains(source.location) != true {
                    locations[scalar.value, default: []].append(source.location)
                }
            }
        }
        return order.map { value in
            let hex = String(value, radix: 16, uppercase: true)
            return MissingGlyph(
                character: String(Unicode.Scalar(value)!),
                codePoint: "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex,
                locations: locations[value] ?? [])
        }
    }

    /// Whitespace, controls, format characters (ZWJ…) and variation selectors draw nothing.
    static func needsGlyph(_ scalar: Unicode.Scalar) -> Bool {
        let p = scalar.properties
        if p.isWhitespace || p.isVariationSelector { return false }
        switch p.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator: return false
        default: return true
        }
    }
}
