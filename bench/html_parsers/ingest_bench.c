/*
 * ingest_bench.c — times rfx's ingest stage alone (bytes → blocks) on each
 * file named on the command line: the end-to-end cost of the gumbo-based HTML
 * ingest (transcoding, depth guard, parse, walk, normalisation, page marks).
 * Output, one line per file: path bytes seconds blocks status
 * Build: cc -O2 -Iinclude -Isrc bench/html_parsers/ingest_bench.c BUILD/librfx.a $(LDLIBS)
 */
#include "rfx_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    for (int a = 1; a < argc; a++) {
        FILE *f = fopen(argv[a], "rb");
        if (!f) continue;
        fseek(f, 0, SEEK_END);
        long sz = ftell(f);
        fseek(f, 0, SEEK_SET);
        rfx_register *r = rfx_register_new(NULL);
        r->path = argv[a];
        r->src = rfx_arena_alloc(r->arena, (size_t)sz + 1);
        r->srclen = fread(r->src, 1, (size_t)sz, f);
        fclose(f);
        rfx_error e;
        double t0 = now();
        rfx_status st = rfx_ingest(r, &e);
        double t = now() - t0;
        printf("%s %zu %.6f %zu %d\n", argv[a], r->srclen, t, r->nblocks, (int)st);
        rfx_register_free(r);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "maxrss_kb %ld\n", ru.ru_maxrss);
    return 0;
}
