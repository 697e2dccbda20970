// The physical limit for one QR PNG: libqrencode + a 1-bit libpng write with GonggaoPoster's settings
// (level Q, 4-module quiet zone, 8 px per module, zlib level 1, no filter, pHYs).
//
//   cc -O2 qr_bare.c -o qr_bare $(pkg-config --cflags --libs libqrencode libpng)
//   ./qr_bare URL RUNS [OUT.png]   prints 'wall_ms cpu_ms' per run
#include <png.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { unsigned char *data; size_t size, cap; } buf;
static void w(png_structp p, png_bytep d, size_t n) {
    buf *b = png_get_io_ptr(p);
    if (b->size + n > b->cap) { b->cap = (b->size + n) * 2; b->data = realloc(b->data, b->cap); }
    memcpy(b->data + b->size, d, n);
    b->size += n;
}
static void fl(png_structp p) { (void)p; }

static buf encode(const char *url) {
    const int scale = 8, quiet = 4;
    QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_Q, QR_MODE_8, 1);
    int side = (qr->width + 2 * quiet) * scale, stride = (side + 7) / 8;
    unsigned char *pixels = malloc((size_t)stride * side);
    memset(pixels, 0xFF, (size_t)stride * side);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            if (qr->data[y * qr->width + x] & 1)
                for (int dy = 0; dy < scale; dy++)
                    for (int dx = 0; dx < scale; dx++) {
                        int px = (x + quiet) * scale + dx, py = (y + quiet) * scale + dy;
                        pixels[py * stride + px / 8] &= ~(0x80 >> (px & 7));
                    }
    buf out = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) abort();
    png_set_write_fn(png, &out, w, fl);
    png_set_compression_level(png, 1);
    png_set_filter(png, 0, PNG_FILTER_NONE);
    png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, 0, 0, 0);
    png_write_info(png, info);
    for (int y = 0; y < side; y++) png_write_row(png, pixels + y * stride);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(pixels);
    QRcode_free(qr);
    return out;
}

static double clock_ms(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    buf first = encode(argv[1]);
    if (argc > 3) { FILE *f = fopen(argv[3], "wb"); fwrite(first.data, 1, first.size, f); fclose(f); }
    free(first.data);
    for (int i = 0; i < atoi(argv[2]); i++) {
        double wall = clock_ms(CLOCK_MONOTONIC), cpu = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        buf b = encode(argv[1]);
        printf("%.3f %.3f\n", clock_ms(CLOCK_MONOTONIC) - wall, clock_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu);
        free(b.data);
    }
    return 0;
}
