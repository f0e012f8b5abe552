/*
 * seqdiff.c — edit scripts and edit distance between two token sequences.
 *
 * The one idea: never run a quadratic algorithm on a big region. A region is
 * first trimmed of its common prefix and suffix; if it is still large it is
 * cut at "patience" anchors (tokens that occur exactly once on each side,
 * kept in increasing order by a longest increasing subsequence), and each gap
 * between anchors is diffed on its own. Small regions get Myers' O((N+M)·D)
 * greedy algorithm, which is minimal; a region whose D passes a cap (texts
 * that share almost nothing) is reported as deleted + inserted and the
 * script is flagged coarse. Two 100 KB risk sections therefore diff in
 * milliseconds, and a one-sentence rewording still yields a minimal script.
 *
 * The Levenshtein distance (substitutions allowed, which a diff script does
 * not have) uses the Myers/Hyyrö bit-parallel algorithm: 64 rows of the DP
 * table per machine word, O(⌈m/64⌉·n), exact, with a work budget.
 */
#include "compare.h"

#include <stdlib.h>
#include <string.h>

#define SMALL_REGION 4096 /* tokens (both sides) below which Myers runs directly */
#define MYERS_DCAP 2000   /* beyond this D a region is replaced whole */
#define MAX_DEPTH 48      /* patience recursion depth */

void cmp_ops_free(cmp_ops *o) {
    free(o->v);
    memset(o, 0, sizeof *o);
}

/* Appends a run, merging it into the previous run of the same kind. */
static void emit(cmp_ops *o, int kind, size_t a0, size_t a1, size_t b0, size_t b1) {
    if (o->oom || (a0 == a1 && b0 == b1)) return;
    if (o->n) {
        cmp_op *l = &o->v[o->n - 1];
        if (l->kind == kind && l->a1 == a0 && l->b1 == b0) {
            l->a1 = (uint32_t)a1;
            l->b1 = (uint32_t)b1;
            return;
        }
    }
    if (o->n == o->cap) {
        size_t nc = o->cap ? o->cap * 2 : 16;
        cmp_op *p = realloc(o->v, nc * sizeof *p);
        if (!p) { o->oom = true; return; }
        o->v = p;
        o->cap = nc;
    }
    o->v[o->n++] = (cmp_op){(uint8_t)kind, (uint32_t)a0, (uint32_t)a1, (uint32_t)b0, (uint32_t)b1};
}

typedef struct ctx {
    const uint64_t *a, *b;
    cmp_ops *out;
} ctx;

/* Myers' greedy forward search keeping each round's frontier, then a walk
 * back through the frontiers. Memory is (D+1)² words, hence the cap. */
static void myers(ctx *c, size_t a0, size_t a1, size_t b0, size_t b1) {
    const uint64_t *A = c->a + a0, *B = c->b + b0;
    long n = (long)(a1 - a0), m = (long)(b1 - b0);
    long cap = n + m < MYERS_DCAP ? n + m : MYERS_DCAP;
    long *v = calloc((size_t)(2 * cap + 3), sizeof *v);
    size_t tcap = 1024, tlen = 0;
    long *trace = malloc(tcap * sizeof *trace);
    long D = -1;
    if (!v || !trace) goto oom;
    long off = cap + 1;
    v[off + 1] = 0;
    for (long d = 0; d <= cap && D < 0; d++) {
        for (long k = -d; k <= d; k += 2) {
            long x;
            if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) x = v[off + k + 1];
            else x = v[off + k - 1] + 1;
            long y = x - k;
            while (x < n && y < m && A[x] == B[y]) x++, y++;
            v[off + k] = x;
            if (x >= n && y >= m) { D = d; break; }
        }
        /* snapshot of v[-d..d] for the walk back */
        if (tlen + (size_t)(2 * d + 1) > tcap) {
            while (tlen + (size_t)(2 * d + 1) > tcap) tcap *= 2;
            long *t = realloc(trace, tcap * sizeof *t);
            if (!t) goto oom;
            trace = t;
        }
        memcpy(trace + tlen, v + off - d, (size_t)(2 * d + 1) * sizeof *v);
        tlen += (size_t)(2 * d + 1);
    }
    if (D < 0) { /* too different: replace the region whole */
        c->out->coarse = true;
        emit(c->out, CMP_DELETE, a0, a1, b0, b0);
        emit(c->out, CMP_INSERT, a1, a1, b0, b1);
        goto done;
    }
    /* Walk back, collecting runs in reverse. */
    cmp_op *rev = malloc((size_t)(2 * D + 2) * sizeof *rev);
    size_t nrev = 0;
    if (!rev) goto oom;
    long x = n, y = m;
    for (long d = D; d > 0; d--) {
        const long *pv = trace + (size_t)(d - 1) * (size_t)(d - 1) + (d - 1); /* index of k=0 */
        long k = x - y, pk;
        if (k == -d || (k != d && pv[k - 1] < pv[k + 1])) pk = k + 1;
        else pk = k - 1;
        long px = pv[pk], py = px - pk;
        long sx = pk == k + 1 ? px : px + 1, sy = sx - k; /* snake start */
        if (x > sx) rev[nrev++] = (cmp_op){CMP_EQUAL, (uint32_t)sx, (uint32_t)x, (uint32_t)sy, (uint32_t)y};
        if (pk == k + 1) rev[nrev++] = (cmp_op){CMP_INSERT, (uint32_t)px, (uint32_t)px, (uint32_t)py, (uint32_t)py + 1};
        else rev[nrev++] = (cmp_op){CMP_DELETE, (uint32_t)px, (uint32_t)px + 1, (uint32_t)py, (uint32_t)py};
        x = px;
        y = py;
    }
    if (x > 0) rev[nrev++] = (cmp_op){CMP_EQUAL, 0, (uint32_t)x, 0, (uint32_t)y};
    while (nrev--) {
        cmp_op *o = &rev[nrev];
        emit(c->out, o->kind, a0 + o->a0, a0 + o->a1, b0 + o->b0, b0 + o->b1);
    }
    free(rev);
done:
    free(v);
    free(trace);
    return;
oom:
    c->out->oom = true;
    free(v);
    free(trace);
}

typedef struct slot {
    uint64_t h;
    uint32_t na, nb, pa, pb;
    bool used;
} slot;

static void region(ctx *c, size_t a0, size_t a1, size_t b0, size_t b1, int depth);

/* Cuts [a0,a1)×[b0,b1) at tokens unique on both sides; false when none. */
static bool patience(ctx *c, size_t a0, size_t a1, size_t b0, size_t b1, int depth) {
    size_t n = (a1 - a0) + (b1 - b0), cap = 16;
    while (cap < 2 * n) cap *= 2;
    slot *t = calloc(cap, sizeof *t);
    if (!t) { c->out->oom = true; return true; }
    for (int side = 0; side < 2; side++) {
        const uint64_t *s = side ? c->b : c->a;
        size_t lo = side ? b0 : a0, hi = side ? b1 : a1;
        for (size_t i = lo; i < hi; i++) {
            size_t j = (size_t)(s[i] ^ (s[i] >> 29)) & (cap - 1);
            while (t[j].used && t[j].h != s[i]) j = (j + 1) & (cap - 1);
            t[j].used = true;
            t[j].h = s[i];
            if (side) { t[j].nb++; t[j].pb = (uint32_t)i; }
            else { t[j].na++; t[j].pa = (uint32_t)i; }
        }
    }
    /* candidate anchors in old order, as positions in new */
    uint32_t *pa = malloc(n * sizeof *pa), *pb = malloc(n * sizeof *pb);
    size_t k = 0;
    if (!pa || !pb) { free(t); free(pa); free(pb); c->out->oom = true; return true; }
    for (size_t i = a0; i < a1; i++) {
        size_t j = (size_t)(c->a[i] ^ (c->a[i] >> 29)) & (cap - 1);
        while (t[j].h != c->a[i]) j = (j + 1) & (cap - 1);
        if (t[j].na == 1 && t[j].nb == 1) { pa[k] = (uint32_t)i; pb[k] = t[j].pb; k++; }
    }
    free(t);
    if (k == 0) { free(pa); free(pb); return false; }
    /* longest increasing subsequence of pb (patience sorting) */
    size_t *tail = malloc(k * sizeof *tail), *prev = malloc(k * sizeof *prev), len = 0;
    if (!tail || !prev) { free(pa); free(pb); free(tail); free(prev); c->out->oom = true; return true; }
    for (size_t i = 0; i < k; i++) {
        size_t lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (pb[tail[mid]] < pb[i]) lo = mid + 1; else hi = mid;
        }
        prev[i] = lo ? tail[lo - 1] : (size_t)-1;
        tail[lo] = i;
        if (lo == len) len++;
    }
    size_t *chain = malloc(len * sizeof *chain);
    if (!chain) { free(pa); free(pb); free(tail); free(prev); c->out->oom = true; return true; }
    for (size_t i = len, cur = tail[len - 1]; i-- > 0; cur = prev[cur]) chain[i] = cur;
    size_t xa = a0, xb = b0;
    for (size_t i = 0; i < len && !c->out->oom; i++) {
        size_t ia = pa[chain[i]], ib = pb[chain[i]];
        region(c, xa, ia, xb, ib, depth + 1);
        emit(c->out, CMP_EQUAL, ia, ia + 1, ib, ib + 1);
        xa = ia + 1;
        xb = ib + 1;
    }
    region(c, xa, a1, xb, b1, depth + 1);
    free(pa); free(pb); free(tail); free(prev); free(chain);
    return true;
}

static void region(ctx *c, size_t a0, size_t a1, size_t b0, size_t b1, int depth) {
    if (c->out->oom) return;
    size_t p = 0;
    while (a0 + p < a1 && b0 + p < b1 && c->a[a0 + p] == c->b[b0 + p]) p++;
    emit(c->out, CMP_EQUAL, a0, a0 + p, b0, b0 + p);
    a0 += p;
    b0 += p;
    size_t s = 0;
    while (a1 - s > a0 && b1 - s > b0 && c->a[a1 - s - 1] == c->b[b1 - s - 1]) s++;
    a1 -= s;
    b1 -= s;
    if (a0 == a1) emit(c->out, CMP_INSERT, a0, a0, b0, b1);
    else if (b0 == b1) emit(c->out, CMP_DELETE, a0, a1, b0, b0);
    else if ((a1 - a0) + (b1 - b0) <= SMALL_REGION || depth >= MAX_DEPTH ||
             !patience(c, a0, a1, b0, b1, depth))
        myers(c, a0, a1, b0, b1);
    emit(c->out, CMP_EQUAL, a1, a1 + s, b1, b1 + s);
}

bool cmp_seqdiff(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, cmp_ops *out) {
    ctx c = {a, b, out};
    region(&c, 0, na, 0, nb, 0);
    return !out->oom;
}

void cmp_ops_totals(const cmp_ops *o, size_t *del, size_t *ins, size_t *edit) {
    size_t d = 0, i = 0, e = 0, hd = 0, hi = 0;
    for (size_t k = 0; k <= o->n; k++) {
        if (k == o->n || o->v[k].kind == CMP_EQUAL) {
            e += hd > hi ? hd : hi;
            hd = hi = 0;
            continue;
        }
        size_t nd = o->v[k].a1 - o->v[k].a0, ni = o->v[k].b1 - o->v[k].b0;
        d += nd; i += ni; hd += nd; hi += ni;
    }
    if (del) *del = d;
    if (ins) *ins = i;
    if (edit) *edit = e;
}

size_t cmp_levenshtein(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, size_t budget,
                       bool *exact) {
    *exact = false;
    /* trim: the common prefix and suffix cost nothing */
    while (na && nb && a[0] == b[0]) a++, b++, na--, nb--;
    while (na && nb && a[na - 1] == b[nb - 1]) na--, nb--;
    if (!na || !nb) { *exact = true; return na + nb; }
    if (na > nb) { /* the shorter one is the pattern: fewer blocks */
        const uint64_t *t = a; a = b; b = t;
        size_t tn = na; na = nb; nb = tn;
    }
    size_t nblk = (na + 63) / 64;
    if (nblk * nb > budget) return 0;
    /* distinct pattern tokens → rows of the match table (open addressing) */
    size_t cap = 16;
    while (cap < 2 * na) cap *= 2;
    uint64_t *key = calloc(cap, sizeof *key);
    uint32_t *row = malloc(cap * sizeof *row);
    bool *used = calloc(cap, sizeof *used);
    uint32_t *arow = malloc(na * sizeof *arow), nd = 0;
    if (!key || !row || !used || !arow) goto fail;
    for (size_t i = 0; i < na; i++) {
        size_t j = (size_t)(a[i] ^ (a[i] >> 29)) & (cap - 1);
        while (used[j] && key[j] != a[i]) j = (j + 1) & (cap - 1);
        if (!used[j]) { used[j] = true; key[j] = a[i]; row[j] = nd++; }
        arow[i] = row[j];
    }
    if ((size_t)nd * nblk > ((size_t)1 << 24)) goto fail; /* > 128 MB of table */
    uint64_t *peq = calloc((size_t)(nd + 1) * nblk, sizeof *peq); /* row nd: no match */
    uint64_t *pv = malloc(nblk * sizeof *pv), *mv = calloc(nblk, sizeof *mv);
    if (!peq || !pv || !mv) { free(peq); free(pv); free(mv); goto fail; }
    for (size_t i = 0; i < na; i++) peq[(size_t)arow[i] * nblk + i / 64] |= (uint64_t)1 << (i % 64);
    for (size_t w = 0; w < nblk; w++) pv[w] = ~(uint64_t)0;
    /* Myers/Hyyrö bit-parallel DP, one column per token of b: the score of
     * the pattern's last row goes up or down by that row's horizontal delta */
    size_t score = na;
    unsigned last = (unsigned)((na - 1) % 64);
    for (size_t j = 0; j < nb; j++) {
        size_t jj = (size_t)(b[j] ^ (b[j] >> 29)) & (cap - 1);
        while (used[jj] && key[jj] != b[j]) jj = (jj + 1) & (cap - 1);
        const uint64_t *eqrow = peq + (size_t)(used[jj] ? row[jj] : nd) * nblk;
        int hin = 1; /* top row: D[0][j] = j */
        for (size_t w = 0; w < nblk; w++) {
            uint64_t Pv = pv[w], Mv = mv[w], Eq = eqrow[w];
            uint64_t neg = hin < 0;
            uint64_t Xv = Eq | Mv;
            Eq |= neg;
            uint64_t Xh = (((Eq & Pv) + Pv) ^ Pv) | Eq;
            uint64_t Ph = Mv | ~(Xh | Pv);
            uint64_t Mh = Pv & Xh;
            unsigned bit = w + 1 == nblk ? last : 63;
            int hout = (int)((Ph >> bit) & 1) - (int)((Mh >> bit) & 1);
            Ph <<= 1;
            Mh <<= 1;
            Mh |= neg;
            Ph |= (uint64_t)(hin > 0);
            pv[w] = Mh | ~(Xv | Ph);
            mv[w] = Ph & Xv;
            hin = hout;
        }
        score = (size_t)((long)score + hin);
    }
    free(peq); free(pv); free(mv);
    free(key); free(row); free(used); free(arow);
    *exact = true;
    return score;
fail:
    free(key); free(row); free(used); free(arow);
    return 0;
}

/* Readability pass for redlines (never for the measures): a minimal script
 * for a rewritten paragraph keeps every shared "the", "of" and "and", which
 * shreds the redline into confetti. As in diff-match-patch's semantic
 * cleanup, an unchanged run of at most a few words whose neighbours on both
 * sides changed more words than it holds is folded into the change. Then
 * each block between kept runs is printed as one deletion and one insertion. */
void cmp_ops_cleanup(cmp_ops *o) {
    if (o->n < 3) return;
    size_t w = 0;
    size_t ba0 = 0, ba1 = 0, bb0 = 0, bb1 = 0; /* the pending change block */
    bool open = false;
    for (size_t k = 0; k < o->n; k++) {
        cmp_op op = o->v[k];
        if (op.kind == CMP_EQUAL && open && k + 1 < o->n) {
            size_t len = op.a1 - op.a0, before = (ba1 - ba0) > (bb1 - bb0) ? ba1 - ba0 : bb1 - bb0;
            size_t ad = 0, ai = 0; /* the change right after this run */
            for (size_t j = k + 1; j < o->n && o->v[j].kind != CMP_EQUAL; j++) {
                ad += o->v[j].a1 - o->v[j].a0;
                ai += o->v[j].b1 - o->v[j].b0;
            }
            size_t after = ad > ai ? ad : ai;
            if (len <= 4 && len <= before && len <= after) { /* fold into the block */
                ba1 = op.a1;
                bb1 = op.b1;
                continue;
            }
        }
        if (op.kind == CMP_EQUAL) {
            if (open) {
                if (ba1 > ba0) o->v[w++] = (cmp_op){CMP_DELETE, (uint32_t)ba0, (uint32_t)ba1, (uint32_t)bb0, (uint32_t)bb0};
                if (bb1 > bb0) o->v[w++] = (cmp_op){CMP_INSERT, (uint32_t)ba1, (uint32_t)ba1, (uint32_t)bb0, (uint32_t)bb1};
                open = false;
            }
            o->v[w++] = op;
            continue;
        }
        if (!open) { ba0 = ba1 = op.a0; bb0 = bb1 = op.b0; open = true; }
        ba1 = op.a1;
        bb1 = op.b1;
    }
    if (open) {
        if (ba1 > ba0) o->v[w++] = (cmp_op){CMP_DELETE, (uint32_t)ba0, (uint32_t)ba1, (uint32_t)bb0, (uint32_t)bb0};
        if (bb1 > bb0) o->v[w++] = (cmp_op){CMP_INSERT, (uint32_t)ba1, (uint32_t)ba1, (uint32_t)bb0, (uint32_t)bb1};
    }
    o->n = w;
}
