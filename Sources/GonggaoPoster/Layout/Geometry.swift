/// Points per millimetre: PDF user space is in points (1/72 inch).
let pointsPerMM = 72.0 / 25.4

extension Double {
    /// This many millimetres, in points.
    var mm: Double { self * pointsPerMM }
}

/// A rectangle in points, origin at the top-left of the page, y growing downwards.
public struct Rect: Equatable, Codable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }

    func intersects(_ other: Rect) -> Bool {
        x < other.maxX && maxX > other.x && y < other.maxY && maxY > other.y
    }

    func contains(_ other: Rect, tolerance: Double = 0.01) -> Bool {
        other.x >= x - tolerance && other.y >= y - tolerance
            && other.maxX <= maxX + tolerance && other.maxY <= maxY + tolerance
    }
}

extension PosterTemplate.Region {
    /// The region in points.
    var points: Rect { Rect(x: x.mm, y: y.mm, width: width.mm, height: height.mm) }
}
