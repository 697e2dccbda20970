/// A poster layout read from a declarative file in `Templates/posters/` (see `a4.json`).
///
/// Lengths are millimetres from the top-left corner of the paper; font sizes and line heights are points;
/// colours are `#RRGGBB` or a name from `colors`. Load with `PosterTemplate.load(json:source:)`, which
/// validates and names the offending key in every error.
public struct PosterTemplate: Decodable, Sendable {
    public var name: String
    public var paper: Paper
    public var colors: [String: String]
    public var fonts: Fonts
    public var regions: Regions
    public var header: Header
    public var body: Body
    public var signature: Signature
    public var attachments: Attachments
    public var table: Table
    public var map: ScopeMapStyle
    public var qr: QR
    public var footer: Footer

    /// Where the template came from, for error messages (e.g. `Templates/posters/a4.json`).
    public internal(set) var source: String = "template"

    enum CodingKeys: String, CodingKey {
        case name, paper, colors, fonts, regions, header, body, signature, attachments, table, map, qr, footer
    }

    public struct Paper: Decodable, Sendable {
        public var width: Double
        public var height: Double
    }

    /// A font role: family (name the "… CJK SC" family explicitly), weight, size and colour.
    public struct Font: Decodable, Sendable {
        public var family: String
        public var weight: Weight
        public var size: Double
        /// Smallest size the renderer may shrink to when fitting one line; nil = never shrink.
        public var minSize: Double?
        /// Distance between baselines in points; nil = the font's natural line height.
        public var lineHeight: Double?
        public var color: String?

        public enum Weight: String, Decodable, Sendable { case regular, bold }
    }

    public struct Fonts: Decodable, Sendable {
        public var issuer: Font
        public var documentNumber: Font
        public var title: Font
        public var body: Font
        public var heading: Font
        public var table: Font
        public var tableHeader: Font
        public var map: Font
        public var caption: Font
        public var url: Font
        public var footer: Font

        /// Every role with its key, in a fixed order.
        public var all: [(key: String, font: Font)] {
            [
                ("issuer", issuer), ("documentNumber", documentNumber), ("title", title), ("body", body),
                ("heading", heading), ("table", table), ("tableHeader", tableHeader), ("map", map),
                ("caption", caption), ("url", url), ("footer", footer),
            ]
        }
    }

    /// A rectangle on the paper, in millimetres.
    public struct Region: Decodable, Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double

        public var maxX: Double { x + width }
        public var maxY: Double { y + height }
    }

    public struct Regions: Decodable, Sendable {
        /// Red issuer header, document number and rule (first page only).
        public var header: Region
        /// The text block: everything flows inside it.
        public var body: Region
        /// The QR code with its caption and URL, on every page. Where it overlaps `body`, text flows
        /// above it, and tables and the map also beside it.
        public var qr: Region
        public var footer: Region
    }

    public struct Header: Decodable, Sendable {
        /// Gap between the issuer name and the document number.
        public var documentNumberGap: Double
        /// Gap between the document number and the red rule.
        public var ruleGap: Double
        public var ruleWidth: Double
        public var ruleColor: String
        /// Gap between the rule and the title.
        public var gapAfter: Double
    }

    public struct Body: Decodable, Sendable {
        /// First-line indent in characters (em of the body font).
        public var firstLineIndentChars: Double
        public var paragraphGap: Double
        public var titleGapAfter: Double
        /// Gap between the text and the QR region beside it.
        public var sideGap: Double
    }

    public struct Signature: Decodable, Sendable {
        public var gapBefore: Double
        /// GB/T 9704: the date ends four characters from the right edge of the text block.
        public var rightIndentChars: Double
        /// Room kept for the seal, centred on the issuer and date lines.
        public var sealDiameter: Double
        public var lineGap: Double
    }

    public struct Attachments: Decodable, Sendable {
        public var gapBefore: Double
        public var gapBetween: Double
    }

    public struct Table: Decodable, Sendable {
        public var title: String
        public var continuedTitle: String
        public var cellPadding: Double
        public var ruleWidth: Double
        public var columns: [Column]
        public var totalLabel: String

        public struct Column: Decodable, Sendable {
            public var field: Field
            public var title: String
            /// Relative width; columns share the table width in proportion.
            public var weight: Double
            public var align: Align
        }

        public enum Field: String, Decodable, Sendable, CaseIterable {
            case key, displayName, village, owner, areaMu, areaM2, landUse
        }

        public enum Align: String, Decodable, Sendable { case left, center, right }
    }

    public struct ScopeMapStyle: Decodable, Sendable {
        public var title: String
        public var height: Double
        public var padding: Double
        public var lineWidth: Double
    }

    public struct QR: Decodable, Sendable {
        public var errorCorrection: QRErrorCorrection
        /// Smallest module on paper; at least 1.0 mm.
        public var minModule: Double
        /// Preferred module size; the code is drawn at this size when the region allows, never below
        /// `minModule`. Nil = `minModule`.
        public var module: Double?
        public var caption: String
        public var captionGap: Double
    }

    public struct Footer: Decodable, Sendable {
        public var ruleWidth: Double
    }
}
