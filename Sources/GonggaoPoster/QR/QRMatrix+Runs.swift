/// Horizontal runs of dark modules: what a vector renderer fills, one rectangle per run.
extension QRMatrix {
    /// One maximal horizontal stretch of dark modules, in symbol coordinates (quiet zone excluded).
    public struct Run: Equatable, Sendable {
        public let row: Int
        public let start: Int
        public let length: Int
    }

    /// Dark modules merged row by row: far fewer rectangles than modules, and no seams inside a run.
    public var runs: [Run] {
        var result: [Run] = []
        for y in 0..<symbolSize {
            var x = 0
            while x < symbolSize {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                let start = x
                while x < symbolSize && isDark(x: x, y: y) { x += 1 }
                result.append(Run(row: y, start: start, length: x - start))
            }
        }
        return result
    }
}
