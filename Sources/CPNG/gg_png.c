#include "gg_png.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    gg_png_buffer *out;
    char *message;
    size_t message_size;
} gg_png_state;

static void gg_set_message(gg_png_state *state, const char *text) {
    if (state->message && state->message_size > 0) {
        snprintf(state->message, state->message_size, "%s", text ? text : "unknown libpng error");
    }
}

// libpng's manual: "the error function must not return" — it longjmps back to gg_png_encode.
static void gg_error(png_structp png, png_const_charp text) {
    gg_png_state *state = (gg_png_state *)png_get_error_ptr(png);
    gg_set_message(state, text);
    png_longjmp(png, 1);
}

static void gg_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void gg_write(png_structp png, png_bytep data, size_t length) {
    gg_png_state *state = (gg_png_state *)png_get_io_ptr(png);
    gg_png_buffer *out = state->out;
    if (out->size + length > out->capacity) {
        size_t capacity = out->capacity ? out->capacity : 65536;
        while (capacity < out->size + length) capacity *= 2;
        unsigned char *grown = realloc(out->data, capacity);
        if (!grown) png_error(png, "out of memory growing the PNG buffer");
        out->data = grown;
        out->capacity = capacity;
    }
    memcpy(out->data + out->size, data, length);
    out->size += length;
}

static void gg_flush(png_structp png) { (void)png; }

static int gg_is_ascii(const char *text) {
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p >= 0x80) return 0;
    }
    return 1;
}

int gg_png_encode(const unsigned char *pixels, size_t stride, uint32_t width, uint32_t height,
                  gg_png_input input, uint32_t pixels_per_metre,
                  const gg_png_text *texts, int text_count,
                  const gg_png_settings *settings,
                  gg_png_buffer *out, char *message, size_t message_size) {
    gg_png_state state = {out, message, message_size};
    if (message && message_size > 0) message[0] = 0;

    size_t min_stride;
    int color_type, bit_depth;
    switch (input) {
    case GG_PNG_GRAY1: min_stride = (width + 7) / 8; color_type = PNG_COLOR_TYPE_GRAY; bit_depth = 1; break;
    case GG_PNG_GRAY8: min_stride = width; color_type = PNG_COLOR_TYPE_GRAY; bit_depth = 8; break;
    case GG_PNG_RGB8: min_stride = (size_t)width * 3; color_type = PNG_COLOR_TYPE_RGB; bit_depth = 8; break;
    case GG_PNG_BGRX8: min_stride = (size_t)width * 4; color_type = PNG_COLOR_TYPE_RGB; bit_depth = 8; break;
    default: gg_set_message(&state, "unknown pixel layout"); return GG_PNG_ERROR_ARGUMENT;
    }
    if (width == 0 || height == 0 || width > 1000000 || height > 1000000) {
        gg_set_message(&state, "width and height must be 1…1000000 pixels");
        return GG_PNG_ERROR_ARGUMENT;
    }
    if (stride < min_stride || pixels == NULL) {
        gg_set_message(&state, "row stride is shorter than one row of pixels");
        return GG_PNG_ERROR_ARGUMENT;
    }

    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state, gg_error, gg_warning);
    if (!png) {
        gg_set_message(&state, "png_create_write_struct failed");
        return GG_PNG_ERROR_MEMORY;
    }
    // `info` is assigned before setjmp and never changed after it, so it needs no volatile.
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        gg_set_message(&state, "png_create_info_struct failed");
        return GG_PNG_ERROR_MEMORY;
    }
    // Allocated before setjmp for the same reason; freed on both paths.
    png_text *chunks = text_count > 0 ? calloc((size_t)text_count, sizeof(png_text)) : NULL;
    if (text_count > 0 && !chunks) {
        png_destroy_write_struct(&png, &info);
        gg_set_message(&state, "out of memory for text chunks");
        return GG_PNG_ERROR_MEMORY;
    }

    if (setjmp(png_jmpbuf(png))) {
        free(chunks);
        png_destroy_write_struct(&png, &info);
        return GG_PNG_ERROR_LIBPNG;
    }

    png_set_write_fn(png, &state, gg_write, gg_flush);
    if (settings) {
        png_set_compression_level(png, settings->zlib_level);
        png_set_compression_strategy(png, settings->zlib_strategy);
        png_set_filter(png, PNG_FILTER_TYPE_BASE, settings->filters ? settings->filters : PNG_FILTER_NONE);
    }
    png_set_IHDR(png, info, width, height, bit_depth, color_type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    if (pixels_per_metre > 0) {
        png_set_pHYs(png, info, pixels_per_metre, pixels_per_metre, PNG_RESOLUTION_METER);
    }
    for (int i = 0; i < text_count; i++) {
        chunks[i].key = (png_charp)texts[i].key;
        chunks[i].text = (png_charp)texts[i].text;
        if (gg_is_ascii(texts[i].text)) {
            chunks[i].compression = PNG_TEXT_COMPRESSION_NONE;
        } else {
            chunks[i].compression = PNG_ITXT_COMPRESSION_NONE;
            chunks[i].lang = (png_charp)"";
            chunks[i].lang_key = (png_charp)"";
        }
    }
    if (text_count > 0) png_set_text(png, info, chunks, text_count);

    png_write_info(png, info);
    if (input == GG_PNG_BGRX8) {
        // cairo's RGB24 is a native-endian 0xXXRRGGBB word: bytes B, G, R, X on little-endian.
        png_set_bgr(png);
        png_set_filler(png, 0, PNG_FILLER_AFTER);
    }
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(pixels + (size_t)y * stride));
    }
    png_write_end(png, info);
    free(chunks);
    png_destroy_write_struct(&png, &info);
    return GG_PNG_OK;
}

void gg_png_buffer_free(gg_png_buffer *buffer) {
    if (!buffer) return;
    free(buffer->data);
    buffer->data = NULL;
    buffer->size = 0;
    buffer->capacity = 0;
}
