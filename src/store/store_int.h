/*
 * store_int.h — what the store's files share (not public).
 *
 * store.c turns a URI into a backend and forwards each public call through
 * the backend's table (store_ops), holding the store's mutex, so a second
 * backend (PostgreSQL) is one new file and one line in store.c. query.c
 * parses the query language into a tree every backend renders in its own
 * dialect; lineage.c turns rfx_diff's alignment into per-risk links and
 * statuses, independent of where they are kept.
 */
#ifndef RFX_STORE_INT_H
#define RFX_STORE_INT_H

#include "../rfx_internal.h"

#include <pthread.h>

typedef struct store_ops {
    const char *name;
    void (*close)(void *impl);
    rfx_status (*add)(void *impl, const rfx_register *reg, const char *path,
                      rfx_store_outcome *outcome, rfx_error *err);
    /* called WITHOUT the store's mutex (the indexer's workers ask while the
     * writer holds it): the backend makes it safe on its own */
    int (*has_sha256)(void *impl, const char *sha256);
    rfx_status (*add_ticker)(void *impl, const char *ticker, const char *cik, const char *company,
                             rfx_error *err);
    rfx_status (*search)(void *impl, const rfx_store_query *q, char **json, rfx_error *err);
    rfx_status (*filings)(void *impl, const rfx_store_query *q, char **json, rfx_error *err);
    rfx_status (*filing)(void *impl, long id, char **json, rfx_error *err);
    rfx_status (*risk)(void *impl, long id, char **json, rfx_error *err);
    rfx_status (*history)(void *impl, const char *who, const char *form, char **json, rfx_error *err);
    rfx_status (*stats)(void *impl, const char *by, char **json, rfx_error *err);
    rfx_status (*export_rows)(void *impl, const rfx_store_query *q, const char *format, FILE *out,
                              rfx_error *err);
    rfx_status (*load_register)(void *impl, long id, rfx_register **out, rfx_error *err);
    rfx_status (*check)(void *impl, rfx_error *err);
} store_ops;

/* sqlite.c */
rfx_status store_sqlite_open(const char *path, unsigned flags, void **impl, rfx_error *err);
extern const store_ops store_sqlite_ops;

/* ---------------- query.c: the query language ---------------- */
enum { QN_TERM, QN_PHRASE, QN_AND, QN_OR, QN_NOT };
typedef struct qnode {
    int kind;
    char *text;            /* TERM/PHRASE: the words as typed (no quotes) */
    bool prefix;           /* TERM/PHRASE ended with '*' */
    struct qnode **kids;   /* AND/OR: operands; NOT: kids[0] minus kids[1] */
    size_t nkids;
} qnode;
/* Parses text; NULL with err (RFX_EUSAGE, one line) when malformed. */
qnode *store_query_parse(const char *text, rfx_error *err);
void store_query_free(qnode *n);
/* The tree as an FTS5 expression in which every term is a quoted string
 * (so nothing the user types is FTS5 syntax). malloc'd. */
char *store_query_fts5(const qnode *n);

/* ---------------- lineage.c ---------------- */
typedef struct lin_link {
    long prev;          /* 0-based index of the predecessor in the older filing, -1 none */
    const char *status; /* unchanged, modified, moved, added, split, merge (static) */
    double similarity;
} lin_link;
typedef struct lin_gone {
    long old;           /* 0-based index in the older filing of a risk that disappeared */
    long into;          /* merge: the new risk it was folded into, else -1 */
    const char *status; /* "removed" or "merge" */
} lin_gone;
typedef struct lin_result {
    lin_link *links;    /* one per risk of the newer filing */
    size_t nlinks;
    lin_gone *gone;
    size_t ngone;
} lin_result;
/* Aligns older → newer with rfx_diff and fills out (malloc'd arrays). */
rfx_status store_lineage(const rfx_register *older, const rfx_register *newer, lin_result *out,
                         rfx_error *err);
void store_lineage_free(lin_result *r);

/* ---------------- company names ---------------- */
/* Lowercase words of a company name without legal suffixes and "the"
 * ("The Walt Disney Company" and "WALT DISNEY CO/" → "walt disney"). malloc'd. */
char *store_name_norm(const char *name);
/* Do all the words of `words` appear among the words of `name` (case-insensitive)? */
bool store_name_has_words(const char *name, const char *words);

#endif
