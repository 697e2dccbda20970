// A libpng writer that never longjmps into Swift.
//
// libpng reports errors with longjmp, which Swift cannot unwind through. gg_png_encode does the
// setjmp itself and turns every libpng error into a return code plus a message, so the Swift side
// only ever sees plain C calls. The header deliberately does not include <png.h>: Swift never sees
// a libpng type.
#ifndef GG_PNG_H
#define GG_PNG_H

#include <stddef.h>
#include <stdint.h>

/// Pixel layout of the rows handed to gg_png_encode.
typedef enum {
    GG_PNG_GRAY1 = 1, ///< 1 bit per pixel, most significant bit first; 0 is black (PNG grey).
    GG_PNG_GRAY8 = 2, ///< 1 byte per pixel, 0 black … 255 white.
    GG_PNG_RGB8 = 3,  ///< 3 bytes per pixel R, G, B.
    GG_PNG_BGRX8 = 4, ///< 4 bytes per pixel B, G, R, unused (cairo RGB24 on little-endian); written as RGB.
} gg_png_input;

/// PNG row filters (the PNG_FILTER_* values of libpng).
enum {
    GG_PNG_FILTER_NONE = 0x08,
    GG_PNG_FILTER_SUB = 0x10,
    GG_PNG_FILTER_UP = 0x20,
    GG_PNG_FILTER_AVG = 0x40,
    GG_PNG_FILTER_PAETH = 0x80,
};

/// zlib strategies (the Z_* values of zlib).
enum {
    GG_PNG_STRATEGY_DEFAULT = 0,
    GG_PNG_STRATEGY_FILTERED = 1,
    GG_PNG_STRATEGY_HUFFMAN_ONLY = 2,
    GG_PNG_STRATEGY_RLE = 3,
};

/// Compression settings: zlib level 0–9, a zlib strategy, and a mask of row filters libpng may try.
typedef struct {
    int zlib_level;
    int zlib_strategy;
    int filters;
} gg_png_settings;

/// One text chunk. `text` is UTF-8: written as tEXt when it is ASCII, as iTXt otherwise
/// (tEXt is Latin-1 only). `key` must be 1–79 Latin-1 characters.
typedef struct {
    const char *key;
    const char *text;
} gg_png_text;

/// A growable output buffer owned by the caller; release with gg_png_buffer_free.
typedef struct {
    unsigned char *data;
    size_t size;
    size_t capacity;
} gg_png_buffer;

/// Return codes of gg_png_encode.
enum {
    GG_PNG_OK = 0,
    GG_PNG_ERROR_LIBPNG = 1,   ///< libpng reported an error (see message)
    GG_PNG_ERROR_MEMORY = 2,   ///< allocation failed
    GG_PNG_ERROR_ARGUMENT = 3, ///< bad width/height/stride/input (see message)
};

/// Encodes `height` rows of `stride` bytes into a PNG appended to `out`.
/// `pixels_per_metre` > 0 writes a pHYs chunk (dpi / 0.0254). On failure `out` is left for the
/// caller to free and `message` holds a NUL-terminated reason.
int gg_png_encode(const unsigned char *pixels, size_t stride, uint32_t width, uint32_t height,
                  gg_png_input input, uint32_t pixels_per_metre,
                  const gg_png_text *texts, int text_count,
                  const gg_png_settings *settings,
                  gg_png_buffer *out, char *message, size_t message_size);

/// Frees the buffer's storage and zeroes it.
void gg_png_buffer_free(gg_png_buffer *buffer);

#endif
