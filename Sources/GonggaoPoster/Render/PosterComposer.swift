import Foundation
import GonggaoCore

/// Turns one `PosterInput` into pages of drawing operations: measures text with Pango, builds the
/// flow blocks, paginates them (`FlowLayout`, pure) and places the per-page parts (header, QR, footer).
struct PosterComposer {
    let template: PosterTemplate
    let engine: TextEngine
    let input: PosterInput
    let parcels: [Parcel]
    let qr: QRMatrix
    let styles: Styles

    /// Text styles of every template role.
    struct Styles {
        let issuer, documentNumber, title, body, heading, table, tableHeader, map, caption, url, footer: TextStyle

        init(_ t: PosterTemplate) {
            let f = t.fonts
            issuer = TextStyle(f.issuer, template: t)
            documentNumber = TextStyle(f.documentNumber, template: t)
            title = TextStyle(f.title, template: t)
            body = TextStyle(f.body, template: t)
            heading = TextStyle(f.heading, template: t)
            table = TextStyle(f.table, template: t)
            tableHeader = TextStyle(f.tableHeader, template: t)
            map = TextStyle(f.map, template: t)
            caption = TextStyle(f.caption, template: t)
            url = TextStyle(f.url, template: t)
            footer = TextStyle(f.footer, template: t)
        }
    }

    /// Measured text: a layout, its lines and the pitch of each line.
    struct MeasuredText {
        var layout: Int
        var lines: [LineMetrics]
        var pitches: [Double]
        var height: Double { pitches.reduce(0, +) }
    }

    /// What each flow item is, for drawing its placed pieces.
    enum Block {
        case text(MeasuredText, role: String, color: RGBColor)
        case signature(SignatureBlock)
        case table(TableBlock)
        case map(MapBlock)
    }

    struct SignatureBlock {
        var issuer: MeasuredText
        var date: MeasuredText
        /// Offsets from the block's top-left.
        var issuerX: Double, dateX: Double, linesTop: Double
        var seal: Rect?
        var height: Double
        /// How far the seal reaches below the block.
        var sealOverhang: Double
    }

    struct MapBlock {
        var heading: MeasuredText
        var width: Double
        var frameHeight: Double
    }

    /// The composed poster.
    struct Result {
        var pages: [[PageOp]]
        var qr: QRPlacement
    }

    // MARK: - Composition

    func compose(store: inout LayoutStore) throws -> Result {
        let body = template.regions.body.points

        // Per-page chrome first: the QR block fixes where the flow must stop.
        let (qrOps, qrPlacement, qrRegion) = try qrBlock(store: &store)
        let (headerOps, headerBottom) = try header(store: &store)

        // Full-width text stops above the QR block; narrow blocks may run on beside it.
        let gap = template.body.sideGap.mm
        var fullBottom = body.maxY
        var narrowX = body.x
        var narrowWidth = body.width
        if qrRegion.intersects(body) {
            fullBottom = qrRegion.y - gap
            // Beside the QR *region*, so table columns do not change with the URL's length.
            let region = template.regions.qr.points
            let leftWidth = region.x - gap - body.x
            let rightWidth = body.maxX - region.maxX - gap
            if max(leftWidth, rightWidth) >= 40.0.mm {
                narrowWidth = max(leftWidth, rightWidth)
                narrowX = leftWidth >= rightWidth ? body.x : region.maxX + gap
            } else {
                narrowWidth = body.width
            }
        }
        let narrowBottom = narrowWidth < body.width ? body.maxY : fullBottom
        func frame(top: Double) -> FlowLayout.Frame {
            FlowLayout.Frame(
                top: top, fullBottom: fullBottom, narrowBottom: narrowBottom, fullX: body.x,
                fullWidth: body.width, narrowX: narrowX, narrowWidth: narrowWidth)
        }
        let flow = FlowLayout(firstPage: frame(top: headerBottom), laterPages: frame(top: body.y))
        guard fullBottom - body.y > 3 * (styles.body.lineHeight ?? styles.body.size * 1.5) else {
            throw PosterError.doesNotFit(key: "regions.qr", detail: "leaves too little room for text in regions.body")
        }

        // Flow blocks in reading order.
        var blocks: [Block] = []
        var items: [FlowLayout.Item] = []
        var names: [String] = []
        func add(_ name: String, _ block: Block, _ item: FlowLayout.Item) {
            names.append(name)
            blocks.append(block)
            items.append(item)
        }

        if let mark = input.mark, !mark.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            var style = styles.heading
            style.color = template.color("red")
            let text = measure(mark, style, TextOptions(width: body.width, alignment: .center), store: &store)
            add(
                "mark", .text(text, role: "mark", color: style.color),
                .init(content: .lines(text.pitches), fullWidth: true, keepWithNext: true))
        }
        let title = measure(
            input.content.title, styles.title,
            TextOptions(width: body.width, alignment: .center), store: &store)
        add(
            "title", .text(title, role: "title", color: styles.title.color),
            .init(content: .lines(title.pitches), fullWidth: true, keepWithNext: true))

        var paragraphs = input.content.body
        if let period = input.postingPeriod, !period.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            paragraphs.append(period)
        }
        let indent = template.body.firstLineIndentChars * styles.body.size
        for (i, paragraph) in paragraphs.enumerated() {
            let text = measure(
                paragraph, styles.body,
                TextOptions(width: body.width, justify: true, indent: indent), store: &store)
            let role = i < input.content.body.count ? "body" : "postingPeriod"
            let space = i == 0 ? template.body.titleGapAfter.mm : template.body.paragraphGap.mm
            add(
                i < input.content.body.count ? "body[\(i)]" : "postingPeriod",
                .text(text, role: role, color: styles.body.color),
                .init(
                    content: .lines(text.pitches), fullWidth: true, spaceBefore: space,
                    keepWithNext: i == paragraphs.count - 1))
        }

        let signature = signatureBlock(width: body.width, store: &store)
        add(
            "signature", .signature(signature),
            .init(
                content: .box(signature.height), fullWidth: true,
                spaceBefore: template.signature.gapBefore.mm))

        let table = tableBlock(width: narrowWidth, store: &store)
        add(
            "table", .table(table),
            .init(
                content: .rows(
                    heading: table.heading.height + table.headingGap,
                    continuedHeading: table.continuedHeading.height + table.headingGap,
                    header: table.header.height, rows: table.rows.map(\.height)),
                fullWidth: false, spaceBefore: max(template.attachments.gapBefore.mm, signature.sealOverhang)))

        let mapHeading = measure(template.map.title, styles.heading, TextOptions(width: narrowWidth), store: &store)
        let map = MapBlock(heading: mapHeading, width: narrowWidth, frameHeight: template.map.height.mm)
        add(
            "map", .map(map),
            .init(
                content: .box(mapHeading.height + map.frameHeight), fullWidth: false,
                spaceBefore: template.attachments.gapBetween.mm))

        let placed: (placements: [FlowLayout.Placement], pages: Int)
        do {
            placed = try flow.paginate(items)
        } catch {
            throw PosterError.blockTooTall(
                block: names[error.item], neededMM: error.height / pointsPerMM,
                availableMM: error.available / pointsPerMM)
        }

        var pages = Array(repeating: [PageOp](), count: placed.pages)
        pages[0] += headerOps
        for placement in placed.placements {
            pages[placement.page] += draw(blocks[placement.item], placement, store: &store)
        }
        for page in pages.indices {
            pages[page] += qrOps
            pages[page] += footer(page: page, of: pages.count, store: &store)
        }
        return Result(pages: pages, qr: qrPlacement)
    }

    // MARK: - Measuring

    func measure(_ text: String, _ style: TextStyle, _ options: TextOptions, store: inout LayoutStore) -> MeasuredText {
        let index = engine.layout(text, style, options, into: &store)
        return measured(index, style: style, store: store)
    }

    func measured(_ index: Int, style: TextStyle, store: borrowing LayoutStore) -> MeasuredText {
        let lines = store.lines(index)
        let pitches = lines.map { max(style.lineHeight ?? $0.height, $0.height) }
        return MeasuredText(layout: index, lines: lines, pitches: pitches)
    }

    /// Line ops for `text` with its top-left at (`x`, `y`); each line centred in its pitch.
    func emit(
        _ text: MeasuredText, x: Double, y: Double, role: String, color: RGBColor,
        lines range: Range<Int>? = nil
    ) -> [PageOp] {
        var ops: [PageOp] = []
        var top = y
        for i in range ?? text.lines.indices {
            let m = text.lines[i]
            let pitch = text.pitches[i]
            let inset = (pitch - m.height) / 2
            let baseline = top + inset + (m.baseline - m.top)
            ops.append(
                PageOp(
                    op: .line(layout: text.layout, line: i, x: x + m.originX, baseline: baseline), role: role,
                    text: m.text, box: Rect(x: x + m.originX, y: top + inset, width: m.width, height: m.height),
                    color: color))
            top += pitch
        }
        return ops
    }

    // MARK: - Drawing placed pieces

    func draw(_ block: Block, _ p: FlowLayout.Placement, store: inout LayoutStore) -> [PageOp] {
        switch block {
        case .text(let text, let role, let color):
            guard case .lines(let range) = p.part else { return [] }
            return emit(text, x: p.x, y: p.y, role: role, color: color, lines: range)
        case .signature(let s):
            var ops = emit(
                s.issuer, x: p.x + s.issuerX, y: p.y + s.linesTop, role: "signatureIssuer",
                color: styles.body.color)
            ops += emit(
                s.date, x: p.x + s.dateX, y: p.y + s.linesTop + s.issuer.height + template.signature.lineGap.mm,
                role: "signatureDate", color: styles.body.color)
            if let seal = s.seal {
                let rect = Rect(x: p.x + seal.x, y: p.y + seal.y, width: seal.width, height: seal.height)
                ops.append(PageOp(op: .seal(rect), role: "seal", text: nil, box: rect, color: template.color("red")))
            }
            return ops
        case .table(let table):
            guard case .rows(let range, let continued) = p.part else { return [] }
            return drawTable(table, rows: range, continued: continued, x: p.x, y: p.y)
        case .map(let map):
            return drawMap(map, x: p.x, y: p.y, store: &store)
        }
    }
}
