/*
 * diff.c — comparing two registers: align risks, label each pair, measure.
 *
 * Risks are aligned one-to-one in two passes. First, risks whose words are
 * identical are paired in order (so diff(A, A) is the identity even with
 * duplicate risks). Then every remaining old×new pair gets a score — the
 * cosine of tf-idf vectors of heading + body without stop words, raised when
 * the headings read the same — and pairs are taken greedily from the best
 * score down to a threshold. Greedy suits this problem: a risk factor that
 * survives a year almost always has one clearly best partner, and a Hungarian
 * solve would only reshuffle the weak tail that the threshold drops anyway.
 *
 * A matched pair is "moved" when it is not on the longest increasing run of
 * matched pairs (old order vs new order): the fewest pairs that explain the
 * reordering. A leftover new risk whose words are mostly contained in a
 * matched old risk, and which covers a part of it its partner does not, was
 * split out of it (and the reverse is a merge). The section-level measures
 * follow "Lazy Prices"; the exact preprocessing is in docs/compare.md.
 */
#define XXH_INLINE_ALL
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MATCH_THRESHOLD 0.30  /* alignment score below which risks stay unpaired */
#define SPLIT_CONTAIN 0.60    /* share of a leftover risk's words found in the other side */
#define SPLIT_GAIN 0.10       /* extra share of the whole it must explain */
#define LEV_BUDGET 100000000u /* 64-row block steps for one exact edit distance (~0.1 s) */
#define MAX_RISKS 100000      /* a register larger than this is not a risk section */

const char *const cmp_status_name[CMP_NSTATUS] = {"unchanged", "modified", "added", "removed",
                                                  "moved"};

/* ---------------- tokens ---------------- */

/* Whitespace-separated words, as written: the units of a redline. */
static bool words_split(const char *s, cmp_words *w) {
    memset(w, 0, sizeof *w);
    w->s = s ? s : "";
    size_t cap = 0;
    const char *p = w->s;
    while (*p) {
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == '\f') p++;
        if (!*p) break;
        const char *q = p;
        while (*q && *q != ' ' && *q != '\n' && *q != '\t' && *q != '\r' && *q != '\f') q++;
        if (w->n == cap) {
            cap = cap ? cap * 2 : 64;
            uint32_t *o = realloc(w->off, cap * sizeof *o);
            if (o) w->off = o;
            uint32_t *l = realloc(w->len, cap * sizeof *l);
            if (l) w->len = l;
            uint64_t *h = realloc(w->h, cap * sizeof *h);
            if (h) w->h = h;
            if (!o || !l || !h) return false;
        }
        w->off[w->n] = (uint32_t)(p - w->s);
        w->len[w->n] = (uint32_t)(q - p);
        w->h[w->n] = XXH3_64bits(p, (size_t)(q - p));
        w->n++;
        p = q;
    }
    return true;
}

static void words_free(cmp_words *w) {
    free(w->off);
    free(w->len);
    free(w->h);
}

/* A growable array of token hashes. */
typedef struct hvec {
    uint64_t *v;
    size_t n, cap;
    bool oom;
} hvec;

static void hpush(hvec *h, uint64_t x) {
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 256;
        uint64_t *p = realloc(h->v, nc * sizeof *p);
        if (!p) { h->oom = true; return; }
        h->v = p;
        h->cap = nc;
    }
    h->v[h->n++] = x;
}

/* Byte class for the measure tokeniser: 1 = part of a word, 0 = separator;
 * *len = bytes of this character. Non-ASCII letters count as word bytes;
 * Latin-1 punctuation (U+0080–U+00BF: no-break space, §, ©) and the U+2000–
 * U+2FFF block (dashes, curly quotes, bullets, arrows, maths) separate. */
static int cls(const unsigned char *p, int *len) {
    unsigned c = p[0];
    if (c < 0x80) {
        *len = 1;
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
    int n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (int i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) { n = i; break; } /* truncated sequence */
    *len = n;
    if (c == 0xC2 || c == 0xE2 || n == 1) return 0;
    if (c == 0xEF && p[1] == 0xBB && p[2] == 0xBF) return 0; /* BOM */
    return 1;
}

/* Appends the measure tokens of s: lower-cased (ASCII) runs of letters and
 * digits, apostrophes inside words dropped ("company's" → "companys"),
 * tokens without a letter (numbers, years) skipped. */
static void terms(const char *s, hvec *out) {
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    char buf[256];
    while (*p) {
        int len;
        if (!cls(p, &len)) { p += len; continue; }
        size_t n = 0, total = 0;
        bool alpha = false;
        uint64_t h = 0;
        for (;;) {
            if (!*p) break;
            if (cls(p, &len)) {
                for (int i = 0; i < len; i++) {
                    unsigned char c = p[i];
                    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
                    if (!(c >= '0' && c <= '9')) alpha = true;
                    if (n == sizeof buf) { /* a very long token: hash in chunks */
                        h = XXH3_64bits_withSeed(buf, n, h);
                        n = 0;
                    }
                    buf[n++] = (char)c;
                    total++;
                }
                p += len;
                continue;
            }
            /* apostrophe between letters: part of the word */
            bool apos = p[0] == '\'' || (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x99);
            if (apos) {
                const unsigned char *q = p + (p[0] == '\'' ? 1 : 3);
                if ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')) { p = q; continue; }
            }
            break;
        }
        if (alpha && total) hpush(out, XXH3_64bits_withSeed(buf, n, h));
    }
}

static const char *const stop_list[] = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
    "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "may", "might", "more",
    "most", "must", "my", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other",
    "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some",
    "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they",
    "this", "those", "through", "to", "too", "under", "until", "up", "us", "very", "was", "we",
    "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "you", "your", "result", "results", "adversely", "adverse", "affect", "affected",
    "business", "including", "material", "materially", "company", "s"};
#define NSTOP (sizeof stop_list / sizeof *stop_list)

/* ---------------- term vectors ---------------- */

typedef struct tv {
    uint64_t h;
    uint32_t c;
    float w;
} tv;

static int cmp_u64(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Sorted (hash, count) of a token array; *n unique terms. */
static tv *tf_vector(const uint64_t *t, size_t nt, size_t *n) {
    *n = 0;
    uint64_t *s = malloc((nt ? nt : 1) * sizeof *s);
    tv *v = malloc((nt ? nt : 1) * sizeof *v);
    if (!s || !v) { free(s); free(v); return NULL; }
    memcpy(s, t, nt * sizeof *s);
    qsort(s, nt, sizeof *s, cmp_u64);
    for (size_t i = 0; i < nt; i++) {
        if (*n && v[*n - 1].h == s[i]) v[*n - 1].c++;
        else v[(*n)++] = (tv){s[i], 1, 1.0f};
    }
    free(s);
    return v;
}

static double dot_w(const tv *a, size_t na, const tv *b, size_t nb) {
    double s = 0;
    for (size_t i = 0, j = 0; i < na && j < nb;) {
        if (a[i].h < b[j].h) i++;
        else if (a[i].h > b[j].h) j++;
        else s += (double)a[i++].w * b[j++].w;
    }
    return s;
}

/* ---------------- the four measures ---------------- */

/* Word-level Levenshtein distance of a and b, whose diff script is ops:
 * exact and global when the bit-parallel DP fits its budget (sections up to
 * a few MB each). Beyond that, exact between the unchanged runs of at least
 * ANCHOR_RUN words (an upper bound: the optimum nearly always keeps them),
 * and a segment still too big costs the script's bound, max(deleted,
 * inserted) per hunk. *exact is false whenever a fallback was used. */
#define ANCHOR_RUN 32
static size_t edit_distance(const uint64_t *a, size_t na, const uint64_t *b, size_t nb,
                            const cmp_ops *ops, bool *exact) {
    size_t d = cmp_levenshtein(a, na, b, nb, LEV_BUDGET, exact);
    if (*exact) return d;
    size_t total = 0, sa = 0, sb = 0, k0 = 0;
    for (size_t k = 0; k <= ops->n; k++) {
        const cmp_op *op = k < ops->n ? &ops->v[k] : NULL;
        bool cut = !op || (op->kind == CMP_EQUAL && op->a1 - op->a0 >= ANCHOR_RUN);
        if (!cut) continue;
        size_t ea = op ? op->a0 : na, eb = op ? op->b0 : nb;
        if (ea > sa || eb > sb) {
            bool ok;
            d = cmp_levenshtein(a + sa, ea - sa, b + sb, eb - sb, LEV_BUDGET, &ok);
            if (!ok) {
                cmp_ops seg = {ops->v + k0, k - k0, 0, false, false};
                cmp_ops_totals(&seg, NULL, NULL, &d);
            }
            total += d;
        }
        if (op) { sa = op->a1; sb = op->b1; }
        k0 = k + 1;
    }
    return total;
}

/* quick: cosine and jaccard only (alignment for the corpus store's lineage
 * needs no edit script or edit distance) */
static void measures_q(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, cmp_measures *m, bool quick) {
    memset(m, 0, sizeof *m);
    m->na = na;
    m->nb = nb;
    m->edit_exact = true;
    if (!na && !nb) { m->cosine = m->jaccard = m->min_edit = m->simple = 1; return; }
    if (!na || !nb) {
        m->added = nb;
        m->deleted = na;
        m->edit = na > nb ? na : nb;
        return;
    }
    size_t ua, ub;
    tv *va = tf_vector(a, na, &ua), *vb = tf_vector(b, nb, &ub);
    if (va && vb) {
        double dotp = 0, sa = 0, sb = 0;
        size_t inter = 0;
        for (size_t i = 0; i < ua; i++) sa += (double)va[i].c * va[i].c;
        for (size_t j = 0; j < ub; j++) sb += (double)vb[j].c * vb[j].c;
        for (size_t i = 0, j = 0; i < ua && j < ub;) {
            if (va[i].h < vb[j].h) i++;
            else if (va[i].h > vb[j].h) j++;
            else { dotp += (double)va[i++].c * vb[j++].c; inter++; }
        }
        m->cosine = dotp / (sqrt(sa) * sqrt(sb));
        m->jaccard = (double)inter / (double)(ua + ub - inter);
    }
    free(va);
    free(vb);
    if (quick) { if (m->cosine > 1) m->cosine = 1; return; }
    cmp_ops ops = {0};
    cmp_seqdiff(a, na, b, nb, &ops);
    size_t del, ins, hunk_edit;
    cmp_ops_totals(&ops, &del, &ins, &hunk_edit);
    m->added = ins;
    m->deleted = del;
    m->simple = 1.0 - (double)(del + ins) / (double)(na + nb);
    m->edit = edit_distance(a, na, b, nb, &ops, &m->edit_exact);
    cmp_ops_free(&ops);
    m->min_edit = 1.0 - (double)m->edit / (double)(na > nb ? na : nb);
    if (m->cosine > 1) m->cosine = 1; /* rounding */
}

static void measures(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, cmp_measures *m) {
    measures_q(a, na, b, nb, m, false);
}

/* ---------------- per-risk preparation ---------------- */

typedef struct rinfo {
    hvec tok;            /* measure tokens, heading then body */
    tv *tf;              /* sorted non-stop terms: counts, then tf-idf weights */
    size_t ntf;
    uint64_t key;        /* identity of heading + body words */
    uint64_t head;       /* identity of the heading's measure tokens (0 = empty) */
} rinfo;

typedef struct u64set {
    uint64_t *k;
    uint32_t *v;
    size_t cap;
} u64set;

static bool set_init(u64set *s, size_t n) {
    s->cap = 64;
    while (s->cap < 2 * n) s->cap *= 2;
    s->k = calloc(s->cap, sizeof *s->k);
    s->v = calloc(s->cap, sizeof *s->v);
    return s->k && s->v;
}
static void set_free(u64set *s) { free(s->k); free(s->v); }
/* Slot of key (hash 0 is reserved as empty; xxh3 of a word is 0 with odds 2^-64). */
static size_t set_slot(const u64set *s, uint64_t key) {
    size_t i = (size_t)(key ^ (key >> 31)) & (s->cap - 1);
    while (s->k[i] && s->k[i] != key) i = (i + 1) & (s->cap - 1);
    return i;
}

static uint64_t seq_key(const cmp_words *w, uint64_t seed) {
    return XXH3_64bits_withSeed(w->h, w->n * sizeof *w->h, seed);
}

static bool prepare(const rfx_risk *k, const cmp_words *wh, const cmp_words *wb, const u64set *stop,
                    rinfo *ri) {
    memset(ri, 0, sizeof *ri);
    terms(k->heading.s, &ri->tok);
    size_t nhead = ri->tok.n;
    ri->head = nhead ? XXH3_64bits(ri->tok.v, nhead * sizeof *ri->tok.v) : 0;
    terms(k->body.s, &ri->tok);
    if (ri->tok.oom) return false;
    ri->key = seq_key(wb, seq_key(wh, 0x5eed) + wh->n);
    /* content terms only: stop words removed */
    uint64_t *c = malloc((ri->tok.n ? ri->tok.n : 1) * sizeof *c);
    if (!c) return false;
    size_t nc = 0;
    for (size_t i = 0; i < ri->tok.n; i++)
        if (!stop->k[set_slot(stop, ri->tok.v[i])]) c[nc++] = ri->tok.v[i];
    ri->tf = tf_vector(c, nc, &ri->ntf);
    free(c);
    return ri->tf != NULL;
}

/* Share of x's content words found in y (counts clipped), and the share of
 * y's words that base+x explains beyond base alone. */
static void containment(const rinfo *x, const rinfo *y, const rinfo *base, double *contain,
                        double *gain) {
    size_t tx = 0, ty = 0, in = 0, extra = 0;
    for (size_t i = 0; i < x->ntf; i++) tx += x->tf[i].c;
    for (size_t j = 0; j < y->ntf; j++) {
        ty += y->tf[j].c;
        /* counts of this term in x and base, by binary search */
        uint32_t cx = 0, cb = 0;
        size_t lo = 0, hi = x->ntf;
        while (lo < hi) { size_t mid = (lo + hi) / 2; if (x->tf[mid].h < y->tf[j].h) lo = mid + 1; else hi = mid; }
        if (lo < x->ntf && x->tf[lo].h == y->tf[j].h) cx = x->tf[lo].c;
        lo = 0, hi = base->ntf;
        while (lo < hi) { size_t mid = (lo + hi) / 2; if (base->tf[mid].h < y->tf[j].h) lo = mid + 1; else hi = mid; }
        if (lo < base->ntf && base->tf[lo].h == y->tf[j].h) cb = base->tf[lo].c;
        uint32_t cy = y->tf[j].c;
        in += cx < cy ? cx : cy;
        uint32_t both = cx + cb, alone = cb;
        extra += (both < cy ? both : cy) - (alone < cy ? alone : cy);
    }
    *contain = tx ? (double)in / (double)tx : 0;
    *gain = ty ? (double)extra / (double)ty : 0;
}

/* ---------------- alignment ---------------- */

typedef struct cand {
    float score, dist;
    uint32_t i, j;
} cand;

static int cand_cmp(const void *x, const void *y) {
    const cand *a = x, *b = y;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    if (a->dist != b->dist) return a->dist < b->dist ? -1 : 1;
    if (a->i != b->i) return a->i < b->i ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

static int pair_cmp(const void *x, const void *y) {
    const cmp_pair *a = x, *b = y;
    if (a->order != b->order) return a->order < b->order ? -1 : 1;
    return a->old < b->old ? -1 : a->old > b->old;
}

/* Marks matched pairs off the longest increasing subsequence as moved.
 * mi[i] = new partner of old i or -1. */
static bool mark_moved(const long *mi, size_t n, bool *moved) {
    size_t *idx = malloc((n + 1) * sizeof *idx), *tail = malloc((n + 1) * sizeof *tail),
           *prev = malloc((n + 1) * sizeof *prev), k = 0, len = 0;
    if (!idx || !tail || !prev) { free(idx); free(tail); free(prev); return false; }
    for (size_t i = 0; i < n; i++)
        if (mi[i] >= 0) idx[k++] = i;
    for (size_t t = 0; t < k; t++) {
        size_t lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (mi[idx[tail[mid]]] < mi[idx[t]]) lo = mid + 1; else hi = mid;
        }
        prev[t] = lo ? tail[lo - 1] : (size_t)-1;
        tail[lo] = t;
        if (lo == len) len++;
    }
    for (size_t i = 0; i < n; i++) moved[i] = mi[i] >= 0;
    if (len)
        for (size_t t = tail[len - 1]; t != (size_t)-1; t = prev[t]) moved[idx[t]] = false;
    free(idx); free(tail); free(prev);
    return true;
}

static void section_tokens(const rfx_register *r, const rinfo *ri, hvec *out) {
    if (r->preamble) terms(r->preamble, out);
    for (size_t i = 0; i < r->nrisks; i++)
        for (size_t t = 0; t < ri[i].tok.n; t++) hpush(out, ri[i].tok.v[t]);
}

void rfx_diff_free(rfx_diff *d) {
    if (!d) return;
    for (size_t i = 0; i < d->npairs; i++) {
        cmp_ops_free(&d->pairs[i].head);
        cmp_ops_free(&d->pairs[i].body);
    }
    free(d->pairs);
    for (size_t g = 0; g < d->ngroups; g++) free(d->groups[g].many);
    free(d->groups);
    cmp_words *all[4] = {d->wa_head, d->wa_body, d->wb_head, d->wb_body};
    size_t cnt[4] = {d->a->nrisks, d->a->nrisks, d->b->nrisks, d->b->nrisks};
    for (int s = 0; s < 4; s++) {
        if (!all[s]) continue;
        for (size_t i = 0; i < cnt[s]; i++) words_free(&all[s][i]);
        free(all[s]);
    }
    free(d);
}

static void add_group(rfx_diff *d, bool split, long one, long partner, long other) {
    for (size_t g = 0; g < d->ngroups; g++) {
        cmp_group *x = &d->groups[g];
        if (x->split == split && x->one == one) {
            long *p = realloc(x->many, (x->nmany + 1) * sizeof *p);
            if (!p) return;
            x->many = p;
            x->many[x->nmany++] = other;
            return;
        }
    }
    cmp_group *p = realloc(d->groups, (d->ngroups + 1) * sizeof *p);
    if (!p) return;
    d->groups = p;
    cmp_group *x = &d->groups[d->ngroups];
    x->many = malloc(2 * sizeof *x->many);
    if (!x->many) return;
    d->ngroups++;
    x->split = split;
    x->one = one;
    x->many[0] = partner;
    x->many[1] = other;
    x->nmany = 2;
}

static rfx_status compute(const rfx_register *A, const rfx_register *B, bool align_only, rfx_diff **out,
                          rfx_error *err);

rfx_status rfx_diff_compute(const rfx_register *A, const rfx_register *B, rfx_diff **out,
                            rfx_error *err) {
    return compute(A, B, false, out, err);
}

rfx_status cmp_diff_align(const rfx_register *A, const rfx_register *B, rfx_diff **out, rfx_error *err) {
    return compute(A, B, true, out, err);
}

static rfx_status compute(const rfx_register *A, const rfx_register *B, bool align_only, rfx_diff **out,
                          rfx_error *err) {
    *out = NULL;
    if (!A || !B) {
        rfx_set_error(err, RFX_EUSAGE, "diff: two registers are needed");
        return RFX_EUSAGE;
    }
    if (A->nrisks > MAX_RISKS || B->nrisks > MAX_RISKS) {
        rfx_set_error(err, RFX_EINPUT, "diff: more than %d risks in one register", MAX_RISKS);
        return RFX_EINPUT;
    }
    size_t n = A->nrisks, m = B->nrisks;
    rfx_diff *d = calloc(1, sizeof *d);
    rinfo *ra = calloc(n + 1, sizeof *ra), *rb = calloc(m + 1, sizeof *rb);
    long *mi = malloc((n + 1) * sizeof *mi), *mj = malloc((m + 1) * sizeof *mj);
    float *score = NULL;
    cand *cands = NULL;
    bool *moved = calloc(n + 1, sizeof *moved);
    u64set stop = {0}, df = {0};
    hvec sa = {0}, sb = {0};
    if (d) {
        d->a = A;
        d->b = B;
    }
    bool ok = d && ra && rb && mi && mj && moved && set_init(&stop, NSTOP);
    if (ok) {
        d->wa_head = calloc(n + 1, sizeof(cmp_words));
        d->wa_body = calloc(n + 1, sizeof(cmp_words));
        d->wb_head = calloc(m + 1, sizeof(cmp_words));
        d->wb_body = calloc(m + 1, sizeof(cmp_words));
        ok = d->wa_head && d->wa_body && d->wb_head && d->wb_body;
    }
    if (ok) {
        for (size_t s = 0; s < NSTOP; s++) {
            uint64_t h = XXH3_64bits(stop_list[s], strlen(stop_list[s]));
            stop.k[set_slot(&stop, h)] = h;
        }
    }
    /* 1. words, tokens and term vectors of every risk */
    for (size_t i = 0; ok && i < n; i++)
        ok = words_split(A->risks[i].heading.s, &d->wa_head[i]) &&
             words_split(A->risks[i].body.s, &d->wa_body[i]) &&
             prepare(&A->risks[i], &d->wa_head[i], &d->wa_body[i], &stop, &ra[i]);
    for (size_t j = 0; ok && j < m; j++)
        ok = words_split(B->risks[j].heading.s, &d->wb_head[j]) &&
             words_split(B->risks[j].body.s, &d->wb_body[j]) &&
             prepare(&B->risks[j], &d->wb_head[j], &d->wb_body[j], &stop, &rb[j]);
    /* 2. tf-idf weights: document frequency over the risks of both sides */
    if (ok) {
        size_t nterms = 0;
        for (size_t i = 0; i < n; i++) nterms += ra[i].ntf;
        for (size_t j = 0; j < m; j++) nterms += rb[j].ntf;
        ok = set_init(&df, nterms);
    }
    if (ok) {
        for (int side = 0; side < 2; side++) {
            rinfo *r = side ? rb : ra;
            for (size_t i = 0, c = side ? m : n; i < c; i++)
                for (size_t t = 0; t < r[i].ntf; t++) {
                    size_t s = set_slot(&df, r[i].tf[t].h);
                    df.k[s] = r[i].tf[t].h;
                    df.v[s]++;
                }
        }
        double N = (double)(n + m);
        for (int side = 0; side < 2; side++) {
            rinfo *r = side ? rb : ra;
            for (size_t i = 0, c = side ? m : n; i < c; i++) {
                double norm = 0;
                for (size_t t = 0; t < r[i].ntf; t++) {
                    double w = r[i].tf[t].c * log(1.0 + N / df.v[set_slot(&df, r[i].tf[t].h)]);
                    r[i].tf[t].w = (float)w;
                    norm += w * w;
                }
                norm = sqrt(norm);
                for (size_t t = 0; t < r[i].ntf; t++) r[i].tf[t].w = norm > 0 ? (float)(r[i].tf[t].w / norm) : 0;
            }
        }
    }
    /* 3. identical risks pair in order */
    for (size_t i = 0; ok && i < n; i++) mi[i] = -1;
    for (size_t j = 0; ok && j < m; j++) mj[j] = -1;
    for (size_t i = 0; ok && i < n; i++)
        for (size_t j = 0; j < m; j++)
            if (mj[j] < 0 && ra[i].key == rb[j].key) { mi[i] = (long)j; mj[j] = (long)i; break; }
    /* 4. the rest by score, best first */
    size_t ncand = 0;
    if (ok && n && m) {
        score = calloc(n * m, sizeof *score);
        cands = malloc(n * m * sizeof *cands);
        ok = score && cands;
    }
    for (size_t i = 0; ok && i < n; i++) {
        for (size_t j = 0; j < m; j++) {
            double s = dot_w(ra[i].tf, ra[i].ntf, rb[j].tf, rb[j].ntf);
            if (ra[i].head && ra[i].head == rb[j].head) s = s > 0 ? 0.5 + 0.5 * s : s;
            score[i * m + j] = (float)s;
            if (mi[i] >= 0 || mj[j] >= 0 || s < MATCH_THRESHOLD) continue;
            double dist = fabs((double)i / (double)n - (double)j / (double)m);
            cands[ncand++] = (cand){(float)s, (float)dist, (uint32_t)i, (uint32_t)j};
        }
    }
    if (ok && ncand) qsort(cands, ncand, sizeof *cands, cand_cmp);
    for (size_t c = 0; ok && c < ncand; c++) {
        cand *x = &cands[c];
        if (mi[x->i] >= 0 || mj[x->j] >= 0) continue;
        mi[x->i] = (long)x->j;
        mj[x->j] = (long)x->i;
    }
    ok = ok && mark_moved(mi, n, moved);
    /* 5. pairs */
    if (ok) {
        d->pairs = calloc(n + m + 1, sizeof *d->pairs);
        ok = d->pairs != NULL;
    }
    for (size_t i = 0; ok && i < n; i++) {
        cmp_pair *p = &d->pairs[d->npairs++];
        p->old = (long)i;
        p->new_ = mi[i];
        p->split_from = p->merged_into = -1;
        if (mi[i] < 0) {
            p->status = CMP_REMOVED;
            measures(ra[i].tok.v, ra[i].tok.n, NULL, 0, &p->m);
            continue;
        }
        size_t j = (size_t)mi[i];
        p->score = score[i * m + j];
        p->moved = moved[i];
        p->modified = ra[i].key != rb[j].key;
        p->order = (double)j;
        if (p->modified) {
            measures_q(ra[i].tok.v, ra[i].tok.n, rb[j].tok.v, rb[j].tok.n, &p->m, align_only);
            p->similarity = p->m.cosine;
            if (!align_only) {
                ok = cmp_seqdiff(d->wa_head[i].h, d->wa_head[i].n, d->wb_head[j].h, d->wb_head[j].n, &p->head) &&
                     cmp_seqdiff(d->wa_body[i].h, d->wa_body[i].n, d->wb_body[j].h, d->wb_body[j].n, &p->body);
                cmp_ops_cleanup(&p->head);
                cmp_ops_cleanup(&p->body);
            }
        } else {
            p->m = (cmp_measures){1, 1, 1, 1, ra[i].tok.n, rb[j].tok.n, 0, 0, 0, true};
            p->similarity = 1;
        }
        p->status = p->moved ? CMP_MOVED : p->modified ? CMP_MODIFIED : CMP_UNCHANGED;
    }
    for (size_t j = 0; ok && j < m; j++) {
        if (mj[j] >= 0) continue;
        cmp_pair *p = &d->pairs[d->npairs++];
        p->old = -1;
        p->new_ = (long)j;
        p->split_from = p->merged_into = -1;
        p->status = CMP_ADDED;
        p->order = (double)j;
        measures(NULL, 0, rb[j].tok.v, rb[j].tok.n, &p->m);
    }
    /* removed risks sit after the new position of the nearest earlier old risk that survived */
    for (size_t k = 0; ok && k < d->npairs; k++) {
        cmp_pair *p = &d->pairs[k];
        if (p->status != CMP_REMOVED) continue;
        p->order = -0.5;
        for (long i = p->old - 1; i >= 0; i--)
            if (mi[i] >= 0) { p->order = (double)mi[i] + 0.5; break; }
    }
    /* 6. splits and merges among the leftovers */
    for (size_t k = 0; ok && k < d->npairs; k++) {
        cmp_pair *p = &d->pairs[k];
        if (p->status != CMP_ADDED && p->status != CMP_REMOVED) continue;
        bool split = p->status == CMP_ADDED;
        const rinfo *x = split ? &rb[p->new_] : &ra[p->old];
        long best = -1;
        double best_c = 0;
        size_t other_n = split ? n : m;
        for (size_t o = 0; o < other_n; o++) {
            long partner = split ? mi[o] : mj[o];
            if (partner < 0) continue;
            const rinfo *y = split ? &ra[o] : &rb[o];
            const rinfo *base = split ? &rb[partner] : &ra[partner];
            double c, g;
            containment(x, y, base, &c, &g);
            if (c >= SPLIT_CONTAIN && g >= SPLIT_GAIN && c > best_c) { best = (long)o; best_c = c; }
        }
        if (best < 0) continue;
        if (split) {
            p->split_from = best;
            add_group(d, true, best, mi[best], p->new_);
        } else {
            p->merged_into = best;
            add_group(d, false, best, mj[best], p->old);
        }
    }
    if (ok) qsort(d->pairs, d->npairs, sizeof *d->pairs, pair_cmp);
    for (size_t k = 0; ok && k < d->npairs; k++) {
        d->counts[d->pairs[k].status]++;
        if (d->pairs[k].status == CMP_MOVED && d->pairs[k].modified) d->moved_modified++;
    }
    /* 7. the section as one text, as "Lazy Prices" compares documents */
    if (ok) {
        section_tokens(A, ra, &sa);
        section_tokens(B, rb, &sb);
        ok = !sa.oom && !sb.oom;
    }
    if (ok) measures_q(sa.v, sa.n, sb.v, sb.n, &d->section, align_only);

    for (size_t i = 0; ra && i < n; i++) { free(ra[i].tok.v); free(ra[i].tf); }
    for (size_t j = 0; rb && j < m; j++) { free(rb[j].tok.v); free(rb[j].tf); }
    free(ra); free(rb); free(mi); free(mj); free(score); free(cands); free(moved);
    free(sa.v); free(sb.v);
    set_free(&stop);
    set_free(&df);
    if (!ok) {
        rfx_diff_free(d); /* frees whatever was filled in */
        rfx_set_error(err, RFX_ENOMEM, "diff: out of memory");
        return RFX_ENOMEM;
    }
    *out = d;
    return RFX_OK;
}

size_t rfx_diff_count(const rfx_diff *d, const char *status) {
    if (!d || !status) return 0;
    for (int s = 0; s < CMP_NSTATUS; s++)
        if (!strcmp(status, cmp_status_name[s])) return d->counts[s];
    if (!strcmp(status, "split")) {
        size_t c = 0;
        for (size_t g = 0; g < d->ngroups; g++) c += d->groups[g].split;
        return c;
    }
    if (!strcmp(status, "merge")) {
        size_t c = 0;
        for (size_t g = 0; g < d->ngroups; g++) c += !d->groups[g].split;
        return c;
    }
    return 0;
}

double rfx_diff_similarity(const rfx_diff *d, const char *measure) {
    if (!d || !measure) return -1;
    if (!strcmp(measure, "cosine")) return d->section.cosine;
    if (!strcmp(measure, "jaccard")) return d->section.jaccard;
    if (!strcmp(measure, "min_edit")) return d->section.min_edit;
    if (!strcmp(measure, "simple")) return d->section.simple;
    return -1;
}

size_t rfx_diff_pair_count(const rfx_diff *d) { return d ? d->npairs : 0; }

const char *rfx_diff_pair(const rfx_diff *d, size_t k, long *old_index, long *new_index,
                          double *similarity) {
    if (!d || k >= d->npairs) return NULL;
    const cmp_pair *p = &d->pairs[k];
    if (old_index) *old_index = p->old;
    if (new_index) *new_index = p->new_;
    if (similarity) *similarity = p->similarity;
    return cmp_status_name[p->status];
}
