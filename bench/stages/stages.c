/*
 * stages.c — where a parse spends its time, stage by stage, over the HTML
 * filings named on the command line (bench/run.sh passes the shared set).
 *
 * Each file is read into memory once; then, REPS times over the whole set
 * and for both ways of reading a document (the default, whole, and --fast,
 * which stops after the front of a large HTML filing when that settles Item 1A),
 * every stage of the pipeline is timed on its own with the thread's CPU
 * clock: SHA-256 of the input, ingest (bytes → blocks, the whole document),
 * locate, segment, extract, classify, measure, and the JSON render batch mode
 * writes. The median over REPS of each stage's total is printed as
 *   stage <name> <seconds> <MB/s of input>
 * and "section" sums the stages that only read the risk section (segment
 * onwards): even a free ingest and locate could not make a parse faster than
 * that, which bounds any speed-up against a baseline.
 * The built-in model is loaded once before timing (batch mode does the same).
 * Build: cc -O2 -Iinclude -Isrc bench/stages/stages.c BUILD/librfx.a $(LDLIBS)
 */
#include "classify/classify.h"
#include "rfx_internal.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { S_SHA, S_INGEST, S_LOCATE, S_SEGMENT, S_EXTRACT, S_CLASSIFY, S_MEASURE, S_RENDER, NSTAGE };
static const char *names[NSTAGE] = {"sha256", "ingest", "locate",  "segment",
                                    "extract", "classify", "measure", "render"};

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct { char *path; unsigned char *data; size_t len; } input;

static rfx_register *load(const input *in, int fast) {
    rfx_options o;
    rfx_options_init(&o);
    o.fast = fast;
    rfx_register *r = rfx_register_new(&o);
    r->path = in->path;
    r->src = rfx_arena_alloc(r->arena, in->len + 1);
    memcpy(r->src, in->data, in->len);
    r->src[in->len] = 0;
    r->srclen = in->len;
    return r;
}

/* One parse, as core/parse.c runs it, each stage timed. With fast set a
 * large HTML filing is first read up to its prefix (core/prefix.c); the
 * attempt, kept or not, is timed as ingest and locate. */
static void one(const input *in, int fast, double t[NSTAGE]) {
    rfx_register *r = load(in, fast);
    rfx_error e;
    double t0 = cpu_now(), t1;
    unsigned char md[32];
    unsigned mdlen = 0;
    EVP_Digest(r->src, r->srclen, md, &mdlen, EVP_sha256(), NULL);
    t1 = cpu_now(); t[S_SHA] += t1 - t0; t0 = t1;
    rfx_status st = RFX_OK;
    if (!rfx_prefix_parse(r)) {
        if (r->nblocks || r->format) {
            rfx_register_free(r);
            r = load(in, fast);
        }
        st = rfx_ingest(r, &e);
        t1 = cpu_now(); t[S_INGEST] += t1 - t0; t0 = t1;
        if (st == RFX_OK) rfx_locate(r);
    } else {
        t1 = cpu_now(); t[S_INGEST] += t1 - t0; t0 = t1;
    }
    t1 = cpu_now(); t[S_LOCATE] += t1 - t0; t0 = t1;
    if (st == RFX_OK) {
        if (r->section.found) {
            rfx_segment(r);
            t1 = cpu_now(); t[S_SEGMENT] += t1 - t0; t0 = t1;
            rfx_extract(r);
            t1 = cpu_now(); t[S_EXTRACT] += t1 - t0; t0 = t1;
            rfx_classify(r, &e);
            t1 = cpu_now(); t[S_CLASSIFY] += t1 - t0; t0 = t1;
            rfx_measure(r);
            t1 = cpu_now(); t[S_MEASURE] += t1 - t0; t0 = t1;
        }
        char *js = rfx_register_json(r, 0);
        free(js);
        t1 = cpu_now(); t[S_RENDER] += t1 - t0;
    }
    rfx_register_free(r);
}

int main(int argc, char **argv) {
    int reps = getenv("REPS") ? atoi(getenv("REPS")) : 3;
    if (reps < 1) reps = 1;
    input *in = calloc((size_t)argc, sizeof *in);
    size_t n = 0, bytes = 0;
    for (int a = 1; a < argc; a++) {
        FILE *f = fopen(argv[a], "rb");
        if (!f) continue;
        fseek(f, 0, SEEK_END);
        long sz = ftell(f);
        fseek(f, 0, SEEK_SET);
        in[n].path = argv[a];
        in[n].data = malloc((size_t)sz + 1);
        in[n].len = fread(in[n].data, 1, (size_t)sz, f);
        fclose(f);
        bytes += in[n].len;
        n++;
    }
    rfx_model_default(NULL); /* loaded once, as in batch mode */
    printf("files %zu bytes %zu reps %d\n", n, bytes, reps);
    /* both ways of reading, interleaved run by run so load on a shared
     * machine falls on both alike */
    double *runs = calloc((size_t)reps * 2 * NSTAGE, sizeof *runs);
    for (int k = 0; k < reps; k++)
        for (int mode = 0; mode < 2; mode++)
            for (size_t i = 0; i < n; i++) one(&in[i], mode == 1, runs + ((size_t)k * 2 + (size_t)mode) * NSTAGE);
    double totals[2] = {0, 0};
    for (int mode = 0; mode < 2; mode++) {
        printf("mode %s\n", mode == 0 ? "default" : "fast");
        double total = 0, section = 0, col[64];
        for (int s = 0; s < NSTAGE; s++) {
            for (int k = 0; k < reps && k < 64; k++) col[k] = runs[((size_t)k * 2 + (size_t)mode) * NSTAGE + (size_t)s];
            int m = reps < 64 ? reps : 64;
            qsort(col, (size_t)m, sizeof *col, cmp_double);
            double med = col[(m - 1) / 2];
            total += med;
            if (s >= S_SEGMENT && s <= S_RENDER) section += med;
            printf("stage %-8s %8.3f s %8.1f MB/s\n", names[s], med, med > 0 ? bytes / 1e6 / med : 0);
        }
        printf("stage %-8s %8.3f s %8.1f MB/s\n", "section", section, section > 0 ? bytes / 1e6 / section : 0);
        printf("stage %-8s %8.3f s %8.1f MB/s\n", "total", total, total > 0 ? bytes / 1e6 / total : 0);
        totals[mode] = total;
    }
    if (totals[1] > 0) printf("speedup fast/default %.2f\n", totals[0] / totals[1]);
    free(runs);
    for (size_t i = 0; i < n; i++) free(in[i].data);
    free(in);
    return 0;
}
