/*
 * peers.c — a company's risk section against its peers' (docs/peers.md).
 *
 * The set is an array of registers in memory: filings or saved registers
 * given as paths, or loaded from a corpus store. Every measure is computed
 * here, over that set only:
 *  - peers: TF-IDF cosine of whole sections (a section = all its risks'
 *    words; idf over the set's sections), the top N or those named;
 *  - per risk: the closest risk of each peer (TF-IDF cosine over risks,
 *    idf over all the set's risks); a risk no peer risk reaches
 *    `unique_below` with is unique;
 *  - gaps: peers' risks that no risk of the company reaches, linked across
 *    peers when they resemble each other (cosine >= GAP_LINK), kept when the
 *    cluster spans most peers; labelled by its heaviest terms, evidenced by
 *    the peers' headings;
 *  - shared text: every sentence of 8+ words in the set is MinHashed over
 *    its 5-word shingles (K = 32), banded 8 x 4 into an LSH table built once;
 *    a company's sentence is shared when a sentence of another company falls
 *    in one of its buckets with an estimated Jaccard >= SHARED_JACCARD.
 * Costs: tokenising is linear in the set's words; the index holds 8 entries
 * per sentence and is sorted once (n log n); a query costs 8 binary searches
 * plus its bucket's size, so the whole build grows linearly with the corpus
 * while buckets of boilerplate sentences grow with the number of companies.
 */
#define XXH_INLINE_ALL
#include "peers.h"

#include <math.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#define GAP_LINK 0.30
#define SHARED_JACCARD 0.70
#define SIG 32
#define BANDS 8
#define ROWS 4
#define SHINGLE 5
#define MIN_SENT_WORDS 8
#define MAX_GAPS 20

/* ---------------- documents ---------------- */

static int ci_has(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    if (!n) return 0;
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && ((p[i] | 32) == (needle[i] | 32))) i++;
        if (i == n) return 1;
    }
    return 0;
}

static int year_of(const rfx_register *r) {
    if (r->filing.period && strlen(r->filing.period) >= 4) {
        int y = atoi(r->filing.period);
        if (y > 1900 && y < 2200) return y;
    }
    const char *p = r->path ? r->path : "";
    const char *base = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
    static const char *const tags[] = {"FY", "filed", "_", NULL};
    for (int t = 0; tags[t]; t++)
        for (const char *q = strstr(base, tags[t]); q; q = strstr(q + 1, tags[t])) {
            const char *d = q + strlen(tags[t]);
            if ((d[0] == '1' || d[0] == '2') && d[1] >= '0' && d[1] <= '9' && d[2] >= '0' && d[2] <= '9' &&
                d[3] >= '0' && d[3] <= '9' && !(d[4] >= '0' && d[4] <= '9'))
                return atoi(d);
        }
    return 0;
}

/* The company: CIK when the filing states it, else the file name's prefix
 * before the first '_' or '.' ("AMZN_10-K_FY2023.html" → "AMZN"). */
static void identify(pr_doc *d) {
    const rfx_register *r = d->r;
    const char *p = r->path ? r->path : "-";
    const char *base = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
    size_t bl = strcspn(base, "_.");
    if (r->filing.cik && r->filing.cik[0]) {
        const char *c = r->filing.cik;
        while (*c == '0' && c[1]) c++;
        snprintf(d->key, sizeof d->key, "cik:%s", c);
    } else {
        snprintf(d->key, sizeof d->key, "%.*s", (int)(bl < 60 ? bl : 60), base);
    }
    snprintf(d->label, sizeof d->label, "%.*s", (int)(bl < 60 ? bl : 60), base);
    if (r->filing.company && r->filing.company[0])
        snprintf(d->name, sizeof d->name, "%s (%.*s)", r->filing.company, (int)(bl < 20 ? bl : 20), base);
    else
        snprintf(d->name, sizeof d->name, "%.*s", (int)(bl < 100 ? bl : 100), base);
    d->year = year_of(r);
}

/* How well q names d: 2 exactly (CIK, ticker / file prefix), 1 by a
 * substring of its name ("General" in "GENERAL DYNAMICS"), 0 not. */
static int match_level(const pr_doc *d, const char *q) {
    if (!q || !*q) return false;
    bool digits = true;
    for (const char *c = q; *c; c++) digits &= *c >= '0' && *c <= '9';
    if (digits) {
        while (*q == '0' && q[1]) q++;
        return !strncmp(d->key, "cik:", 4) && !strcmp(d->key + 4, q) ? 2 : 0;
    }
    if (!strcasecmp(d->key, q) || !strcasecmp(d->label, q)) return 2;
    return d->r->filing.company && ci_has(d->r->filing.company, q) ? 1 : 0;
}

/* The best level any doc reaches for q. */
static int best_level(const rfx_peers *p, const char *q) {
    int b = 0;
    for (size_t d = 0; d < p->ndocs; d++) {
        int l = match_level(&p->docs[d], q);
        if (l > b) b = l;
    }
    return b;
}

static bool matches_at(const pr_doc *d, const char *q, int level) { return level && match_level(d, q) == level; }

/* ---------------- terms and TF-IDF ---------------- */

typedef struct hvec {
    uint64_t *v;
    size_t n, cap;
} hvec;

static bool hpush(hvec *h, uint64_t x) {
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 256;
        uint64_t *p = realloc(h->v, nc * sizeof *p);
        if (!p) return false;
        h->v = p;
        h->cap = nc;
    }
    h->v[h->n++] = x;
    return true;
}

static const char *const stop[] = {
    "the", "and", "for", "that", "with", "our", "are", "may", "not", "which", "from", "this", "have",
    "has", "can", "could", "would", "will", "such", "any", "other", "its", "their", "been", "these",
    "also", "than", "more", "into", "including", "include", "result", "results", "adversely",
    "affect", "affected", "material", "materially", "business", "operations", "financial",
    "condition", "ability", "impact", "significant", "certain", "there", "were", "was", "all",
    "they", "them", "some", "those", "each", "when", "while", "about", "over", "under", "upon",
    "who", "whom", "what", "how", "because", "however", "future", "addition", "additional", "risk",
    "risks", "factors", "company", "companies", "time", "able", "unable", "cause", "negative",
    "negatively", "harm", "make", "made", "many", "well", "could", "might", "should", "must", NULL};

static bool is_stop(const char *w, size_t n) {
    for (int i = 0; stop[i]; i++) /* first letter first: most words leave at once */
        if (stop[i][0] == w[0] && !strncmp(stop[i], w, n) && !stop[i][n]) return true;
    return false;
}

/* Lower-cased words of 3+ ASCII letters, stop words out, a plural 's' off. */
static size_t next_term(const char *s, size_t n, size_t *i, char *buf) {
    while (*i < n) {
        size_t a = *i;
        while (a < n && !((s[a] | 32) >= 'a' && (s[a] | 32) <= 'z')) a++;
        size_t b = a;
        while (b < n && (((s[b] | 32) >= 'a' && (s[b] | 32) <= 'z') || s[b] == '\'')) b++;
        *i = b;
        if (a >= n) return 0;
        size_t l = 0;
        for (size_t k = a; k < b && l < 47; k++)
            if (s[k] != '\'') buf[l++] = (char)(s[k] | 32);
        if (l > 5 && !memcmp(buf + l - 4, "sses", 4)) l -= 2;           /* losses → loss */
        else if (l > 4 && !memcmp(buf + l - 3, "ies", 3)) buf[l - 3] = 'y', l -= 2; /* currencies */
        else if (l > 4 && !memcmp(buf + l - 3, "xes", 3)) l -= 2;      /* taxes */
        else if (l > 4 && buf[l - 1] == 's' && !strchr("siu", buf[l - 2])) l--; /* not "business", "status", "basis" */
        if (l < 3 || is_stop(buf, l)) continue;
        return l;
    }
    return 0;
}

static bool terms_of(const rfx_risk *k, hvec *out) {
    const rfx_text *ts[2] = {&k->heading, &k->body};
    char buf[48];
    for (int t = 0; t < 2; t++) {
        size_t i = 0, l;
        if (!ts[t]->s) continue;
        while ((l = next_term(ts[t]->s, ts[t]->len, &i, buf)))
            if (!hpush(out, XXH3_64bits(buf, l))) return false;
    }
    return true;
}

/* A sparse vector: sorted term hashes, weights (unit length after tfidf). */
typedef struct svec {
    uint64_t *h;
    float *w;
    size_t n;
} svec;

static int cmp64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* counts of a term list → svec with raw tf */
static bool svec_from(hvec *t, svec *out) {
    memset(out, 0, sizeof *out);
    if (!t->n) return true;
    qsort(t->v, t->n, sizeof *t->v, cmp64);
    size_t u = 0;
    for (size_t i = 0; i < t->n; i++) u += !i || t->v[i] != t->v[i - 1];
    out->h = malloc(u * sizeof *out->h);
    out->w = malloc(u * sizeof *out->w);
    if (!out->h || !out->w) return false;
    for (size_t i = 0; i < t->n; i++) {
        if (!i || t->v[i] != t->v[i - 1]) {
            out->h[out->n] = t->v[i];
            out->w[out->n++] = 1;
        } else {
            out->w[out->n - 1] += 1;
        }
    }
    return true;
}

static void svec_free(svec *v) {
    free(v->h);
    free(v->w);
}

typedef struct dfmap {
    uint64_t *h;
    uint32_t *df;
    size_t n, ndocs;
} dfmap;

static bool df_build(const svec *v, size_t nv, dfmap *d) {
    memset(d, 0, sizeof *d);
    size_t tot = 0;
    for (size_t i = 0; i < nv; i++) tot += v[i].n;
    uint64_t *all = malloc((tot ? tot : 1) * sizeof *all);
    if (!all) return false;
    size_t k = 0;
    for (size_t i = 0; i < nv; i++) {
        memcpy(all + k, v[i].h, v[i].n * sizeof *all);
        k += v[i].n;
    }
    qsort(all, tot, sizeof *all, cmp64);
    d->h = malloc((tot ? tot : 1) * sizeof *d->h);
    d->df = malloc((tot ? tot : 1) * sizeof *d->df);
    if (!d->h || !d->df) { free(all); return false; }
    for (size_t i = 0; i < tot; i++) {
        if (!i || all[i] != all[i - 1]) {
            d->h[d->n] = all[i];
            d->df[d->n++] = 1;
        } else {
            d->df[d->n - 1]++;
        }
    }
    d->ndocs = nv;
    free(all);
    return true;
}

static void df_free(dfmap *d) {
    free(d->h);
    free(d->df);
}

static double idf(const dfmap *d, uint64_t h) {
    size_t lo = 0, hi = d->n;
    while (lo < hi) {
        size_t m = (lo + hi) / 2;
        if (d->h[m] < h) lo = m + 1;
        else hi = m;
    }
    uint32_t df = lo < d->n && d->h[lo] == h ? d->df[lo] : 0;
    return log((1.0 + (double)d->ndocs) / (1.0 + df)) + 1.0;
}

static void tfidf(svec *v, const dfmap *d) {
    double norm = 0;
    for (size_t i = 0; i < v->n; i++) {
        double w = (1.0 + log(v->w[i])) * idf(d, v->h[i]);
        v->w[i] = (float)w;
        norm += w * w;
    }
    norm = sqrt(norm);
    for (size_t i = 0; i < v->n && norm > 0; i++) v->w[i] = (float)(v->w[i] / norm);
}

static double cosine(const svec *a, const svec *b) {
    size_t i = 0, j = 0;
    double s = 0;
    while (i < a->n && j < b->n) {
        if (a->h[i] == b->h[j]) s += (double)a->w[i++] * b->w[j++];
        else if (a->h[i] < b->h[j]) i++;
        else j++;
    }
    return s;
}

/* ---------------- shared text: MinHash / LSH ---------------- */

static inline uint64_t mix(uint64_t x) { /* splitmix64 finaliser */
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

typedef struct sent {
    uint32_t doc, risk;
    uint64_t sig[SIG];
} sent;

typedef struct bucket {
    uint64_t key;
    uint32_t sent;
} bucket;

static int cmp_bucket(const void *a, const void *b) {
    const bucket *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->sent < y->sent ? -1 : x->sent > y->sent;
}

typedef struct sents {
    sent *v;
    size_t n, cap;
} sents;

/* Sentences of text t (8+ words) with their signatures. */
static bool sentences_of(const rfx_text *t, uint32_t doc, uint32_t risk, sents *out) {
    const char *s = t->s;
    size_t n = t->len, i = 0;
    uint64_t w[1024];
    while (s && i < n) {
        size_t nw = 0;
        /* words until a sentence end: ". " "? " "! " or a line break */
        while (i < n) {
            while (i < n && !(((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z') || (s[i] >= '0' && s[i] <= '9'))) {
                if (s[i] == '\n' || ((s[i] == '.' || s[i] == '?' || s[i] == '!') && (i + 1 >= n || s[i + 1] == ' ' || s[i + 1] == '\n')))
                    goto end;
                i++;
            }
            size_t a = i;
            uint64_t h = 1469598103934665603ull;
            while (i < n && (((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z') || (s[i] >= '0' && s[i] <= '9'))) {
                h = (h ^ (uint64_t)(unsigned char)(s[i] | 32)) * 1099511628211ull;
                i++;
            }
            if (i > a && nw < 1024) w[nw++] = h;
        }
    end:
        i++;
        if (nw < MIN_SENT_WORDS) continue;
        if (out->n == out->cap) {
            size_t nc = out->cap ? out->cap * 2 : 4096;
            sent *v = realloc(out->v, nc * sizeof *v);
            if (!v) return false;
            out->v = v;
            out->cap = nc;
        }
        sent *x = &out->v[out->n++];
        x->doc = doc;
        x->risk = risk;
        for (int k = 0; k < SIG; k++) x->sig[k] = UINT64_MAX;
        for (size_t j = 0; j + SHINGLE <= nw; j++) {
            uint64_t sh = 0;
            for (int q = 0; q < SHINGLE; q++) sh = mix(sh ^ w[j + q]);
            for (int k = 0; k < SIG; k++) {
                uint64_t v = mix(sh ^ ((uint64_t)k * 0x9E3779B97F4A7C15ull));
                if (v < x->sig[k]) x->sig[k] = v;
            }
        }
    }
    return true;
}

static bool add_company(pr_shared *s, size_t doc) {
    for (size_t i = 0; i < s->ncompanies; i++)
        if (s->companies[i] == doc) return true;
    size_t *c = realloc(s->companies, (s->ncompanies + 1) * sizeof *c);
    if (!c) return false;
    s->companies = c;
    s->companies[s->ncompanies++] = doc;
    return true;
}

bool pr_shared_text(struct rfx_peers *p) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sents S = {0};
    bool ok = true;
    for (size_t d = 0; d < p->ndocs && ok; d++) {
        const rfx_register *r = p->docs[d].r;
        for (size_t k = 0; k < r->nrisks && ok; k++)
            ok = sentences_of(&r->risks[k].heading, (uint32_t)d, (uint32_t)k, &S) &&
                 sentences_of(&r->risks[k].body, (uint32_t)d, (uint32_t)k, &S);
    }
    bucket *B = ok ? malloc((S.n ? S.n : 1) * BANDS * sizeof *B) : NULL;
    if (!B) ok = false;
    for (size_t i = 0; ok && i < S.n; i++)
        for (int b = 0; b < BANDS; b++) {
            B[i * BANDS + (size_t)b].key = XXH3_64bits_withSeed(S.v[i].sig + b * ROWS, ROWS * sizeof(uint64_t), (uint64_t)b);
            B[i * BANDS + (size_t)b].sent = (uint32_t)i;
        }
    if (ok) qsort(B, S.n * BANDS, sizeof *B, cmp_bucket);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    p->index_seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    p->index_sentences = S.n;
    /* the company's sentences against everyone else's */
    const char *tkey = p->docs[p->target].key;
    size_t nb = S.n * BANDS;
    for (size_t i = 0; ok && i < S.n; i++) {
        if (S.v[i].doc != p->target) continue;
        pr_risk *pk = &p->risks[S.v[i].risk];
        pk->shared.sentences++;
        p->section.sentences++;
        bool shared = false;
        for (int b = 0; b < BANDS && ok; b++) {
            uint64_t key = XXH3_64bits_withSeed(S.v[i].sig + b * ROWS, ROWS * sizeof(uint64_t), (uint64_t)b);
            size_t lo = 0, hi = nb;
            while (lo < hi) {
                size_t m = (lo + hi) / 2;
                if (B[m].key < key) lo = m + 1;
                else hi = m;
            }
            for (size_t m = lo; m < nb && B[m].key == key && ok; m++) {
                const sent *o = &S.v[B[m].sent];
                if (!strcmp(p->docs[o->doc].key, tkey)) continue; /* the company itself, any year */
                int agree = 0;
                for (int k = 0; k < SIG; k++) agree += o->sig[k] == S.v[i].sig[k];
                if ((double)agree / SIG < SHARED_JACCARD) continue;
                shared = true;
                ok = add_company(&pk->shared, o->doc) && add_company(&p->section, o->doc);
            }
        }
        if (shared) {
            pk->shared.shared++;
            p->section.shared++;
        }
    }
    free(B);
    free(S.v);
    return ok;
}

/* ---------------- the comparison ---------------- */

void rfx_peers_options_init(rfx_peers_options *opt) {
    memset(opt, 0, sizeof *opt);
    opt->top = 5;
    opt->unique_below = 0.25;
}


typedef struct cand {
    size_t doc;
    double sim;
} cand;

static int cmp_cand(const void *a, const void *b) {
    const cand *x = a, *y = b;
    if (x->sim != y->sim) return x->sim < y->sim ? 1 : -1;
    return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* The doc of company `key` nearest to year y (same year first, then the
 * closest, the older on a tie); -1 when none. */
static long nearest_year(const rfx_peers *p, const char *key, int y) {
    long best = -1;
    int bd = 0;
    for (size_t d = 0; d < p->ndocs; d++) {
        if (strcmp(p->docs[d].key, key)) continue;
        int dist = abs(p->docs[d].year - y) * 2 + (p->docs[d].year > y);
        if (best < 0 || dist < bd) {
            best = (long)d;
            bd = dist;
        }
    }
    return best;
}

static size_t find_root(size_t *par, size_t x) {
    while (par[x] != x) x = par[x] = par[par[x]];
    return x;
}

void rfx_peers_free(rfx_peers *p) {
    if (!p) return;
    for (size_t i = 0; i < p->nrisks; i++) {
        free(p->risks[i].best);
        free(p->risks[i].shared.companies);
    }
    for (size_t g = 0; g < p->ngaps; g++) free(p->gaps[g].ev);
    free(p->gaps);
    free(p->risks);
    free(p->section.companies);
    free(p->peers);
    free(p->peer_sim);
    free(p->docs);
    free(p);
}

/* Heaviest terms of a cluster of risks, for its label. */
static void label(const rfx_peers *p, const pr_evidence *ev, size_t nev, const dfmap *rdf, char out[3][32]) {
    typedef struct tw { uint64_t h; double w; char s[32]; } tw;
    size_t cap = 4096, n = 0;
    tw *v = malloc(cap * sizeof *v);
    out[0][0] = out[1][0] = out[2][0] = 0;
    if (!v) return;
    for (size_t e = 0; e < nev; e++) {
        const rfx_risk *k = &p->docs[p->peers[ev[e].peer]].r->risks[ev[e].risk];
        const rfx_text *ts[2] = {&k->heading, &k->body};
        for (int t = 0; t < 2; t++) {
            char buf[48];
            size_t i = 0, l;
            double hw = t == 0 ? 3.0 : 1.0; /* headings name the theme */
            while (ts[t]->s && (l = next_term(ts[t]->s, ts[t]->len, &i, buf))) {
                uint64_t h = XXH3_64bits(buf, l);
                size_t q = 0;
                while (q < n && v[q].h != h) q++;
                if (q == n) {
                    if (n == cap) continue;
                    v[n].h = h;
                    v[n].w = 0;
                    snprintf(v[n].s, sizeof v[n].s, "%.*s", (int)(l < 31 ? l : 31), buf);
                    n++;
                }
                v[q].w += hw * idf(rdf, h);
            }
        }
    }
    for (int o = 0; o < 3; o++) {
        size_t b = n;
        for (size_t q = 0; q < n; q++)
            if (v[q].w > 0 && (b == n || v[q].w > v[b].w)) b = q;
        if (b == n) break;
        memcpy(out[o], v[b].s, 32);
        v[b].w = -1;
    }
    free(v);
}

rfx_status rfx_peers_compute(const rfx_register *const *regs, size_t n, const rfx_peers_options *opt,
                             rfx_peers **out, rfx_error *err) {
    *out = NULL;
    rfx_peers_options dflt;
    if (!opt) {
        rfx_peers_options_init(&dflt);
        opt = &dflt;
    }
    if (!opt->company || !opt->company[0]) {
        rfx_set_error(err, RFX_EUSAGE, "peers: which company? (a CIK, name or ticker)");
        return RFX_EUSAGE;
    }
    rfx_peers *p = calloc(1, sizeof *p);
    if (!p) goto oom;
    p->unique_below = opt->unique_below > 0 ? opt->unique_below : 0.25;
    p->docs = calloc(n ? n : 1, sizeof *p->docs);
    if (!p->docs) goto oom;
    for (size_t i = 0; i < n; i++) {
        if (!regs[i] || !regs[i]->nrisks) continue;
        p->docs[p->ndocs].r = regs[i];
        identify(&p->docs[p->ndocs]);
        p->ndocs++;
    }
    /* the company */
    long t = -1;
    int lvl = best_level(p, opt->company);
    for (size_t d = 0; d < p->ndocs; d++) {
        if (!matches_at(&p->docs[d], opt->company, lvl)) continue;
        if (opt->year && p->docs[d].year != opt->year) continue;
        if (t < 0 || p->docs[d].year > p->docs[t].year) t = (long)d;
    }
    if (t < 0) {
        rfx_set_error(err, RFX_EUSAGE, "peers: no filing of '%.100s'%s among the %zu with risk factors",
                      opt->company, opt->year ? " for that year" : "", p->ndocs);
        rfx_peers_free(p);
        return RFX_EUSAGE;
    }
    p->target = (size_t)t;
    const pr_doc *T = &p->docs[t];

    /* vectors: one per risk and one per section */
    size_t nr = 0;
    for (size_t d = 0; d < p->ndocs; d++) nr += p->docs[d].r->nrisks;
    svec *rv = calloc(nr ? nr : 1, sizeof *rv), *sv = calloc(p->ndocs, sizeof *sv);
    size_t *roff = calloc(p->ndocs + 1, sizeof *roff);
    dfmap rdf = {0}, sdf = {0};
    bool ok = rv && sv && roff;
    for (size_t d = 0, k = 0; ok && d < p->ndocs; d++) {
        roff[d] = k;
        hvec all = {0};
        for (size_t i = 0; ok && i < p->docs[d].r->nrisks; i++, k++) {
            hvec h = {0};
            ok = terms_of(&p->docs[d].r->risks[i], &h) && svec_from(&h, &rv[k]);
            for (size_t q = 0; ok && q < h.n; q++) ok = hpush(&all, h.v[q]);
            free(h.v);
        }
        ok = ok && svec_from(&all, &sv[d]);
        free(all.v);
        roff[d + 1] = k;
    }
    ok = ok && df_build(rv, nr, &rdf) && df_build(sv, p->ndocs, &sdf);
    for (size_t k = 0; ok && k < nr; k++) tfidf(&rv[k], &rdf);
    for (size_t d = 0; ok && d < p->ndocs; d++) tfidf(&sv[d], &sdf);
    if (!ok) goto fail;

    /* peers: named, or the top N of one doc per other company */
    p->peers = calloc(p->ndocs, sizeof *p->peers);
    p->peer_sim = calloc(p->ndocs, sizeof *p->peer_sim);
    cand *cs = calloc(p->ndocs, sizeof *cs);
    if (!p->peers || !p->peer_sim || !cs) { free(cs); goto fail; }
    size_t nc = 0;
    if (opt->peers && opt->peers[0]) {
        p->peers_given = true;
        const char *q = opt->peers;
        while (*q) {
            size_t l = strcspn(q, ",");
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(l < 127 ? l : 127), q);
            long best = -1;
            int pl = best_level(p, name);
            for (size_t d = 0; d < p->ndocs; d++)
                if (strcmp(p->docs[d].key, T->key) && matches_at(&p->docs[d], name, pl)) {
                    best = nearest_year(p, p->docs[d].key, T->year);
                    break;
                }
            if (best < 0) {
                rfx_set_error(err, RFX_EUSAGE, "peers: no filing of peer '%s' in the set", name);
                free(cs);
                for (size_t k = 0; k < nr; k++) svec_free(&rv[k]);
                for (size_t d = 0; d < p->ndocs; d++) svec_free(&sv[d]);
                free(rv); free(sv); free(roff); df_free(&rdf); df_free(&sdf);
                rfx_peers_free(p);
                return RFX_EUSAGE;
            }
            bool dup = false;
            for (size_t c = 0; c < nc; c++) dup |= cs[c].doc == (size_t)best;
            if (!dup) cs[nc++] = (cand){(size_t)best, cosine(&sv[t], &sv[best])};
            q += l;
            if (*q) q++;
        }
    } else {
        for (size_t d = 0; d < p->ndocs; d++) {
            if (!strcmp(p->docs[d].key, T->key)) continue;
            if (nearest_year(p, p->docs[d].key, T->year) != (long)d) continue;
            cs[nc++] = (cand){d, cosine(&sv[t], &sv[d])};
        }
        qsort(cs, nc, sizeof *cs, cmp_cand);
        if (nc > (opt->top ? opt->top : 5)) nc = opt->top ? opt->top : 5;
    }
    for (size_t c = 0; c < nc; c++) {
        p->peers[c] = cs[c].doc;
        p->peer_sim[c] = cs[c].sim;
    }
    p->npeers = nc;
    free(cs);

    /* each risk: the closest risk of each peer */
    p->nrisks = T->r->nrisks;
    p->risks = calloc(p->nrisks ? p->nrisks : 1, sizeof *p->risks);
    if (!p->risks) goto fail;
    for (size_t i = 0; i < p->nrisks; i++) {
        pr_risk *pk = &p->risks[i];
        pk->best = calloc(p->npeers ? p->npeers : 1, sizeof *pk->best);
        if (!pk->best) goto fail;
        const svec *a = &rv[roff[t] + i];
        for (size_t c = 0; c < p->npeers; c++) {
            size_t d = p->peers[c];
            pk->best[c] = (pr_match){c, -1, 0};
            for (size_t j = roff[d]; j < roff[d + 1]; j++) {
                double s = cosine(a, &rv[j]);
                if (s > pk->best[c].sim) pk->best[c] = (pr_match){c, (long)(j - roff[d]), s};
            }
            if (pk->best[c].sim > pk->top) pk->top = pk->best[c].sim;
        }
        pk->unique = p->npeers && pk->top < p->unique_below;
    }

    /* gaps: peers' risks the company has no counterpart for, clustered */
    size_t nu = 0;
    pr_evidence *un = malloc((nr ? nr : 1) * sizeof *un);
    size_t *par = malloc((nr ? nr : 1) * sizeof *par);
    if (!un || !par) { free(un); free(par); goto fail; }
    for (size_t c = 0; c < p->npeers; c++) {
        size_t d = p->peers[c];
        for (size_t j = roff[d]; j < roff[d + 1]; j++) {
            double best = 0;
            for (size_t i = 0; i < p->nrisks; i++) {
                double s = cosine(&rv[j], &rv[roff[t] + i]);
                if (s > best) best = s;
            }
            if (best < p->unique_below) un[nu++] = (pr_evidence){c, j - roff[d]};
        }
    }
    for (size_t a = 0; a < nu; a++) par[a] = a;
    for (size_t a = 0; a < nu; a++)
        for (size_t b = a + 1; b < nu; b++) {
            if (un[a].peer == un[b].peer) continue;
            const svec *va = &rv[roff[p->peers[un[a].peer]] + un[a].risk];
            const svec *vb = &rv[roff[p->peers[un[b].peer]] + un[b].risk];
            if (cosine(va, vb) >= GAP_LINK) par[find_root(par, a)] = find_root(par, b);
        }
    size_t need = p->npeers / 2 + 1; /* most: a strict majority of the peers, at least two */
    if (need < 2) need = 2;
    p->gaps = calloc(MAX_GAPS, sizeof *p->gaps);
    if (!p->gaps) { free(un); free(par); goto fail; }
    for (size_t a = 0; a < nu && p->ngaps < MAX_GAPS; a++) {
        if (find_root(par, a) != a) continue;
        bool seen[256] = {false};
        size_t np = 0, cnt = 0;
        for (size_t b = 0; b < nu; b++)
            if (find_root(par, b) == a) {
                cnt++;
                if (un[b].peer < 256 && !seen[un[b].peer]) { seen[un[b].peer] = true; np++; }
            }
        if (np < need || p->npeers < 2) continue;
        pr_gap *g = &p->gaps[p->ngaps];
        g->ev = malloc(cnt * sizeof *g->ev);
        if (!g->ev) { free(un); free(par); goto fail; }
        for (size_t b = 0; b < nu; b++)
            if (find_root(par, b) == a) g->ev[g->nev++] = un[b];
        g->npeers = np;
        label(p, g->ev, g->nev, &rdf, g->terms);
        p->ngaps++;
    }
    /* most peers first */
    for (size_t i = 1; i < p->ngaps; i++)
        for (size_t j = i; j > 0 && p->gaps[j].npeers > p->gaps[j - 1].npeers; j--) {
            pr_gap tmp = p->gaps[j];
            p->gaps[j] = p->gaps[j - 1];
            p->gaps[j - 1] = tmp;
        }
    free(un);
    free(par);

    for (size_t k = 0; k < nr; k++) svec_free(&rv[k]);
    for (size_t d = 0; d < p->ndocs; d++) svec_free(&sv[d]);
    free(rv); free(sv); free(roff); df_free(&rdf); df_free(&sdf);
    rv = NULL; sv = NULL; roff = NULL;
    if (!pr_shared_text(p)) goto oom;
    *out = p;
    return RFX_OK;
fail:
    if (rv) for (size_t k = 0; k < nr; k++) svec_free(&rv[k]);
    if (sv) for (size_t d = 0; d < p->ndocs; d++) svec_free(&sv[d]);
    free(rv); free(sv); free(roff); df_free(&rdf); df_free(&sdf);
oom:
    rfx_peers_free(p);
    rfx_set_error(err, RFX_ENOMEM, "peers: out of memory");
    return RFX_ENOMEM;
}
