/*
 * rfx.h — the public API of librfx, and its manual.
 *
 * rfx reads the "Risk Factors" section of an annual report (10-K Item 1A,
 * 20-F Item 3.D, 10-Q Part II Item 1A, prospectus "Risk Factors") and turns
 * it into a risk register: the section located, each risk factor as heading +
 * body, the facts it states, the entities it names, its categories, metrics.
 *
 * Conventions
 *  - Every type is opaque; every name starts with rfx_.
 *  - Functions that can fail return an rfx_status and fill an rfx_error with
 *    one human-readable line. The library never prints and never exits.
 *  - Ownership: a function named *_free releases what the matching
 *    constructor returned. Strings returned by accessors belong to the object
 *    they were read from and live as long as it does. Functions documented as
 *    "returns malloc'd" hand the caller a buffer to release with free().
 *  - Offsets (start/end) are byte offsets into the original input bytes.
 */
#ifndef RFX_H
#define RFX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RFX_VERSION "0.1.0"

/* Status codes; the CLI uses the same numbers as exit codes. */
typedef enum rfx_status {
    RFX_OK = 0,         /* success; warnings may have been recorded */
    RFX_ENOTFOUND = 1,  /* the risk-factor section was not found */
    RFX_EUSAGE = 2,     /* bad arguments */
    RFX_EINPUT = 3,     /* unreadable, empty, binary, too large or invalid input */
    RFX_ENOMEM = 4,     /* a per-document memory limit was reached */
    RFX_EINTERNAL = 5   /* a bug: please report */
} rfx_status;

/* One-line description of a failure. */
typedef struct rfx_error {
    int code;           /* an rfx_status */
    char message[512];  /* one line, no trailing newline */
} rfx_error;

/* Limits applied per document (0 = the default shown). */
typedef struct rfx_options {
    size_t max_input_bytes;   /* default 256 MiB; larger input → RFX_EINPUT */
    size_t max_memory_bytes;  /* default 1 GiB of arena per document → RFX_ENOMEM */
    unsigned max_html_depth;  /* default 400 nested elements; deeper is flattened, with a warning */
    const char *format;       /* NULL = detect; else "text", "html", "sgml" or "pdf" */
    const char *model_path;   /* NULL = the built-in classifier model */
    int no_classify;          /* 1 = skip categories */
    int fast;                 /* 1 = read a large HTML filing only up to where its Item 1A is
                                 settled (prefix parse, source.bytes_read; docs/ingest.md) */
    const struct rfx_wordlists *wordlists; /* NULL = rfx's own lists for the uncertainty,
                                 litigious and negative metrics; see "Word lists" below */
} rfx_options;

/* Fills *opt with defaults. */
void rfx_options_init(rfx_options *opt);

/* ------------------------------------------------------------------ */
/* Parsing: bytes → register                                           */
/* ------------------------------------------------------------------ */

typedef struct rfx_register rfx_register;

/* Parses the file at path. On RFX_OK or RFX_ENOTFOUND *out holds a register
 * (for ENOTFOUND it has filing/source facts and warnings but no risks) that
 * the caller releases with rfx_register_free; on other codes *out is NULL. */
rfx_status rfx_parse_file(const char *path, const rfx_options *opt, rfx_register **out,
                          rfx_error *err);

/* Same, on bytes in memory; name is used only in messages and "source.path".
 * The bytes are copied. */
rfx_status rfx_parse_memory(const void *data, size_t len, const char *name,
                            const rfx_options *opt, rfx_register **out, rfx_error *err);

/* Reads a register saved with rfx_register_json (for diffing saved runs). */
rfx_status rfx_register_from_json(const char *json, size_t len, rfx_register **out,
                                  rfx_error *err);

void rfx_register_free(rfx_register *reg);

/* ------------------------------------------------------------------ */
/* Reading a register                                                  */
/* ------------------------------------------------------------------ */

int rfx_section_found(const rfx_register *reg);
/* "heading", "whole-document", "incorporated-by-reference", ... or NULL */
const char *rfx_section_how(const rfx_register *reg);
size_t rfx_risk_count(const rfx_register *reg);
const char *rfx_risk_heading(const rfx_register *reg, size_t i);
const char *rfx_risk_body(const rfx_register *reg, size_t i);
const char *rfx_risk_group(const rfx_register *reg, size_t i); /* NULL if none */
size_t rfx_risk_start(const rfx_register *reg, size_t i);
size_t rfx_risk_end(const rfx_register *reg, size_t i);
size_t rfx_warning_count(const rfx_register *reg);
const char *rfx_warning_message(const rfx_register *reg, size_t i);

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

enum {
    RFX_RENDER_PRETTY = 1, /* JSON: indented */
    RFX_RENDER_COLOR = 2   /* text: ANSI colour */
};

/* Returns malloc'd NUL-terminated output, or NULL on allocation failure. */
char *rfx_register_json(const rfx_register *reg, unsigned flags);
char *rfx_register_text(const rfx_register *reg, unsigned flags);
char *rfx_register_markdown(const rfx_register *reg, unsigned flags);
/* The ingest stage's blocks, one a line (offsets, style flags, text): for debugging. */
char *rfx_register_blocks(const rfx_register *reg, unsigned flags);

/* ------------------------------------------------------------------ */
/* Comparing two registers                                             */
/* ------------------------------------------------------------------ */

typedef struct rfx_diff rfx_diff;

/* Aligns the risks of old and new. Both registers must outlive the diff. */
rfx_status rfx_diff_compute(const rfx_register *old_reg, const rfx_register *new_reg,
                            rfx_diff **out, rfx_error *err);
void rfx_diff_free(rfx_diff *d);
/* Returns malloc'd output: the JSON of design.md §3 (RFX_RENDER_PRETTY
 * indents it), a terminal view (RFX_RENDER_COLOR for ANSI colour; otherwise
 * wdiff-style [-deleted-] {+inserted+} marks), or one self-contained HTML
 * page. NULL on allocation failure. */
char *rfx_diff_json(const rfx_diff *d, unsigned flags);
char *rfx_diff_text(const rfx_diff *d, unsigned flags);
char *rfx_diff_html(const rfx_diff *d, unsigned flags);
/* Number of pairs with status "unchanged", "modified", "added", "removed" or
 * "moved"; "split" and "merge" count the split and merge groups. */
size_t rfx_diff_count(const rfx_diff *d, const char *status);
/* Section-level similarity: "cosine", "jaccard", "min_edit" or "simple"
 * (docs/compare.md); -1 for an unknown name. */
double rfx_diff_similarity(const rfx_diff *d, const char *measure);
/* The pairs in output order. rfx_diff_pair returns the status of pair k (a
 * static string) and fills the 0-based risk positions (-1 when absent) and
 * the pair's similarity; NULL when k is out of range. */
size_t rfx_diff_pair_count(const rfx_diff *d);
const char *rfx_diff_pair(const rfx_diff *d, size_t k, long *old_index, long *new_index,
                          double *similarity);

/* ------------------------------------------------------------------ */
/* Word lists users bring (docs/metrics.md)                            */
/* ------------------------------------------------------------------ */

/* Replacements for the word lists behind the "uncertainty", "litigious" and
 * "negative" metrics, e.g. from the Loughran-McDonald Master Dictionary a
 * user downloaded (rfx does not ship it). Set rfx_options.wordlists; the
 * object must outlive every parse that uses it; it is read-only once loaded,
 * so threads may share it. A list not loaded keeps rfx's own. */
typedef struct rfx_wordlists rfx_wordlists;

rfx_wordlists *rfx_wordlists_new(void); /* NULL on allocation failure */
void rfx_wordlists_free(rfx_wordlists *wl);
/* Loads list name ("uncertainty", "litigious" or "negative") from a file:
 *  - a CSV whose header has a "Word" column and a column named like name
 *    (case-insensitive; the Master Dictionary as published): the words whose
 *    value in that column is a positive number (the year added; a negative
 *    year marks a word removed from the list, so it is not a member);
 *  - otherwise a plain list, one word a line ("#" comments, "stem*" prefixes).
 * Replaces a list loaded before under that name. RFX_EUSAGE for an unknown
 * name, RFX_EINPUT for an unreadable, binary, over 64 MiB or empty list. */
rfx_status rfx_wordlists_load(rfx_wordlists *wl, const char *name, const char *path,
                              rfx_error *err);
rfx_status rfx_wordlists_load_memory(rfx_wordlists *wl, const char *name, const void *data,
                                     size_t len, const char *source_name, rfx_error *err);
/* Words in list name (0 when not loaded). */
size_t rfx_wordlists_count(const rfx_wordlists *wl, const char *name);

/* ------------------------------------------------------------------ */
/* Bindings: options without the struct layout, and freeing results   */
/* ------------------------------------------------------------------ */

/* For language bindings (python/rfx) that should not depend on the layout
 * of rfx_options: a heap copy with defaults, set by key. Keys, with string
 * values as on the command line: "format", "model" (a path), "no_classify"
 * and "fast" ("0"/"1"), "max_bytes", "max_memory" (bytes, K/M/G suffixes),
 * "max_depth". rfx_options_set copies the strings it keeps; unknown keys and
 * bad values give RFX_EUSAGE. Use only on options from rfx_options_new. */
rfx_options *rfx_options_new(void);
rfx_status rfx_options_set(rfx_options *opt, const char *key, const char *value, rfx_error *err);
void rfx_options_free(rfx_options *opt);
/* Sets opt->wordlists (any rfx_options; wl is not copied and must outlive it). */
void rfx_options_use_wordlists(rfx_options *opt, const rfx_wordlists *wl);
/* Releases a buffer that librfx returned as "malloc'd" (JSON, text). */
void rfx_free(void *p);
/* RFX_VERSION and RFX_SCHEMA_VERSION of the library actually loaded. */
const char *rfx_version(void);
const char *rfx_schema_version(void);

/* ------------------------------------------------------------------ */
/* The JSON contract (docs/json.md and the JSON Schemas in schema/)   */
/* ------------------------------------------------------------------ */

/* Every JSON document rfx writes (register, diff, batch error record, eval,
 * corpus outputs) carries "schema_version": "MAJOR.MINOR". MINOR grows when
 * fields or enum values are added; MAJOR when a field is removed, renamed,
 * changes type or meaning. rfx_register_from_json refuses a newer MAJOR. */
#define RFX_SCHEMA_VERSION "1.0"
#define RFX_SCHEMA_MAJOR 1


/* ------------------------------------------------------------------ */
/* Corpus store: many registers in one database (docs/corpus.md)       */
/* ------------------------------------------------------------------ */
/*
 * A store keeps registers and answers questions across them: full-text
 * search, per-company lineage of risks across years, statistics, export.
 * The backend is chosen by the URI: a file path (or "sqlite:PATH") is an
 * embedded SQLite database; other schemes (postgresql://) are refused until
 * their backend exists. Queries return a malloc'd JSON string — the very
 * JSON `rfx search --json` and friends print — so the CLI, the HTTP server
 * and the Python package share one code path.
 *
 * Thread safety: one rfx_store may be used from several threads; calls are
 * serialised on it. Readers in other processes see only committed filings.
 */
typedef struct rfx_store rfx_store;

enum {
    RFX_STORE_READONLY = 1, /* open for queries only (search, serve) */
    RFX_STORE_CREATE = 2    /* create the database when it does not exist */
};

/* The schema version this rfx writes (PRAGMA user_version for SQLite). */
#define RFX_STORE_SCHEMA_VERSION 1

/* Opens the store at uri (NULL → $RFX_DB, else "rfx.db"). A file that is not
 * a database, is corrupt, or has a newer schema → RFX_EINPUT; an older
 * schema is migrated (not in READONLY mode: then RFX_EINPUT asks for a
 * writable open). */
rfx_status rfx_store_open(const char *uri, unsigned flags, rfx_store **out, rfx_error *err);
void rfx_store_close(rfx_store *s);
/* "sqlite" */
const char *rfx_store_backend(const rfx_store *s);

typedef enum rfx_store_outcome {
    RFX_STORE_ADDED = 0,     /* a new filing */
    RFX_STORE_UNCHANGED = 1, /* the same content (sha256) was already stored */
    RFX_STORE_REPLACED = 2   /* source_path was stored with other content: replaced */
} rfx_store_outcome;

/* Stores one register (any parse status: a filing whose section was not
 * found is kept with no risks) in one transaction, and updates the lineage
 * of its company's filings of the same form. source_path NULL → the
 * register's own path. outcome may be NULL. */
rfx_status rfx_store_add(rfx_store *s, const rfx_register *reg, const char *source_path,
                         rfx_store_outcome *outcome, rfx_error *err);
/* 1 when a filing with this sha256 (64 hex digits) is stored, 0 when not,
 * -1 on error. Lets an indexer skip parsing unchanged files. */
int rfx_store_has_sha256(rfx_store *s, const char *sha256);
/* Records a ticker for a company (SEC company_tickers.json, SOURCES.tsv):
 * --company TICKER then matches filings by cik (when given) or by name. */
rfx_status rfx_store_add_ticker(rfx_store *s, const char *ticker, const char *cik,
                                const char *company, rfx_error *err);
/* Overrides a filing fact of a parsed register before it is stored, for
 * inputs whose metadata sits outside the text (edgar-crawler JSON): field is
 * "form", "company", "cik", "period", "fiscal_year_end" or "sha256". */
rfx_status rfx_register_set_fact(rfx_register *reg, const char *field, const char *value,
                                 rfx_error *err);
/* The same facts read back (NULL when unknown or field is not one of them). */
const char *rfx_register_fact(const rfx_register *reg, const char *field);

/* Filters shared by search, filings and export. Strings are borrowed. */
typedef struct rfx_store_query {
    const char *text;      /* query language (docs/corpus.md); NULL or "" = no text */
    const char *company;   /* name words (case-insensitive) or a ticker */
    const char *cik;
    const char *form;      /* "10-K", ... (exact, case-insensitive) */
    int year_from, year_to;/* fiscal year bounds, inclusive; 0 = open */
    const char *category;  /* a category id the risk carries */
    const char *status;    /* lineage status: unchanged, modified, added, moved, split, merge */
    long limit;            /* 0 = default: 20 for search, all for filings/export */
    long offset;
    const char *mark_open, *mark_close; /* snippet marks; NULL = "[" and "]" */
} rfx_store_query;
void rfx_store_query_init(rfx_store_query *q);

/* Each returns a malloc'd JSON object in *json on RFX_OK. A malformed query
 * or filter → RFX_EUSAGE with one line in err. */
/* {"query":..., "hits":[{risk_id, filing_id, company, cik, form, period,
 *  fiscal_year, index, heading, snippet, category, categories, status,
 *  score, source_path}]} ranked by bm25 (heading weighted above body) */
rfx_status rfx_store_search(rfx_store *s, const rfx_store_query *q, char **json, rfx_error *err);
/* {"filings":[...], "total":N}: filing facts and counts, by company, form, year, paged */
rfx_status rfx_store_filings(rfx_store *s, const rfx_store_query *q, char **json, rfx_error *err);
/* {"filing":{facts, ids}, "register":{the stored register}}; unknown id → RFX_ENOTFOUND */
rfx_status rfx_store_filing(rfx_store *s, long filing_id, char **json, rfx_error *err);
/* {"risk":{...}, "lineage":[the risk's chain, oldest first]}; unknown id → RFX_ENOTFOUND */
rfx_status rfx_store_risk(rfx_store *s, long risk_id, char **json, rfx_error *err);
/* Per filing of a company (name words, ticker or CIK) and form (NULL = all):
 * risk counts by status; per lineage: first/last year, years modified,
 * headings first and last seen. No match → RFX_EUSAGE; several companies →
 * RFX_EUSAGE with *json = {"error":..., "matches":[...]} (caller frees). */
rfx_status rfx_store_history(rfx_store *s, const char *company_or_cik, const char *form,
                             char **json, rfx_error *err);
/* by: "category" (default: risks and shares by category per fiscal year),
 * "year", "company" or "form". */
rfx_status rfx_store_stats(rfx_store *s, const char *by, char **json, rfx_error *err);
/* One row per risk (columns in docs/corpus.md), format "csv" or "jsonl",
 * streamed to out. */
rfx_status rfx_store_export(rfx_store *s, const rfx_store_query *q, const char *format,
                            FILE *out, rfx_error *err);
/* The stored register of a filing, for rfx diff and peer comparisons. */
rfx_status rfx_store_load_register(rfx_store *s, long filing_id, rfx_register **out,
                                   rfx_error *err);
/* PRAGMA integrity_check (or the backend's equivalent): RFX_OK when sound,
 * RFX_EINPUT with the first problem otherwise. */
rfx_status rfx_store_check(rfx_store *s, rfx_error *err);

/* ------------------------------------------------------------------ */
/* Bindings for the corpus store (python/rfx: rfx.Corpus)              */
/* ------------------------------------------------------------------ */

/* rfx_store_query without its layout: a heap copy with defaults, set by key
 * ("text", "company", "cik", "form", "category", "status": strings, copied;
 * "year_from", "year_to", "limit", "offset": whole numbers). Unknown keys and
 * bad numbers → RFX_EUSAGE. Use only on queries from rfx_store_query_new. */
rfx_store_query *rfx_store_query_new(void);
rfx_status rfx_store_query_set(rfx_store_query *q, const char *key, const char *value,
                               rfx_error *err);
void rfx_store_query_free(rfx_store_query *q);

#ifdef __cplusplus
}
#endif
#endif /* RFX_H */
