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
    /* PDF input (docs/ingest.md "PDF"); 0 = the default shown */
    int ocr;                  /* 0 = OCR pages without a text layer, 1 = every page, -1 = never */
    unsigned max_pages;       /* default 2000; later pages are left unread, with a warning */
    unsigned ocr_dpi;         /* default 300 */
    unsigned ocr_page_seconds;/* default 60: a page cut short keeps what was read, with a warning */
    size_t max_page_pixels;   /* default 40M per rendered page: the dpi is lowered to fit */
    const char *ocr_lang;     /* NULL = "eng", plus "jpn" when its data is installed */
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
/* "heading", "whole-document", "incorporated-by-reference",
 * "reference-to-annual-report", "not-applicable", or NULL */
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
#define RFX_SCHEMA_VERSION "1.1"
#define RFX_SCHEMA_MAJOR 1


/* ------------------------------------------------------------------ */
/* Linting a register (docs/lint.md)                                   */
/* ------------------------------------------------------------------ */

/* Checks a disclosure for OCR damage, impossible dates, wrong magnitudes,
 * Regulation S-K Item 105 structure and (given last year's register)
 * staleness. Each finding has a rule id, a severity, a byte span into the
 * source (start, end), the text there, a message and maybe a fix. */
typedef struct rfx_findings rfx_findings;

typedef enum rfx_severity {
    RFX_SEV_NOTE = 0,
    RFX_SEV_WARNING = 1,
    RFX_SEV_ERROR = 2
} rfx_severity;

typedef struct rfx_lint_options {
    const char *disable;           /* comma-separated rule ids or groups ("ocr") to skip; NULL none */
    const rfx_register *previous;  /* last year's register for the stale-* rules, or NULL */
    /* the filings before previous, newest first (a corpus's chain of the same
     * company and form): stale-risk counts the years a risk stayed word for
     * word the same. NULL/0 = only last year is known. */
    const rfx_register *const *older;
    size_t nolder;
} rfx_lint_options;

void rfx_lint_options_init(rfx_lint_options *opt);

/* Runs every enabled rule on reg. reg (and opt->previous) must outlive the
 * findings. An unknown id in opt->disable is RFX_EUSAGE. */
rfx_status rfx_lint(const rfx_register *reg, const rfx_lint_options *opt, rfx_findings **out,
                    rfx_error *err);
void rfx_findings_free(rfx_findings *f);

size_t rfx_findings_count(const rfx_findings *f);
/* Finding i (in source order): NULL / 0 when i is out of range. line and col
 * are 1-based, computed from the source bytes (0 when the source is not at
 * hand, as for a saved register). text, fix may be NULL. */
const char *rfx_finding_rule(const rfx_findings *f, size_t i);
rfx_severity rfx_finding_severity(const rfx_findings *f, size_t i);
size_t rfx_finding_start(const rfx_findings *f, size_t i);
size_t rfx_finding_end(const rfx_findings *f, size_t i);
const char *rfx_finding_message(const rfx_findings *f, size_t i);
const char *rfx_finding_text(const rfx_findings *f, size_t i);
const char *rfx_finding_fix(const rfx_findings *f, size_t i);
size_t rfx_finding_line(const rfx_findings *f, size_t i);
size_t rfx_finding_col(const rfx_findings *f, size_t i);
const char *rfx_severity_name(rfx_severity s); /* "note", "warning", "error" */

/* The rules: id, default severity and one line each, for --list-rules.
 * Returns false when k is past the last rule. */
int rfx_lint_rule_info(size_t k, const char **id, rfx_severity *sev, const char **summary);

/* Renderers; malloc'd output, NULL on allocation failure. name is the file
 * name printed / recorded (NULL: the register's source path). Text is one
 * line per finding, "file:line:col: warning: message [rule]", then the text
 * and the fix. SARIF is version 2.1.0 (one run, tool "rfx"). */
char *rfx_findings_text(const rfx_findings *f, const char *name, unsigned flags);
char *rfx_findings_json(const rfx_findings *f, const char *name, unsigned flags);
char *rfx_findings_sarif(const rfx_findings *f, const char *name, unsigned flags);


/* ------------------------------------------------------------------ */
/* Comparing a company with its peers (docs/peers.md)                  */
/* ------------------------------------------------------------------ */

/* Over a set of registers in memory (several companies, maybe several
 * years): the company's nearest peers by TF-IDF cosine of whole sections,
 * per risk the closest risk of each peer, the company's unique risks, gaps
 * (themes most peers disclose and the company does not, with the peers'
 * headings as evidence), and shared text (the share of each risk's
 * sentences found near-verbatim in other companies' filings: MinHash/LSH
 * over 5-word shingles, indexed once for the whole set). */
typedef struct rfx_peers rfx_peers;

typedef struct rfx_peers_options {
    const char *company; /* the company: CIK, name (case-insensitive substring) or ticker/file prefix */
    int year;            /* 0 = the company's latest year; peers come from the same or nearest year */
    const char *peers;   /* comma-separated companies to compare with, or NULL: the top N */
    size_t top;          /* N peers when not given (default 5) */
    double unique_below; /* a risk is unique when no peer risk reaches this cosine (default 0.25) */
} rfx_peers_options;

void rfx_peers_options_init(rfx_peers_options *opt);

/* regs[0..n) must outlive the result. RFX_EUSAGE when the company or a
 * named peer is not among them. */
rfx_status rfx_peers_compute(const rfx_register *const *regs, size_t n, const rfx_peers_options *opt,
                             rfx_peers **out, rfx_error *err);
void rfx_peers_free(rfx_peers *p);
/* Renderers (malloc'd, NULL on allocation failure): JSON (RFX_RENDER_PRETTY
 * indents), terminal text, one self-contained HTML page (all text escaped). */
char *rfx_peers_json(const rfx_peers *p, unsigned flags);
char *rfx_peers_text(const rfx_peers *p, unsigned flags);
char *rfx_peers_html(const rfx_peers *p, unsigned flags);
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
/* Serving a corpus over HTTP: rfx serve (docs/serve.md, docs/api.md)  */
/* ------------------------------------------------------------------ */

/* A running server: a JSON API and the web application over a corpus store,
 * opened read-only. Loopback by default; any other address needs tokens or
 * public_ok. Limits are per server; 0 in a field means the default shown. */
typedef struct rfx_server rfx_server;

typedef struct rfx_server_config {
    const char *db;             /* store URI; NULL = $RFX_DB or rfx.db */
    const char *listen;         /* "127.0.0.1:8080"; "[::1]:8080"; port 0 = any free port */
    const char *token_file;     /* bearer tokens, one a line, raw or "sha256:HEX"; NULL = none */
    int public_ok;              /* 1 = a non-loopback address without tokens is intended */
    const char *tls_cert;       /* PEM certificate and key: serve HTTPS */
    const char *tls_key;
    unsigned threads;           /* requests computed at once (store connections), default 4;
                                   each connection has its own thread */
    unsigned max_connections;   /* default 64 */
    unsigned max_per_ip;        /* default 16 */
    unsigned idle_timeout_s;    /* a silent connection is closed after this, default 10 */
    unsigned request_timeout_s; /* a request must arrive and be answered within this, default 30 */
    unsigned rate_per_ip;       /* requests/second per address (burst 2x) -> 429; default 100,
                                   RFX_SERVER_UNLIMITED = none */
    unsigned max_heavy;         /* diffs computed at once (more wait up to half of
                                   request_timeout_s, then 503); default 2 */
    size_t max_result_bytes;    /* a larger answer -> 503; default 16 MiB */
    size_t cache_bytes;         /* answers kept in memory until the database changes; default
                                   64 MiB, RFX_SERVER_UNLIMITED = no cache */
    int access_log;             /* 1 = one line per request on stderr */
} rfx_server_config;

#define RFX_SERVER_UNLIMITED 0xffffffffu

void rfx_server_config_init(rfx_server_config *cfg);
/* Checks the configuration, opens the store and starts listening on
 * background threads; returns at once. RFX_EUSAGE for a bad address or a
 * non-loopback address without tokens or public_ok; RFX_EINPUT for an
 * unreadable store, token file or certificate, or an address in use. */
rfx_status rfx_server_start(const rfx_server_config *cfg, rfx_server **out, rfx_error *err);
/* The port listened on (the chosen one when the configuration said 0). */
unsigned rfx_server_port(const rfx_server *srv);
/* Stops accepting, lets requests in flight finish, frees everything. */
void rfx_server_stop(rfx_server *srv);
/* Writes the "sha256:HEX" form of token (as a token file may store it) into
 * out (72 bytes at least). */
void rfx_server_hash_token(const char *token, char out[72]);

/* ------------------------------------------------------------------ */
/* Fetching filings from SEC EDGAR (`rfx fetch`; docs/fetch.md)        */
/* ------------------------------------------------------------------ */

/* What a run reports as it goes. Events are delivered one at a time (never
 * concurrently), from whichever thread produced them. */
typedef enum rfx_fetch_event_kind {
    RFX_FETCH_ERROR = 0,  /* one line: a filing, company or listing failed; the run goes on */
    RFX_FETCH_WARNING,    /* one line: something was off but worked around */
    RFX_FETCH_LISTED,     /* a filing the run will fetch (every one, before fetching starts) */
    RFX_FETCH_DONE        /* a filing finished: fetched, skipped or failed */
} rfx_fetch_event_kind;

enum { RFX_FETCH_FETCHED = 0, RFX_FETCH_SKIPPED = 1, RFX_FETCH_FAILED = 2 };

typedef struct rfx_fetch_event {
    rfx_fetch_event_kind kind;
    const char *message;          /* ERROR, WARNING */
    const char *cik, *accession, *form, *filing_date, *report_date, *company;
    const char *url;              /* LISTED, DONE: the primary document's URL */
    const char *dir;              /* DONE: DIR/<CIK>/<accession> */
    const char *document;         /* DONE (fetched or skipped): the primary document on disk */
    const char *sha256;           /* DONE (fetched or skipped): that document's sha256, hex */
    int status;                   /* DONE: RFX_FETCH_FETCHED, _SKIPPED or _FAILED */
    size_t done, total;           /* DONE: filings finished so far / listed */
    unsigned long long bytes;     /* DONE: bytes downloaded so far */
    unsigned long requests;       /* DONE: HTTP requests so far */
} rfx_fetch_event;

typedef struct rfx_fetch_options {
    const char *user_agent;       /* required: who is asking, with a contact email */
    const char *base_url;         /* NULL = the SEC; else one root serving /files/...,
                                     /Archives/edgar/... and /submissions/... */
    const char *out_dir;          /* NULL = "edgar" */
    const char *const *tickers;   /* companies by ticker (company_tickers.json) */
    size_t ntickers;
    const char *const *ciks;      /* companies by CIK */
    size_t nciks;
    const char *const *forms;     /* NULL = every form; "10-K", "20-F", ... */
    size_t nforms;
    int amendments;               /* 1 = also "10-K/A" etc. for the forms wanted */
    const char *since, *until;    /* filing dates, YYYY[-MM[-DD]] inclusive; NULL = open */
    const char *quarter;          /* "2024Q1": list from full-index form.idx instead */
    int full;                     /* 1 = also the full-submission .txt */
    int dry_run;                  /* 1 = list only (LISTED events), download nothing */
    double rate;                  /* requests per second, all threads; default 8, at most 10 */
    int retries;                  /* attempts per request; default 5 */
    int jobs;                     /* download threads; default 4 */
    long connect_timeout_ms, timeout_ms, stall_seconds, backoff_ms; /* 0 = defaults */
    long ticker_cache_seconds;    /* refresh DIR/company_tickers.json after; default 1 day */
    void (*on_event)(void *ctx, const rfx_fetch_event *ev);
    void *ctx;
} rfx_fetch_options;

typedef struct rfx_fetch_summary {
    size_t listed, fetched, skipped, failed;
    unsigned long long bytes;
    unsigned long requests;
} rfx_fetch_summary;

void rfx_fetch_options_init(rfx_fetch_options *opt);
/* The usage checks rfx_fetch_run starts with (User-Agent, rate, dates, ...),
 * without any I/O: RFX_OK or RFX_EUSAGE with the reason. */
rfx_status rfx_fetch_check(const rfx_fetch_options *opt, rfx_error *err);
/* Lists and downloads what opt asks for into DIR/<CIK>/<accession>/ (docs/fetch.md).
 * Uses libcurl from several threads: the caller should ignore SIGPIPE, and
 * not run two fetches at once in one process (curl's global setup).
 * RFX_EUSAGE (no User-Agent with a contact, bad dates, rate over 10, ...) before
 * any request; RFX_EINPUT when DIR cannot be created; otherwise RFX_OK, and
 * sum->failed says whether any filing, company or listing failed. */
rfx_status rfx_fetch_run(const rfx_fetch_options *opt, rfx_fetch_summary *sum, rfx_error *err);
/* ------------------------------------------------------------------ */
/* PDF input                                                           */
/* ------------------------------------------------------------------ */

/* The bytes every offset in the register indexes: the input itself for
 * text, HTML and SGML; for PDF the text rfx extracted from it (pages in
 * order, paragraphs split by a blank line, a form feed where the text
 * moves to another page), which the JSON names with "source.offsets": "extracted-text". NULL for a
 * register loaded from JSON. */
const char *rfx_source_text(const rfx_register *reg, size_t *len);
/* Corpus store: backends and administration (docs/corpus.md, PostgreSQL) */
/* ------------------------------------------------------------------ */
/*
 * A uri starting "postgresql://" or "postgres://" (a libpq connection URI)
 * selects the PostgreSQL backend; anything else is an SQLite file.
 */
/* 1 when uri (NULL → $RFX_DB) names a PostgreSQL database. */
int rfx_store_is_postgres(const char *uri);
/* uri with its password (user:PASSWORD@, password=...) replaced by "***":
 * what messages and --verbose print. malloc'd; NULL → "(null)". */
char *rfx_store_uri_display(const char *uri);
/* Creates the schema (create != 0: `rfx db init`) or upgrades an existing
 * one (`rfx db migrate`) of the store at uri. *from and *to receive the
 * schema versions before and after (0 = none). No schema and !create →
 * RFX_EINPUT; a newer schema → RFX_EINPUT. */
rfx_status rfx_store_migrate(const char *uri, int create, int *from, int *to, rfx_error *err);
/* Copies every filing of src into dst (any backends), oldest filing id
 * first, each stored register re-added with its source path and sha256, so
 * lineage is recomputed in dst; filings dst already holds count as
 * unchanged. progress (may be NULL) is called after each filing. Counts in
 * *added and *unchanged (may be NULL). */
rfx_status rfx_store_copy(rfx_store *src, rfx_store *dst,
                          void (*progress)(void *ctx, long done, long total), void *ctx,
                          long *added, long *unchanged, rfx_error *err);

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
