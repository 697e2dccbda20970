import Foundation
import GonggaoCore

/// The scope map (附图): parcel boundaries projected to paper at a round scale, with a scale bar and
/// a north arrow. Pure geometry in points; the renderer only strokes and fills what this computes.
public struct ScopeMap: Equatable, Sendable {
    public struct Point: Equatable, Codable, Sendable {
        public var x: Double
        public var y: Double
    }

    /// One parcel: its rings (outer first, then holes) in points inside the map frame, and its label.
    public struct Shape: Equatable, Sendable {
        public var key: String
        public var rings: [[Point]]
        /// Area centroid of the outer ring, where the key label goes.
        public var labelAt: Point
    }

    /// Frame of the map on the page.
    public var frame: Rect
    public var shapes: [Shape]
    /// The scale as 1:`denominator`, a round number.
    public var denominator: Int
    /// Scale bar: left end, length in points and the ground distance it stands for.
    public var scaleBarOrigin: Point
    public var scaleBarLength: Double
    public var scaleBarMetres: Int
    /// Centre of the north arrow.
    public var northArrow: Point
    public var northArrowSize: Double

    /// Mean Earth radius (IUGG), metres.
    static let earthRadius = 6_371_008.8

    /// Projects `parcels` into `frame` (points) with `padding` points kept free inside it.
    ///
    /// Equirectangular projection around the parcels' mid-latitude (x scaled by cos φ): at the size of
    /// a village (a few km) its distortion is far below print accuracy.
    public init(parcels: [Parcel], frame: Rect, padding: Double) {
        self.frame = frame
        let rings = parcels.map { $0.boundary.coordinates }
        let all = rings.flatMap { $0.flatMap { $0 } }.filter { $0.count >= 2 }
        let lons = all.map { $0[0] }
        let lats = all.map { $0[1] }
        let lon0 = ((lons.min() ?? 0) + (lons.max() ?? 0)) / 2
        let lat0 = ((lats.min() ?? 0) + (lats.max() ?? 0)) / 2
        let k = Double.pi / 180 * Self.earthRadius
        let cosLat = cos(lat0 * .pi / 180)
        func project(_ p: [Double]) -> (Double, Double) { ((p[0] - lon0) * cosLat * k, (p[1] - lat0) * k) }

        let projected = all.map(project)
        let minX = projected.map(\.0).min() ?? 0
        let maxX = projected.map(\.0).max() ?? 0
        let minY = projected.map(\.1).min() ?? 0
        let maxY = projected.map(\.1).max() ?? 0
        let groundWidth = max(maxX - minX, 1)
        let groundHeight = max(maxY - minY, 1)

        // Room for the scale bar below and the north arrow at the top right.
        northArrowSize = min(frame.width, frame.height) * 0.12
        let barBand = max(12, frame.height * 0.1)
        let usableWidth = max(frame.width - 2 * padding - northArrowSize, 10)
        let usableHeight = max(frame.height - 2 * padding - barBand, 10)

        // Paper metres per ground metre, then the next round scale that still fits.
        let metresPerPoint = 0.0254 / 72
        let fit = min(usableWidth / groundWidth, usableHeight / groundHeight) * metresPerPoint
        denominator = Self.roundScale(atLeast: 1 / fit)
        let pointsPerGroundMetre = 1 / (Double(denominator) * metresPerPoint)

        let drawnWidth = groundWidth * pointsPerGroundMetre
        let drawnHeight = groundHeight * pointsPerGroundMetre
        let originX = frame.x + padding + (usableWidth - drawnWidth) / 2
        let originY = frame.y + padding + (usableHeight - drawnHeight) / 2
        func toPage(_ p: [Double]) -> Point {
            let (x, y) = project(p)
            return Point(x: originX + (x - minX) * pointsPerGroundMetre, y: originY + (maxY - y) * pointsPerGroundMetre)
        }
        shapes = zip(parcels, rings).map { parcel, rings in
            let pageRings = rings.map { $0.filter { $0.count >= 2 }.map(toPage) }
            return Shape(key: parcel.key, rings: pageRings, labelAt: Self.centroid(pageRings.first ?? []))
        }

        // A bar of a round ground length, about a quarter of the frame.
        let target = (frame.width - 2 * padding) * 0.25 / pointsPerGroundMetre
        scaleBarMetres = Self.roundLength(atMost: target)
        scaleBarLength = Double(scaleBarMetres) * pointsPerGroundMetre
        scaleBarOrigin = Point(x: frame.x + padding, y: frame.maxY - padding - barBand * 0.35)
        northArrow = Point(x: frame.maxX - padding - northArrowSize / 2, y: frame.y + padding + northArrowSize * 0.6)
    }

    /// Smallest "round" scale denominator ≥ `value` (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5 × 10ⁿ).
    static func roundScale(atLeast value: Double) -> Int {
        let steps = [1.0, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 10]
        guard value.isFinite, value > 1 else { return 1 }
        var magnitude = pow(10, floor(log10(value)))
        while true {
            for step in steps where step * magnitude >= value - 1e-9 { return Int((step * magnitude).rounded()) }
            magnitude *= 10
        }
    }

    /// Largest 1-2-5 × 10ⁿ metres ≤ `value` (at least 1 m).
    static func roundLength(atMost value: Double) -> Int {
        guard value.isFinite, value >= 1 else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for step in [5.0, 2, 1] where step * magnitude <= value + 1e-9 { return Int((step * magnitude).rounded()) }
        return Int(magnitude)
    }

    /// Area centroid of a ring (shoelace); the vertex mean when the area vanishes.
    static func centroid(_ ring: [Point]) -> Point {
        guard !ring.isEmpty else { return Point(x: 0, y: 0) }
        var area = 0.0
        var cx = 0.0
        var cy = 0.0
        for i in 0..<ring.count {
            let a = ring[i]
            let b = ring[(i + 1) % ring.count]
            let cross = a.x * b.y - b.x * a.y
            area += cross
            cx += (a.x + b.x) * cross
            cy += (a.y + b.y) * cross
        }
        if abs(area) < 1e-9 {
            return Point(
                x: ring.map(\.x).reduce(0, +) / Double(ring.count), y: ring.map(\.y).reduce(0, +) / Double(ring.count))
        }
        return Point(x: cx / (3 * area), y: cy / (3 * area))
    }

    /// Human scale text, e.g. `1:5000`.
    public var scaleText: String { "1:\(denominator)" }
}
