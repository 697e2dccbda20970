/// Pure pagination: measured blocks in, pages of placements out. No fonts, no cairo: testable alone.
///
/// Each page offers one column with two bottoms: full-width blocks (paragraphs, the signature) stop
/// above the QR block; narrow blocks (the parcel table, the map) are laid out at the width beside the
/// QR block and may run on beside it down to the bottom of the text block. Blocks keep their order;
/// paragraphs split between lines, tables between rows (repeating their heading and header row on the
/// next page), boxes never split. Nothing is ever shrunk: what does not fit moves on.
struct FlowLayout {
    /// The space of one page, in points.
    struct Frame: Equatable, Sendable {
        var top: Double
        /// Where full-width blocks must end (above the QR block).
        var fullBottom: Double
        /// Where narrow blocks must end (the bottom of the text block).
        var narrowBottom: Double
        var fullX: Double
        var fullWidth: Double
        var narrowX: Double
        var narrowWidth: Double
    }

    /// What one block needs.
    enum Content: Equatable, Sendable {
        /// Splittable between lines; each value is one line's height (its pitch).
        case lines([Double])
        /// Splittable between rows; `heading` starts the first piece, `continuedHeading` every later one,
        /// each followed by the header row.
        case rows(heading: Double, continuedHeading: Double, header: Double, rows: [Double])
        /// Never split.
        case box(Double)
    }

    struct Item: Equatable, Sendable {
        var content: Content
        /// True when the block needs the full text width.
        var fullWidth: Bool
        /// Space above the block, dropped at the top of a page.
        var spaceBefore: Double = 0
        /// Keeps the block's last line (or the whole block) on the same page as the start of the next one.
        var keepWithNext: Bool = false
    }

    enum Part: Equatable, Sendable {
        case lines(Range<Int>)
        /// `continued` is true when this piece starts with the continued heading.
        case rows(Range<Int>, continued: Bool)
        case box
    }

    /// One piece of one block on one page.
    struct Placement: Equatable, Sendable {
        var item: Int
        var page: Int
        var x: Double
        var y: Double
        var width: Double
        var part: Part
    }

    /// A block that cannot be placed even at the top of an empty page.
    struct TooTall: Error, Equatable {
        var item: Int
        var height: Double
        var available: Double
    }

    let firstPage: Frame
    let laterPages: Frame

    func frame(page: Int) -> Frame { page == 0 ? firstPage : laterPages }

    /// Places `items` in order; returns the placements and the number of pages used.
    func paginate(_ items: [Item]) throws(TooTall) -> (placements: [Placement], pages: Int) {
        var page = 0
        var y = firstPage.top
        var placements: [Placement] = []

        func bottom(_ item: Item) -> Double {
            let f = frame(page: page)
            return item.fullWidth ? f.fullBottom : f.narrowBottom
        }
        func atTop() -> Bool { y <= frame(page: page).top + 1e-6 }
        func newPage() {
            page += 1
            y = laterPages.top
        }
        func place(_ index: Int, _ item: Item, _ part: Part) {
            let f = frame(page: page)
            placements.append(
                Placement(
                    item: index, page: page, x: item.fullWidth ? f.fullX : f.narrowX, y: y,
                    width: item.fullWidth ? f.fullWidth : f.narrowWidth, part: part))
        }
        /// A fresh later page must hold `height`, or the block can never be placed.
        func checkFits(_ height: Double, _ index: Int, _ item: Item) throws(TooTall) {
            let available = (item.fullWidth ? laterPages.fullBottom : laterPages.narrowBottom) - laterPages.top
            if height > available + 1e-6 { throw TooTall(item: index, height: height, available: available) }
        }

        for (index, item) in items.enumerated() {
            let next = index + 1 < items.count ? items[index + 1] : nil
            let keep = item.keepWithNext ? (next.map { $0.spaceBefore + Self.firstPieceHeight($0) } ?? 0) : 0
            if !atTop() { y += item.spaceBefore }
            // A full-width block after narrow ones may find the cursor already below its bottom.
            if y > bottom(item) + 1e-6 { newPage() }

            switch item.content {
            case .box(let height):
                try checkFits(height, index, item)
                if y + height + keep > bottom(item) + 1e-6 && !atTop() { newPage() }
                if y + height > bottom(item) + 1e-6 { newPage() }
                place(index, item, .box)
                y += height

            case .lines(let heights):
                if let tallest = heights.max() { try checkFits(tallest, index, item) }
                var start = 0
                while start < heights.count {
                    var end = start
                    var used = 0.0
                    while end < heights.count && y + used + heights[end] <= bottom(item) + 1e-6 {
                        used += heights[end]
                        end += 1
                    }
                    // The last piece must leave room for the start of a block kept with this one.
                    if end == heights.count && end > start && keep > 0 && y + used + keep > bottom(item) + 1e-6
                        && (end - 1 > start || !atTop())
                    {
                        end -= 1
                        used -= heights[end]
                    }
                    // Orphan: never leave only the first line of a longer paragraph at a page's end.
                    if start == 0 && end == 1 && heights.count > 1 && !atTop() {
                        end = 0
                        used = 0
                    }
                    if end > start {
                        place(index, item, .lines(start..<end))
                        y += used
                        start = end
                    }
                    if start < heights.count { newPage() }
                }

            case .rows(let heading, let continuedHeading, let header, let rows):
                try checkFits(continuedHeading + header + (rows.max() ?? 0), index, item)
                var start = 0
                var continued = false
                var placedAny = false
                repeat {
                    let lead = (continued ? continuedHeading : heading) + header
                    var end = start
                    var used = lead
                    while end < rows.count && y + used + rows[end] <= bottom(item) + 1e-6 {
                        used += rows[end]
                        end += 1
                    }
                    if end == rows.count && keep > 0 && y + used + keep > bottom(item) + 1e-6 && end - start > 1 {
                        end -= 1
                        used -= rows[end]
                    }
                    if end > start || (rows.isEmpty && y + used <= bottom(item) + 1e-6) {
                        place(index, item, .rows(start..<end, continued: continued))
                        y += used
                        continued = true
                        placedAny = true
                        start = end
                    }
                    if start < rows.count || !placedAny { newPage() }
                } while start < rows.count || !placedAny
            }
        }
        return (placements, page + 1)
    }

    /// Height of the smallest first piece of an item (what "keep with next" must leave room for).
    static func firstPieceHeight(_ item: Item) -> Double {
        switch item.content {
        case .box(let height): height
        case .lines(let heights): heights.prefix(min(2, heights.count)).reduce(0, +)
        case .rows(let heading, _, let header, let rows): heading + header + (rows.first ?? 0)
        }
    }
}
