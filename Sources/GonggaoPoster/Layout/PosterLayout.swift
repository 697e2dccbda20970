/// What goes where on each page, without pixels: text lines with their boxes, rules, the QR code,
/// the map and the seal. Layout snapshots compare this, and the drawer draws from the same list.
public struct PosterLayout: Equatable, Codable, Sendable {
    /// One box on a page. Lengths in millimetres from the paper's top-left, rounded to 0.1 mm.
    public struct Box: Equatable, Codable, Sendable {
        /// `text`, `rule`, `frame`, `qr`, `map` or `seal`.
        public var kind: String
        /// The template role or part, e.g. `title`, `body`, `table`, `footer`.
        public var role: String
        public var text: String?
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
    }

    /// Template name, e.g. `A4`.
    public var paper: String
    public var pages: [[Box]]

    /// All text of a page in drawing order, one line per entry.
    public func texts(page: Int) -> [String] { pages[page].compactMap(\.text) }
}

/// A drawing operation in points, as the composer emits and the drawer executes it.
enum DrawOp {
    /// One line of a layout, its origin at (`x`, `baseline`).
    case line(layout: Int, line: Int, x: Double, baseline: Double)
    case stroke(x0: Double, y0: Double, x1: Double, y1: Double, width: Double)
    case frame(Rect, width: Double)
    /// The QR code in `rect` (quiet zone included).
    case qr(QRMatrix, Rect)
    case map(ScopeMap, lineWidth: Double, fill: RGBColor, grid: RGBColor)
    /// The seal image, when one is configured; otherwise nothing is drawn and the space stays free.
    case seal(Rect)
}

/// A drawing operation with what the snapshot records about it.
struct PageOp {
    var op: DrawOp
    var role: String
    var text: String?
    /// The box recorded in the snapshot (points).
    var box: Rect
    var color: RGBColor

    var snapshot: PosterLayout.Box {
        let kind: String =
            switch op {
            case .line: "text"
            case .stroke: "rule"
            case .frame: "frame"
            case .qr: "qr"
            case .map: "map"
            case .seal: "seal"
            }
        func mm(_ value: Double) -> Double { (value / pointsPerMM * 10).rounded() / 10 }
        return PosterLayout.Box(
            kind: kind, role: role, text: text, x: mm(box.x), y: mm(box.y),
            width: mm(box.width), height: mm(box.height))
    }
}
