internal import CPangoCairo
import Foundation

/// A cairo call that failed, with cairo's status and message.
public struct CairoFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public let function: String
    public let status: Int
    public let message: String
    public var description: String { "cairo: \(function) failed: \(message) (status \(status))" }

    init(_ function: String, _ status: cairo_status_t) {
        self.function = function
        self.status = Int(status.rawValue)
        message = String(cString: cairo_status_to_string(status))
    }

    /// The one status check of this wrapper.
    static func check(_ function: String, _ status: cairo_status_t) throws(CairoFailure) {
        if status != CAIRO_STATUS_SUCCESS { throw CairoFailure(function, status) }
    }
}

/// Collects what cairo writes to a stream.
private final class ByteSink {
    var bytes: [UInt8] = []
}

/// PDF document metadata, fixed so the same notice version renders to identical bytes.
struct PDFMetadata {
    var title: String
    var author: String
    var subject: String
    var keywords: String
    var creator: String
    /// ISO-8601 `YYYY-MM-DDThh:mm:ss+08:00`, written as both creation and modification date.
    var date: String
}

/// One PDF being written: surface, drawing context and the bytes sink.
struct PDFDocument: ~Copyable {
    private let surface: OpaquePointer
    let cr: OpaquePointer
    private let sink: Unmanaged<ByteSink>

    init(widthPoints: Double, heightPoints: Double, metadata: PDFMetadata) throws(CairoFailure) {
        let sink = Unmanaged.passRetained(ByteSink())
        let write: cairo_write_func_t = { closure, data, length in
            let sink = Unmanaged<ByteSink>.fromOpaque(closure!).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }
        let surface = cairo_pdf_surface_create_for_stream(write, sink.toOpaque(), widthPoints, heightPoints)!
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            sink.release()
            throw CairoFailure("cairo_pdf_surface_create_for_stream", status)
        }
        // cairo stamps the current time unless told otherwise: fix every date to the approval time.
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, metadata.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, metadata.author)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, metadata.subject)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, metadata.keywords)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, metadata.creator)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, metadata.date)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, metadata.date)
        self.surface = surface
        self.sink = sink
        cr = cairo_create(surface)
    }

    /// Ends the current page and starts the next.
    func showPage() { cairo_show_page(cr) }

    /// Finishes the document (fonts are subset and embedded here) and returns its bytes.
    consuming func finish() throws(CairoFailure) -> [UInt8] {
        try CairoFailure.check("drawing the PDF", cairo_status(cr))
        cairo_surface_finish(surface)
        try CairoFailure.check("cairo_surface_finish (PDF)", cairo_surface_status(surface))
        return sink.takeUnretainedValue().bytes
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)  // finishes the surface if `finish` was not called
        sink.release()
    }
}

/// One page rendered to pixels at a resolution (cairo RGB24 image surface, user space in points).
struct RasterPage: ~Copyable {
    private let surface: OpaquePointer
    let cr: OpaquePointer
    let width: Int
    let height: Int

    init(widthPoints: Double, heightPoints: Double, dpi: Double) throws(CairoFailure) {
        width = Int((widthPoints / 72 * dpi).rounded())
        height = Int((heightPoints / 72 * dpi).rounded())
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))!
        cr = cairo_create(surface)
        try CairoFailure.check("cairo_image_surface_create", cairo_surface_status(surface))
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_scale(cr, Double(width) / widthPoints, Double(height) / heightPoints)
    }

    /// Encodes the page as an RGB PNG with pHYs for `dpi` and the given text chunks.
    func png(dpi: Double, text: [(key: String, value: String)]) throws -> [UInt8] {
        try CairoFailure.check("drawing the PNG page", cairo_status(cr))
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else {
            throw CairoFailure("cairo_image_surface_get_data", CAIRO_STATUS_NULL_POINTER)
        }
        let stride = Int(cairo_image_surface_get_stride(surface))
        // cairo RGB24 is a native-endian 32-bit word: B, G, R, X in memory on little-endian machines.
        precondition(UInt32(1).littleEndian == 1, "BGRX pixel order assumes a little-endian machine")
        return try PNGWriter.encode(
            pixels: UnsafeRawBufferPointer(start: data, count: stride * height), stride: stride,
            width: width, height: height, layout: .bgrx8, dpi: dpi, text: text)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }
}

/// A seal image decoded from PNG bytes.
struct SealSurface: ~Copyable {
    let surface: OpaquePointer
    let width: Double
    let height: Double

    private final class Reader {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    init(png: [UInt8]) throws(CairoFailure) {
        let reader = Unmanaged.passRetained(Reader(png))
        defer { reader.release() }
        let read: cairo_read_func_t = { closure, data, length in
            let reader = Unmanaged<Reader>.fromOpaque(closure!).takeUnretainedValue()
            let count = Int(length)
            guard reader.offset + count <= reader.bytes.count, let data else { return CAIRO_STATUS_READ_ERROR }
            reader.bytes.withUnsafeBufferPointer { source in
                data.update(from: source.baseAddress! + reader.offset, count: count)
            }
            reader.offset += count
            return CAIRO_STATUS_SUCCESS
        }
        let surface = cairo_image_surface_create_from_png_stream(read, reader.toOpaque())!
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw CairoFailure("reading the seal PNG", status)
        }
        self.surface = surface
        width = Double(cairo_image_surface_get_width(surface))
        height = Double(cairo_image_surface_get_height(surface))
    }

    /// Paints the image scaled to fit `rect`, centred, multiplied over what is below (like a stamp).
    func draw(on cr: OpaquePointer, in rect: Rect) {
        let scale = min(rect.width / width, rect.height / height)
        cairo_save(cr)
        cairo_translate(cr, rect.x + (rect.width - width * scale) / 2, rect.y + (rect.height - height * scale) / 2)
        cairo_scale(cr, scale, scale)
        cairo_set_source_surface(cr, surface, 0, 0)
        // Ink over ink: multiplying keeps the black date and issuer readable through the red seal.
        cairo_set_operator(cr, CAIRO_OPERATOR_MULTIPLY)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    deinit { cairo_surface_destroy(surface) }
}
