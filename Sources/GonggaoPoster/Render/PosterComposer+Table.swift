import GonggaoCore

/// The parcel table (key, village, area in 亩 and m², land use), continued over pages with its header.
extension PosterComposer {
    struct TableBlock {
        var heading: MeasuredText
        var continuedHeading: MeasuredText
        var headingGap: Double
        /// Column left edges relative to the table, and widths.
        var columnX: [Double]
        var columnWidth: [Double]
        var width: Double
        var header: Row
        /// One row per parcel, then the total row.
        var rows: [Row]
    }

    struct Row {
        var cells: [MeasuredText]
        var height: Double
        var role: String
    }

    /// Text of one cell for a parcel.
    static func cellText(_ field: PosterTemplate.Table.Field, _ parcel: Parcel) -> String {
        switch field {
        case .key: parcel.key
        case .displayName: parcel.displayName
        case .village: parcel.village
        case .owner: parcel.owner
        case .areaMu: Area.format(parcel.areaMu)
        case .areaM2: String(Int(parcel.areaM2.rounded()))
        case .landUse: parcel.landUse.map(\.name).joined(separator: "、")
        }
    }

    /// Texts of the total row: label in the first text column, the parcel count under the village, sums under areas.
    func totalTexts() -> [String] {
        let columns = template.table.columns
        let labelColumn = columns.firstIndex { $0.field == .key || $0.field == .displayName } ?? 0
        return columns.enumerated().map { i, column in
            if i == labelColumn { return template.table.totalLabel }
            switch column.field {
            case .village: return "\(parcels.count)宗"
            case .areaMu: return Area.format(parcels.reduce(0) { $0 + $1.areaMu })
            case .areaM2: return String(Int(parcels.reduce(0) { $0 + $1.areaM2 }.rounded()))
            default: return ""
            }
        }
    }

    func tableBlock(width: Double, store: inout LayoutStore) -> TableBlock {
        let columns = template.table.columns
        let totalWeight = columns.reduce(0) { $0 + $1.weight }
        var columnX: [Double] = []
        var columnWidth: [Double] = []
        var x = 0.0
        for column in columns {
            columnX.append(x)
            let w = width * column.weight / totalWeight
            columnWidth.append(w)
            x += w
        }
        let pad = template.table.cellPadding.mm

        func row(_ texts: [String], style: TextStyle, role: String, header: Bool) -> Row {
            let cells = texts.enumerated().map { i, text in
                let align: TextOptions.Alignment
                switch header ? .center : columns[i].align {
                case .left: align = .left
                case .center: align = .center
                case .right: align = .right
                }
                // Keys and numbers may break anywhere; words are Chinese anyway.
                return measure(
                    text, style,
                    TextOptions(
                        width: max(1, columnWidth[i] - 2 * pad), alignment: align,
                        wrap: .wordChar), store: &store)
            }
            let height = (cells.map(\.height).max() ?? 0) + 2 * pad
            return Row(cells: cells, height: height, role: role)
        }

        let heading = measure(template.table.title, styles.heading, TextOptions(width: width), store: &store)
        let continued = measure(template.table.continuedTitle, styles.heading, TextOptions(width: width), store: &store)
        let header = row(columns.map(\.title), style: styles.tableHeader, role: "tableHeader", header: true)
        var rows = parcels.map { parcel in
            row(columns.map { Self.cellText($0.field, parcel) }, style: styles.table, role: "table", header: false)
        }
        rows.append(row(totalTexts(), style: styles.table, role: "tableTotal", header: false))
        return TableBlock(
            heading: heading, continuedHeading: continued, headingGap: 1.5.mm, columnX: columnX,
            columnWidth: columnWidth, width: width, header: header, rows: rows)
    }

    /// Heading, header row, the rows in `range`, and the rules around and between them.
    func drawTable(_ table: TableBlock, rows range: Range<Int>, continued: Bool, x: Double, y: Double) -> [PageOp] {
        let heading = continued ? table.continuedHeading : table.heading
        var ops = emit(heading, x: x, y: y, role: "tableHeading", color: styles.heading.color)
        let top = y + heading.height + table.headingGap
        let rule = template.table.ruleWidth.mm
        let ink = template.color("text")
        let pad = template.table.cellPadding.mm

        var rowTop = top
        var rowTops: [Double] = []
        for row in [table.header] + table.rows[range] {
            rowTops.append(rowTop)
            for (i, cell) in row.cells.enumerated() {
                let cellTop = rowTop + (row.height - cell.height) / 2
                ops += emit(
                    cell, x: x + table.columnX[i] + pad, y: cellTop, role: row.role,
                    color: row.role == "tableHeader" ? styles.tableHeader.color : styles.table.color)
            }
            rowTop += row.height
        }
        let frame = Rect(x: x, y: top, width: table.width, height: rowTop - top)
        ops.append(PageOp(op: .frame(frame, width: rule), role: "tableFrame", text: nil, box: frame, color: ink))
        for rowY in rowTops.dropFirst() {
            ops.append(
                PageOp(
                    op: .stroke(x0: x, y0: rowY, x1: x + table.width, y1: rowY, width: rule), role: "tableRule",
                    text: nil, box: Rect(x: x, y: rowY, width: table.width, height: 0), color: ink))
        }
        for columnX in table.columnX.dropFirst() {
            ops.append(
                PageOp(
                    op: .stroke(x0: x + columnX, y0: top, x1: x + columnX, y1: rowTop, width: rule),
                    role: "tableRule", text: nil, box: Rect(x: x + columnX, y: top, width: 0, height: rowTop - top),
                    color: ink))
        }
        return ops
    }
}

/// The scope map (附图) block: heading, frame, parcels, labels, scale bar and north arrow.
extension PosterComposer {
    func drawMap(_ block: MapBlock, x: Double, y: Double, store: inout LayoutStore) -> [PageOp] {
        var ops = emit(block.heading, x: x, y: y, role: "mapHeading", color: styles.heading.color)
        let frame = Rect(x: x, y: y + block.heading.height, width: block.width, height: block.frameHeight)
        let map = ScopeMap(parcels: parcels, frame: frame, padding: template.map.padding.mm)
        ops.append(
            PageOp(
                op: .map(
                    map, lineWidth: template.map.lineWidth.mm, fill: template.color("mapFill"),
                    grid: template.color("mapGrid")),
                role: "map", text: map.scaleText, box: frame, color: template.color("mapLine")))

        // Parcel keys at the centroids: the full key when it fits the parcel's width, else the part after
        // the keys' common prefix (e.g. 37-196 → 196), else none; never over another label.
        var taken: [Rect] = []
        let style = styles.map
        let label = TextOptions()
        let prefix = Self.commonKeyPrefix(map.shapes.map(\.key))
        for shape in map.shapes {
            let xs = shape.rings.first?.map(\.x) ?? []
            let shapeWidth = (xs.max() ?? 0) - (xs.min() ?? 0)
            let candidates = [shape.key, String(shape.key.dropFirst(prefix.count))].filter { !$0.isEmpty }
            for candidate in candidates {
                let text = measure(candidate, style, label, store: &store)
                guard let line = text.lines.first else { continue }
                let box = Rect(
                    x: shape.labelAt.x - line.width / 2, y: shape.labelAt.y - text.height / 2,
                    width: line.width, height: text.height)
                let fits = line.width <= shapeWidth * 1.1 || map.shapes.count == 1
                if !fits || !frame.contains(box) || taken.contains(where: { $0.intersects(box) }) { continue }
                taken.append(box)
                ops += emit(text, x: box.x - line.originX, y: box.y, role: "mapLabel", color: style.color)
                break
            }
        }

        // Scale bar labels and the north arrow's letter.
        let barY = map.scaleBarOrigin.y
        let zero = measure("0", style, label, store: &store)
        ops += emit(
            zero, x: map.scaleBarOrigin.x - (zero.lines.first?.width ?? 0) / 2, y: barY - zero.height - 1.0.mm,
            role: "mapScale", color: style.color)
        let end = measure("\(map.scaleBarMetres)米", style, label, store: &store)
        ops += emit(
            end, x: map.scaleBarOrigin.x + map.scaleBarLength - (end.lines.first?.width ?? 0) / 2,
            y: barY - end.height - 1.0.mm, role: "mapScale", color: style.color)
        let ratio = measure("比例尺 \(map.scaleText)", style, label, store: &store)
        ops += emit(
            ratio, x: map.scaleBarOrigin.x + map.scaleBarLength + 3.0.mm, y: barY - ratio.height / 2,
            role: "mapScale", color: style.color)
        let north = measure("北", style, label, store: &store)
        ops += emit(
            north, x: map.northArrow.x - (north.lines.first?.width ?? 0) / 2,
            y: map.northArrow.y - map.northArrowSize * 0.6 - north.height, role: "mapNorth", color: style.color)
        return ops
    }

    /// The longest prefix common to all keys that ends with a hyphen (`330523-2026-37-`); empty for one key.
    static func commonKeyPrefix(_ keys: [String]) -> String {
        guard keys.count > 1, let first = keys.first else { return "" }
        var prefix = Substring(first)
        for key in keys.dropFirst() {
            while !key.hasPrefix(prefix) { prefix = prefix.dropLast() }
        }
        guard let hyphen = prefix.lastIndex(of: "-") else { return "" }
        return String(prefix[...hyphen])
    }
}
