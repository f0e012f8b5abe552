/*
 * search.c — latency of rfx_store_search on a corpus database: 20 typical
 * queries, top 20 by bm25, each run RUNS times after one warm-up, on one
 * thread; prints p50/p99 (ms) with no filter and with a category + fiscal
 * year range filter (the target: p99 < 100 ms at 1,000,000 risks).
 *   search DB [RUNS]
 */
#include "rfx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const queries[][2] = {
    /* query, a category that fits it */
    {"cybersecurity", "cybersecurity_privacy"},
    {"\"data breach\"", "cybersecurity_privacy"},
    {"ransomware OR malware", "cybersecurity_privacy"},
    {"tariff*", "international"},
    {"\"export controls\"", "international"},
    {"sanctions NOT russia", "international"},
    {"pandemic OR covid*", "pandemic_public_health"},
    {"climate change", "environment_climate"},
    {"\"greenhouse gas\"", "environment_climate"},
    {"interest rates", "macroeconomic"},
    {"inflation", "macroeconomic"},
    {"supplier* shortage", "suppliers"},
    {"litigation", "legal"},
    {"\"intellectual property\"", "intellectual_property"},
    {"key personnel", "human_capital"},
    {"competition pricing", "competition"},
    {"artificial intelligence", "technology_change"},
    {"goodwill impairment", "impairment_accounting"},
    {"credit facility covenants", "financing_liquidity"},
    {"reputation brand", "reputation_brand"},
};
#define NQ (sizeof queries / sizeof *queries)

static double now_ms(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p) {
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: search DB [RUNS]\n"); return 2; }
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    if (runs < 1) runs = 1;
    rfx_store *s;
    rfx_error e;
    if (rfx_store_open(argv[1], RFX_STORE_READONLY, &s, &e) != RFX_OK) {
        fprintf(stderr, "search: %s\n", e.message);
        return 3;
    }
    for (int filtered = 0; filtered < 2; filtered++) {
        double *t = malloc(sizeof *t * NQ * (size_t)runs), *c = malloc(sizeof *c * NQ * (size_t)runs);
        size_t n = 0, hits = 0;
        for (size_t k = 0; k < NQ; k++) {
            rfx_store_query q;
            rfx_store_query_init(&q);
            q.text = queries[k][0];
            q.limit = 20;
            if (filtered) {
                q.category = queries[k][1];
                q.year_from = 2012;
                q.year_to = 2018;
            }
            for (int r = -1; r < runs; r++) {
                char *js = NULL;
                double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
                rfx_status st = rfx_store_search(s, &q, &js, &e);
                double dt = now_ms(CLOCK_MONOTONIC) - t0, dc = now_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
                if (st != RFX_OK) { fprintf(stderr, "search: [%s] %s\n", q.text, e.message); break; }
                if (r == 0) for (const char *p = js; (p = strstr(p, "\"risk_id\"")); p++) hits++;
                free(js);
                if (r >= 0) { t[n] = dt; c[n++] = dc; }
                if (r == runs - 1 && getenv("VERBOSE")) fprintf(stderr, "%6.1f ms CPU  %s%s\n", dc, q.text, filtered ? " (filtered)" : "");
            }
        }
        qsort(t, n, sizeof *t, cmp);
        qsort(c, n, sizeof *c, cmp);
        /* wall time on a shared machine includes waiting for a core; CPU
         * time is what one core spends */
        printf("%-30s wall p50 %6.2f p99 %6.2f ms | CPU p50 %6.2f p99 %6.2f ms  (%zu runs, %zu hits)\n",
               filtered ? "category + years 2012..2018:" : "no filter:", pct(t, n, 0.5), pct(t, n, 0.99),
               pct(c, n, 0.5), pct(c, n, 0.99), n, hits);
        free(t);
        free(c);
    }
    rfx_store_close(s);
    return 0;
}
