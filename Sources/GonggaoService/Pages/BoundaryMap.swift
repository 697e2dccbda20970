import Foundation
import GonggaoCore

/// An inline SVG drawing of parcel boundaries (GeoJSON polygons), made only from numbers, so it is
/// trusted markup. Longitudes are scaled by cos(latitude) so shapes keep their proportions.
enum BoundaryMap {
    static let width = 320.0
    static let height = 220.0
    static let padding = 14.0

    /// One shape per polygon; `labels` (same order) are drawn at each shape's centre when given.
    static func svg(_ polygons: [GeoJSONPolygon], labels: [String] = [], title: String) -> TrustedHTML {
        let rings = polygons.map { $0.coordinates.map { $0.filter { $0.count >= 2 } } }
        let points = rings.flatMap { $0.flatMap { $0 } }
        guard !points.isEmpty else { return TrustedHTML(trusted: "") }
        let meanLat = points.map { $0[1] }.reduce(0, +) / Double(points.count)
        let k = cos(meanLat * .pi / 180)
        let xs = points.map { $0[0] * k }
        let ys = points.map { $0[1] }
        let (minX, maxX, minY, maxY) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
        let scale = min((width - 2 * padding) / max(maxX - minX, 1e-9), (height - 2 * padding) / max(maxY - minY, 1e-9))
        let offsetX = (width - (maxX - minX) * scale) / 2
        let offsetY = (height - (maxY - minY) * scale) / 2
        func project(_ p: [Double]) -> (Double, Double) {
            (offsetX + (p[0] * k - minX) * scale, height - offsetY - (p[1] - minY) * scale)
        }
        var svg = "<svg class=\"map\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#f4f1ea\"/>"
        for (i, polygon) in rings.enumerated() {
            let d = polygon.map { ring in
                ring.enumerated().map { j, p in
                    let (x, y) = project(p)
                    return (j == 0 ? "M" : "L") + Self.number(x) + " " + Self.number(y)
                }.joined(separator: " ") + " Z"
            }.joined(separator: " ")
            svg += "<path d=\"\(d)\" fill=\"#e60012\" fill-opacity=\"0.18\" stroke=\"#e60012\" stroke-width=\"2\" fill-rule=\"evenodd\"/>"
            if i < labels.count, let outer = polygon.first, !outer.isEmpty {
                let centre = outer.dropLast().map(project)
                let cx = centre.map(\.0).reduce(0, +) / Double(max(centre.count, 1))
                let cy = centre.map(\.1).reduce(0, +) / Double(max(centre.count, 1))
                svg += "<text x=\"\(Self.number(cx))\" y=\"\(Self.number(cy))\" text-anchor=\"middle\" dominant-baseline=\"middle\" font-size=\"13\" fill=\"#7a0008\">\(HTML.escape(labels[i]))</text>"
            }
        }
        svg += "</svg>"
        return TrustedHTML(trusted: svg)
    }

    /// One decimal, no exponent.
    static func number(_ v: Double) -> String { String(format: "%.1f", v) }
}
