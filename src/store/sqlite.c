/*
 * sqlite.c — the embedded SQLite backend of the corpus store.
 *
 * Schema (docs/corpus.md): filing (one row per stored content sha256, with
 * the full register as JSON), company, risk (heading, body, categories,
 * metrics, lineage), risk_category, fact, entity, removed (risks that
 * disappeared, on the filing where they did) and risk_fts, an FTS5 index
 * over risk(heading, body, tags) kept by triggers.
 *
 * Filters ride in the full-text index: each risk's `tags` column holds
 * tokens for its fiscal year (y2019), form (f<id>), company (e<id>),
 * categories (c<id>) and lineage status (s<id>), ids from the vocab table
 * (every token ends in a digit so the porter stemmer leaves it alone). A
 * filtered search is then one FTS5 query that intersects posting lists and
 * ranks with bm25 (heading 4, body 1, tags 0), instead of ranking every
 * match and filtering afterwards: top-20 stays fast at millions of risks.
 *
 * Durability: WAL, synchronous=NORMAL, one IMMEDIATE transaction per filing
 * (the filing, its risks and every lineage update it causes), so a kill at
 * any point leaves the previous state. Text from users is always bound as a
 * parameter; the only SQL assembled at run time is "?" lists of a length.
 */
#include "store_int.h"

#include <errno.h>
#include <pthread.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define APP_ID 0x72667801 /* "rfx\1" */

typedef struct sq {
    sqlite3 *db;
    bool readonly;
    char *path;
    /* has_sha256's own read-only connection and lock: WAL lets it read the
     * last commit while the writer's transaction is open */
    sqlite3 *rdb;
    pthread_mutex_t rmu;
    bool rdb_failed;
} sq;

/* ---------------- small helpers ---------------- */

static rfx_status db_fail(sq *q, rfx_error *err, const char *what) {
    int ec = sqlite3_extended_errcode(q->db);
    int pc = ec & 0xff;
    rfx_status st = RFX_EINTERNAL;
    if (pc == SQLITE_CORRUPT || pc == SQLITE_NOTADB) st = RFX_EINPUT;
    else if (pc == SQLITE_FULL || pc == SQLITE_IOERR || pc == SQLITE_READONLY || pc == SQLITE_CANTOPEN ||
             pc == SQLITE_PERM || pc == SQLITE_BUSY || pc == SQLITE_LOCKED)
        st = RFX_EINPUT;
    else if (pc == SQLITE_NOMEM) st = RFX_ENOMEM;
    rfx_set_error(err, st, "%s: %s: %s", q->path, what, sqlite3_errmsg(q->db));
    return st;
}

static sqlite3_stmt *prep(sq *q, const char *sql) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) return NULL;
    return st;
}

static int exec(sq *q, const char *sql) { return sqlite3_exec(q->db, sql, NULL, NULL, NULL); }

static void bind_text(sqlite3_stmt *st, int i, const char *s) {
    if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

static void bind_real(sqlite3_stmt *st, int i, double v, bool valid) {
    if (valid && isfinite(v)) sqlite3_bind_double(st, i, v);
    else sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i) { return (const char *)sqlite3_column_text(st, i); }

static json_t *col_json(sqlite3_stmt *st, int i) {
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT: {
        double v = sqlite3_column_double(st, i);
        return isfinite(v) ? json_real(round(v * 1e6) / 1e6) : json_null();
    }
    case SQLITE_TEXT: return store_jstr(col_text(st, i));
    default: return json_null();
    }
}

/* ---------------- ranking ---------------- */

/* rfx_rank(NTEXT): bm25 (k1 1.2, b 0.75) over the first NTEXT phrases of
 * the query — the user's terms — with a heading hit worth four body hits.
 * The filter phrases that follow (year, category, form, company, status
 * tags) neither score nor cost: FTS5's own bm25 computes an IDF for every
 * phrase by reading its whole doclist, and a filter tag's doclist is a
 * large share of the corpus (measured: 24 ms of a 26 ms filtered query at a
 * million risks). Registered on each connection; nothing in the database
 * refers to it, so the sqlite3 shell still reads the file. */
typedef struct rankaux {
    int ntext;
    double avgdl;
    double idf[];
} rankaux;

/* Document frequencies: exact up to DF_EXACT rows, then estimated from how
 * far through the rowid range the scan got (rowids follow insertion order,
 * so a term spread over the corpus is spread over the range). Counting a
 * common word exactly means reading its whole doclist: 25-35 ms each for
 * "competition" or "pricing" at a million risks, most of a query's time. */
#define DF_EXACT 5000
typedef struct dfcount {
    sqlite3_int64 n, last;
} dfcount;

static int count_rows(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx) {
    dfcount *c = ctx;
    c->n++;
    c->last = api->xRowid(fts);
    return c->n >= DF_EXACT ? SQLITE_DONE : SQLITE_OK;
}

static void rfx_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                     sqlite3_value **val) {
    rankaux *a = api->xGetAuxdata(fts, 0);
    if (!a) {
        int nphrase = api->xPhraseCount(fts);
        int ntext = nval > 0 ? sqlite3_value_int(val[0]) : nphrase;
        if (ntext < 0 || ntext > nphrase) ntext = nphrase;
        a = sqlite3_malloc64(sizeof *a + sizeof(double) * (size_t)(ntext + 1));
        if (!a) { sqlite3_result_error_nomem(ctx); return; }
        a->ntext = ntext;
        sqlite3_int64 nrow = 0, t0 = 0, t1 = 0;
        int rc = api->xRowCount(fts, &nrow);
        if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, 0, &t0);
        if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, 1, &t1);
        a->avgdl = nrow > 0 ? (double)(4 * t0 + t1) / (double)nrow : 1;
        if (a->avgdl <= 0) a->avgdl = 1;
        sqlite3_int64 lo = 0, hi = 0;
        if (rc == SQLITE_OK && ntext) {
            sqlite3_stmt *st = NULL;
            if (sqlite3_prepare_v2(sqlite3_context_db_handle(ctx), "SELECT (SELECT min(id) FROM risk), (SELECT max(id) FROM risk)", -1, &st, NULL) ==
                    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
                lo = sqlite3_column_int64(st, 0);
                hi = sqlite3_column_int64(st, 1);
            }
            sqlite3_finalize(st);
        }
        for (int i = 0; rc == SQLITE_OK && i < ntext; i++) {
            dfcount c = {0, 0};
            rc = api->xQueryPhrase(fts, i, &c, count_rows);
            if (rc == SQLITE_DONE) rc = SQLITE_OK;
            double df = (double)c.n;
            if (c.n >= DF_EXACT && c.last > lo && hi > lo) df = df * (double)(hi - lo + 1) / (double)(c.last - lo + 1);
            if (df > (double)nrow) df = (double)nrow;
            double idf = log(((double)nrow - df + 0.5) / (df + 0.5));
            a->idf[i] = idf > 1e-6 ? idf : 1e-6;
        }
        if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, a, sqlite3_free);
        else sqlite3_free(a);
        if (rc != SQLITE_OK) { sqlite3_result_error_code(ctx, rc); return; }
    }
    if (!a->ntext) { sqlite3_result_double(ctx, 0); return; }
    double freq[65] = {0};
    int ninst = 0, rc = api->xInstCount(fts, &ninst);
    for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int ph, col, off;
        rc = api->xInst(fts, i, &ph, &col, &off);
        if (rc == SQLITE_OK && ph < a->ntext && ph < 65 && col < 2) freq[ph] += col == 0 ? 4.0 : 1.0;
    }
    int s0 = 0, s1 = 0;
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, 0, &s0);
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, 1, &s1);
    if (rc != SQLITE_OK) { sqlite3_result_error_code(ctx, rc); return; }
    double dl = 4.0 * s0 + s1, score = 0;
    for (int i = 0; i < a->ntext && i < 65; i++)
        if (freq[i] > 0) score += a->idf[i] * freq[i] * 2.2 / (freq[i] + 1.2 * (0.25 + 0.75 * dl / a->avgdl));
    sqlite3_result_double(ctx, -score); /* FTS5 ranks ascending, like bm25 */
}

static int register_rank(sqlite3 *db) {
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return SQLITE_ERROR;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api || api->iVersion < 2) return SQLITE_ERROR;
    return api->xCreateFunction(api, "rfx_rank", NULL, rfx_rank, NULL);
}

/* ---------------- schema and migrations ---------------- */

/* Version 1. Later versions append a migration (never edit this one): a
 * database at version v gets migrations[v+1 .. RFX_STORE_SCHEMA_VERSION]. */
static const char schema_v1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE vocab(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, value TEXT NOT NULL,"
    "  UNIQUE(kind, value));"
    "CREATE TABLE company(id INTEGER PRIMARY KEY, cik TEXT UNIQUE, name TEXT, name_norm TEXT);"
    "CREATE INDEX company_norm ON company(name_norm);"
    "CREATE TABLE ticker(ticker TEXT PRIMARY KEY COLLATE NOCASE, cik TEXT, name TEXT,"
    "  name_norm TEXT) WITHOUT ROWID;"
    "CREATE TABLE filing(id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE,"
    "  source_path TEXT NOT NULL, bytes INTEGER NOT NULL, format TEXT, form TEXT, company TEXT,"
    "  cik TEXT, period TEXT, fiscal_year INTEGER, currency TEXT,"
    "  company_id INTEGER REFERENCES company(id), section_found INTEGER NOT NULL,"
    "  section_how TEXT, nrisks INTEGER NOT NULL, nwarnings INTEGER NOT NULL,"
    "  metrics TEXT, register TEXT NOT NULL, rfx_version TEXT, indexed_at TEXT NOT NULL);"
    "CREATE INDEX filing_chain ON filing(company_id, form, period, id);"
    "CREATE INDEX filing_path ON filing(source_path);"
    "CREATE INDEX filing_year ON filing(fiscal_year);"
    "CREATE TABLE risk(id INTEGER PRIMARY KEY,"
    "  filing_id INTEGER NOT NULL REFERENCES filing(id) ON DELETE CASCADE,"
    "  idx INTEGER NOT NULL, grp TEXT, heading TEXT NOT NULL, body TEXT NOT NULL,"
    "  start_off INTEGER, end_off INTEGER, category TEXT, category_score REAL,"
    "  words INTEGER, sentences INTEGER, specificity REAL, boilerplate REAL, fog REAL,"
    "  uncertainty REAL, litigious REAL, negative REAL,"
    "  status TEXT, prev_id INTEGER REFERENCES risk(id) ON DELETE SET NULL, similarity REAL,"
    "  tags TEXT NOT NULL, UNIQUE(filing_id, idx));"
    "CREATE INDEX risk_prev ON risk(prev_id);"
    "CREATE TABLE risk_category(risk_id INTEGER NOT NULL REFERENCES risk(id) ON DELETE CASCADE,"
    "  category TEXT NOT NULL, score REAL, rank INTEGER NOT NULL, PRIMARY KEY(risk_id, category))"
    "  WITHOUT ROWID;"
    "CREATE TABLE fact(id INTEGER PRIMARY KEY,"
    "  risk_id INTEGER NOT NULL REFERENCES risk(id) ON DELETE CASCADE, kind TEXT, text TEXT,"
    "  start_off INTEGER, end_off INTEGER, value REAL, value_high REAL, currency TEXT, unit TEXT,"
    "  period TEXT, date TEXT);"
    "CREATE INDEX fact_risk ON fact(risk_id);"
    "CREATE TABLE entity(id INTEGER PRIMARY KEY,"
    "  filing_id INTEGER NOT NULL REFERENCES filing(id) ON DELETE CASCADE, name TEXT, alias TEXT,"
    "  kind TEXT, start_off INTEGER, end_off INTEGER);"
    "CREATE INDEX entity_filing ON entity(filing_id);"
    "CREATE TABLE removed(filing_id INTEGER NOT NULL REFERENCES filing(id) ON DELETE CASCADE,"
    "  risk_id INTEGER NOT NULL REFERENCES risk(id) ON DELETE CASCADE, status TEXT NOT NULL,"
    "  into_id INTEGER REFERENCES risk(id) ON DELETE SET NULL, PRIMARY KEY(filing_id, risk_id))"
    "  WITHOUT ROWID;"
    "CREATE INDEX removed_risk ON removed(risk_id);"
    "CREATE INDEX removed_into ON removed(into_id);"
    "CREATE VIRTUAL TABLE risk_fts USING fts5(heading, body, tags, content='risk',"
    "  content_rowid='id', tokenize='porter unicode61');"
    "INSERT INTO risk_fts(risk_fts, rank) VALUES('rank', 'bm25(4.0, 1.0, 0.0)');"
    "CREATE TRIGGER risk_ai AFTER INSERT ON risk BEGIN"
    "  INSERT INTO risk_fts(rowid, heading, body, tags) VALUES(new.id, new.heading, new.body, new.tags);"
    "END;"
    "CREATE TRIGGER risk_ad AFTER DELETE ON risk BEGIN"
    "  INSERT INTO risk_fts(risk_fts, rowid, heading, body, tags)"
    "    VALUES('delete', old.id, old.heading, old.body, old.tags);"
    "END;"
    "CREATE TRIGGER risk_au AFTER UPDATE OF heading, body, tags ON risk BEGIN"
    "  INSERT INTO risk_fts(risk_fts, rowid, heading, body, tags)"
    "    VALUES('delete', old.id, old.heading, old.body, old.tags);"
    "  INSERT INTO risk_fts(rowid, heading, body, tags) VALUES(new.id, new.heading, new.body, new.tags);"
    "END;";

static const char *const migrations[RFX_STORE_SCHEMA_VERSION + 1] = {NULL, schema_v1};

/* The integer a one-row query gives (a PRAGMA, a count): SQLITE_OK, or the
 * error (SQLITE_DONE when there is no row). */
static int query_int(sq *q, const char *sql, int *out) {
    sqlite3_stmt *st = prep(q, sql);
    if (!st) return sqlite3_errcode(q->db);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) { *out = sqlite3_column_int(st, 0); rc = SQLITE_OK; }
    sqlite3_finalize(st);
    return rc;
}

static rfx_status migrate(sq *q, int from, rfx_error *err) {
    if (exec(q, "BEGIN IMMEDIATE") != SQLITE_OK) return db_fail(q, err, "cannot start the schema update");
    /* re-read under the write lock: another process may have migrated meanwhile */
    int v = 0;
    if (query_int(q, "PRAGMA user_version", &v) != SQLITE_OK) { exec(q, "ROLLBACK"); return db_fail(q, err, "cannot read the schema version"); }
    from = v;
    for (int k = from + 1; k <= RFX_STORE_SCHEMA_VERSION; k++) {
        if (exec(q, migrations[k]) != SQLITE_OK) {
            rfx_status st = db_fail(q, err, "schema update failed");
            exec(q, "ROLLBACK");
            return st;
        }
    }
    char sql[160];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d; PRAGMA application_id=%d;",
             RFX_STORE_SCHEMA_VERSION, APP_ID);
    if (exec(q, sql) != SQLITE_OK ||
        exec(q, "INSERT OR REPLACE INTO meta(key, value) VALUES('created_by', 'rfx " RFX_VERSION "')") != SQLITE_OK ||
        exec(q, "COMMIT") != SQLITE_OK) {
        rfx_status st = db_fail(q, err, "schema update failed");
        exec(q, "ROLLBACK");
        return st;
    }
    return RFX_OK;
}

static void sq_close(void *impl) {
    sq *q = impl;
    if (!q) return;
    if (q->rdb) sqlite3_close_v2(q->rdb);
    pthread_mutex_destroy(&q->rmu);
    if (q->db) {
        if (!q->readonly) exec(q, "PRAGMA optimize");
        sqlite3_close_v2(q->db);
    }
    free(q->path);
    free(q);
}

rfx_status store_sqlite_open(const char *path, unsigned flags, void **impl, rfx_error *err) {
    *impl = NULL;
    sq *q = calloc(1, sizeof *q);
    if (!q || !(q->path = strdup(path))) {
        free(q);
        rfx_set_error(err, RFX_ENOMEM, "out of memory");
        return RFX_ENOMEM;
    }
    q->readonly = flags & RFX_STORE_READONLY;
    pthread_mutex_init(&q->rmu, NULL);
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (exists && S_ISDIR(sb.st_mode)) {
        rfx_set_error(err, RFX_EINPUT, "%s: is a directory, not a database", path);
        sq_close(q);
        return RFX_EINPUT;
    }
    if (!exists && (q->readonly || !(flags & RFX_STORE_CREATE))) {
        rfx_set_error(err, RFX_EINPUT, "%s: no such database (rfx index creates it)", path);
        sq_close(q);
        return RFX_EINPUT;
    }
    int oflags = q->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &q->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rfx_set_error(err, RFX_EINPUT, "%s: cannot open database: %s", path,
                      q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
        sq_close(q);
        return RFX_EINPUT;
    }
    sqlite3_busy_timeout(q->db, 10000);
    sqlite3_extended_result_codes(q->db, 1);
    int v = 0, ntab = 0, aid = 0;
    /* the first read is where a non-database or a corrupt header shows */
    if (query_int(q, "SELECT count(*) FROM sqlite_master", &ntab) != SQLITE_OK ||
        query_int(q, "PRAGMA user_version", &v) != SQLITE_OK ||
        query_int(q, "PRAGMA application_id", &aid) != SQLITE_OK) {
        rfx_set_error(err, RFX_EINPUT, "%s: not an rfx database (%s)", path, sqlite3_errmsg(q->db));
        sq_close(q);
        return RFX_EINPUT;
    }
    if (ntab > 0 && aid != APP_ID) {
        rfx_set_error(err, RFX_EINPUT, "%s: an SQLite database, but not one rfx wrote", path);
        sq_close(q);
        return RFX_EINPUT;
    }
    if (v > RFX_STORE_SCHEMA_VERSION) {
        rfx_set_error(err, RFX_EINPUT, "%s: database schema v%d is newer than this rfx (v%d): use a newer rfx",
                      path, v, RFX_STORE_SCHEMA_VERSION);
        sq_close(q);
        return RFX_EINPUT;
    }
    if (q->readonly && v < RFX_STORE_SCHEMA_VERSION) {
        rfx_set_error(err, RFX_EINPUT,
                      ntab == 0 ? "%s: empty database (rfx index fills it)"
                                : "%s: database schema is older than this rfx; run rfx index on it once to update it",
                      path);
        sq_close(q);
        return RFX_EINPUT;
    }
    if (!q->readonly) {
        /* WAL: readers (search, serve) go on while an index writes */
        sqlite3_stmt *st = prep(q, "PRAGMA journal_mode=WAL");
        int jr = st ? sqlite3_step(st) : SQLITE_ERROR;
        sqlite3_finalize(st);
        if (jr != SQLITE_ROW) {
            rfx_status s = db_fail(q, err, "cannot use the database");
            sq_close(q);
            return s;
        }
        exec(q, "PRAGMA synchronous=NORMAL");
        if (v < RFX_STORE_SCHEMA_VERSION) {
            rfx_status s = migrate(q, v, err);
            if (s != RFX_OK) { sq_close(q); return s; }
        }
    }
    exec(q, "PRAGMA foreign_keys=ON");
    if (register_rank(q->db) != SQLITE_OK) {
        rfx_set_error(err, RFX_EINPUT, "%s: this SQLite has no FTS5", path);
        sq_close(q);
        return RFX_EINPUT;
    }
    *impl = q;
    return RFX_OK;
}

/* ---------------- vocabulary, companies, tags ---------------- */

/* The id of (kind, value), created when create is set; 0 when absent, -1 on error. */
static long vocab_id(sq *q, const char *kind, const char *value, bool create) {
    if (create) {
        sqlite3_stmt *ins = prep(q, "INSERT OR IGNORE INTO vocab(kind, value) VALUES(?1, ?2)");
        if (!ins) return -1;
        bind_text(ins, 1, kind);
        bind_text(ins, 2, value);
        int rc = sqlite3_step(ins);
        sqlite3_finalize(ins);
        if (rc != SQLITE_DONE) return -1;
    }
    sqlite3_stmt *st = prep(q, "SELECT id FROM vocab WHERE kind = ?1 AND value = ?2");
    if (!st) return -1;
    bind_text(st, 1, kind);
    bind_text(st, 2, value);
    long id = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) id = (long)sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE) id = -1;
    sqlite3_finalize(st);
    return id;
}

/* The company a filing belongs to: by CIK, else by normalised name; a
 * company first seen without a CIK adopts the first one seen with its name. */
static long company_for(sq *q, const char *name, const char *cik_raw, rfx_error *err, bool *failed) {
    char cik[24];
    store_cik_norm(cik_raw, cik);
    char *norm = store_name_norm(name);
    long id = 0;
    sqlite3_stmt *st = NULL;
    *failed = false;
    if (!norm) goto oom;
    if (cik[0]) {
        st = prep(q, "SELECT id FROM company WHERE cik = ?1");
        if (!st) goto fail;
        bind_text(st, 1, cik);
        if (sqlite3_step(st) == SQLITE_ROW) id = (long)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        st = NULL;
        if (id) goto done;
    }
    if (norm[0]) {
        st = prep(q, "SELECT id, cik FROM company WHERE name_norm = ?1 ORDER BY cik IS NOT NULL, id");
        if (!st) goto fail;
        bind_text(st, 1, norm);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *c = col_text(st, 1);
            if (!cik[0] || !c) { id = (long)sqlite3_column_int64(st, 0); if (!c && cik[0]) break; if (!cik[0]) break; }
        }
        sqlite3_finalize(st);
        st = NULL;
        if (id && cik[0]) {
            st = prep(q, "UPDATE company SET cik = ?1 WHERE id = ?2 AND cik IS NULL");
            if (!st) goto fail;
            bind_text(st, 1, cik);
            sqlite3_bind_int64(st, 2, id);
            if (sqlite3_step(st) != SQLITE_DONE) goto fail;
            sqlite3_finalize(st);
            st = NULL;
        }
        if (id) goto done;
    }
    if (!cik[0] && !norm[0]) goto done; /* nobody: no lineage */
    st = prep(q, "INSERT INTO company(cik, name, name_norm) VALUES(?1, ?2, ?3)");
    if (!st) goto fail;
    bind_text(st, 1, cik[0] ? cik : NULL);
    bind_text(st, 2, name);
    bind_text(st, 3, norm[0] ? norm : NULL);
    if (sqlite3_step(st) != SQLITE_DONE) goto fail;
    id = (long)sqlite3_last_insert_rowid(q->db);
done:
    sqlite3_finalize(st);
    free(norm);
    return id;
fail:
    sqlite3_finalize(st);
    free(norm);
    db_fail(q, err, "storing the company");
    *failed = true;
    return 0;
oom:
    rfx_set_error(err, RFX_ENOMEM, "out of memory");
    *failed = true;
    return 0;
}

/* ---------------- adding a filing ---------------- */

typedef struct riskrow {
    long id;
    long idx; /* 1-based */
} riskrow;

/* Risk ids of a filing by position (0-based index → id). */
static long *risk_ids(sq *q, long filing_id, size_t *n) {
    *n = 0;
    sqlite3_stmt *st = prep(q, "SELECT idx, id FROM risk WHERE filing_id = ?1 ORDER BY idx");
    if (!st) return NULL;
    sqlite3_bind_int64(st, 1, filing_id);
    size_t cap = 64;
    long *v = calloc(cap, sizeof *v);
    while (v && sqlite3_step(st) == SQLITE_ROW) {
        long idx = (long)sqlite3_column_int64(st, 0);
        if (idx < 1 || idx > 100000) continue;
        while ((size_t)idx > cap) {
            long *nv = realloc(v, cap * 2 * sizeof *nv);
            if (!nv) { free(v); v = NULL; break; }
            memset(nv + cap, 0, cap * sizeof *nv);
            v = nv;
            cap *= 2;
        }
        if (!v) break;
        v[idx - 1] = (long)sqlite3_column_int64(st, 1);
        if ((size_t)idx > *n) *n = (size_t)idx;
    }
    sqlite3_finalize(st);
    return v;
}

static rfx_status load_reg(sq *q, long id, rfx_register **out, rfx_error *err) {
    *out = NULL;
    sqlite3_stmt *st = prep(q, "SELECT register FROM filing WHERE id = ?1");
    if (!st) return db_fail(q, err, "reading a register");
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) return db_fail(q, err, "reading a register");
        rfx_set_error(err, RFX_ENOTFOUND, "no filing with id %ld", id);
        return RFX_ENOTFOUND;
    }
    const char *js = (const char *)sqlite3_column_text(st, 0);
    int len = sqlite3_column_bytes(st, 0);
    rfx_status s = rfx_register_from_json(js ? js : "", js ? (size_t)len : 0, out, err);
    sqlite3_finalize(st);
    return s;
}

/* The filing before (dir < 0) or after (dir > 0) f in its company/form chain; 0 when none. */
static long neighbour(sq *q, long company_id, const char *form, const char *period, long fid, int dir) {
    if (!company_id || !period) return 0;
    const char *sql = dir < 0
        ? "SELECT id FROM filing WHERE company_id = ?1 AND form IS ?2 AND period IS NOT NULL AND"
          " (period < ?3 OR (period = ?3 AND id < ?4)) ORDER BY period DESC, id DESC LIMIT 1"
        : "SELECT id FROM filing WHERE company_id = ?1 AND form IS ?2 AND period IS NOT NULL AND"
          " (period > ?3 OR (period = ?3 AND id > ?4)) ORDER BY period, id LIMIT 1";
    sqlite3_stmt *st = prep(q, sql);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, company_id);
    bind_text(st, 2, form);
    bind_text(st, 3, period);
    sqlite3_bind_int64(st, 4, fid);
    long id = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) id = (long)sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE) id = -1;
    sqlite3_finalize(st);
    return id;
}

typedef struct chainpos {
    long company_id;
    char *form, *period;
} chainpos;

static bool chain_of(sq *q, long fid, chainpos *c) {
    memset(c, 0, sizeof *c);
    sqlite3_stmt *st = prep(q, "SELECT company_id, form, period FROM filing WHERE id = ?1");
    if (!st) return false;
    sqlite3_bind_int64(st, 1, fid);
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok) {
        c->company_id = (long)sqlite3_column_int64(st, 0);
        c->form = col_text(st, 1) ? strdup(col_text(st, 1)) : NULL;
        c->period = col_text(st, 2) ? strdup(col_text(st, 2)) : NULL;
    }
    sqlite3_finalize(st);
    return ok;
}

static void chain_free(chainpos *c) {
    free(c->form);
    free(c->period);
}

/* tags with the status token (always last) replaced */
static char *retag(const char *tags, long status_id) {
    const char *sp = strrchr(tags, ' ');
    size_t keep = sp && sp[1] == 's' ? (size_t)(sp - tags) : strlen(tags);
    char *t = malloc(keep + 32);
    if (t) snprintf(t, keep + 32, "%.*s s%ld", (int)keep, tags, status_id);
    return t;
}

static long status_vocab(sq *q, const char *status) { return vocab_id(q, "status", status ? status : "none", true); }

/* Recomputes the links of filing fid (whose risks exist) against its
 * current predecessor; reg may hold fid's register already. */
static rfx_status relink(sq *q, long fid, const rfx_register *reg, rfx_error *err) {
    chainpos c;
    if (!chain_of(q, fid, &c)) return db_fail(q, err, "reading the lineage chain");
    long prev = neighbour(q, c.company_id, c.form, c.period, fid, -1);
    chain_free(&c);
    if (prev < 0) return db_fail(q, err, "reading the lineage chain");
    sqlite3_stmt *del = prep(q, "DELETE FROM removed WHERE filing_id = ?1");
    if (!del) return db_fail(q, err, "updating lineage");
    sqlite3_bind_int64(del, 1, fid);
    int rc = sqlite3_step(del);
    sqlite3_finalize(del);
    if (rc != SQLITE_DONE) return db_fail(q, err, "updating lineage");

    rfx_register *older = NULL, *newer_owned = NULL;
    lin_result lr = {0};
    rfx_status s = RFX_OK;
    size_t nnew = 0, nold = 0;
    long *new_ids = risk_ids(q, fid, &nnew), *old_ids = NULL;
    sqlite3_stmt *up = NULL, *get = NULL, *gone = NULL;
    if (!new_ids) { s = db_fail(q, err, "reading risks"); goto out; }
    if (prev > 0) {
        if ((s = load_reg(q, prev, &older, err)) != RFX_OK) goto out;
        if (!reg) {
            if ((s = load_reg(q, fid, &newer_owned, err)) != RFX_OK) goto out;
            reg = newer_owned;
        }
        if ((s = store_lineage(older, reg, &lr, err)) != RFX_OK) goto out;
        old_ids = risk_ids(q, prev, &nold);
        if (!old_ids) { s = db_fail(q, err, "reading risks"); goto out; }
    }
    up = prep(q, "UPDATE risk SET status = ?1, prev_id = ?2, similarity = ?3, tags = ?4 WHERE id = ?5");
    get = prep(q, "SELECT tags, status IS ?1 AND prev_id IS ?2 FROM risk WHERE id = ?3");
    gone = prep(q, "INSERT OR REPLACE INTO removed(filing_id, risk_id, status, into_id) VALUES(?1, ?2, ?3, ?4)");
    if (!up || !get || !gone) { s = db_fail(q, err, "updating lineage"); goto out; }
    for (size_t j = 0; j < nnew; j++) {
        if (!new_ids[j]) continue;
        const char *status = NULL;
        long prev_id = 0;
        double sim = 0;
        if (prev > 0 && j < lr.nlinks) {
            status = lr.links[j].status;
            if (lr.links[j].prev >= 0 && (size_t)lr.links[j].prev < nold) prev_id = old_ids[lr.links[j].prev];
            sim = lr.links[j].similarity;
        }
        sqlite3_reset(get);
        bind_text(get, 1, status);
        if (prev_id) sqlite3_bind_int64(get, 2, prev_id);
        else sqlite3_bind_null(get, 2);
        sqlite3_bind_int64(get, 3, new_ids[j]);
        if (sqlite3_step(get) != SQLITE_ROW) { s = db_fail(q, err, "updating lineage"); goto out; }
        bool same = sqlite3_column_int(get, 1);
        char *tags = retag(col_text(get, 0) ? col_text(get, 0) : "", status_vocab(q, status));
        if (!tags) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); s = RFX_ENOMEM; goto out; }
        sqlite3_reset(get);
        sqlite3_reset(up);
        bind_text(up, 1, status);
        if (prev_id) sqlite3_bind_int64(up, 2, prev_id);
        else sqlite3_bind_null(up, 2);
        bind_real(up, 3, sim, status && strcmp(status, "added") != 0);
        if (same) sqlite3_bind_null(up, 4); /* unchanged tags: do not touch the index */
        else bind_text(up, 4, tags);
        sqlite3_bind_int64(up, 5, new_ids[j]);
        free(tags);
        if (same) {
            /* only the similarity may differ: a plain update, no FTS work */
            sqlite3_stmt *u2 = prep(q, "UPDATE risk SET similarity = ?1 WHERE id = ?2");
            if (!u2) { s = db_fail(q, err, "updating lineage"); goto out; }
            bind_real(u2, 1, sim, status && strcmp(status, "added") != 0);
            sqlite3_bind_int64(u2, 2, new_ids[j]);
            rc = sqlite3_step(u2);
            sqlite3_finalize(u2);
        } else {
            rc = sqlite3_step(up);
        }
        if (rc != SQLITE_DONE) { s = db_fail(q, err, "updating lineage"); goto out; }
    }
    for (size_t k = 0; k < lr.ngone; k++) {
        long o = lr.gone[k].old;
        if (o < 0 || (size_t)o >= nold || !old_ids[o]) continue;
        sqlite3_reset(gone);
        sqlite3_bind_int64(gone, 1, fid);
        sqlite3_bind_int64(gone, 2, old_ids[o]);
        bind_text(gone, 3, lr.gone[k].status);
        long into = lr.gone[k].into;
        if (into >= 0 && (size_t)into < nnew && new_ids[into]) sqlite3_bind_int64(gone, 4, new_ids[into]);
        else sqlite3_bind_null(gone, 4);
        if (sqlite3_step(gone) != SQLITE_DONE) { s = db_fail(q, err, "updating lineage"); goto out; }
    }
out:
    sqlite3_finalize(up);
    sqlite3_finalize(get);
    sqlite3_finalize(gone);
    free(new_ids);
    free(old_ids);
    store_lineage_free(&lr);
    rfx_register_free(older);
    rfx_register_free(newer_owned);
    return s;
}

static char *now_iso(void) {
    static char buf[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/* Inserts the risks of reg as filing fid, with lineage links lr (or none). */
static rfx_status insert_risks(sq *q, long fid, const rfx_register *reg, const char *base_tags,
                               const lin_result *lr, const long *old_ids, size_t nold, rfx_error *err) {
    rfx_status s = RFX_OK;
    sqlite3_stmt *ins = prep(q,
        "INSERT INTO risk(filing_id, idx, grp, heading, body, start_off, end_off, category,"
        " category_score, words, sentences, specificity, boilerplate, fog, uncertainty, litigious,"
        " negative, status, prev_id, similarity, tags)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21)");
    sqlite3_stmt *cat = prep(q, "INSERT OR IGNORE INTO risk_category(risk_id, category, score, rank) VALUES(?1,?2,?3,?4)");
    sqlite3_stmt *fact = prep(q,
        "INSERT INTO fact(risk_id, kind, text, start_off, end_off, value, value_high, currency, unit,"
        " period, date) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
    rfx_buf tags;
    rfx_buf_init(&tags, false);
    if (!ins || !cat || !fact) { s = db_fail(q, err, "storing risks"); goto out; }
    for (size_t i = 0; i < reg->nrisks; i++) {
        const rfx_risk *k = &reg->risks[i];
        const rfx_category *primary = NULL;
        for (size_t c = 0; c < k->ncats; c++)
            if (!primary || k->cats[c].score > primary->score) primary = &k->cats[c];
        const char *status = NULL;
        long prev_id = 0;
        double sim = 0;
        if (lr && i < lr->nlinks) {
            status = lr->links[i].status;
            if (lr->links[i].prev >= 0 && (size_t)lr->links[i].prev < nold) prev_id = old_ids[lr->links[i].prev];
            sim = lr->links[i].similarity;
        }
        rfx_buf_clear(&tags);
        rfx_buf_puts(&tags, base_tags);
        for (size_t c = 0; c < k->ncats; c++) {
            long cid = vocab_id(q, "category", k->cats[c].id, true);
            if (cid < 0) { s = db_fail(q, err, "storing categories"); goto out; }
            rfx_buf_printf(&tags, " c%ld", cid);
        }
        long sid = status_vocab(q, status);
        if (sid < 0) { s = db_fail(q, err, "storing risks"); goto out; }
        rfx_buf_printf(&tags, " s%ld", sid);
        if (tags.oom) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); s = RFX_ENOMEM; goto out; }
        const rfx_metrics *m = &k->metrics;
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, fid);
        sqlite3_bind_int64(ins, 2, (sqlite3_int64)(i + 1));
        bind_text(ins, 3, k->group);
        bind_text(ins, 4, k->heading.s ? k->heading.s : "");
        bind_text(ins, 5, k->body.s ? k->body.s : "");
        sqlite3_bind_int64(ins, 6, k->start);
        sqlite3_bind_int64(ins, 7, k->end);
        bind_text(ins, 8, primary ? primary->id : NULL);
        bind_real(ins, 9, primary ? primary->score : 0, primary != NULL);
        if (m->valid) {
            sqlite3_bind_int64(ins, 10, (sqlite3_int64)m->words);
            sqlite3_bind_int64(ins, 11, (sqlite3_int64)m->sentences);
        } else {
            sqlite3_bind_null(ins, 10);
            sqlite3_bind_null(ins, 11);
        }
        bind_real(ins, 12, m->specificity, m->valid);
        bind_real(ins, 13, m->boilerplate, m->valid);
        bind_real(ins, 14, m->fog, m->valid);
        bind_real(ins, 15, m->uncertainty, m->valid);
        bind_real(ins, 16, m->litigious, m->valid);
        bind_real(ins, 17, m->negative, m->valid);
        bind_text(ins, 18, status);
        if (prev_id) sqlite3_bind_int64(ins, 19, prev_id);
        else sqlite3_bind_null(ins, 19);
        bind_real(ins, 20, sim, status && strcmp(status, "added") != 0);
        sqlite3_bind_text(ins, 21, tags.data, (int)tags.len, SQLITE_TRANSIENT);
        if (sqlite3_step(ins) != SQLITE_DONE) { s = db_fail(q, err, "storing risks"); goto out; }
        long rid = (long)sqlite3_last_insert_rowid(q->db);
        for (size_t c = 0; c < k->ncats; c++) {
            sqlite3_reset(cat);
            sqlite3_bind_int64(cat, 1, rid);
            bind_text(cat, 2, k->cats[c].id);
            bind_real(cat, 3, k->cats[c].score, true);
            sqlite3_bind_int64(cat, 4, (sqlite3_int64)(c + 1));
            if (sqlite3_step(cat) != SQLITE_DONE) { s = db_fail(q, err, "storing categories"); goto out; }
        }
        for (size_t f = 0; f < k->nfacts; f++) {
            const rfx_fact *x = &k->facts[f];
            sqlite3_reset(fact);
            sqlite3_bind_int64(fact, 1, rid);
            bind_text(fact, 2, rfx_fact_kind_name(x->kind));
            bind_text(fact, 3, x->text);
            sqlite3_bind_int64(fact, 4, x->start);
            sqlite3_bind_int64(fact, 5, x->end);
            bind_real(fact, 6, x->value, x->has_value);
            bind_real(fact, 7, x->value_high, x->has_high);
            bind_text(fact, 8, x->currency[0] ? x->currency : NULL);
            bind_text(fact, 9, x->unit);
            bind_text(fact, 10, x->period);
            bind_text(fact, 11, x->date);
            if (sqlite3_step(fact) != SQLITE_DONE) { s = db_fail(q, err, "storing facts"); goto out; }
        }
    }
out:
    rfx_buf_free(&tags);
    sqlite3_finalize(ins);
    sqlite3_finalize(cat);
    sqlite3_finalize(fact);
    return s;
}

static rfx_status add_in_tx(sq *q, const rfx_register *reg, const char *path,
                            rfx_store_outcome *outcome, rfx_error *err) {
    *outcome = RFX_STORE_ADDED;
    rfx_status s = RFX_OK;
    long *succ_old = NULL;
    size_t nsucc_old = 0;
    char *regjson = NULL, *mjson = NULL;
    lin_result lr = {0};
    rfx_register *older = NULL;
    long *old_ids = NULL;
    size_t nold = 0;
    sqlite3_stmt *st = NULL;

    /* 1. the same content is stored once */
    st = prep(q, "SELECT 1 FROM filing WHERE sha256 = ?1");
    if (!st) return db_fail(q, err, "looking up the filing");
    bind_text(st, 1, reg->sha256);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_ROW) { *outcome = RFX_STORE_UNCHANGED; return RFX_OK; }
    if (rc != SQLITE_DONE) return db_fail(q, err, "looking up the filing");

    /* 2. the same path with other content: the old filing goes; remember
     * who followed it, to relink them once the new one is in */
    st = prep(q, "SELECT id FROM filing WHERE source_path = ?1");
    if (!st) return db_fail(q, err, "looking up the filing");
    bind_text(st, 1, path);
    long olds[16];
    size_t nolds = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && nolds < 16) olds[nolds++] = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (nolds) {
        *outcome = RFX_STORE_REPLACED;
        succ_old = calloc(nolds, sizeof *succ_old);
        if (!succ_old) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
        for (size_t i = 0; i < nolds; i++) {
            chainpos c;
            if (!chain_of(q, olds[i], &c)) { s = db_fail(q, err, "replacing the filing"); goto out; }
            long nx = neighbour(q, c.company_id, c.form, c.period, olds[i], +1);
            chain_free(&c);
            if (nx < 0) { s = db_fail(q, err, "replacing the filing"); goto out; }
            if (nx) succ_old[nsucc_old++] = nx;
            st = prep(q, "DELETE FROM filing WHERE id = ?1");
            if (!st) { s = db_fail(q, err, "replacing the filing"); goto out; }
            sqlite3_bind_int64(st, 1, olds[i]);
            rc = sqlite3_step(st);
            sqlite3_finalize(st);
            st = NULL;
            if (rc != SQLITE_DONE) { s = db_fail(q, err, "replacing the filing"); goto out; }
        }
    }

    /* 3. the filing row */
    const rfx_filing *f = &reg->filing;
    bool cfail = false;
    long company_id = company_for(q, f->company, f->cik, err, &cfail);
    if (cfail) { s = err->code ? (rfx_status)err->code : RFX_EINTERNAL; goto out; }
    char form[32];
    store_upper_form(f->form, form, sizeof form);
    regjson = rfx_register_json(reg, 0);
    mjson = store_metrics_json(&reg->metrics);
    if (!regjson) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); s = RFX_ENOMEM; goto out; }
    char cik[24];
    store_cik_norm(f->cik, cik);
    int fy = store_fiscal_year(f->period);
    st = prep(q,
        "INSERT INTO filing(sha256, source_path, bytes, format, form, company, cik, period,"
        " fiscal_year, currency, company_id, section_found, section_how, nrisks, nwarnings, metrics,"
        " register, rfx_version, indexed_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)");
    if (!st) { s = db_fail(q, err, "storing the filing"); goto out; }
    bind_text(st, 1, reg->sha256);
    bind_text(st, 2, path ? path : "");
    sqlite3_bind_int64(st, 3, (sqlite3_int64)reg->srclen);
    bind_text(st, 4, store_fmt_name(reg->format));
    bind_text(st, 5, form[0] ? form : NULL);
    bind_text(st, 6, f->company);
    bind_text(st, 7, cik[0] ? cik : NULL);
    bind_text(st, 8, f->period);
    if (fy) sqlite3_bind_int(st, 9, fy);
    else sqlite3_bind_null(st, 9);
    bind_text(st, 10, f->currency);
    if (company_id) sqlite3_bind_int64(st, 11, company_id);
    else sqlite3_bind_null(st, 11);
    sqlite3_bind_int(st, 12, reg->section.found);
    bind_text(st, 13, reg->section.how);
    sqlite3_bind_int64(st, 14, (sqlite3_int64)reg->nrisks);
    sqlite3_bind_int64(st, 15, (sqlite3_int64)reg->nwarnings);
    bind_text(st, 16, mjson);
    bind_text(st, 17, regjson);
    bind_text(st, 18, RFX_VERSION);
    bind_text(st, 19, now_iso());
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE) { s = db_fail(q, err, "storing the filing"); goto out; }
    long fid = (long)sqlite3_last_insert_rowid(q->db);

    /* 4. lineage against the predecessor, then the risks with their links */
    long prev = neighbour(q, company_id, form[0] ? form : NULL, f->period, fid, -1);
    if (prev < 0) { s = db_fail(q, err, "reading the lineage chain"); goto out; }
    if (prev > 0) {
        if ((s = load_reg(q, prev, &older, err)) != RFX_OK) goto out;
        if ((s = store_lineage(older, reg, &lr, err)) != RFX_OK) goto out;
        old_ids = risk_ids(q, prev, &nold);
        if (!old_ids) { s = db_fail(q, err, "reading risks"); goto out; }
    }
    char base[128];
    size_t bl = 0;
    base[0] = 0;
    if (fy) bl += (size_t)snprintf(base + bl, sizeof base - bl, "y%d", fy);
    if (form[0]) {
        long fvid = vocab_id(q, "form", form, true);
        if (fvid < 0) { s = db_fail(q, err, "storing the filing"); goto out; }
        bl += (size_t)snprintf(base + bl, sizeof base - bl, "%sf%ld", bl ? " " : "", fvid);
    }
    if (company_id) bl += (size_t)snprintf(base + bl, sizeof base - bl, "%se%ld", bl ? " " : "", company_id);
    if (!bl) snprintf(base, sizeof base, "n0"); /* a token, so status stays last and separable */
    if ((s = insert_risks(q, fid, reg, base, prev > 0 ? &lr : NULL, old_ids, nold, err)) != RFX_OK) goto out;
    if (prev > 0) {
        size_t nnew = 0;
        long *new_ids = risk_ids(q, fid, &nnew);
        if (!new_ids) { s = db_fail(q, err, "reading risks"); goto out; }
        st = prep(q, "INSERT OR REPLACE INTO removed(filing_id, risk_id, status, into_id) VALUES(?1,?2,?3,?4)");
        bool bad = !st;
        for (size_t k = 0; !bad && k < lr.ngone; k++) {
            long o = lr.gone[k].old;
            if (o < 0 || (size_t)o >= nold || !old_ids[o]) continue;
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, fid);
            sqlite3_bind_int64(st, 2, old_ids[o]);
            bind_text(st, 3, lr.gone[k].status);
            long into = lr.gone[k].into;
            if (into >= 0 && (size_t)into < nnew && new_ids[into]) sqlite3_bind_int64(st, 4, new_ids[into]);
            else sqlite3_bind_null(st, 4);
            bad = sqlite3_step(st) != SQLITE_DONE;
        }
        free(new_ids);
        if (bad) { s = db_fail(q, err, "storing lineage"); goto out; }
        sqlite3_finalize(st);
        st = NULL;
    }

    /* 5. entities */
    st = prep(q, "INSERT INTO entity(filing_id, name, alias, kind, start_off, end_off) VALUES(?1,?2,?3,?4,?5,?6)");
    if (!st) { s = db_fail(q, err, "storing entities"); goto out; }
    for (size_t i = 0; i < reg->nentities; i++) {
        const rfx_entity *e = &reg->entities[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, fid);
        bind_text(st, 2, e->name);
        bind_text(st, 3, e->alias);
        bind_text(st, 4, rfx_entity_kind_name(e->kind));
        sqlite3_bind_int64(st, 5, e->start);
        sqlite3_bind_int64(st, 6, e->end);
        if (sqlite3_step(st) != SQLITE_DONE) { s = db_fail(q, err, "storing entities"); goto out; }
    }
    sqlite3_finalize(st);
    st = NULL;

    /* 6. whoever follows the new filing now follows it; and whoever followed
     * a replaced one follows someone else */
    long next = neighbour(q, company_id, form[0] ? form : NULL, f->period, fid, +1);
    if (next < 0) { s = db_fail(q, err, "reading the lineage chain"); goto out; }
    if (next > 0 && (s = relink(q, next, NULL, err)) != RFX_OK) goto out;
    for (size_t i = 0; i < nsucc_old; i++) {
        if (succ_old[i] == next) continue;
        if ((s = relink(q, succ_old[i], NULL, err)) != RFX_OK) goto out;
    }
out:
    sqlite3_finalize(st);
    free(succ_old);
    free(regjson);
    free(mjson);
    store_lineage_free(&lr);
    rfx_register_free(older);
    free(old_ids);
    return s;
}

static rfx_status sq_add(void *impl, const rfx_register *reg, const char *path,
                         rfx_store_outcome *outcome, rfx_error *err) {
    sq *q = impl;
    if (q->readonly) {
        rfx_set_error(err, RFX_EUSAGE, "%s: opened read-only", q->path);
        return RFX_EUSAGE;
    }
    if (strlen(reg->sha256) != 64) {
        rfx_set_error(err, RFX_EINPUT, "%s: register has no sha256 of its source", path ? path : "?");
        return RFX_EINPUT;
    }
    if (exec(q, "BEGIN IMMEDIATE") != SQLITE_OK) return db_fail(q, err, "cannot start a transaction");
    rfx_status s = add_in_tx(q, reg, path, outcome, err);
    if (s == RFX_OK && exec(q, "COMMIT") != SQLITE_OK) s = db_fail(q, err, "commit failed");
    if (s != RFX_OK) exec(q, "ROLLBACK");
    return s;
}

/* 1/0, or -1 when it cannot tell (an in-memory database has no second
 * connection): the caller then parses, and add() still finds a duplicate. */
static int sq_has_sha256(void *impl, const char *sha) {
    sq *q = impl;
    pthread_mutex_lock(&q->rmu);
    if (!q->rdb && !q->rdb_failed) {
        bool mem = !strcmp(q->path, ":memory:") || !strncmp(q->path, "file:", 5);
        if (mem || sqlite3_open_v2(q->path, &q->rdb, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
            if (q->rdb) sqlite3_close_v2(q->rdb);
            q->rdb = NULL;
            q->rdb_failed = true;
        } else {
            sqlite3_busy_timeout(q->rdb, 10000);
        }
    }
    int r = -1;
    sqlite3_stmt *st = NULL;
    if (q->rdb && sqlite3_prepare_v2(q->rdb, "SELECT 1 FROM filing WHERE sha256 = ?1", -1, &st, NULL) == SQLITE_OK) {
        bind_text(st, 1, sha);
        int rc = sqlite3_step(st);
        r = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&q->rmu);
    return r;
}

static rfx_status sq_add_ticker(void *impl, const char *ticker, const char *cik_raw, const char *company,
                                rfx_error *err) {
    sq *q = impl;
    if (q->readonly) {
        rfx_set_error(err, RFX_EUSAGE, "%s: opened read-only", q->path);
        return RFX_EUSAGE;
    }
    char cik[24];
    store_cik_norm(cik_raw, cik);
    char *norm = store_name_norm(company);
    sqlite3_stmt *st = prep(q, "INSERT OR REPLACE INTO ticker(ticker, cik, name, name_norm) VALUES(?1,?2,?3,?4)");
    if (!st || !norm) {
        free(norm);
        sqlite3_finalize(st);
        return db_fail(q, err, "storing a ticker");
    }
    bind_text(st, 1, ticker);
    bind_text(st, 2, cik[0] ? cik : NULL);
    bind_text(st, 3, company);
    bind_text(st, 4, norm[0] ? norm : NULL);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    free(norm);
    if (rc != SQLITE_DONE) return db_fail(q, err, "storing a ticker");
    return RFX_OK;
}

/* ---------------- resolving filters ---------------- */

/* Companies matching `who`: a CIK (all digits), a ticker, or name words. */
static rfx_status companies_matching(sq *q, const char *who, bool cik_only, idlist *out, rfx_error *err) {
    sqlite3_stmt *st = NULL;
    if (cik_only || store_all_digits(who)) {
        char cik[24];
        store_cik_norm(who, cik);
        st = prep(q, "SELECT id FROM company WHERE cik = ?1");
        if (!st) return db_fail(q, err, "reading companies");
        bind_text(st, 1, cik);
        while (sqlite3_step(st) == SQLITE_ROW) store_id_add(out, (long)sqlite3_column_int64(st, 0));
        sqlite3_finalize(st);
        return RFX_OK;
    }
    /* a ticker: its CIK, else its company's normalised name */
    st = prep(q, "SELECT c.id FROM ticker t JOIN company c ON (t.cik IS NOT NULL AND c.cik = t.cik)"
                 " OR (t.name_norm IS NOT NULL AND c.name_norm = t.name_norm) WHERE t.ticker = ?1");
    if (!st) return db_fail(q, err, "reading tickers");
    bind_text(st, 1, who);
    while (sqlite3_step(st) == SQLITE_ROW) store_id_add(out, (long)sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    if (out->n) return RFX_OK;
    st = prep(q, "SELECT id, name FROM company");
    if (!st) return db_fail(q, err, "reading companies");
    while (sqlite3_step(st) == SQLITE_ROW)
        if (store_name_has_words(col_text(st, 1), who)) store_id_add(out, (long)sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    return RFX_OK;
}

/* Builds the FTS5 MATCH expression for q's text and filters. *empty is set
 * when a filter names something absent from the database (no hits). */
static int count_phrases(const qnode *n) {
    if (n->kind == QN_TERM || n->kind == QN_PHRASE) return 1;
    int c = 0;
    for (size_t i = 0; i < n->nkids; i++) c += count_phrases(n->kids[i]);
    return c;
}

/* *ntext: how many phrases of the expression are the user's (they come
 * first; the filter tags follow), for rfx_rank. */
static rfx_status build_match(sq *q, const rfx_store_query *qr, char **match, bool *empty, int *ntext,
                              rfx_error *err) {
    *match = NULL;
    *empty = false;
    *ntext = 0;
    rfx_buf b;
    rfx_buf_init(&b, false);
    rfx_status s = RFX_OK;
    idlist cos = {0};
    if (qr->text && *qr->text) {
        qnode *n = store_query_parse(qr->text, err);
        if (!n) return RFX_EUSAGE;
        *ntext = count_phrases(n);
        char *fts = store_query_fts5(n);
        store_query_free(n);
        if (!fts) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
        rfx_buf_printf(&b, "{heading body} : (%s)", fts);
        free(fts);
    }
#define AND_TAG() rfx_buf_puts(&b, b.len ? " AND tags : " : "tags : ")
    if (qr->status && *qr->status) {
        if (!store_is_status(qr->status)) {
            rfx_set_error(err, RFX_EUSAGE,
                          "unknown status '%s' (one of unchanged, modified, added, moved, split, merge)", qr->status);
            s = RFX_EUSAGE;
            goto out;
        }
        long id = vocab_id(q, "status", qr->status, false);
        if (id < 0) { s = db_fail(q, err, "reading the vocabulary"); goto out; }
        if (!id) { *empty = true; goto out; }
        AND_TAG();
        rfx_buf_printf(&b, "\"s%ld\"", id);
    }
    if (qr->category && *qr->category) {
        long id = vocab_id(q, "category", qr->category, false);
        if (id < 0) { s = db_fail(q, err, "reading the vocabulary"); goto out; }
        if (!id) {
            rfx_set_error(err, RFX_EUSAGE, "no stored risk has category '%s' (rfx stats lists the categories)",
                          qr->category);
            s = RFX_EUSAGE;
            goto out;
        }
        AND_TAG();
        rfx_buf_printf(&b, "\"c%ld\"", id);
    }
    if (qr->form && *qr->form) {
        char form[32];
        store_upper_form(qr->form, form, sizeof form);
        long id = vocab_id(q, "form", form, false);
        if (id < 0) { s = db_fail(q, err, "reading the vocabulary"); goto out; }
        if (!id) { *empty = true; goto out; }
        AND_TAG();
        rfx_buf_printf(&b, "\"f%ld\"", id);
    }
    if (qr->year_from || qr->year_to) {
        int lo = qr->year_from, hi = qr->year_to;
        if (lo && hi && lo > hi) {
            rfx_set_error(err, RFX_EUSAGE, "year range %d..%d is empty", lo, hi);
            s = RFX_EUSAGE;
            goto out;
        }
        sqlite3_stmt *st = prep(q, "SELECT min(fiscal_year), max(fiscal_year) FROM filing");
        if (!st || sqlite3_step(st) != SQLITE_ROW) { sqlite3_finalize(st); s = db_fail(q, err, "reading years"); goto out; }
        int dlo = sqlite3_column_int(st, 0), dhi = sqlite3_column_int(st, 1);
        sqlite3_finalize(st);
        if (!lo || lo < dlo) lo = dlo;
        if (!hi || hi > dhi) hi = dhi;
        if (!dlo || lo > hi) { *empty = true; goto out; }
        AND_TAG();
        rfx_buf_puts(&b, "(");
        for (int y = lo; y <= hi; y++) rfx_buf_printf(&b, "%s\"y%d\"", y > lo ? " OR " : "", y);
        rfx_buf_puts(&b, ")");
    }
    bool has_co = qr->company && *qr->company, has_cik = qr->cik && *qr->cik;
    if (has_co || has_cik) {
        idlist a = {0}, c = {0};
        if (has_co && (s = companies_matching(q, qr->company, false, &a, err)) != RFX_OK) { free(a.v); goto out; }
        if (has_cik && (s = companies_matching(q, qr->cik, true, &c, err)) != RFX_OK) { free(a.v); free(c.v); goto out; }
        s = store_companies_pick(qr, &a, &c, &cos, err);
        free(a.v);
        free(c.v);
        if (s != RFX_OK) goto out;
        AND_TAG();
        rfx_buf_puts(&b, "(");
        for (size_t i = 0; i < cos.n; i++) rfx_buf_printf(&b, "%s\"e%ld\"", i ? " OR " : "", cos.v[i]);
        rfx_buf_puts(&b, ")");
    }
#undef AND_TAG
    if (b.oom) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); s = RFX_ENOMEM; goto out; }
    if (b.len) *match = rfx_buf_steal(&b);
out:
    free(cos.v);
    rfx_buf_free(&b);
    return s;
}

/* ---------------- search ---------------- */

/* cats: a statement prepared by the caller for many hits, or NULL */
static json_t *categories_of(sq *q, sqlite3_stmt *cats, long rid) {
    json_t *a = json_array();
    sqlite3_stmt *st = cats ? cats : prep(q, "SELECT category, score FROM risk_category WHERE risk_id = ?1 ORDER BY rank");
    if (!st) return a;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, rid);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(a, json_pack("{s:o,s:o}", "id", col_json(st, 0), "score", col_json(st, 1)));
    if (!cats) sqlite3_finalize(st);
    else sqlite3_reset(st);
    return a;
}

#define HIT_COLS                                                                                   \
    "r.id, f.id, f.company, f.cik, f.form, f.period, f.fiscal_year, r.idx, r.heading, r.category,"  \
    " r.status, f.source_path, r.prev_id, r.similarity"

static json_t *hit_object(sq *q, sqlite3_stmt *h, sqlite3_stmt *cats) {
    json_t *o = json_object();
    static const char *const keys[] = {"risk_id", "filing_id", "company", "cik", "form", "period",
                                       "fiscal_year", "index", "heading", "category", "status",
                                       "source_path", "prev_risk_id", "similarity"};
    for (int i = 0; i < 14; i++) json_object_set_new(o, keys[i], col_json(h, i));
    json_object_set_new(o, "categories", categories_of(q, cats, (long)sqlite3_column_int64(h, 0)));
    return o;
}

static rfx_status sq_search(void *impl, const rfx_store_query *qr, char **json, rfx_error *err) {
    sq *q = impl;
    char *match = NULL;
    bool empty = false;
    int ntext = 0;
    rfx_status s = build_match(q, qr, &match, &empty, &ntext, err);
    if (s != RFX_OK) return s;
    if (!match && !empty) {
        rfx_set_error(err, RFX_EUSAGE, "search needs a query or at least one filter");
        return RFX_EUSAGE;
    }
    long limit = qr->limit > 0 ? qr->limit : 20;
    if (limit > 10000) limit = 10000;
    json_t *root = json_object();
    json_object_set_new(root, "query", qr->text ? store_jstr(qr->text) : json_null());
    json_t *hits = json_array();
    json_object_set_new(root, "hits", hits);
    sqlite3_stmt *top = NULL, *row = NULL, *cats = NULL;
    if (empty) goto done;
    /* FTS5 sorts by rank itself and computes snippet() only for the rows
     * it returns, so one statement gives the top hits with their snippets */
    top = prep(q, "SELECT rowid, rank, snippet(risk_fts, 1, ?4, ?5, '…', 24), highlight(risk_fts, 0, ?4, ?5)"
                  " FROM risk_fts WHERE risk_fts MATCH ?1 AND rank MATCH ?6 ORDER BY rank LIMIT ?2 OFFSET ?3");
    row = prep(q, "SELECT " HIT_COLS " FROM risk r JOIN filing f ON f.id = r.filing_id WHERE r.id = ?1");
    cats = prep(q, "SELECT category, score FROM risk_category WHERE risk_id = ?1 ORDER BY rank");
    if (!top || !row || !cats) { s = db_fail(q, err, "search failed"); goto done; }
    const char *mo = qr->mark_open ? qr->mark_open : "[", *mc = qr->mark_close ? qr->mark_close : "]";
    bind_text(top, 1, match);
    sqlite3_bind_int64(top, 2, limit);
    sqlite3_bind_int64(top, 3, qr->offset > 0 ? qr->offset : 0);
    bind_text(top, 4, mo);
    bind_text(top, 5, mc);
    char rankfn[32];
    snprintf(rankfn, sizeof rankfn, "rfx_rank(%d)", ntext);
    bind_text(top, 6, rankfn);
    int rc;
    while ((rc = sqlite3_step(top)) == SQLITE_ROW) {
        long rid = (long)sqlite3_column_int64(top, 0);
        double rank = sqlite3_column_double(top, 1);
        sqlite3_reset(row);
        sqlite3_bind_int64(row, 1, rid);
        if (sqlite3_step(row) != SQLITE_ROW) continue; /* cannot happen inside one read */
        json_t *o = hit_object(q, row, cats);
        json_object_set_new(o, "heading_marked", col_json(top, 3));
        json_object_set_new(o, "snippet", col_json(top, 2));
        json_object_set_new(o, "score", json_real(round(-rank * 1e4) / 1e4));
        json_array_append_new(hits, o);
    }
    if (rc != SQLITE_DONE) s = db_fail(q, err, "search failed");
done:
    sqlite3_finalize(top);
    sqlite3_finalize(row);
    sqlite3_finalize(cats);
    free(match);
    if (s != RFX_OK) { json_decref(root); return s; }
    return store_out_json(root, json, err);
}

/* ---------------- filings, filing, risk ---------------- */

#define FILING_COLS                                                                                \
    "f.id, f.company, f.cik, f.form, f.period, f.fiscal_year, f.source_path, f.sha256, f.bytes,"    \
    " f.format, f.section_found, f.section_how, f.nrisks, f.company_id, f.indexed_at"
static const char *const filing_keys[] = {"filing_id", "company", "cik", "form", "period",
                                          "fiscal_year", "source_path", "sha256", "bytes", "format",
                                          "section_found", "section_how", "risks", "company_id",
                                          "indexed_at"};

static json_t *filing_object(sqlite3_stmt *st) {
    json_t *o = json_object();
    for (int i = 0; i < 15; i++) json_object_set_new(o, filing_keys[i], col_json(st, i));
    json_t *sf = json_object_get(o, "section_found");
    if (json_is_integer(sf)) json_object_set_new(o, "section_found", json_boolean(json_integer_value(sf)));
    return o;
}

/* WHERE clause on filing f for company/cik/form/years: SQL from fixed
 * pieces and "?" only; values bound by bind_filing_where. */
typedef struct fwhere {
    idlist cos;
    bool has_co, has_form, has_lo, has_hi;
    char form[32];
    char sql[512];
} fwhere;

static rfx_status filing_where(sq *q, const rfx_store_query *qr, fwhere *w, bool *empty, rfx_error *err) {
    memset(w, 0, sizeof *w);
    *empty = false;
    size_t n = 0;
    n += (size_t)snprintf(w->sql + n, sizeof w->sql - n, " WHERE 1");
    bool has_co = qr->company && *qr->company, has_cik = qr->cik && *qr->cik;
    if (has_co || has_cik) {
        idlist a = {0}, c = {0};
        rfx_status s = RFX_OK;
        if (has_co) s = companies_matching(q, qr->company, false, &a, err);
        if (s == RFX_OK && has_cik) s = companies_matching(q, qr->cik, true, &c, err);
        if (s != RFX_OK) { free(a.v); free(c.v); return s; }
        for (size_t i = 0; i < (has_co ? a.n : c.n); i++) {
            long id = has_co ? a.v[i] : c.v[i];
            bool keep = true;
            if (has_co && has_cik) {
                keep = false;
                for (size_t j = 0; j < c.n; j++) keep |= c.v[j] == id;
            }
            if (keep) store_id_add(&w->cos, id);
        }
        free(a.v);
        free(c.v);
        if (!w->cos.n) {
            if (has_co) rfx_set_error(err, RFX_EUSAGE, "no company in the database matches '%s'", qr->company);
            else rfx_set_error(err, RFX_EUSAGE, "no company in the database has CIK %s", qr->cik);
            free(w->cos.v);
            w->cos.v = NULL;
            return RFX_EUSAGE;
        }
        w->has_co = true;
        /* the ids go into a temp table: any number of them, still bound */
        n += (size_t)snprintf(w->sql + n, sizeof w->sql - n, " AND f.company_id IN (SELECT value FROM json_each(?1))");
    }
    if (qr->form && *qr->form) {
        store_upper_form(qr->form, w->form, sizeof w->form);
        w->has_form = true;
        n += (size_t)snprintf(w->sql + n, sizeof w->sql - n, " AND f.form = ?2");
    }
    if (qr->year_from) { w->has_lo = true; n += (size_t)snprintf(w->sql + n, sizeof w->sql - n, " AND f.fiscal_year >= ?3"); }
    if (qr->year_to) { w->has_hi = true; n += (size_t)snprintf(w->sql + n, sizeof w->sql - n, " AND f.fiscal_year <= ?4"); }
    return RFX_OK;
}

static bool bind_filing_where(sqlite3_stmt *st, const rfx_store_query *qr, const fwhere *w) {
    if (w->has_co) {
        json_t *a = json_array();
        for (size_t i = 0; i < w->cos.n; i++) json_array_append_new(a, json_integer(w->cos.v[i]));
        char *s = store_json_dump(a);
        if (!s) return false;
        sqlite3_bind_text(st, 1, s, -1, free);
    }
    if (w->has_form) bind_text(st, 2, w->form);
    if (w->has_lo) sqlite3_bind_int(st, 3, qr->year_from);
    if (w->has_hi) sqlite3_bind_int(st, 4, qr->year_to);
    return true;
}

static rfx_status sq_filings(void *impl, const rfx_store_query *qr, char **json, rfx_error *err) {
    sq *q = impl;
    fwhere w;
    bool empty;
    rfx_status s = filing_where(q, qr, &w, &empty, err);
    if (s != RFX_OK) return s;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT " FILING_COLS ", count(*) OVER () FROM filing f %s"
             " ORDER BY f.company_id IS NULL, f.company_id, f.form, f.period, f.id LIMIT ?5 OFFSET ?6",
             w.sql);
    sqlite3_stmt *st = prep(q, sql);
    json_t *root = json_object(), *arr = json_array();
    json_object_set_new(root, "filings", arr);
    long total = 0;
    if (!st || !bind_filing_where(st, qr, &w)) { s = db_fail(q, err, "listing filings"); goto out; }
    sqlite3_bind_int64(st, 5, qr->limit > 0 ? qr->limit : -1);
    sqlite3_bind_int64(st, 6, qr->offset > 0 ? qr->offset : 0);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_array_append_new(arr, filing_object(st));
        total = (long)sqlite3_column_int64(st, 15);
    }
    if (rc != SQLITE_DONE) { s = db_fail(q, err, "listing filings"); goto out; }
    json_object_set_new(root, "total", json_integer(total));
out:
    sqlite3_finalize(st);
    free(w.cos.v);
    if (s != RFX_OK) { json_decref(root); return s; }
    return store_out_json(root, json, err);
}

static rfx_status sq_filing(void *impl, long id, char **json, rfx_error *err) {
    sq *q = impl;
    sqlite3_stmt *st = prep(q, "SELECT " FILING_COLS ", f.register FROM filing f WHERE f.id = ?1");
    if (!st) return db_fail(q, err, "reading a filing");
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) return db_fail(q, err, "reading a filing");
        rfx_set_error(err, RFX_ENOTFOUND, "no filing with id %ld", id);
        return RFX_ENOTFOUND;
    }
    json_t *root = json_object();
    json_object_set_new(root, "filing", filing_object(st));
    json_error_t je;
    json_t *reg = json_loads(col_text(st, 15) ? col_text(st, 15) : "null", JSON_DECODE_ANY, &je);
    json_object_set_new(root, "register", reg ? reg : json_null());
    sqlite3_finalize(st);
    json_t *ids = json_array();
    st = prep(q, "SELECT id FROM risk WHERE filing_id = ?1 ORDER BY idx");
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        while (sqlite3_step(st) == SQLITE_ROW) json_array_append_new(ids, json_integer(sqlite3_column_int64(st, 0)));
        sqlite3_finalize(st);
    }
    json_object_set_new(root, "risk_ids", ids);
    return store_out_json(root, json, err);
}

/* One step along a lineage: the successor of rid (not a split-off), or 0. */
static long successor(sq *q, long rid) {
    sqlite3_stmt *st = prep(q, "SELECT r.id FROM risk r JOIN filing f ON f.id = r.filing_id"
                               " WHERE r.prev_id = ?1 AND r.status IS NOT 'split' ORDER BY f.period, r.id LIMIT 1");
    if (!st) return 0;
    sqlite3_bind_int64(st, 1, rid);
    long id = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return id;
}

static rfx_status sq_risk(void *impl, long id, char **json, rfx_error *err) {
    sq *q = impl;
    sqlite3_stmt *st = prep(q, "SELECT " HIT_COLS ", r.grp, r.body, r.start_off, r.end_off, r.words, r.sentences,"
                               " r.specificity, r.boilerplate, r.fog, r.uncertainty, r.litigious, r.negative"
                               " FROM risk r JOIN filing f ON f.id = r.filing_id WHERE r.id = ?1");
    if (!st) return db_fail(q, err, "reading a risk");
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) return db_fail(q, err, "reading a risk");
        rfx_set_error(err, RFX_ENOTFOUND, "no risk with id %ld", id);
        return RFX_ENOTFOUND;
    }
    json_t *o = hit_object(q, st, NULL);
    static const char *const more[] = {"group", "body", "start", "end", "words", "sentences", "specificity",
                                       "boilerplate", "fog", "uncertainty", "litigious", "negative"};
    for (int i = 0; i < 12; i++) json_object_set_new(o, more[i], col_json(st, 14 + i));
    sqlite3_finalize(st);
    /* the chain: back to its first risk, then forward */
    long root_id = id, guard = 0;
    st = prep(q, "SELECT prev_id, status FROM risk WHERE id = ?1");
    while (st && guard++ < 1000) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, root_id);
        if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL) break;
        const char *status = col_text(st, 1);
        if (status && !strcmp(status, "split")) break; /* a split-off starts its own line */
        root_id = (long)sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    json_t *chain = json_array();
    st = prep(q, "SELECT r.id, f.id, f.fiscal_year, f.period, r.idx, r.status, r.similarity, r.heading"
                 " FROM risk r JOIN filing f ON f.id = r.filing_id WHERE r.id = ?1");
    for (long cur = root_id; st && cur && json_array_size(chain) < 1000; cur = successor(q, cur)) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, cur);
        if (sqlite3_step(st) != SQLITE_ROW) break;
        json_array_append_new(chain, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "risk_id", col_json(st, 0),
                                               "filing_id", col_json(st, 1), "fiscal_year", col_json(st, 2),
                                               "period", col_json(st, 3), "index", col_json(st, 4), "status",
                                               col_json(st, 5), "similarity", col_json(st, 6), "heading",
                                               col_json(st, 7)));
    }
    sqlite3_finalize(st);
    json_t *root = json_pack("{s:o,s:o}", "risk", o, "lineage", chain);
    return store_out_json(root, json, err);
}

/* ---------------- history ---------------- */

static rfx_status sq_history(void *impl, const char *who, const char *form_in, char **json, rfx_error *err) {
    sq *q = impl;
    idlist cos = {0};
    rfx_status s = companies_matching(q, who, false, &cos, err);
    if (s != RFX_OK) { free(cos.v); return s; }
    if (!cos.n) {
        free(cos.v);
        rfx_set_error(err, RFX_EUSAGE, "no company in the database matches '%s'", who);
        return RFX_EUSAGE;
    }
    sqlite3_stmt *st = prep(q, "SELECT c.id, c.name, c.cik, (SELECT count(*) FROM filing f WHERE f.company_id = c.id)"
                               " FROM company c WHERE c.id = ?1");
    if (!st) { free(cos.v); return db_fail(q, err, "reading companies"); }
    json_t *matches = json_array();
    for (size_t i = 0; i < cos.n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, cos.v[i]);
        if (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(matches, json_pack("{s:o,s:o,s:o,s:o}", "company_id", col_json(st, 0), "company",
                                                     col_json(st, 1), "cik", col_json(st, 2), "filings",
                                                     col_json(st, 3)));
    }
    sqlite3_finalize(st);
    long cid = cos.v[0];
    size_t ncos = cos.n;
    free(cos.v);
    if (ncos > 1) {
        rfx_set_error(err, RFX_EUSAGE, "'%s' matches %zu companies: give more of the name or a CIK", who, ncos);
        json_t *root = json_pack("{s:s,s:o}", "error", err->message, "matches", matches);
        store_out_json(root, json, err);
        rfx_set_error(err, RFX_EUSAGE, "'%s' matches %zu companies: give more of the name or a CIK", who, ncos);
        return RFX_EUSAGE;
    }
    char form[32] = "";
    if (form_in && *form_in) store_upper_form(form_in, form, sizeof form);
    json_t *root = json_object();
    json_object_set_new(root, "company", json_incref(json_array_get(matches, 0)));
    json_decref(matches);
    json_object_set_new(root, "form", form[0] ? json_string(form) : json_null());
    json_t *filings = json_array();
    json_object_set_new(root, "filings", filings);
    /* per filing: counts by status and gone risks */
    st = prep(q, "SELECT f.id, f.form, f.period, f.fiscal_year, f.nrisks, f.source_path,"
                 " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status = 'unchanged'),"
                 " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status = 'modified'),"
                 " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status = 'moved'),"
                 " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status = 'added'),"
                 " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status = 'split'),"
                 " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status = 'merge'),"
                 " (SELECT count(*) FROM removed g WHERE g.filing_id = f.id AND g.status = 'removed'),"
                 " (SELECT count(*) FROM removed g WHERE g.filing_id = f.id AND g.status = 'merge'),"
                 " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status IS NULL)"
                 " FROM filing f WHERE f.company_id = ?1 AND (?2 = '' OR f.form = ?2)"
                 " ORDER BY f.form, f.period IS NULL, f.period, f.id");
    if (!st) { json_decref(root); return db_fail(q, err, "reading filings"); }
    sqlite3_bind_int64(st, 1, cid);
    bind_text(st, 2, form);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *c = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "unchanged", col_json(st, 6), "modified",
                              col_json(st, 7), "moved", col_json(st, 8), "added", col_json(st, 9), "split",
                              col_json(st, 10), "merge", col_json(st, 11), "removed", col_json(st, 12),
                              "merged_away", col_json(st, 13));
        json_object_set_new(c, "first_seen", col_json(st, 14));
        json_array_append_new(filings, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "filing_id", col_json(st, 0), "form",
                                                 col_json(st, 1), "period", col_json(st, 2), "fiscal_year",
                                                 col_json(st, 3), "risks", col_json(st, 4), "source_path",
                                                 col_json(st, 5), "counts", c));
    }
    sqlite3_finalize(st);
    /* per lineage: walk the links in memory */
    st = prep(q, "SELECT r.id, r.prev_id, r.filing_id, f.fiscal_year, r.status, r.heading, f.form, f.period"
                 " FROM risk r JOIN filing f ON f.id = r.filing_id"
                 " WHERE f.company_id = ?1 AND (?2 = '' OR f.form = ?2) AND f.period IS NOT NULL");
    if (!st) { json_decref(root); return db_fail(q, err, "reading risks"); }
    sqlite3_bind_int64(st, 1, cid);
    bind_text(st, 2, form);
    hnode *v = NULL;
    size_t n = 0, cap = 0;
    bool oom = false;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 256;
            hnode *nv = realloc(v, nc * sizeof *nv);
            if (!nv) { oom = true; break; }
            v = nv;
            cap = nc;
        }
        hnode *h = &v[n++];
        memset(h, 0, sizeof *h);
        h->id = (long)sqlite3_column_int64(st, 0);
        h->prev = sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 : (long)sqlite3_column_int64(st, 1);
        h->filing = (long)sqlite3_column_int64(st, 2);
        h->fy = sqlite3_column_int(st, 3);
        h->status = col_text(st, 4) ? strdup(col_text(st, 4)) : NULL;
        h->heading = strdup(col_text(st, 5) ? col_text(st, 5) : "");
        h->form = strdup(col_text(st, 6) ? col_text(st, 6) : "");
        h->period = strdup(col_text(st, 7) ? col_text(st, 7) : "");
        h->next = -1;
    }
    sqlite3_finalize(st);
    store_history_link(v, n);
    /* latest period per form: is a lineage still present? */
    json_t *lines = json_array();
    json_object_set_new(root, "lineages", lines);
    /* gone: a risk recorded as removed on a later filing */
    sqlite3_stmt *gone = prep(q, "SELECT f.fiscal_year, g.status FROM removed g JOIN filing f ON f.id = g.filing_id"
                                 " WHERE g.risk_id = ?1");
    for (size_t i = 0; !oom && i < n; i++) {
        if (v[i].has_pred) continue;
        long last;
        json_t *l = store_history_lineage(v, i, &last);
        json_t *ended = json_null();
        if (gone) {
            sqlite3_reset(gone);
            sqlite3_bind_int64(gone, 1, v[last].id);
            if (sqlite3_step(gone) == SQLITE_ROW)
                ended = json_pack("{s:o,s:o}", "fiscal_year", col_json(gone, 0), "as", col_json(gone, 1));
        }
        json_object_set_new(l, "ended", ended);
        json_array_append_new(lines, l);
    }
    sqlite3_finalize(gone);
    for (size_t i = 0; i < n; i++) {
        free((char *)v[i].status);
        free((char *)v[i].heading);
        free((char *)v[i].form);
        free((char *)v[i].period);
    }
    free(v);
    if (oom) { json_decref(root); rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    return store_out_json(root, json, err);
}

/* ---------------- stats ---------------- */

static rfx_status rows_json(sq *q, const char *sql, json_t *arr, rfx_error *err) {
    sqlite3_stmt *st = prep(q, sql);
    if (!st) return db_fail(q, err, "computing statistics");
    int nc = sqlite3_column_count(st), rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < nc; i++) json_object_set_new(o, sqlite3_column_name(st, i), col_json(st, i));
        json_array_append_new(arr, o);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return db_fail(q, err, "computing statistics");
    return RFX_OK;
}

#define AVG_METRICS                                                                                \
    " round(avg(r.words), 1) AS avg_words, round(avg(r.fog), 2) AS avg_fog,"                        \
    " round(avg(r.specificity), 4) AS avg_specificity, round(avg(r.boilerplate), 4) AS avg_boilerplate,"\
    " round(avg(r.uncertainty), 3) AS avg_uncertainty, round(avg(r.litigious), 3) AS avg_litigious,"  \
    " round(avg(r.negative), 3) AS avg_negative"

static rfx_status sq_stats(void *impl, const char *by, char **json, rfx_error *err) {
    sq *q = impl;
    const char *sql = NULL;
    if (!strcmp(by, "category"))
        sql = "WITH t AS (SELECT f.fiscal_year AS y, count(*) AS n FROM risk r JOIN filing f ON f.id = r.filing_id"
              " GROUP BY f.fiscal_year)"
              " SELECT f.fiscal_year AS fiscal_year, coalesce(r.category, '(none)') AS category, count(*) AS risks,"
              " round(1.0 * count(*) / t.n, 4) AS share FROM risk r JOIN filing f ON f.id = r.filing_id"
              " JOIN t ON t.y IS f.fiscal_year GROUP BY f.fiscal_year, r.category ORDER BY 1, 3 DESC, 2";
    else if (!strcmp(by, "year"))
        sql = "SELECT f.fiscal_year AS fiscal_year, count(DISTINCT f.id) AS filings, count(r.id) AS risks,"
              " round(1.0 * count(r.id) / count(DISTINCT f.id), 1) AS risks_per_filing," AVG_METRICS
              " FROM filing f LEFT JOIN risk r ON r.filing_id = f.id GROUP BY f.fiscal_year ORDER BY 1";
    else if (!strcmp(by, "company"))
        sql = "SELECT c.name AS company, c.cik AS cik, count(DISTINCT f.id) AS filings, count(r.id) AS risks,"
              " min(f.fiscal_year) AS first_year, max(f.fiscal_year) AS last_year," AVG_METRICS
              " FROM filing f LEFT JOIN company c ON c.id = f.company_id LEFT JOIN risk r ON r.filing_id = f.id"
              " GROUP BY f.company_id ORDER BY c.name IS NULL, c.name";
    else if (!strcmp(by, "form"))
        sql = "SELECT f.form AS form, count(DISTINCT f.id) AS filings, count(r.id) AS risks,"
              " sum(f.section_found) AS sections_found," AVG_METRICS
              " FROM filing f LEFT JOIN risk r ON r.filing_id = f.id GROUP BY f.form ORDER BY 2 DESC, 1";
    else {
        rfx_set_error(err, RFX_EUSAGE, "unknown --by '%s' (category, year, company or form)", by);
        return RFX_EUSAGE;
    }
    json_t *root = json_object(), *rows = json_array();
    json_object_set_new(root, "by", json_string(by));
    json_object_set_new(root, "rows", rows);
    rfx_status s = rows_json(q, sql, rows, err);
    if (s == RFX_OK && !strcmp(by, "category")) {
        json_t *years = json_array();
        json_object_set_new(root, "years", years);
        s = rows_json(q,
                      "SELECT f.fiscal_year AS fiscal_year, count(DISTINCT f.id) AS filings, count(r.id) AS risks,"
                      AVG_METRICS " FROM filing f LEFT JOIN risk r ON r.filing_id = f.id GROUP BY f.fiscal_year ORDER BY 1",
                      years, err);
    }
    if (s != RFX_OK) { json_decref(root); return s; }
    return store_out_json(root, json, err);
}

/* ---------------- export ---------------- */

static rfx_status sq_export(void *impl, const rfx_store_query *qr, const char *format, FILE *out,
                            rfx_error *err) {
    sq *q = impl;
    bool csv = !strcmp(format, "csv");
    if (!csv && strcmp(format, "jsonl")) {
        rfx_set_error(err, RFX_EUSAGE, "unknown export format '%s' (csv or jsonl)", format);
        return RFX_EUSAGE;
    }
    char *match = NULL;
    bool empty = false;
    int ntext = 0;
    rfx_status s = build_match(q, qr, &match, &empty, &ntext, err);
    if (s != RFX_OK) return s;
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT r.id, f.id, f.company, f.cik, f.form, f.period, f.fiscal_year, f.source_path, f.sha256,"
             " r.idx, r.grp, r.heading, r.body, r.start_off, r.end_off, r.category, r.category_score,"
             " (SELECT group_concat(category, ';') FROM (SELECT category FROM risk_category c"
             "   WHERE c.risk_id = r.id AND c.category IS NOT r.category ORDER BY c.rank)),"
             " r.words, r.sentences, r.specificity, r.boilerplate, r.fog, r.uncertainty, r.litigious,"
             " r.negative, r.status, r.prev_id, r.similarity"
             " FROM risk r JOIN filing f ON f.id = r.filing_id %s"
             " ORDER BY f.source_path, f.id, r.idx LIMIT ?2 OFFSET ?3",
             match ? "WHERE r.id IN (SELECT rowid FROM risk_fts WHERE risk_fts MATCH ?1)" : "");
    sqlite3_stmt *st = empty ? NULL : prep(q, sql);
    if (!empty && !st) { free(match); return db_fail(q, err, "export failed"); }
    if (csv) {
        for (int i = 0; i < STORE_NEXPORT; i++) fprintf(out, "%s%s", i ? "," : "", store_export_cols[i]);
        fputs("\r\n", out);
    }
    if (empty) { free(match); return RFX_OK; }
    if (match) bind_text(st, 1, match);
    sqlite3_bind_int64(st, 2, qr->limit > 0 ? qr->limit : -1);
    sqlite3_bind_int64(st, 3, qr->offset > 0 ? qr->offset : 0);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (csv) {
            for (int i = 0; i < STORE_NEXPORT; i++) {
                if (i) fputc(',', out);
                int t = sqlite3_column_type(st, i);
                if (t == SQLITE_FLOAT) fprintf(out, "%.6g", sqlite3_column_double(st, i));
                else if (t != SQLITE_NULL) store_csv_field(out, col_text(st, i));
            }
            fputs("\r\n", out);
        } else {
            json_t *o = json_pack("{s:s}", "schema_version", RFX_SCHEMA_VERSION);
            for (int i = 0; o && i < STORE_NEXPORT; i++) {
                if (!strcmp(store_export_cols[i], "other_categories")) {
                    json_t *a = store_split_list(col_text(st, i));
                    json_object_set_new(o, store_export_cols[i], a);
                } else {
                    json_object_set_new(o, store_export_cols[i], col_json(st, i));
                }
            }
            char *line = store_json_dump(o);
            if (line) { fputs(line, out); fputc('\n', out); }
            free(line);
        }
        if (ferror(out)) break;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) s = db_fail(q, err, "export failed");
    sqlite3_finalize(st);
    free(match);
    if (s == RFX_OK && (fflush(out) != 0 || ferror(out))) {
        rfx_set_error(err, RFX_EINPUT, "export: write failed: %s", strerror(errno));
        s = RFX_EINPUT;
    }
    return s;
}

static rfx_status sq_load_register(void *impl, long id, rfx_register **out, rfx_error *err) {
    return load_reg(impl, id, out, err);
}

static rfx_status sq_check(void *impl, rfx_error *err) {
    sq *q = impl;
    sqlite3_stmt *st = prep(q, "PRAGMA integrity_check");
    if (!st) return db_fail(q, err, "integrity check");
    int rc = sqlite3_step(st);
    rfx_status s = RFX_OK;
    if (rc != SQLITE_ROW) s = db_fail(q, err, "integrity check");
    else if (strcmp(col_text(st, 0) ? col_text(st, 0) : "", "ok")) {
        rfx_set_error(err, RFX_EINPUT, "%s: integrity check: %s", q->path, col_text(st, 0));
        s = RFX_EINPUT;
    }
    sqlite3_finalize(st);
    if (s != RFX_OK) return s;
    st = prep(q, "PRAGMA foreign_key_check");
    if (!st) return db_fail(q, err, "integrity check");
    if (sqlite3_step(st) == SQLITE_ROW) {
        rfx_set_error(err, RFX_EINPUT, "%s: integrity check: a %s row points at a missing row", q->path,
                      col_text(st, 0) ? col_text(st, 0) : "?");
        s = RFX_EINPUT;
    }
    sqlite3_finalize(st);
    return s;
}

const store_ops store_sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .add = sq_add,
    .has_sha256 = sq_has_sha256,
    .add_ticker = sq_add_ticker,
    .search = sq_search,
    .filings = sq_filings,
    .filing = sq_filing,
    .risk = sq_risk,
    .history = sq_history,
    .stats = sq_stats,
    .export_rows = sq_export,
    .load_register = sq_load_register,
    .check = sq_check,
};
