/*
 * bench_diff.c — how long `rfx diff` takes on two risk sections, parsing
 * excluded: both inputs are loaded once, then rfx_diff_compute (alignment,
 * redlines, the four section measures) runs RUNS times; the median and the
 * throughput over the two sections' text are printed. With --render the JSON
 * and HTML renderings are timed too.
 *
 *   bench_diff OLD NEW [RUNS]   (filings or saved registers; RUNS ≥ 20)
 */
#include "rfx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static rfx_register *load(const char *path) {
    rfx_register *r = NULL;
    rfx_error err;
    size_t n = strlen(path);
    if (n > 5 && !strcmp(path + n - 5, ".json")) {
        FILE *f = fopen(path, "rb");
        if (!f) { perror(path); exit(3); }
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *s = malloc((size_t)len + 1);
        if (!s || fread(s, 1, (size_t)len, f) != (size_t)len) { fprintf(stderr, "%s: read error\n", path); exit(3); }
        fclose(f);
        if (rfx_register_from_json(s, (size_t)len, &r, &err) != RFX_OK) { fprintf(stderr, "%s\n", err.message); exit(3); }
        free(s);
        return r;
    }
    rfx_options o;
    rfx_options_init(&o);
    o.no_classify = 1;
    if (rfx_parse_file(path, &o, &r, &err) != RFX_OK) { fprintf(stderr, "%s\n", err.message); exit(3); }
    return r;
}

static size_t text_bytes(const rfx_register *r) {
    size_t b = 0;
    for (size_t i = 0; i < rfx_risk_count(r); i++)
        b += strlen(rfx_risk_heading(r, i)) + strlen(rfx_risk_body(r, i));
    return b;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: bench_diff OLD NEW [RUNS] [--render]\n"); return 2; }
    int runs = argc > 3 && argv[3][0] != '-' ? atoi(argv[3]) : 25;
    int render = argc > 3 && !strcmp(argv[argc - 1], "--render");
    if (runs < 20) runs = 20;
    rfx_register *a = load(argv[1]), *b = load(argv[2]);
    size_t bytes = text_bytes(a) + text_bytes(b);
    double *t = malloc((size_t)runs * sizeof *t);
    rfx_diff *d = NULL;
    for (int i = -2; i < runs; i++) { /* two warm-up runs */
        rfx_error err;
        double t0 = now();
        if (rfx_diff_compute(a, b, &d, &err) != RFX_OK) { fprintf(stderr, "%s\n", err.message); return 5; }
        if (render) {
            free(rfx_diff_json(d, 0));
            free(rfx_diff_html(d, 0));
        }
        double t1 = now();
        if (i >= 0) t[i] = t1 - t0;
        if (i < runs - 1) rfx_diff_free(d);
    }
    qsort(t, (size_t)runs, sizeof *t, cmpd);
    double med = t[runs / 2];
    printf("%s → %s\n", argv[1], argv[2]);
    printf("  risks %zu → %zu, section text %.1f KB + %.1f KB\n", rfx_risk_count(a), rfx_risk_count(b),
           text_bytes(a) / 1024.0, text_bytes(b) / 1024.0);
    printf("  %s: median %.2f ms over %d runs (min %.2f, max %.2f), %.1f MB/s\n",
           render ? "diff+render" : "diff", med * 1e3, runs, t[0] * 1e3, t[runs - 1] * 1e3,
           bytes / med / 1e6);
    printf("  similarity cosine %.4f jaccard %.4f min_edit %.4f simple %.4f\n",
           rfx_diff_similarity(d, "cosine"), rfx_diff_similarity(d, "jaccard"),
           rfx_diff_similarity(d, "min_edit"), rfx_diff_similarity(d, "simple"));
    rfx_diff_free(d);
    rfx_register_free(a);
    rfx_register_free(b);
    free(t);
    return 0;
}
