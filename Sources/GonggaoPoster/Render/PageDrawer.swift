internal import CPangoCairo

/// Executes one page's drawing operations on a cairo context (PDF page or raster page alike).
struct PageDrawer {
    let cr: OpaquePointer

    func draw(_ ops: [PageOp], store: borrowing LayoutStore, seal: (Rect) -> Void) {
        for item in ops {
            setColor(item.color)
            switch item.op {
            case .line(let layout, let line, let x, let baseline):
                store.drawLine(layout, line: line, on: cr, x: x, baseline: baseline)
            case .stroke(let x0, let y0, let x1, let y1, let width):
                cairo_set_line_width(cr, width)
                cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
                cairo_move_to(cr, x0, y0)
                cairo_line_to(cr, x1, y1)
                cairo_stroke(cr)
            case .frame(let rect, let width):
                cairo_set_line_width(cr, width)
                cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
                cairo_stroke(cr)
            case .qr(let matrix, let rect):
                drawQR(matrix, in: rect)
            case .map(let map, let lineWidth, let fill, let grid):
                drawMap(map, lineWidth: lineWidth, line: item.color, fill: fill, grid: grid)
            case .seal(let rect):
                seal(rect)
            }
        }
    }

    private func setColor(_ c: RGBColor) { cairo_set_source_rgb(cr, c.r, c.g, c.b) }

    /// Dark modules as one path of merged horizontal runs, filled once: no seams between modules.
    private func drawQR(_ matrix: QRMatrix, in rect: Rect) {
        let module = rect.width / Double(matrix.totalSize)
        let q = Double(matrix.quietZone)
        cairo_new_path(cr)
        for run in matrix.runs {
            cairo_rectangle(
                cr, rect.x + (Double(run.start) + q) * module, rect.y + (Double(run.row) + q) * module,
                Double(run.length) * module, module)
        }
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_fill(cr)
    }

    private func drawMap(_ map: ScopeMap, lineWidth: Double, line: RGBColor, fill: RGBColor, grid: RGBColor) {
        // Frame.
        setColor(grid)
        cairo_set_line_width(cr, 0.5)
        cairo_rectangle(cr, map.frame.x, map.frame.y, map.frame.width, map.frame.height)
        cairo_stroke(cr)

        // Parcels: holes by the even-odd rule.
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        for shape in map.shapes {
            cairo_new_path(cr)
            for ring in shape.rings {
                guard let first = ring.first else { continue }
                cairo_move_to(cr, first.x, first.y)
                for p in ring.dropFirst() { cairo_line_to(cr, p.x, p.y) }
                cairo_close_path(cr)
            }
            setColor(fill)
            cairo_fill_preserve(cr)
            setColor(line)
            cairo_set_line_width(cr, lineWidth)
            cairo_stroke(cr)
        }
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING)

        // Scale bar: two halves, black then white, outlined.
        let o = map.scaleBarOrigin
        let length = map.scaleBarLength
        let h = 1.2.mm
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_rectangle(cr, o.x, o.y - h / 2, length / 2, h)
        cairo_fill(cr)
        cairo_set_line_width(cr, 0.4)
        cairo_rectangle(cr, o.x, o.y - h / 2, length, h)
        cairo_stroke(cr)

        // North arrow: a split arrowhead, left half filled.
        let c = map.northArrow
        let s = map.northArrowSize
        let apex = (c.x, c.y - s * 0.5)
        let notch = (c.x, c.y + s * 0.2)
        let left = (c.x - s * 0.28, c.y + s * 0.5)
        let right = (c.x + s * 0.28, c.y + s * 0.5)
        cairo_new_path(cr)
        cairo_move_to(cr, apex.0, apex.1)
        cairo_line_to(cr, left.0, left.1)
        cairo_line_to(cr, notch.0, notch.1)
        cairo_close_path(cr)
        cairo_fill(cr)
        cairo_move_to(cr, apex.0, apex.1)
        cairo_line_to(cr, left.0, left.1)
        cairo_line_to(cr, notch.0, notch.1)
        cairo_line_to(cr, right.0, right.1)
        cairo_close_path(cr)
        cairo_set_line_width(cr, 0.5)
        cairo_stroke(cr)
    }
}
