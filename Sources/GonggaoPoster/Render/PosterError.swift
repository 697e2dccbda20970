/// Why a poster could not be rendered. Each case names what went wrong and where.
public enum PosterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Characters without a glyph in the configured fonts, with where they occur.
    case missingGlyphs([MissingGlyph])
    /// A parcel the notice names is not in the project.
    case unknownParcel(key: String, project: String)
    /// Content cannot fit a fixed region even at the template's minimum size (`key` names the region).
    case doesNotFit(key: String, detail: String)
    /// A block taller than a whole empty page region.
    case blockTooTall(block: String, neededMM: Double, availableMM: Double)
    case invalidDPI(Int)
    case sealImage(String)

    public var description: String {
        switch self {
        case .missingGlyphs(let glyphs):
            "missing glyphs (no glyph in the template fonts; render anyway with --allow-missing-glyphs): "
                + glyphs.map(\.description).joined(separator: "; ")
        case .unknownParcel(let key, let project):
            "parcels: '\(key)' is not a parcel of project '\(project)'"
        case .doesNotFit(let key, let detail):
            "\(key): \(detail)"
        case .blockTooTall(let block, let needed, let available):
            "\(block): needs \(Self.mm(needed)) mm but a page holds only \(Self.mm(available)) mm"
        case .invalidDPI(let dpi):
            "dpi: \(dpi) is outside 36…1200"
        case .sealImage(let reason):
            "seal image: \(reason)"
        }
    }

    private static func mm(_ value: Double) -> String { String(Int(value.rounded())) }
}

/// A character with no glyph in the configured fonts.
public struct MissingGlyph: Equatable, Sendable, CustomStringConvertible {
    /// The character as text.
    public var character: String
    /// Its code point, e.g. `U+30000`.
    public var codePoint: String
    /// Where it occurs: `title`, `body[2]`, `parcels[0].village`, …
    public var locations: [String]

    public var description: String { "'\(character)' \(codePoint) in \(locations.joined(separator: ", "))" }
}
