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
/* pg.c (PostgreSQL; the rest of its internals are in pg_int.h) */
rfx_status store_pg_open(const char *uri, unsigned flags, void **impl, rfx_error *err);
extern const store_ops store_pg_ops;
/* admin.c: postgresql:// or postgres:// */
bool store_is_pg_uri(const char *uri);

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

/* ---------------- common.c: what both backends compute alike ----------------
 * Backend-independent helpers, so SQLite and PostgreSQL write the same bytes
 * (tests/e2e/pg_corpus.sh compares them). */
#include <jansson.h>
#include <stdio.h>
/* A JSON string from stored text, repairing invalid UTF-8 rather than losing it. */
json_t *store_jstr(const char *s);
/* Compact JSON text of j (keys in order, reals to 10 digits); consumes j. malloc'd. */
char *store_json_dump(json_t *j);
/* j with "schema_version" first (docs/json.md); consumes j. */
json_t *store_versioned(json_t *j);
/* *json = the versioned dump of j (consumed); RFX_ENOMEM when j is NULL or dumping fails. */
rfx_status store_out_json(json_t *j, char **json, rfx_error *err);
/* CIK digits without leading zeros ("0001001039" → "1001039"). */
void store_cik_norm(const char *cik, char out[24]);
/* Is s one of the lineage statuses a query may filter on? */
bool store_is_status(const char *s);
/* form upper-cased into out (n bytes, truncated). */
void store_upper_form(const char *form, char *out, size_t n);
/* The fiscal year of a period end (YYYY-MM-DD), 0 when it has none. */
int store_fiscal_year(const char *period);
/* A set of ids in insertion order (linear de-duplication: the lists are short). */
typedef struct idlist {
    long *v;
    size_t n, cap;
} idlist;
/* Adds id unless present; false when out of memory. */
bool store_id_add(idlist *l, long id);
/* Non-empty and only ASCII digits? */
bool store_all_digits(const char *s);
/* The stored name of an rfx_format. */
const char *store_fmt_name(int f);
/* The metrics as a JSON object text (malloc'd), NULL when not valid. */
char *store_metrics_json(const rfx_metrics *m);
/* Export: the columns, in order, and one CSV field (RFC 4180 quoting). */
enum { STORE_NEXPORT = 29 };
extern const char *const store_export_cols[STORE_NEXPORT];
void store_csv_field(FILE *out, const char *s);

/* History: one node per stored risk of a company, linked into lineages. The
 * strings are the backend's (sqlite.c owns copies, pg.c points into its result). */
typedef struct hnode {
    long id, prev, filing; /* prev: the predecessor's risk id, 0 none; filing: backend's use */
    int fy;
    const char *status, *heading, *form, *period;
    long next;             /* index of the continuing risk, -1 none (set by store_history_link) */
    bool has_pred;
} hnode;
/* Sorts v by id and links each risk to the earliest successor that continues
 * it (a split starts a new line). */
void store_history_link(hnode *v, size_t n);
/* The lineage object that starts at v[i] (form, years, periods, headings, ids),
 * without "ended"; *last: the index of its latest risk. */
json_t *store_history_lineage(const hnode *v, size_t i, long *last);

/* The companies a query's company and CIK filters name, given the ids each
 * matched (a: company, c: CIK): both given, those in both; else the one
 * given. RFX_EUSAGE when none, or more than 2000. */
rfx_status store_companies_pick(const rfx_store_query *qr, const idlist *a, const idlist *c, idlist *cos,
                                rfx_error *err);
/* A ';'-separated list (NULL: none) as a JSON array of strings. */
json_t *store_split_list(const char *c);

#endif
