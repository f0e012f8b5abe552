/*
 * pdf_bench.c — pages per second of `rfx parse` on PDFs, and where the time
 * goes: for each PDF named, REPS parses, each stage timed in CPU
 * seconds of this thread (run with OMP_THREAD_LIMIT=1 so Tesseract stays on
 * it; the machine may be shared, wall time would count the others' work),
 * the median of each printed as
 *   <file> pages <n> ocr_pages <n> total <s> pages/s <x>
 *   <file> stage <name> <s> <share %>
 * Stages: open (poppler parses the file), text (text layer: glyphs, boxes,
 * fonts), render (OCR: poppler + cairo to a grey image), ocr (Tesseract),
 * build (columns, lines → paragraphs → blocks, furniture), then locate,
 * segment, extract, classify, measure and the JSON render, as core/parse.c
 * runs them.
 * Build: cc -O2 -Iinclude -Isrc bench/pdf/pdf_bench.c BUILD/librfx.a $(LDLIBS)
 */
#include "classify/classify.h"
#include "rfx_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { S_OPEN, S_TEXT, S_RENDER, S_OCR, S_BUILD, S_LOCATE, S_SEGMENT, S_EXTRACT, S_CLASSIFY, S_MEASURE,
       S_RENDERJSON, NSTAGE };
static const char *names[NSTAGE] = {"open", "text", "render", "ocr", "build", "locate", "segment",
                                    "extract", "classify", "measure", "json"};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int reps = argc > 2 ? atoi(argv[1]) : 0;
    if (reps < 1 || reps > 100) {
        fprintf(stderr, "usage: pdf_bench REPS FILE.pdf...\n");
        return 2;
    }
    rfx_model_default(NULL); /* loaded once, as in batch mode */
    for (int f = 2; f < argc; f++) {
        FILE *fp = fopen(argv[f], "rb");
        if (!fp) { perror(argv[f]); return 3; }
        fseek(fp, 0, SEEK_END);
        long len = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        unsigned char *data = malloc((size_t)len + 1);
        if (!data || fread(data, 1, (size_t)len, fp) != (size_t)len) { fclose(fp); return 3; }
        fclose(fp);
        double (*t)[NSTAGE + 1] = calloc((size_t)reps, sizeof *t);
        unsigned pages = 0, ocr_pages = 0;
        for (int k = 0; k < reps; k++) {
            rfx_options o;
            rfx_options_init(&o);
            rfx_register *r = rfx_register_new(&o);
            r->path = argv[f];
            r->src = rfx_arena_alloc(r->arena, (size_t)len + 1);
            memcpy(r->src, data, (size_t)len);
            r->srclen = (size_t)len;
            rfx_error e;
            double t0 = now(), a = t0;
            if (rfx_ingest(r, &e) != RFX_OK) { fprintf(stderr, "%s: %s\n", argv[f], e.message); return 3; }
            double b = now();
            const rfx_pdf_layout *L = r->pdf;
            t[k][S_OPEN] = L->sec_open;
            t[k][S_TEXT] = L->sec_text;
            t[k][S_RENDER] = L->sec_render;
            t[k][S_OCR] = L->sec_ocr;
            /* build: the rest of ingest (paragraphs, blocks, filing facts) */
            t[k][S_BUILD] = (b - a) - L->sec_open - L->sec_text - L->sec_render - L->sec_ocr;
            pages = L->pages_read;
            ocr_pages = L->ocr_pages;
            a = b; rfx_locate(r); b = now(); t[k][S_LOCATE] = b - a;
            if (r->section.found) {
                a = b; rfx_segment(r); b = now(); t[k][S_SEGMENT] = b - a;
                a = b; rfx_extract(r); b = now(); t[k][S_EXTRACT] = b - a;
                a = b; rfx_classify(r, &e); b = now(); t[k][S_CLASSIFY] = b - a;
                a = b; rfx_measure(r); b = now(); t[k][S_MEASURE] = b - a;
            }
            a = b;
            char *js = rfx_register_json(r, 0);
            b = now();
            free(js);
            t[k][S_RENDERJSON] = b - a;
            t[k][NSTAGE] = b - t0;
            rfx_register_free(r);
        }
        double med[NSTAGE + 1];
        double *col = malloc((size_t)reps * sizeof *col);
        for (int s = 0; s <= NSTAGE; s++) {
            for (int k = 0; k < reps; k++) col[k] = t[k][s];
            qsort(col, (size_t)reps, sizeof *col, cmp_double);
            med[s] = col[reps / 2];
        }
        const char *base = strrchr(argv[f], '/') ? strrchr(argv[f], '/') + 1 : argv[f];
        printf("%s pages %u ocr_pages %u total %.3f pages/s %.2f\n", base, pages, ocr_pages, med[NSTAGE],
               med[NSTAGE] > 0 ? pages / med[NSTAGE] : 0);
        for (int s = 0; s < NSTAGE; s++)
            printf("%s stage %s %.4f %.1f%%\n", base, names[s], med[s],
                   med[NSTAGE] > 0 ? 100 * med[s] / med[NSTAGE] : 0);
        free(col);
        free(t);
        free(data);
    }
    return 0;
}
