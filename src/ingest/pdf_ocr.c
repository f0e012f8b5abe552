/*
 * pdf_ocr.c — a page with no text layer (or any page, with --ocr): render it
 * with poppler into a cairo image, turn it grey, and recognise it with
 * Tesseract's C API. Words come back with their boxes (converted from pixels
 * to PDF points, so OCR and text-layer boxes mean the same thing) and their
 * confidences; Tesseract's lines and paragraph starts are kept for the
 * paragraph builder in pdf.c.
 *
 * Bounds: the rendered image is capped at max_page_pixels (the resolution is
 * lowered to fit, never the page cropped), and recognition runs under a
 * deadline (ETEXT_DESC), so one page cannot take unbounded time or memory.
 */
#include "pdf_internal.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>
#include <time.h>

#define DEFAULT_DPI 300
#define DEFAULT_PAGE_SECONDS 60
#define DEFAULT_MAX_PIXELS ((size_t)40 * 1000 * 1000)
#define CAIRO_MAX_SIDE 32767

struct pdf_ocr {
    TessBaseAPI *api;
    char lang[64];
};

const char *pdf_ocr_lang(const pdf_ocr *o) { return o->lang; }

static bool has_lang(TessBaseAPI *api, const char *want) {
    char **v = TessBaseAPIGetAvailableLanguagesAsVector(api);
    bool found = false;
    for (size_t i = 0; v && v[i]; i++)
        if (!strcmp(v[i], want)) found = true;
    if (v) TessDeleteTextArray(v);
    return found;
}

pdf_ocr *pdf_ocr_new(const char *lang, char *msg, size_t msgn) {
    pdf_ocr *o = calloc(1, sizeof *o);
    if (!o) { snprintf(msg, msgn, "out of memory"); return NULL; }
    o->api = TessBaseAPICreate();
    if (!o->api) { free(o); snprintf(msg, msgn, "Tesseract could not start"); return NULL; }
    snprintf(o->lang, sizeof o->lang, "%s", lang && *lang ? lang : "eng");
    if (TessBaseAPIInit3(o->api, NULL, o->lang) != 0) {
        snprintf(msg, msgn, "Tesseract has no language data for '%s' (Debian: tesseract-ocr-%s)",
                 o->lang, o->lang);
        pdf_ocr_free(o);
        return NULL;
    }
    /* Japanese filings: read both scripts when jpn data is installed */
    if (!lang && has_lang(o->api, "jpn")) {
        TessBaseAPIEnd(o->api);
        snprintf(o->lang, sizeof o->lang, "eng+jpn");
        if (TessBaseAPIInit3(o->api, NULL, o->lang) != 0) {
            snprintf(o->lang, sizeof o->lang, "eng");
            if (TessBaseAPIInit3(o->api, NULL, o->lang) != 0) {
                snprintf(msg, msgn, "Tesseract could not load 'eng'");
                pdf_ocr_free(o);
                return NULL;
            }
        }
    }
    return o;
}

void pdf_ocr_free(pdf_ocr *o) {
    if (!o) return;
    if (o->api) {
        TessBaseAPIEnd(o->api);
        TessBaseAPIDelete(o->api);
    }
    free(o);
}

static double wall_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the calling thread: what each step costs, whatever else the
 * machine is doing (Tesseract stays on this thread with OMP_THREAD_LIMIT=1) */
double pdf_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool page_is_blank(PopplerPage *page, double w, double h) {
    int W = (int)ceil(w / 2), H = (int)ceil(h / 2); /* 36 dpi */
    if (W > 4096 || H > 4096) return false;
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return false;
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, 0.5, 0.5);
    poppler_page_render_for_printing(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    const unsigned char *data = cairo_image_surface_get_data(surf);
    int stride = cairo_image_surface_get_stride(surf);
    size_t ink = 0;
    for (int y = 0; y < H; y++) {
        const uint32_t *row = (const uint32_t *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < W; x++) ink += ((row[x] >> 8) & 0xff) < 200;
    }
    cairo_surface_destroy(surf);
    return ink * 5000 < (size_t)W * (size_t)H; /* under 0.02% of the page drawn */
}

int pdf_ocr_page(pdf_ocr *o, PopplerPage *page, const rfx_options *opt, pdf_page *out,
                 unsigned *dpi_used, double *render_s, char *msg, size_t msgn) {
    double w = 0, h = 0, t_start = pdf_now();
    poppler_page_get_size(page, &w, &h);
    out->w = w;
    out->h = h;
    out->ocr = true;
    if (!(w > 0 && h > 0 && w < 1e5 && h < 1e5)) {
        snprintf(msg, msgn, "page size %.0fx%.0f pt cannot be rendered", w, h);
        return -1;
    }
    /* a blank page (a page break, a separator) is not worth recognising:
     * a 36 dpi preview shows whether anything is drawn on it */
    if (page_is_blank(page, w, h)) return 2;
    unsigned dpi = opt->ocr_dpi ? opt->ocr_dpi : DEFAULT_DPI;
    size_t max_px = opt->max_page_pixels ? opt->max_page_pixels : DEFAULT_MAX_PIXELS;
    double scale = dpi / 72.0;
    double px = w * scale * h * scale;
    if (px > (double)max_px) scale *= sqrt((double)max_px / px);
    if (w * scale > CAIRO_MAX_SIDE) scale = CAIRO_MAX_SIDE / w;
    if (h * scale > CAIRO_MAX_SIDE) scale = CAIRO_MAX_SIDE / h;
    int W = (int)ceil(w * scale), H = (int)ceil(h * scale);
    *dpi_used = (unsigned)lround(scale * 72.0);
    if (W < 8 || H < 8 || *dpi_used < 20) {
        snprintf(msg, msgn, "page of %.0fx%.0f pt is too large for the pixel limit", w, h);
        return -1;
    }
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        snprintf(msg, msgn, "cannot allocate a %dx%d image", W, H);
        return -1;
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render_for_printing(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    unsigned char *grey = malloc((size_t)W * (size_t)H);
    if (!grey) {
        cairo_surface_destroy(surf);
        snprintf(msg, msgn, "out of memory for a %dx%d image", W, H);
        return -1;
    }
    const unsigned char *data = cairo_image_surface_get_data(surf);
    int stride = cairo_image_surface_get_stride(surf);
    for (int y = 0; y < H; y++) {
        const uint32_t *row = (const uint32_t *)(data + (size_t)y * (size_t)stride);
        unsigned char *g = grey + (size_t)y * (size_t)W;
        for (int x = 0; x < W; x++) {
            uint32_t p = row[x];
            unsigned r = (p >> 16) & 0xff, gg = (p >> 8) & 0xff, b = p & 0xff;
            g[x] = (unsigned char)((r * 30 + gg * 59 + b * 11) / 100);
        }
    }
    cairo_surface_destroy(surf);
    *render_s = pdf_now() - t_start;

    TessBaseAPISetImage(o->api, grey, W, H, 1, W);
    TessBaseAPISetSourceResolution(o->api, (int)*dpi_used);
    ETEXT_DESC *mon = TessMonitorCreate();
    unsigned secs = opt->ocr_page_seconds ? opt->ocr_page_seconds : DEFAULT_PAGE_SECONDS;
    double t0 = wall_now();
    if (mon) TessMonitorSetDeadlineMSecs(mon, (int)(secs > 86400 ? 86400000 : secs * 1000));
    int rc = TessBaseAPIRecognize(o->api, mon);
    bool late = wall_now() - t0 >= secs;
    if (mon) TessMonitorDelete(mon);
    int result = late ? 1 : 0;
    if (rc != 0 && !late) {
        snprintf(msg, msgn, "Tesseract failed to recognise the page");
        result = -1;
    }
    TessResultIterator *it = result >= 0 ? TessBaseAPIGetIterator(o->api) : NULL;
    if (it) {
        TessPageIterator *pi = TessResultIteratorGetPageIterator(it);
        pdf_line *line = NULL;
        do {
            if (!line || TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE)) {
                line = pdf_page_add_line(out);
                if (!line) { result = -1; snprintf(msg, msgn, "out of memory"); break; }
                line->para = TessPageIteratorIsAtBeginningOf(pi, RIL_PARA);
            }
            char *word = TessResultIteratorGetUTF8Text(it, RIL_WORD);
            if (!word) continue;
            int l = 0, t = 0, rr = 0, b = 0;
            TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &t, &rr, &b);
            float box[4] = {(float)(l / scale), (float)(t / scale), (float)(rr / scale), (float)(b / scale)};
            float conf = TessResultIteratorConfidence(it, RIL_WORD);
            /* a gap of several letter heights inside a line separates table cells */
            char sep = ' ';
            if (line->nwords) {
                float lh = line->y1 - line->y0;
                if (box[0] - line->x1 > 2.5f * (lh > 1 ? lh : 1)) sep = '\t';
            }
            size_t n = strlen(word);
            while (n && (word[n - 1] == ' ' || word[n - 1] == '\n')) n--;
            if (n && !pdf_line_add_word(line, word, n, box, conf, sep)) {
                TessDeleteText(word);
                result = -1;
                snprintf(msg, msgn, "out of memory");
                break;
            }
            TessDeleteText(word);
        } while (TessResultIteratorNext(it, RIL_WORD));
        TessResultIteratorDelete(it);
    }
    TessBaseAPIClear(o->api);
    free(grey);
    /* OCR has no fonts: the size is the tallest word's height (a word is
     * short, so a slight rotation hardly grows its box, unlike the line's) */
    for (size_t i = 0; i < out->n; i++) {
        pdf_line *ln = &out->lines[i];
        float best = 0;
        for (size_t k = 0; k < ln->nwords; k++)
            if (ln->words[k].y1 - ln->words[k].y0 > best) best = ln->words[k].y1 - ln->words[k].y0;
        ln->size = best;
    }
    return result;
}
