/*
 * bench_peers.c — rfx_peers_compute over a set of saved registers (JSON
 * Lines from `rfx parse --json`) at 1x and at a synthetic Kx corpus.
 *
 * Copy k of a register is the same filing under another company name
 * ("S<k>_" + file name) with every 9th word of each risk body replaced by a
 * token of its own ("w<k>x<i>"), so copies are near, not exact, duplicates:
 * their sentences land in many of the same LSH buckets, which is the hard
 * case (boilerplate shared across companies), while the set's vocabulary
 * grows with K. Times: the median of RUNS runs, whole computation and the
 * shingle index build (reported by the library in index.build_seconds).
 *   bench_peers REGISTERS.jsonl COMPANY K [RUNS]
 */
#include "rfx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static char *perturb(const char *s, int k) {
    size_t n = strlen(s);
    char *o = malloc(n * 2 + 64);
    size_t w = 0, i = 0, word = 0;
    while (i < n) {
        if (s[i] == ' ' || s[i] == '\n') { o[w++] = s[i++]; continue; }
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '\n') j++;
        if (++word % 9 == 0) w += (size_t)sprintf(o + w, "w%dx%zu", k, word);
        else { memcpy(o + w, s + i, j - i); w += j - i; }
        i = j;
    }
    o[w] = 0;
    return o;
}

static rfx_register *copy_of(json_t *root, int k) {
    json_t *j = json_deep_copy(root);
    json_t *src = json_object_get(j, "source");
    const char *path = json_string_value(json_object_get(src, "path"));
    if (k > 0 && path) {
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        char np[512];
        snprintf(np, sizeof np, "S%d_%s", k, base);
        json_object_set_new(src, "path", json_string(np));
        json_object_set_new(json_object_get(j, "filing"), "cik", json_null());
        json_t *risks = json_object_get(j, "risks");
        for (size_t i = 0; i < json_array_size(risks); i++) {
            json_t *r = json_array_get(risks, i);
            const char *b = json_string_value(json_object_get(r, "body"));
            if (!b) continue;
            char *nb = perturb(b, k);
            json_object_set_new(r, "body", json_string(nb));
            free(nb);
        }
    }
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    rfx_register *reg = NULL;
    rfx_error e;
    if (!s || rfx_register_from_json(s, strlen(s), &reg, &e) != RFX_OK) reg = NULL;
    free(s);
    return reg;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: bench_peers REGISTERS.jsonl COMPANY K [RUNS]\n");
        return 2;
    }
    int K = atoi(argv[3]), runs = argc > 4 ? atoi(argv[4]) : 3;
    FILE *f = fopen(argv[1], "r");
    if (!f) { perror(argv[1]); return 2; }
    rfx_register **regs = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t l;
    while ((l = getline(&line, &lcap, f)) > 0) {
        json_error_t je;
        json_t *root = json_loads(line, 0, &je);
        if (!root) continue;
        for (int k = 0; k < K; k++) {
            rfx_register *r = copy_of(root, k);
            if (!r) continue;
            if (n == cap) { cap = cap ? cap * 2 : 256; regs = realloc(regs, cap * sizeof *regs); }
            regs[n++] = r;
        }
        json_decref(root);
    }
    free(line);
    fclose(f);
    double tot[64], ix[64];
    size_t sentences = 0;
    if (runs > 64) runs = 64;
    for (int r = 0; r < runs; r++) {
        rfx_peers_options o;
        rfx_peers_options_init(&o);
        o.company = argv[2];
        rfx_peers *p = NULL;
        rfx_error e;
        double t0 = now();
        if (rfx_peers_compute((const rfx_register *const *)regs, n, &o, &p, &e) != RFX_OK) {
            fprintf(stderr, "peers: %s\n", e.message);
            return 1;
        }
        tot[r] = now() - t0;
        char *js = rfx_peers_json(p, 0);
        json_error_t je;
        json_t *root = json_loads(js, 0, &je);
        ix[r] = json_real_value(json_object_get(json_object_get(root, "index"), "build_seconds"));
        sentences = (size_t)json_integer_value(json_object_get(json_object_get(root, "index"), "sentences"));
        json_decref(root);
        free(js);
        rfx_peers_free(p);
    }
    qsort(tot, (size_t)runs, sizeof *tot, cmpd);
    qsort(ix, (size_t)runs, sizeof *ix, cmpd);
    printf("| %dx | %zu | %zu | %.3f | %.3f |\n", K, n, sentences, ix[runs / 2], tot[runs / 2]);
    for (size_t i = 0; i < n; i++) rfx_register_free(regs[i]);
    free(regs);
    return 0;
}
