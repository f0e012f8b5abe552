/*
 * compare.h — what the compare stage's files share (not public).
 *
 * Texts are compared as sequences of 64-bit token hashes: equality of two
 * tokens is equality of their hashes (xxh3; a collision between two distinct
 * words of one filing pair is vanishingly unlikely and would only hide one
 * word of a redline). seqdiff.c turns two such sequences into an edit script
 * and a word-level edit distance; diff.c tokenises, aligns and measures;
 * render.c prints a diff as JSON, terminal text or one HTML page.
 */
#ifndef RFX_COMPARE_H
#define RFX_COMPARE_H

#include "../rfx_internal.h"

/* ---------------- seqdiff.c ---------------- */
enum { CMP_EQUAL = 0, CMP_DELETE = 1, CMP_INSERT = 2 };

/* One run of an edit script: old tokens [a0,a1) and/or new tokens [b0,b1). */
typedef struct cmp_op {
    uint8_t kind;
    uint32_t a0, a1, b0, b1;
} cmp_op;

typedef struct cmp_ops {
    cmp_op *v;
    size_t n, cap;
    bool oom;
    bool coarse; /* some region was too different to diff finely: replaced whole */
} cmp_ops;

void cmp_ops_free(cmp_ops *o);
/* Appends the diff of a[0,na) → b[0,nb) to out (runs merged). Near-minimal:
 * exact Myers on small regions, patience anchors to split large ones, and a
 * cost cap beyond which a region is reported as deleted + inserted. Returns
 * false on allocation failure. */
bool cmp_seqdiff(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, cmp_ops *out);
/* Word-level Levenshtein distance (insert, delete, substitute: cost 1 each),
 * bit-parallel, O(⌈min/64⌉·max). Gives up when that product passes budget
 * (or the match table would pass 128 MB): then *exact = false and the return
 * value is meaningless. */
size_t cmp_levenshtein(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, size_t budget,
                       bool *exact);
/* Totals of a script: deleted and inserted tokens, and the edit distance it
 * implies when each hunk of d deletions and i insertions costs max(d, i). */
void cmp_ops_totals(const cmp_ops *o, size_t *del, size_t *ins, size_t *edit);
/* Folds short unchanged runs inside a rewritten passage into the change, so a
 * redline reads as phrases replaced rather than alternate words; in place. */
void cmp_ops_cleanup(cmp_ops *o);

/* ---------------- diff.c ---------------- */
enum { CMP_UNCHANGED, CMP_MODIFIED, CMP_ADDED, CMP_REMOVED, CMP_MOVED, CMP_NSTATUS };
extern const char *const cmp_status_name[CMP_NSTATUS];

/* The four measures of "Lazy Prices" (docs/compare.md). */
typedef struct cmp_measures {
    double cosine, jaccard, min_edit, simple;
    size_t na, nb;           /* tokens compared */
    size_t added, deleted;   /* tokens inserted / deleted by the side-by-side diff */
    size_t edit;             /* word-level edit distance */
    bool edit_exact;         /* false: edit is the diff's upper bound */
} cmp_measures;

/* A text cut into whitespace-separated words, for redlines. */
typedef struct cmp_words {
    const char *s;
    uint32_t *off, *len;
    uint64_t *h;
    size_t n;
} cmp_words;

typedef struct cmp_pair {
    int status;
    long old, new_;           /* 0-based risk positions, -1 when absent */
    double similarity;        /* cosine of the pair's term vectors (1 when identical) */
    double score;             /* alignment score that matched them */
    bool modified, moved;
    long split_from;          /* added risk carved out of this old risk, or -1 */
    long merged_into;         /* removed risk folded into this new risk, or -1 */
    cmp_measures m;
    cmp_ops head, body;       /* redline of heading and body (modified pairs) */
    double order;             /* output position */
} cmp_pair;

typedef struct cmp_group {
    bool split;               /* true: one old → several new; false: several old → one new */
    long one;                 /* the old (split) or new (merge) risk */
    long *many;               /* the other side, matched partner first */
    size_t nmany;
} cmp_group;

/* The alignment alone (pairs, statuses, split/merge groups, cosine
 * similarities), without redlines or edit distances: what the corpus
 * store's lineage needs (src/store/lineage.c), several times cheaper.
 * Render functions must not be called on it. */
rfx_status cmp_diff_align(const rfx_register *a, const rfx_register *b, rfx_diff **out, rfx_error *err);

struct rfx_diff {
    const rfx_register *a, *b;
    cmp_measures section;
    cmp_pair *pairs;
    size_t npairs;
    size_t counts[CMP_NSTATUS];
    size_t moved_modified;    /* moved pairs whose text also changed */
    cmp_group *groups;
    size_t ngroups;
    cmp_words *wa_head, *wa_body, *wb_head, *wb_body; /* per risk */
};

#endif
