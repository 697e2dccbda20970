internal import CPangoCairo
import Foundation

/// A text style resolved from a template font role.
struct TextStyle: Equatable {
    var family: String
    var bold: Bool
    var size: Double
    var color: RGBColor
    /// Baseline-to-baseline pitch in points; nil = the font's natural line height.
    var lineHeight: Double?

    init(_ font: PosterTemplate.Font, template: PosterTemplate, size: Double? = nil) {
        family = font.family
        bold = font.weight == .bold
        self.size = size ?? font.size
        color = template.color(font.color)
        lineHeight = font.lineHeight
    }
}

/// Paragraph settings for one layout.
struct TextOptions {
    enum Alignment { case left, center, right }
    enum Wrap { case wordChar, char }

    /// Width in points to wrap at; nil = one unwrapped line.
    var width: Double?
    var alignment: Alignment = .left
    var justify = false
    /// First-line indent in points.
    var indent: Double = 0
    var wrap: Wrap = .wordChar
}

/// One laid-out line, in points relative to the layout's top-left.
struct LineMetrics: Equatable {
    /// Where `pango_cairo_show_layout_line` must start the line (alignment and indent included).
    var originX: Double
    var top: Double
    var height: Double
    /// Baseline, from the layout's top.
    var baseline: Double
    var width: Double
    /// The line's text.
    var text: String
}

/// Pango font map and context for one renderer: fonts, shaping and measuring.
///
/// - Important: Pango objects are not thread-safe. A `TextEngine` belongs to one `PosterRenderer`,
///   which only touches it while holding its lock.
final class TextEngine {
    private let fontMap: UnsafeMutablePointer<PangoFontMap>
    private let context: OpaquePointer

    init() {
        // A private font map (not the per-thread default), so renders on any thread share one cache.
        fontMap = pango_cairo_font_map_new()
        context = pango_font_map_create_context(fontMap)
        // 72 dpi: one Pango point = one PDF user unit.
        pango_cairo_context_set_resolution(context, 72)
        // Unhinted metrics: the same line breaks and positions for the PDF and every PNG resolution.
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        // Simplified-Chinese glyph forms and punctuation placement (locl), and Chinese line breaking.
        pango_context_set_language(context, pango_language_from_string("zh-cn"))
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(context))
        g_object_unref(UnsafeMutableRawPointer(fontMap))
    }

    private func description(_ style: TextStyle) -> OpaquePointer {
        let desc = pango_font_description_new()!
        pango_font_description_set_family(desc, style.family)
        pango_font_description_set_weight(desc, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_absolute_size(desc, style.size * Double(PANGO_SCALE))
        return desc
    }

    /// A new layout; the store owns it.
    func layout(_ text: String, _ style: TextStyle, _ options: TextOptions, into store: inout LayoutStore) -> Int {
        let layout = pango_layout_new(context)!
        let desc = description(style)
        pango_layout_set_font_description(layout, desc)  // copies the description
        pango_font_description_free(desc)
        if let width = options.width {
            pango_layout_set_width(layout, Int32((width * Double(PANGO_SCALE)).rounded(.down)))
            pango_layout_set_wrap(layout, options.wrap == .char ? PANGO_WRAP_CHAR : PANGO_WRAP_WORD_CHAR)
        }
        switch options.alignment {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        }
        pango_layout_set_justify(layout, options.justify ? 1 : 0)
        if options.indent != 0 {
            pango_layout_set_indent(layout, Int32((options.indent * Double(PANGO_SCALE)).rounded()))
        }
        pango_layout_set_text(layout, text, -1)
        return store.add(layout)
    }

    /// Shrinks `style` from its size towards `minSize` until `text` fits one line of `width`; returns
    /// the layout at the size that fits, or, at `minSize`, wrapped.
    func fitted(
        _ text: String, _ style: TextStyle, minSize: Double?, options: TextOptions, width: Double,
        into store: inout LayoutStore
    ) -> Int {
        var style = style
        let floor = minSize ?? style.size
        var trial = options
        trial.width = nil
        func naturalWidth(_ style: TextStyle) -> Double {
            var probe = LayoutStore()
            return probe.size(layout(text, style, trial, into: &probe)).width
        }
        var natural = naturalWidth(style)
        if natural > width + 0.01 && style.size > floor {
            // Width scales with size: jump close, then step down by ¼ pt until it fits or hits the floor.
            style.size = max(floor, (style.size * width / natural * 4).rounded(.down) / 4)
            natural = naturalWidth(style)
            while natural > width + 0.01 && style.size > floor {
                style.size = max(floor, style.size - 0.25)
                natural = naturalWidth(style)
            }
        }
        var final = options
        final.width = width
        return layout(text, style, final, into: &store)
    }

    /// The installed family a font role resolves to, and whether each scalar has a glyph in it.
    func font(_ style: TextStyle) -> ResolvedFont {
        let desc = description(style)
        defer { pango_font_description_free(desc) }
        guard let font = pango_font_map_load_font(fontMap, context, desc) else {
            return ResolvedFont(family: "", pointer: nil)
        }
        let described = pango_font_describe(font)
        let family = pango_font_description_get_family(described).map { String(cString: $0) } ?? ""
        pango_font_description_free(described)
        return ResolvedFont(family: family, pointer: font)
    }
}

/// A loaded Pango font, for glyph-coverage checks.
struct ResolvedFont: ~Copyable {
    /// Family fontconfig actually chose (differs from the request when the family is missing).
    let family: String
    fileprivate let pointer: UnsafeMutablePointer<PangoFont>?

    /// True when the font itself (no fallback) has a glyph for `scalar`.
    func hasGlyph(_ scalar: Unicode.Scalar) -> Bool {
        guard let pointer else { return false }
        return pango_font_has_char(pointer, scalar.value) != 0
    }

    deinit { if let pointer { g_object_unref(UnsafeMutableRawPointer(pointer)) } }
}

/// Owns the Pango layouts of one render; items refer to them by index.
struct LayoutStore: ~Copyable {
    private var layouts: [OpaquePointer] = []

    init() {}

    deinit { for layout in layouts { g_object_unref(UnsafeMutableRawPointer(layout)) } }

    mutating func add(_ layout: OpaquePointer) -> Int {
        layouts.append(layout)
        return layouts.count - 1
    }

    func pointer(_ index: Int) -> OpaquePointer { layouts[index] }

    /// Logical size of the whole layout in points.
    func size(_ index: Int) -> (width: Double, height: Double) {
        var logical = PangoRectangle()
        pango_layout_get_extents(layouts[index], nil, &logical)
        return (Double(logical.width) / Double(PANGO_SCALE), Double(logical.height) / Double(PANGO_SCALE))
    }

    /// The layout's text.
    func text(_ index: Int) -> String { String(cString: pango_layout_get_text(layouts[index])) }

    /// Every line with its position, in points from the layout's top-left.
    func lines(_ index: Int) -> [LineMetrics] {
        let layout = layouts[index]
        let utf8 = Array(String(cString: pango_layout_get_text(layout)).utf8)
        var result: [LineMetrics] = []
        let iter = pango_layout_get_iter(layout)
        defer { pango_layout_iter_free(iter) }
        let scale = Double(PANGO_SCALE)
        repeat {
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(iter, nil, &logical)
            let baseline = pango_layout_iter_get_baseline(iter)
            let line = pango_layout_iter_get_line_readonly(iter)!
            var own = PangoRectangle()
            pango_layout_line_get_extents(line, nil, &own)
            let start = Int(line.pointee.start_index)
            let length = Int(line.pointee.length)
            let end = min(utf8.count, start + length)
            let text = start < end ? String(decoding: utf8[start..<end], as: UTF8.self) : ""
            result.append(
                LineMetrics(
                    originX: Double(logical.x - own.x) / scale, top: Double(logical.y) / scale,
                    height: Double(logical.height) / scale, baseline: Double(baseline) / scale,
                    width: Double(logical.width) / scale, text: text))
        } while pango_layout_iter_next_line(iter) != 0
        return result
    }

    /// Glyphs Pango could not find in any font (drawn as hex boxes).
    func unknownGlyphs(_ index: Int) -> Int { Int(pango_layout_get_unknown_glyphs_count(layouts[index])) }

    /// Draws line `line` with its left origin at (`x`, `baseline`).
    func drawLine(_ index: Int, line: Int, on cr: OpaquePointer, x: Double, baseline: Double) {
        guard let pangoLine = pango_layout_get_line_readonly(layouts[index], Int32(line)) else { return }
        cairo_move_to(cr, x, baseline)
        pango_cairo_show_layout_line(cr, pangoLine)
    }

    /// Draws the whole layout with its top-left at (`x`, `y`).
    func draw(_ index: Int, on cr: OpaquePointer, x: Double, y: Double) {
        cairo_move_to(cr, x, y)
        pango_cairo_show_layout(cr, layouts[index])
    }
}
