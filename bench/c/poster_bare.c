// The physical limit for one poster: the sample pre-announcement on A4 (GB/T 9704 text block), laid out
// and drawn with the same pango/cairo/libqrencode/libpng calls, fonts, sizes and PNG settings as
// GonggaoPoster — without templates, validation, glyph checks or the Swift layer.
//
//   cc -O2 poster_bare.c -o poster_bare $(pkg-config --cflags --libs pangocairo libqrencode libpng)
//   ./poster_bare RUNS [OUTDIR]   prints 'wall_ms cpu_ms' per run; OUTDIR gets poster.pdf + poster-N.png
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <png.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MM (72.0 / 25.4)
typedef struct { unsigned char *data; size_t size, cap; } buf;

static void append(buf *b, const void *p, size_t n) {
    if (b->size + n > b->cap) {
        b->cap = (b->size + n) * 2;
        b->data = realloc(b->data, b->cap);
    }
    memcpy(b->data + b->size, p, n);
    b->size += n;
}
static cairo_status_t pdf_write(void *c, const unsigned char *d, unsigned int n) { append(c, d, n); return CAIRO_STATUS_SUCCESS; }
static void png_write(png_structp p, png_bytep d, size_t n) { append(png_get_io_ptr(p), d, n); }
static void png_flush(png_structp p) { (void)p; }

static const char *URL = "https://gg.anji.gov.cn/p/330523-2026-37";
static const char *BODY[] = {
    "根据《中华人民共和国土地管理法》第四十七条和《中华人民共和国土地管理法实施条例》第二十六条的规定，因安吉县梅溪镇2026年度第37批次城镇建设用地需要，我县拟征收梅溪镇红庙村、荆湾村部分集体土地。现将有关事项预公告如下：",
    "一、征收范围：梅溪镇红庙村、荆湾村部分集体土地，涉及地块2宗，总面积约58.37亩（38913平方米），具体范围以附图及扫描二维码所示地块为准。",
    "二、征收目的：用于梅溪镇产业园区基础设施建设，属于在国土空间规划确定的城镇建设用地范围内，经省级以上人民政府批准由县级以上地方人民政府组织实施的成片开发建设需要用地。",
    "三、土地现状调查安排：自本预公告发布之日起，由梅溪镇人民政府会同安吉县自然资源和规划局开展土地现状调查，调查内容包括土地的位置、权属、地类、面积，以及农村村民住宅、其他地上附着物和青苗等的权属、种类、数量等情况。请被征收土地的所有权人、使用权人予以配合。",
    "四、自本预公告发布之日起，任何单位和个人不得在拟征收范围内抢栽抢建；违反规定抢栽抢建的，对抢栽抢建部分不予补偿。",
    "五、本预公告张贴期限不少于十个工作日。如有疑问，请与梅溪镇人民政府联系，联系电话：0572-0000000。",
    "本公告张贴期限不少于十个工作日。",
};
static const char *TABLE[4][5] = {
    {"地块编号", "所在村", "面积（亩）", "面积（m²）", "地类"},
    {"330523-2026-37-1", "红庙村", "32.15", "21433", "水田、旱地、农村道路、坑塘水面"},
    {"330523-2026-37-2", "荆湾村", "26.22", "17480", "果园、乔木林地、农村宅基地"},
    {"合计", "2宗", "58.37", "38913", ""},
};
static const double COLW[5] = {35, 14, 13, 14, 24};
static const double POLY[2][4][2] = {{{119.7800, 30.7600}, {119.7816, 30.7601}, {119.7817, 30.7613}, {119.7801, 30.7614}},
                                     {{119.7830, 30.7605}, {119.7844, 30.7606}, {119.7845, 30.7617}, {119.7831, 30.7618}}};

// Display list: what each page draws. Built once, drawn onto the PDF and every raster page.
typedef enum { LINE, LAYOUT, RULE, RECT, QR, MAP } kind;
typedef struct { kind k; PangoLayout *layout; int line; double x, y, w, h; double r, g, b; } op;
typedef struct { op ops[400]; int n; } page;

static PangoContext *ctx;
static QRcode *qr;

static PangoLayout *make(const char *text, double size, int bold, double width, PangoAlignment align, int justify, double indent) {
    PangoLayout *l = pango_layout_new(ctx);
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, "Noto Serif CJK SC");
    pango_font_description_set_weight(d, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
    pango_layout_set_font_description(l, d);
    pango_font_description_free(d);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l, align);
    pango_layout_set_justify(l, justify);
    if (indent) pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
    pango_layout_set_text(l, text, -1);
    return l;
}

static void add(page *p, op o) { p->ops[p->n++] = o; }

// Adds the lines of `l` from line `from` at pitch `pitch` while they fit above `bottom`; returns the next line.
static int lines(page *p, PangoLayout *l, int from, double x, double *y, double pitch, double bottom, double r) {
    int count = pango_layout_get_line_count(l);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    for (int i = 0; i < from; i++) pango_layout_iter_next_line(it);
    int i = from;
    for (; i < count; i++, pango_layout_iter_next_line(it)) {
        PangoRectangle log, own;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        pango_layout_line_get_extents(line, NULL, &own);
        double h = log.height / (double)PANGO_SCALE, p2 = pitch > h ? pitch : h;
        if (*y + p2 > bottom) break;
        double base = *y + (p2 - h) / 2 + (pango_layout_iter_get_baseline(it) - log.y) / (double)PANGO_SCALE;
        add(p, (op){LINE, l, i, x + (log.x - own.x) / (double)PANGO_SCALE, base, 0, 0, r, 0, 0});
        *y += p2;
    }
    pango_layout_iter_free(it);
    return i;
}

static double height(PangoLayout *l) {
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return h / (double)PANGO_SCALE;
}

static int compose(page *pages, PangoLayout **owned, int *nowned) {
    const double bx = 28 * MM, bw = 156 * MM, by = 37 * MM, bb = 262 * MM, side = 1.2 * MM * (qr->width + 8);
    const double qry = bb - side - 11 * MM, full = qry - 5 * MM, nx = bx, nw = (156 - 56 - 5) * MM;
#define OWN(x) (owned[(*nowned)++] = (x))
    int np = 1;
    page *p = &pages[0];
    double y = by;
    PangoLayout *issuer = OWN(make("安吉县人民政府", 40, 1, bw, PANGO_ALIGN_CENTER, 0, 0));
    lines(p, issuer, 0, bx, &y, 0, 1e9, 0.9);
    y += 6 * MM;
    lines(p, OWN(make("安政征预〔2026〕37号", 16, 0, bw, PANGO_ALIGN_CENTER, 0, 0)), 0, bx, &y, 0, 1e9, 0);
    y += 4 * MM;
    add(p, (op){RULE, NULL, 0, bx, y, bw, 0.75 * MM, 0.9, 0, 0.07});
    y += 0.75 * MM + 7 * MM;
    lines(p, OWN(make("安吉县人民政府征收土地预公告", 22, 1, bw, PANGO_ALIGN_CENTER, 0, 0)), 0, bx, &y, 32, full, 0);
    y += 6 * MM;
    for (int i = 0; i < 7; i++) {
        PangoLayout *l = OWN(make(BODY[i], 16, 0, bw, PANGO_ALIGN_LEFT, 1, 32));
        int from = 0, count = pango_layout_get_line_count(l);
        // The last paragraph keeps with the signature (as GonggaoPoster does).
        double keep = i == 6 ? 42 * MM : 0;
        while ((from = lines(p, l, from, bx, &y, 28, full - (from + 1 >= count ? keep : 0), 0)) < count) {
            p = &pages[np++];
            y = by;
        }
    }
    // Signature: issuer over the date, date 4 characters from the right.
    PangoLayout *si = OWN(make("安吉县人民政府", 16, 0, -1, PANGO_ALIGN_LEFT, 0, 0));
    PangoLayout *sd = OWN(make("2026年12月1日", 16, 0, -1, PANGO_ALIGN_LEFT, 0, 0));
    int iw, dw, h;
    pango_layout_get_size(si, &iw, &h);
    pango_layout_get_size(sd, &dw, &h);
    double dx = bx + bw - 4 * 16 - dw / (double)PANGO_SCALE, ix = dx + dw / 2.0 / PANGO_SCALE - iw / 2.0 / PANGO_SCALE;
    y += 13 * MM;
    lines(p, si, 0, ix, &y, 28, 1e9, 0);
    lines(p, sd, 0, dx, &y, 28, 1e9, 0);
    y += 10 * MM;
    // Parcel table beside the QR code.
    lines(p, OWN(make("附件1：拟征收地块一览表", 12, 1, nw, PANGO_ALIGN_LEFT, 0, 0)), 0, nx, &y, 20, 1e9, 0);
    y += 1.5 * MM;
    double top = y;
    for (int r = 0; r < 4; r++) {
        PangoLayout *cells[5];
        double rh = 0, cx = nx;
        for (int c = 0; c < 5; c++) {
            cells[c] = OWN(make(TABLE[r][c], 9, r == 0, COLW[c] / 100 * nw - 2.4 * MM,
                                r == 0 || c == 1 ? PANGO_ALIGN_CENTER : c == 2 || c == 3 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, 0, 0));
            if (height(cells[c]) > rh) rh = height(cells[c]);
        }
        rh += 2.4 * MM;
        for (int c = 0; c < 5; c++) {
            double cy = y + (rh - height(cells[c])) / 2;
            lines(p, cells[c], 0, cx + 1.2 * MM, &cy, 0, 1e9, 0);
            add(p, (op){RECT, NULL, 0, cx, y, COLW[c] / 100 * nw, rh, 0, 0, 0});
            cx += COLW[c] / 100 * nw;
        }
        y += rh;
    }
    (void)top;
    y += 6 * MM;
    lines(p, OWN(make("附图：征收范围示意图", 12, 1, nw, PANGO_ALIGN_LEFT, 0, 0)), 0, nx, &y, 20, 1e9, 0);
    add(p, (op){MAP, NULL, 0, nx, y, nw, 52 * MM, 0.9, 0, 0.07});
    for (int i = 0; i < 2; i++) {
        double cy = y + 20 * MM;
        lines(p, OWN(make(TABLE[i + 1][0], 6.5, 0, -1, PANGO_ALIGN_LEFT, 0, 0)), 0, nx + (15 + 40 * i) * MM, &cy, 0, 1e9, 0);
    }
    // Every page: QR with caption and URL, footer.
    for (int i = 0; i < np; i++) {
        page *q = &pages[i];
        add(q, (op){QR, NULL, 0, bx + bw - side, qry, side, side, 0, 0, 0});
        double cy = qry + side + MM;
        lines(q, OWN(make("扫码查看地块信息及征收进度", 9, 0, 56 * MM, PANGO_ALIGN_CENTER, 0, 0)), 0, bx + bw - side / 2 - 28 * MM, &cy, 0, 1e9, 0);
        cy += MM;
        lines(q, OWN(make(URL, 7, 0, 56 * MM, PANGO_ALIGN_CENTER, 0, 0)), 0, bx + bw - side / 2 - 28 * MM, &cy, 0, 1e9, 0.33);
        char footer[200];
        snprintf(footer, sizeof footer, "公告编号 ntc_3k9v0q7m2xwe　第1版　第%d/%d页　校验码 4PBS1GGW", i + 1, np);
        add(q, (op){RULE, NULL, 0, bx, 269 * MM, bw, 0.2 * MM, 0.33, 0.33, 0.33});
        double fy = 270 * MM;
        lines(q, OWN(make(footer, 8, 0, bw, PANGO_ALIGN_CENTER, 0, 0)), 0, bx, &fy, 0, 1e9, 0.33);
    }
    return np;
}

static void draw(cairo_t *cr, page *p) {
    for (int i = 0; i < p->n; i++) {
        op *o = &p->ops[i];
        cairo_set_source_rgb(cr, o->r, o->g, o->b);
        switch (o->k) {
        case LINE:
            cairo_move_to(cr, o->x, o->y);
            pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(o->layout, o->line));
            break;
        case LAYOUT: break;
        case RULE:
            cairo_set_line_width(cr, o->h);
            cairo_move_to(cr, o->x, o->y + o->h / 2);
            cairo_line_to(cr, o->x + o->w, o->y + o->h / 2);
            cairo_stroke(cr);
            break;
        case RECT:
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_set_line_width(cr, 0.3 * MM);
            cairo_rectangle(cr, o->x, o->y, o->w, o->h);
            cairo_stroke(cr);
            break;
        case QR: {
            double m = o->w / (qr->width + 8);
            cairo_new_path(cr);
            for (int y = 0; y < qr->width; y++)
                for (int x = 0; x < qr->width;) {
                    if (!(qr->data[y * qr->width + x] & 1)) { x++; continue; }
                    int s = x;
                    while (x < qr->width && (qr->data[y * qr->width + x] & 1)) x++;
                    cairo_rectangle(cr, o->x + (s + 4) * m, o->y + (y + 4) * m, (x - s) * m, m);
                }
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_fill(cr);
            break;
        }
        case MAP: {
            cairo_set_source_rgb(cr, 0.73, 0.73, 0.73);
            cairo_set_line_width(cr, 0.5);
            cairo_rectangle(cr, o->x, o->y, o->w, o->h);
            cairo_stroke(cr);
            double k = 0.0174533 * 6371008.8, c = 0.8596, s = 1 / (6000 * 0.0254 / 72);
            for (int q = 0; q < 2; q++) {
                cairo_new_path(cr);
                for (int v = 0; v < 4; v++)
                    cairo_line_to(cr, o->x + 10 * MM + (POLY[q][v][0] - 119.78) * c * k * s, o->y + o->h - 10 * MM - (POLY[q][v][1] - 30.76) * k * s);
                cairo_close_path(cr);
                cairo_set_source_rgb(cr, 0.98, 0.89, 0.89);
                cairo_fill_preserve(cr);
                cairo_set_source_rgb(cr, o->r, o->g, o->b);
                cairo_stroke(cr);
            }
            break;
        }
        }
    }
}

static double clock_ms(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void render(const char *outdir) {
    static page pages[8];
    PangoLayout *owned[200];
    int nowned = 0;
    memset(pages, 0, sizeof pages);
    qr = QRcode_encodeString(URL, 0, QR_ECLEVEL_Q, QR_MODE_8, 1);
    int np = compose(pages, owned, &nowned);

    buf pdf = {0};
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(pdf_write, &pdf, 210 * MM, 297 * MM);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "安吉县人民政府征收土地预公告");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2026-12-01T10:00:00+08:00");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, "2026-12-01T10:00:00+08:00");
    cairo_t *cr = cairo_create(s);
    for (int i = 0; i < np; i++) {
        draw(cr, &pages[i]);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);

    buf pngs[8] = {{0}};
    for (int i = 0; i < np; i++) {
        int w = 1240, h = 1754;
        cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        cr = cairo_create(img);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_scale(cr, w / (210 * MM), h / (297 * MM));
        draw(cr, &pages[i]);
        cairo_surface_flush(img);
        png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
        png_infop info = png_create_info_struct(png);
        if (setjmp(png_jmpbuf(png))) abort();
        png_set_write_fn(png, &pngs[i], png_write, png_flush);
        png_set_compression_level(png, 1);
        png_set_filter(png, 0, PNG_FILTER_NONE);
        png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, 0, 0, 0);
        png_set_pHYs(png, info, 5906, 5906, PNG_RESOLUTION_METER);
        png_write_info(png, info);
        png_set_bgr(png);
        png_set_filler(png, 0, PNG_FILLER_AFTER);
        unsigned char *data = cairo_image_surface_get_data(img);
        for (int y = 0; y < h; y++) png_write_row(png, data + y * cairo_image_surface_get_stride(img));
        png_write_end(png, info);
        png_destroy_write_struct(&png, &info);
        cairo_destroy(cr);
        cairo_surface_destroy(img);
    }
    if (outdir) {
        char path[512];
        snprintf(path, sizeof path, "%s/poster.pdf", outdir);
        FILE *f = fopen(path, "wb");
        fwrite(pdf.data, 1, pdf.size, f);
        fclose(f);
        for (int i = 0; i < np; i++) {
            snprintf(path, sizeof path, "%s/poster-%d.png", outdir, i + 1);
            f = fopen(path, "wb");
            fwrite(pngs[i].data, 1, pngs[i].size, f);
            fclose(f);
        }
    }
    for (int i = 0; i < np; i++) free(pngs[i].data);
    free(pdf.data);
    for (int i = 0; i < nowned; i++) g_object_unref(owned[i]);
    QRcode_free(qr);
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 5;
    PangoFontMap *map = pango_cairo_font_map_new();
    ctx = pango_font_map_create_context(map);
    pango_cairo_context_set_resolution(ctx, 72);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_language(ctx, pango_language_from_string("zh-cn"));

    render(argc > 2 ? argv[2] : NULL); // warm-up: fontconfig, font loading (and the files, if asked)
    for (int i = 0; i < runs; i++) {
        double wall = clock_ms(CLOCK_MONOTONIC), cpu = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        render(NULL);
        printf("%.3f %.3f\n", clock_ms(CLOCK_MONOTONIC) - wall, clock_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu);
    }
    g_object_unref(ctx);
    g_object_unref(map);
    return 0;
}
