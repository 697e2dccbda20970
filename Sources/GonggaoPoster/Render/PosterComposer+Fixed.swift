import Foundation
import GonggaoCore

/// The parts at fixed places: the red header (first page), the QR block and footer (every page), and the
/// signature block's geometry.
extension PosterComposer {
    /// Red issuer name, document number and the red rule (first page). Returns the ops and where the flow starts.
    func header(store: inout LayoutStore) throws -> ([PageOp], Double) {
        let region = template.regions.header.points
        var ops: [PageOp] = []
        var y = region.y
        let issuerIndex = engine.fitted(
            input.content.issuer, styles.issuer, minSize: template.fonts.issuer.minSize,
            options: TextOptions(alignment: .center), width: region.width, into: &store)
        let issuer = measured(issuerIndex, style: styles.issuer, store: store)
        ops += emit(issuer, x: region.x, y: y, role: "issuer", color: styles.issuer.color)
        y += issuer.height + template.header.documentNumberGap.mm
        let number = measure(
            input.content.documentNumber, styles.documentNumber,
            TextOptions(width: region.width, alignment: .center), store: &store)
        ops += emit(number, x: region.x, y: y, role: "documentNumber", color: styles.documentNumber.color)
        y += number.height + template.header.ruleGap.mm
        let ruleWidth = template.header.ruleWidth.mm
        ops.append(
            PageOp(
                op: .stroke(
                    x0: region.x, y0: y + ruleWidth / 2, x1: region.maxX, y1: y + ruleWidth / 2,
                    width: ruleWidth),
                role: "headerRule", text: nil, box: Rect(x: region.x, y: y, width: region.width, height: ruleWidth),
                color: template.color(template.header.ruleColor)))
        y += ruleWidth
        if y > region.maxY + 0.01 {
            throw PosterError.doesNotFit(
                key: "regions.header.height",
                detail:
                    "the issuer, document number and rule need \(Int(((y - region.y) / pointsPerMM).rounded(.up))) mm, the region is \(template.regions.header.height) mm"
            )
        }
        return (ops, y + template.header.gapAfter.mm)
    }

    /// The QR code with its caption and URL under it (every page), anchored at the bottom-right of
    /// the QR region. Returns the ops, the placement and the rectangle the block covers.
    func qrBlock(store: inout LayoutStore) throws -> ([PageOp], QRPlacement, Rect) {
        let region = template.regions.qr.points
        let gap = template.qr.captionGap.mm
        let captionIndex = engine.fitted(
            template.qr.caption, styles.caption, minSize: template.fonts.caption.minSize,
            options: TextOptions(alignment: .center), width: region.width, into: &store)
        let caption = measured(captionIndex, style: styles.caption, store: store)
        let urlIndex = engine.fitted(
            input.qrURL, styles.url, minSize: template.fonts.url.minSize,
            options: TextOptions(alignment: .center, wrap: .char), width: region.width,
            into: &store)
        let url = measured(urlIndex, style: styles.url, store: store)
        let textHeight = caption.height + url.height + 2 * gap
        let largest = min(region.width, region.height - textHeight)
        let preferred = Double(qr.totalSize) * (template.qr.module ?? template.qr.minModule).mm
        let side = min(largest, preferred)
        let module = side / Double(qr.totalSize)
        guard module / pointsPerMM >= template.qr.minModule - 1e-9 else {
            throw PosterError.doesNotFit(
                key: "regions.qr",
                detail:
                    "a version-\(qr.version) code (\(qr.totalSize) modules with quiet zone) with caption and URL needs \(Int((Double(qr.totalSize) * template.qr.minModule).rounded(.up))) mm at \(template.qr.minModule) mm per module; \(Int(largest / pointsPerMM)) mm is left"
            )
        }
        let blockHeight = side + textHeight
        let square = Rect(x: region.maxX - side, y: region.maxY - blockHeight, width: side, height: side)
        var ops = [
            PageOp(op: .qr(qr, square), role: "qr", text: qr.text, box: square, color: RGBColor(r: 0, g: 0, b: 0))
        ]
        // Caption and URL centred under the code (their layouts are region-wide and centred).
        let textX = square.x + side / 2 - region.width / 2
        ops += emit(caption, x: textX, y: square.maxY + gap, role: "qrCaption", color: styles.caption.color)
        ops += emit(url, x: textX, y: square.maxY + gap + caption.height + gap, role: "qrURL", color: styles.url.color)
        let widest = max(side, caption.lines.map(\.width).max() ?? 0, url.lines.map(\.width).max() ?? 0)
        let block = Rect(x: square.x + side / 2 - widest / 2, y: square.y, width: widest, height: blockHeight)
        let placement = QRPlacement(
            url: qr.text, version: qr.version, errorCorrection: qr.errorCorrection,
            modulesWithQuietZone: qr.totalSize, moduleMM: module / pointsPerMM,
            x: square.x / pointsPerMM, y: square.y / pointsPerMM, sizeMM: side / pointsPerMM)
        return (ops, placement, block)
    }

    /// Footer text of one page: notice id, version, page x/y and verification code.
    static func footerText(noticeID: String, version: Int, page: Int, of count: Int, code: String) -> String {
        "公告编号 \(noticeID)　第\(version)版　第\(page)/\(count)页　校验码 \(code)"
    }

    func footer(page: Int, of count: Int, store: inout LayoutStore) -> [PageOp] {
        let region = template.regions.footer.points
        let code = VerificationCode.of(contentHash: input.contentHash) ?? "--------"
        let text = Self.footerText(
            noticeID: input.noticeID, version: input.version, page: page + 1, of: count, code: code)
        let measured = measure(text, styles.footer, TextOptions(width: region.width, alignment: .center), store: &store)
        var ops: [PageOp] = []
        let ruleWidth = template.footer.ruleWidth.mm
        if ruleWidth > 0 {
            ops.append(
                PageOp(
                    op: .stroke(x0: region.x, y0: region.y, x1: region.maxX, y1: region.y, width: ruleWidth),
                    role: "footerRule", text: nil,
                    box: Rect(x: region.x, y: region.y, width: region.width, height: ruleWidth),
                    color: styles.footer.color))
        }
        let y = region.y + max(ruleWidth, (region.height - measured.height) / 2)
        return ops + emit(measured, x: region.x, y: y, role: "footer", color: styles.footer.color)
    }

    /// Issuer over the date, the date ending `rightIndentChars` from the right edge, room for the seal.
    ///
    /// GB/T 9704 §7.3.5.1: the seal presses centred over issuer and date, which sit a little below its
    /// centre; its top comes within one line of the text above. The block starts with that room; the
    /// seal may hang below the date into the space after the block (`sealOverhang`).
    func signatureBlock(width: Double, store: inout LayoutStore) -> SignatureBlock {
        let style = styles.body
        let issuer = measure(input.content.issuer, style, TextOptions(), store: &store)
        let date = measure(input.content.dateWritten.chinese, style, TextOptions(), store: &store)
        let issuerWidth = issuer.lines.first?.width ?? 0
        let dateWidth = date.lines.first?.width ?? 0
        let dateX = width - template.signature.rightIndentChars * style.size - dateWidth
        var issuerX = dateX + dateWidth / 2 - issuerWidth / 2
        if issuerX + issuerWidth > width - style.size { issuerX = width - 2 * style.size - issuerWidth }
        let lineGap = template.signature.lineGap.mm
        let linesHeight = issuer.height + lineGap + date.height
        let diameter = template.signature.sealDiameter.mm
        guard diameter > 0 else {
            return SignatureBlock(
                issuer: issuer, date: date, issuerX: issuerX, dateX: dateX, linesTop: 0, seal: nil,
                height: linesHeight, sealOverhang: 0)
        }
        let centreAboveLines = diameter * 0.05
        let linesTop = max(0, diameter / 2 + centreAboveLines - linesHeight / 2)
        let sealTop = linesTop + linesHeight / 2 - centreAboveLines - diameter / 2
        let sealX = dateX + dateWidth / 2 - diameter / 2
        let height = linesTop + linesHeight
        return SignatureBlock(
            issuer: issuer, date: date, issuerX: issuerX, dateX: dateX, linesTop: linesTop,
            seal: Rect(x: sealX, y: sealTop, width: diameter, height: diameter),
            height: height, sealOverhang: max(0, sealTop + diameter - height))
    }
}
