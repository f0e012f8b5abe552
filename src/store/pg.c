/*
 * pg.c — the PostgreSQL backend of the corpus store (libpq), for a corpus
 * shared by a team: many readers and many writers on many machines.
 *
 * The tables are the SQLite store's (filing, company, ticker, risk,
 * risk_category, fact, entity, removed, meta) with PostgreSQL types, plus
 * rfx_schema (the schema version) and, on risk, a stored tsvector `tsv`
 * (heading weight A, body weight B) under a GIN index. rfx computes the
 * tsvector and the tsquery itself (pg_text.c) so that both backends find
 * the same risks; filters are plain WHERE clauses on indexed columns.
 *
 * Many writers (rfx index in several processes at once):
 *  - a filing is stored in one transaction; the same content twice is
 *    prevented by the UNIQUE sha256 and INSERT ... ON CONFLICT DO NOTHING
 *    (a writer that loses the race rolls back and reports "unchanged");
 *  - lineage is computed under a transaction-scoped advisory lock on the
 *    filing's chain (company id + form), so one company's filings are linked
 *    one at a time against what is committed, while other companies index
 *    in parallel; a replaced filing's chain is locked too;
 *  - companies are created in a short transaction of their own under one
 *    advisory lock, so two writers never create the same company twice;
 *  - a deadlock between chain locks (PostgreSQL detects it) or a
 *    serialization failure rolls back and retries the filing.
 * Advisory locks rather than SERIALIZABLE: the lineage step reads whole
 * chains, so serializable transactions would abort often under load and
 * redo the alignment; a lock per chain makes writers on one company wait a
 * moment instead, and never blocks readers.
 *
 * Bulk load: a filing's risks, categories, facts and entities go in with
 * COPY (one round trip per table), ids drawn from the sequences first.
 * Passwords: never printed. The URI is shown with the password masked and
 * libpq's messages are scrubbed of it.
 */
#include "pg_int.h"

#include <errno.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* advisory lock keys (hashtextextended of these names, so they do not
 * collide with numbers other applications pick) */
#define LOCK_SCHEMA "rfx schema"
#define LOCK_COMPANY "rfx company"

#define NCACHE 64
typedef struct pgs {
    PGconn *c;
    bool readonly;
    /* companies resolved by this connection: a company row is never deleted
     * and keeps its id, so the answer for a (cik, name) stays right */
    struct { char *key; long id; } cache[NCACHE];
    unsigned ncache;
    char *disp;    /* the URI, password masked: for messages */
    char *pw;      /* the password, to scrub from libpq's messages */
    /* has_sha256 is called without the store's mutex, from the indexer's
     * parse workers while the writer is in a transaction: it gets its own
     * connection (libpq connections are not shared between threads) */
    char *uri;
    PGconn *rc;
    bool rc_failed;
    pthread_mutex_t rmu;
    pgtext *text;
} pgs;

/* ---------------- messages ---------------- */

/* One line of libpq text, the password replaced, "ERROR:  " dropped. */
static void scrub(const pgs *p, const char *msg, char *out, size_t n) {
    if (!msg) msg = "";
    while (!strncmp(msg, "ERROR:  ", 8) || !strncmp(msg, "FATAL:  ", 8)) msg += 8;
    size_t len = strcspn(msg, "\n");
    /* libpq's "connection to server at ... failed: " adds nothing the URI does not say */
    const char *f = strstr(msg, " failed: ");
    if (f && (size_t)(f - msg) < len && !strncmp(msg, "connection to server", 20)) {
        len -= (size_t)(f + 9 - msg);
        msg = f + 9;
        while (!strncmp(msg, "FATAL:  ", 8)) { msg += 8; len -= 8; }
    }
    size_t o = 0;
    size_t pwl = p && p->pw ? strlen(p->pw) : 0;
    for (size_t i = 0; i < len && o + 4 < n;) {
        if (pwl && i + pwl <= len && !memcmp(msg + i, p->pw, pwl)) {
            memcpy(out + o, "***", 3);
            o += 3;
            i += pwl;
        } else {
            out[o++] = msg[i++];
        }
    }
    out[o] = 0;
}

/* Status for a failed statement: lost connection, resources, permissions
 * and read-only are the user's environment (3); the rest is rfx's (5). */
static rfx_status pg_fail(pgs *p, PGresult *r, rfx_error *err, const char *what) {
    char msg[400];
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *prim = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    scrub(p, prim ? prim : PQerrorMessage(p->c), msg, sizeof msg);
    rfx_status st = RFX_EINTERNAL;
    if (PQstatus(p->c) != CONNECTION_OK || !state) st = RFX_EINPUT;
    else if (!strncmp(state, "08", 2) || !strncmp(state, "53", 2) || !strncmp(state, "57", 2) ||
             !strncmp(state, "42501", 5) || !strncmp(state, "25006", 5) || !strncmp(state, "28", 2) ||
             !strncmp(state, "3D", 2) || !strncmp(state, "54", 2))
        st = RFX_EINPUT;
    rfx_set_error(err, st, "%s: %s: %s", p->disp, what, msg);
    return st;
}

static void no_notices(void *arg, const char *message) { (void)arg; (void)message; }

/* ---------------- statements ---------------- */

/* Parameters as text (NULL = SQL NULL), the way every value here is bound. */
typedef struct params {
    const char *v[24];
    char num[24][32];
    int n;
} params;

static void p_text(params *ps, const char *s) { ps->v[ps->n++] = s; }
static void p_long(params *ps, long long x) {
    snprintf(ps->num[ps->n], sizeof ps->num[0], "%lld", x);
    ps->v[ps->n] = ps->num[ps->n];
    ps->n++;
}
static void p_long_or_null(params *ps, long long x) {
    if (x) p_long(ps, x);
    else p_text(ps, NULL);
}
/* Runs sql; NULL (err set) unless the result is tuples or a command. */
static PGresult *q_run(pgs *p, const char *sql, const params *ps, rfx_error *err, const char *what) {
    PGresult *r = PQexecParams(p->c, sql, ps ? ps->n : 0, NULL, ps ? ps->v : NULL, NULL, NULL, 0);
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        pg_fail(p, r, err, what);
        PQclear(r);
        return NULL;
    }
    return r;
}

/* A fixed statement (or several, for the schema) without parameters. */
static bool q_cmd(pgs *p, const char *sql, rfx_error *err, const char *what) {
    PGresult *r = PQexec(p->c, sql);
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    bool ok = s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK;
    if (!ok) pg_fail(p, r, err, what);
    PQclear(r);
    return ok;
}

static long long v_long(PGresult *r, int row, int col) {
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}
static const char *v_text(PGresult *r, int row, int col) {
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* The SQLSTATE of the last failure, kept by q_run's caller through err is
 * not enough to tell a retryable failure, so adds check it directly. */
static bool retryable(PGresult *r) {
    const char *s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    return s && (!strcmp(s, "40P01") || !strcmp(s, "40001"));
}

/* ---------------- JSON from rows ---------------- */

enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_FLOAT4 = 700,
       OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

static bool is_real_oid(Oid t) { return t == OID_FLOAT4 || t == OID_FLOAT8 || t == OID_NUMERIC; }

/* A column as JSON: the same values the SQLite backend gives (reals rounded
 * to 6 decimals). */
static json_t *col_json(PGresult *r, int row, int col) {
    if (PQgetisnull(r, row, col)) return json_null();
    const char *v = PQgetvalue(r, row, col);
    Oid t = PQftype(r, col);
    if (t == OID_INT8 || t == OID_INT4 || t == OID_INT2) return json_integer(strtoll(v, NULL, 10));
    if (is_real_oid(t)) {
        double d = strtod(v, NULL);
        return isfinite(d) ? json_real(round(d * 1e6) / 1e6) : json_null();
    }
    if (t == OID_BOOL) return json_boolean(v[0] == 't');
    return store_jstr(v);
}

/* ---------------- schema ---------------- */

/* Version 1 (RFX_STORE_SCHEMA_VERSION counts the same versions as SQLite's
 * user_version). Later versions append a step; never edit this one. Text
 * that is sorted or compared uses COLLATE "C": byte order, as in SQLite,
 * whatever the database's locale. */
static const char pg_schema_v1[] =
    "CREATE TABLE rfx_schema(version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(),"
    "  rfx_version text);"
    "CREATE TABLE meta(key text PRIMARY KEY, value text);"
    "CREATE TABLE company(id bigserial PRIMARY KEY, cik text UNIQUE, name text COLLATE \"C\","
    "  name_norm text COLLATE \"C\");"
    "CREATE INDEX company_norm ON company(name_norm);"
    "CREATE TABLE ticker(ticker text PRIMARY KEY, cik text, name text, name_norm text COLLATE \"C\");"
    "CREATE TABLE filing(id bigserial PRIMARY KEY, sha256 text NOT NULL UNIQUE,"
    "  source_path text COLLATE \"C\" NOT NULL, bytes bigint NOT NULL, format text,"
    "  form text COLLATE \"C\", company text COLLATE \"C\", cik text, period text COLLATE \"C\","
    "  fiscal_year integer, currency text, company_id bigint REFERENCES company(id),"
    "  section_found integer NOT NULL, section_how text, nrisks integer NOT NULL,"
    "  nwarnings integer NOT NULL, metrics text, register text NOT NULL, rfx_version text,"
    "  indexed_at text NOT NULL);"
    "CREATE INDEX filing_chain ON filing(company_id, form, period, id);"
    "CREATE INDEX filing_path ON filing(source_path);"
    "CREATE INDEX filing_year ON filing(fiscal_year);"
    "CREATE TABLE risk(id bigserial PRIMARY KEY,"
    "  filing_id bigint NOT NULL REFERENCES filing(id) ON DELETE CASCADE,"
    "  idx integer NOT NULL, grp text, heading text COLLATE \"C\" NOT NULL, body text NOT NULL,"
    "  start_off bigint, end_off bigint, category text COLLATE \"C\", category_score double precision,"
    "  words integer, sentences integer, specificity double precision, boilerplate double precision,"
    "  fog double precision, uncertainty double precision, litigious double precision,"
    "  negative double precision, status text COLLATE \"C\","
    "  prev_id bigint REFERENCES risk(id) ON DELETE SET NULL, similarity double precision,"
    "  tsv tsvector NOT NULL, UNIQUE(filing_id, idx));"
    "CREATE INDEX risk_prev ON risk(prev_id);"
    "CREATE INDEX risk_status ON risk(status);"
    "CREATE INDEX risk_tsv ON risk USING gin(tsv);"
    "CREATE TABLE risk_category(risk_id bigint NOT NULL REFERENCES risk(id) ON DELETE CASCADE,"
    "  category text COLLATE \"C\" NOT NULL, score double precision, rank integer NOT NULL,"
    "  PRIMARY KEY(risk_id, category));"
    "CREATE INDEX risk_category_cat ON risk_category(category);"
    "CREATE TABLE fact(id bigserial PRIMARY KEY,"
    "  risk_id bigint NOT NULL REFERENCES risk(id) ON DELETE CASCADE, kind text, text text,"
    "  start_off bigint, end_off bigint, value double precision, value_high double precision,"
    "  currency text, unit text, period text, date text);"
    "CREATE INDEX fact_risk ON fact(risk_id);"
    "CREATE TABLE entity(id bigserial PRIMARY KEY,"
    "  filing_id bigint NOT NULL REFERENCES filing(id) ON DELETE CASCADE, name text, alias text,"
    "  kind text, start_off bigint, end_off bigint);"
    "CREATE INDEX entity_filing ON entity(filing_id);"
    "CREATE TABLE removed(filing_id bigint NOT NULL REFERENCES filing(id) ON DELETE CASCADE,"
    "  risk_id bigint NOT NULL REFERENCES risk(id) ON DELETE CASCADE, status text NOT NULL,"
    "  into_id bigint REFERENCES risk(id) ON DELETE SET NULL, PRIMARY KEY(filing_id, risk_id));"
    "CREATE INDEX removed_risk ON removed(risk_id);"
    "CREATE INDEX removed_into ON removed(into_id);"
    /* for ts_headline only: snippets mark the words PostgreSQL's parser finds */
    "CREATE TEXT SEARCH DICTIONARY rfx_porter (TEMPLATE = snowball, Language = porter);"
    "CREATE TEXT SEARCH CONFIGURATION rfx (PARSER = default);"
    "ALTER TEXT SEARCH CONFIGURATION rfx ADD MAPPING FOR asciiword, word, numword, asciihword,"
    "  hword, numhword, hword_asciipart, hword_part, hword_numpart, int, uint WITH rfx_porter;";

static const char *const pg_migrations[RFX_STORE_SCHEMA_VERSION + 1] = {NULL, pg_schema_v1};

/* The schema version in the database: 0 when there is no rfx schema. */
static rfx_status schema_version(pgs *p, int *v, rfx_error *err) {
    *v = 0;
    PGresult *r = q_run(p, "SELECT to_regclass('rfx_schema') IS NOT NULL", NULL, err, "reading the schema");
    if (!r) return err->code;
    bool has = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!has) return RFX_OK;
    r = q_run(p, "SELECT coalesce(max(version), 0) FROM rfx_schema", NULL, err, "reading the schema version");
    if (!r) return err->code;
    *v = (int)v_long(r, 0, 0);
    PQclear(r);
    return RFX_OK;
}

/* Brings the schema to this rfx's version in one transaction, under an
 * advisory lock so that two first writers do not both create it. */
static rfx_status migrate(pgs *p, int *from, rfx_error *err) {
    if (!q_cmd(p, "BEGIN", err, "cannot start the schema update")) return err->code;
    params ps = {0};
    p_text(&ps, LOCK_SCHEMA);
    PGresult *r = q_run(p, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", &ps, err,
                        "cannot lock the schema");
    PQclear(r);
    int v = 0;
    if (!r || schema_version(p, &v, err) != RFX_OK) goto fail;
    *from = v;
    if (v > RFX_STORE_SCHEMA_VERSION) {
        rfx_set_error(err, RFX_EINPUT, "%s: database schema v%d is newer than this rfx (v%d): use a newer rfx",
                      p->disp, v, RFX_STORE_SCHEMA_VERSION);
        goto fail;
    }
    for (int k = v + 1; k <= RFX_STORE_SCHEMA_VERSION; k++) {
        if (!q_cmd(p, pg_migrations[k], err, "schema update failed")) goto fail;
        params pv = {0};
        p_long(&pv, k);
        p_text(&pv, "rfx " RFX_VERSION);
        r = q_run(p, "INSERT INTO rfx_schema(version, rfx_version) VALUES($1, $2)", &pv, err, "schema update failed");
        PQclear(r);
        if (!r) goto fail;
    }
    if (v < RFX_STORE_SCHEMA_VERSION) {
        params pm = {0};
        p_text(&pm, "rfx " RFX_VERSION);
        r = q_run(p, "INSERT INTO meta(key, value) VALUES('created_by', $1) ON CONFLICT (key) DO NOTHING", &pm, err,
                  "schema update failed");
        PQclear(r);
        if (!r) goto fail;
    }
    if (!q_cmd(p, "COMMIT", err, "schema update failed")) goto fail;
    return RFX_OK;
fail:
    PQclear(PQexec(p->c, "ROLLBACK"));
    return err->code ? (rfx_status)err->code : RFX_EINTERNAL;
}

/* ---------------- connection ---------------- */

static void pg_close(void *impl) {
    pgs *p = impl;
    if (!p) return;
    if (p->c) PQfinish(p->c);
    if (p->rc) PQfinish(p->rc);
    if (p->uri) {
        memset(p->uri, 0, strlen(p->uri));
        free(p->uri);
        pthread_mutex_destroy(&p->rmu);
    }
    pgtext_free(p->text);
    for (unsigned i = 0; i < NCACHE; i++) free(p->cache[i].key);
    free(p->disp);
    if (p->pw) {
        memset(p->pw, 0, strlen(p->pw));
        free(p->pw);
    }
    free(p);
}

/* The password the URI carries (userinfo or password=), to scrub. */
static char *uri_password(const char *uri) {
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(uri, &msg);
    PQfreemem(msg);
    char *pw = NULL;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (!strcmp(o->keyword, "password") && o->val && *o->val) pw = strdup(o->val);
    PQconninfoFree(opts);
    return pw;
}

static PGconn *connect_uri(const char *uri) {
    /* the URI's own settings win over these defaults, except the encoding */
    const char *const keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding", NULL};
    const char *const vals[] = {"10", "rfx", uri, "UTF8", NULL};
    return PQconnectdbParams(keys, vals, 1);
}

/* Connects; a refused connection or failed authentication is one line
 * without the password, RFX_EINPUT. */
static rfx_status pg_connect(const char *uri, pgs **out, rfx_error *err) {
    *out = NULL;
    pgs *p = calloc(1, sizeof *p);
    if (!p || !(p->disp = pg_uri_masked(uri)) || !(p->text = pgtext_new())) {
        pg_close(p);
        rfx_set_error(err, RFX_ENOMEM, "out of memory");
        return RFX_ENOMEM;
    }
    p->pw = uri_password(uri);
    if (!p->pw && getenv("PGPASSWORD") && *getenv("PGPASSWORD")) p->pw = strdup(getenv("PGPASSWORD"));
    char *perr = NULL;
    PQconninfoOption *check = PQconninfoParse(uri, &perr);
    if (!check) {
        char m[300];
        scrub(p, perr ? perr : "malformed", m, sizeof m);
        PQfreemem(perr);
        rfx_set_error(err, RFX_EUSAGE, "%s: not a valid PostgreSQL connection string: %s", p->disp, m);
        pg_close(p);
        return RFX_EUSAGE;
    }
    PQconninfoFree(check);
    p->c = connect_uri(uri);
    if (!p->c || PQstatus(p->c) != CONNECTION_OK) {
        char m[400];
        scrub(p, p->c ? PQerrorMessage(p->c) : "out of memory", m, sizeof m);
        rfx_set_error(err, RFX_EINPUT, "%s: cannot connect: %s", p->disp, m);
        pg_close(p);
        return RFX_EINPUT;
    }
    PQsetNoticeProcessor(p->c, no_notices, NULL);
    if (!(p->uri = strdup(uri))) {
        pg_close(p);
        rfx_set_error(err, RFX_ENOMEM, "out of memory");
        return RFX_ENOMEM;
    }
    pthread_mutex_init(&p->rmu, NULL);
    *out = p;
    return RFX_OK;
}

rfx_status store_pg_open(const char *uri, unsigned flags, void **impl, rfx_error *err) {
    *impl = NULL;
    pgs *p = NULL;
    rfx_status s = pg_connect(uri, &p, err);
    if (s != RFX_OK) return s;
    p->readonly = flags & RFX_STORE_READONLY;
    int v = 0;
    if ((s = schema_version(p, &v, err)) != RFX_OK) { pg_close(p); return s; }
    if (v > RFX_STORE_SCHEMA_VERSION) {
        rfx_set_error(err, RFX_EINPUT, "%s: database schema v%d is newer than this rfx (v%d): use a newer rfx",
                      p->disp, v, RFX_STORE_SCHEMA_VERSION);
        pg_close(p);
        return RFX_EINPUT;
    }
    if (v < RFX_STORE_SCHEMA_VERSION) {
        if (p->readonly || (!(flags & RFX_STORE_CREATE) && v == 0)) {
            rfx_set_error(err, RFX_EINPUT,
                          v == 0 ? "%s: no rfx corpus in this database (rfx db init or rfx index creates it)"
                                 : "%s: database schema is older than this rfx; run rfx db migrate on it",
                          p->disp);
            pg_close(p);
            return RFX_EINPUT;
        }
        int from = 0;
        if ((s = migrate(p, &from, err)) != RFX_OK) { pg_close(p); return s; }
    }
    if (p->readonly && !q_cmd(p, "SET default_transaction_read_only = on", err, "cannot open read-only")) {
        s = err->code;
        pg_close(p);
        return s;
    }
    *impl = p;
    return RFX_OK;
}

rfx_status store_pg_migrate(const char *uri, bool create, int *from, int *to, rfx_error *err) {
    *from = *to = 0;
    pgs *p = NULL;
    rfx_status s = pg_connect(uri, &p, err);
    if (s != RFX_OK) return s;
    int v = 0;
    if ((s = schema_version(p, &v, err)) != RFX_OK) { pg_close(p); return s; }
    *from = *to = v;
    if (v == 0 && !create) {
        rfx_set_error(err, RFX_EINPUT, "%s: no rfx corpus in this database (rfx db init creates it)", p->disp);
        pg_close(p);
        return RFX_EINPUT;
    }
    if (v != RFX_STORE_SCHEMA_VERSION) {
        s = migrate(p, from, err);
        if (s == RFX_OK) *to = RFX_STORE_SCHEMA_VERSION;
    }
    pg_close(p);
    return s;
}

/* ---------------- companies ---------------- */

/* The company a filing belongs to, as in the SQLite backend: by CIK, else
 * by normalised name; a company first seen without a CIK adopts the first
 * one seen with its name. Its own transaction under one advisory lock, so
 * concurrent writers agree on companies; 0 = no company. */
static rfx_status company_for(pgs *p, const char *name, const char *cik_raw, long *out, rfx_error *err) {
    *out = 0;
    char cik[24];
    store_cik_norm(cik_raw, cik);
    char *norm = store_name_norm(name);
    if (!norm) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    if (!cik[0] && !norm[0]) { free(norm); return RFX_OK; } /* nobody: no lineage */
    size_t kl = strlen(cik) + strlen(norm) + 2;
    char *key = malloc(kl);
    if (!key) { free(norm); rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    snprintf(key, kl, "%s\x1f%s", cik, norm);
    for (unsigned i = 0; i < NCACHE; i++)
        if (p->cache[i].key && !strcmp(p->cache[i].key, key)) {
            *out = p->cache[i].id;
            free(key);
            free(norm);
            return RFX_OK;
        }
    long id = 0;
    PGresult *r = NULL;
    params ps = {0};
    if (!q_cmd(p, "BEGIN", err, "storing the company")) goto fail;
    p_text(&ps, LOCK_COMPANY);
    if (!(r = q_run(p, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", &ps, err, "storing the company")))
        goto fail;
    PQclear(r);
    if (cik[0]) {
        ps.n = 0;
        p_text(&ps, cik);
        if (!(r = q_run(p, "SELECT id FROM company WHERE cik = $1", &ps, err, "storing the company"))) goto fail;
        if (PQntuples(r)) id = (long)v_long(r, 0, 0);
        PQclear(r);
    }
    if (!id && norm[0]) {
        ps.n = 0;
        p_text(&ps, norm);
        if (!(r = q_run(p, "SELECT id, cik FROM company WHERE name_norm = $1 ORDER BY cik IS NOT NULL, id", &ps, err,
                        "storing the company")))
            goto fail;
        for (int i = 0; i < PQntuples(r); i++) {
            const char *c = v_text(r, i, 1);
            if (!cik[0] || !c) { id = (long)v_long(r, i, 0); break; }
        }
        PQclear(r);
        if (id && cik[0]) {
            ps.n = 0;
            p_text(&ps, cik);
            p_long(&ps, id);
            if (!(r = q_run(p, "UPDATE company SET cik = $1 WHERE id = $2 AND cik IS NULL", &ps, err,
                            "storing the company")))
                goto fail;
            PQclear(r);
        }
    }
    if (!id) {
        ps.n = 0;
        p_text(&ps, cik[0] ? cik : NULL);
        p_text(&ps, name);
        p_text(&ps, norm[0] ? norm : NULL);
        if (!(r = q_run(p, "INSERT INTO company(cik, name, name_norm) VALUES($1, $2, $3) RETURNING id", &ps, err,
                        "storing the company")))
            goto fail;
        id = (long)v_long(r, 0, 0);
        PQclear(r);
    }
    if (!q_cmd(p, "COMMIT", err, "storing the company")) goto fail;
    free(norm);
    unsigned slot = p->ncache++ % NCACHE;
    free(p->cache[slot].key);
    p->cache[slot].key = key;
    p->cache[slot].id = id;
    *out = id;
    return RFX_OK;
fail:
    PQclear(PQexec(p->c, "ROLLBACK"));
    free(key);
    free(norm);
    return err->code ? (rfx_status)err->code : RFX_EINTERNAL;
}

/* ---------------- lineage ---------------- */

/* Risk ids of a filing by position (0-based index → id). */
static long *risk_ids(pgs *p, long filing_id, size_t *n, rfx_error *err) {
    *n = 0;
    params ps = {0};
    p_long(&ps, filing_id);
    PGresult *r = q_run(p, "SELECT idx, id FROM risk WHERE filing_id = $1 ORDER BY idx", &ps, err, "reading risks");
    if (!r) return NULL;
    long maxidx = 0;
    for (int i = 0; i < PQntuples(r); i++) {
        long idx = (long)v_long(r, i, 0);
        if (idx >= 1 && idx <= 100000 && idx > maxidx) maxidx = idx;
    }
    long *v = calloc((size_t)maxidx + 1, sizeof *v);
    if (!v) { PQclear(r); rfx_set_error(err, RFX_ENOMEM, "out of memory"); return NULL; }
    for (int i = 0; i < PQntuples(r); i++) {
        long idx = (long)v_long(r, i, 0);
        if (idx >= 1 && idx <= maxidx) v[idx - 1] = (long)v_long(r, i, 1);
    }
    *n = (size_t)maxidx;
    PQclear(r);
    return v;
}

static rfx_status load_reg(pgs *p, long id, rfx_register **out, rfx_error *err) {
    *out = NULL;
    params ps = {0};
    p_long(&ps, id);
    PGresult *r = q_run(p, "SELECT register FROM filing WHERE id = $1", &ps, err, "reading a register");
    if (!r) return err->code;
    if (!PQntuples(r)) {
        PQclear(r);
        rfx_set_error(err, RFX_ENOTFOUND, "no filing with id %ld", id);
        return RFX_ENOTFOUND;
    }
    rfx_status s = rfx_register_from_json(PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0), out, err);
    PQclear(r);
    return s;
}

/* The filing before (dir < 0) or after (dir > 0) in a chain; 0 none, -1 error. */
static long neighbour(pgs *p, long company_id, const char *form, const char *period, long fid, int dir,
                      rfx_error *err) {
    if (!company_id || !period) return 0;
    const char *sql = dir < 0
        ? "SELECT id FROM filing WHERE company_id = $1 AND form IS NOT DISTINCT FROM $2 AND period IS NOT NULL AND"
          " (period < $3 OR (period = $3 AND id < $4)) ORDER BY period DESC, id DESC LIMIT 1"
        : "SELECT id FROM filing WHERE company_id = $1 AND form IS NOT DISTINCT FROM $2 AND period IS NOT NULL AND"
          " (period > $3 OR (period = $3 AND id > $4)) ORDER BY period, id LIMIT 1";
    params ps = {0};
    p_long(&ps, company_id);
    p_text(&ps, form);
    p_text(&ps, period);
    p_long(&ps, fid);
    PGresult *r = q_run(p, sql, &ps, err, "reading the lineage chain");
    if (!r) return -1;
    long id = PQntuples(r) ? (long)v_long(r, 0, 0) : 0;
    PQclear(r);
    return id;
}

typedef struct chainpos {
    long company_id;
    char *form, *period;
} chainpos;

static bool chain_of(pgs *p, long fid, chainpos *c, rfx_error *err) {
    memset(c, 0, sizeof *c);
    params ps = {0};
    p_long(&ps, fid);
    PGresult *r = q_run(p, "SELECT company_id, form, period FROM filing WHERE id = $1", &ps, err,
                        "reading the lineage chain");
    if (!r) return false;
    bool ok = PQntuples(r) == 1;
    if (ok) {
        c->company_id = (long)v_long(r, 0, 0);
        c->form = v_text(r, 0, 1) ? strdup(v_text(r, 0, 1)) : NULL;
        c->period = v_text(r, 0, 2) ? strdup(v_text(r, 0, 2)) : NULL;
    } else {
        rfx_set_error(err, RFX_EINTERNAL, "%s: filing %ld vanished", p->disp, fid);
    }
    PQclear(r);
    return ok;
}

static void chain_free(chainpos *c) {
    free(c->form);
    free(c->period);
}

/* Serialises lineage work on one chain (company + form) until commit. */
static bool lock_chain(pgs *p, long company_id, const char *form, rfx_error *err, PGresult **failed) {
    if (!company_id) return true;
    char key[96];
    snprintf(key, sizeof key, "rfx chain %ld ", company_id);
    params ps = {0};
    p_text(&ps, key);
    p_text(&ps, form ? form : "");
    PGresult *r = PQexecParams(p->c, "SELECT pg_advisory_xact_lock(hashtextextended($1 || $2, 0))", ps.n, NULL,
                               ps.v, NULL, NULL, 0);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_fail(p, r, err, "cannot lock the lineage chain");
        *failed = r;
        return false;
    }
    PQclear(r);
    return true;
}

/* A text[] / bigint[] / float8[] array literal, built up element by element. */
static void arr_begin(rfx_buf *b) { rfx_buf_clear(b); rfx_buf_putc(b, '{', 0); }
static void arr_sep(rfx_buf *b) { if (b->len > 1) rfx_buf_putc(b, ',', 0); }
static void arr_long(rfx_buf *b, long v, bool null) {
    arr_sep(b);
    if (null) rfx_buf_puts(b, "NULL");
    else rfx_buf_printf(b, "%ld", v);
}
static void arr_real(rfx_buf *b, double v, bool valid) {
    arr_sep(b);
    if (valid && isfinite(v)) rfx_buf_printf(b, "%.17g", v);
    else rfx_buf_puts(b, "NULL");
}
static void arr_text(rfx_buf *b, const char *s) {
    arr_sep(b);
    if (!s) { rfx_buf_puts(b, "NULL"); return; }
    rfx_buf_putc(b, '"', 0);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') rfx_buf_putc(b, '\\', 0);
        rfx_buf_putc(b, *s, 0);
    }
    rfx_buf_putc(b, '"', 0);
}
static const char *arr_end(rfx_buf *b) {
    rfx_buf_putc(b, '}', 0);
    rfx_buf_putc(b, 0, 0);
    b->len--;
    return b->data;
}

/* Records the risks of older that disappeared into filing fid. */
static rfx_status store_gone(pgs *p, long fid, const lin_result *lr, const long *old_ids, size_t nold,
                             const long *new_ids, size_t nnew, rfx_error *err) {
    if (!lr->ngone) return RFX_OK;
    rfx_buf a1, a2, a3;
    rfx_buf_init(&a1, false);
    rfx_buf_init(&a2, false);
    rfx_buf_init(&a3, false);
    arr_begin(&a1);
    arr_begin(&a2);
    arr_begin(&a3);
    size_t k = 0;
    for (size_t i = 0; i < lr->ngone; i++) {
        long o = lr->gone[i].old;
        if (o < 0 || (size_t)o >= nold || !old_ids[o]) continue;
        long into = lr->gone[i].into;
        bool has_into = into >= 0 && (size_t)into < nnew && new_ids[into];
        arr_long(&a1, old_ids[o], false);
        arr_text(&a2, lr->gone[i].status);
        arr_long(&a3, has_into ? new_ids[into] : 0, !has_into);
        k++;
    }
    rfx_status s = RFX_OK;
    if (k) {
        params ps = {0};
        p_long(&ps, fid);
        p_text(&ps, arr_end(&a1));
        p_text(&ps, arr_end(&a2));
        p_text(&ps, arr_end(&a3));
        if (a1.oom || a2.oom || a3.oom) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); s = RFX_ENOMEM; }
        else {
            PGresult *r = q_run(p,
                "INSERT INTO removed(filing_id, risk_id, status, into_id)"
                " SELECT $1, u.r, u.s, u.i FROM unnest($2::bigint[], $3::text[], $4::bigint[]) AS u(r, s, i)"
                " ON CONFLICT (filing_id, risk_id) DO UPDATE SET status = excluded.status, into_id = excluded.into_id",
                &ps, err, "storing lineage");
            if (!r) s = err->code;
            PQclear(r);
        }
    }
    rfx_buf_free(&a1);
    rfx_buf_free(&a2);
    rfx_buf_free(&a3);
    return s;
}

/* Recomputes the links of filing fid against its current predecessor (the
 * chain is locked by the caller). */
static rfx_status relink(pgs *p, long fid, rfx_error *err) {
    chainpos c;
    if (!chain_of(p, fid, &c, err)) return err->code;
    long prev = neighbour(p, c.company_id, c.form, c.period, fid, -1, err);
    chain_free(&c);
    if (prev < 0) return err->code;
    params ps = {0};
    p_long(&ps, fid);
    PGresult *r = q_run(p, "DELETE FROM removed WHERE filing_id = $1", &ps, err, "updating lineage");
    if (!r) return err->code;
    PQclear(r);
    rfx_register *older = NULL, *newer = NULL;
    lin_result lr = {0};
    rfx_status s = RFX_OK;
    size_t nnew = 0, nold = 0;
    long *old_ids = NULL;
    long *new_ids = risk_ids(p, fid, &nnew, err);
    rfx_buf a1, a2, a3, a4;
    rfx_buf_init(&a1, false);
    rfx_buf_init(&a2, false);
    rfx_buf_init(&a3, false);
    rfx_buf_init(&a4, false);
    if (!new_ids) { s = err->code; goto out; }
    if (prev > 0) {
        if ((s = load_reg(p, prev, &older, err)) != RFX_OK) goto out;
        if ((s = load_reg(p, fid, &newer, err)) != RFX_OK) goto out;
        if ((s = store_lineage(older, newer, &lr, err)) != RFX_OK) goto out;
        if (!(old_ids = risk_ids(p, prev, &nold, err))) { s = err->code; goto out; }
    }
    arr_begin(&a1);
    arr_begin(&a2);
    arr_begin(&a3);
    arr_begin(&a4);
    size_t k = 0;
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
        arr_long(&a1, new_ids[j], false);
        arr_text(&a2, status);
        arr_long(&a3, prev_id, !prev_id);
        arr_real(&a4, sim, status && strcmp(status, "added") != 0);
        k++;
    }
    if (k) {
        ps.n = 0;
        p_text(&ps, arr_end(&a1));
        p_text(&ps, arr_end(&a2));
        p_text(&ps, arr_end(&a3));
        p_text(&ps, arr_end(&a4));
        if (a1.oom || a2.oom || a3.oom || a4.oom) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); s = RFX_ENOMEM; goto out; }
        r = q_run(p,
                  "UPDATE risk r SET status = u.s, prev_id = u.p, similarity = u.m"
                  " FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::float8[]) AS u(i, s, p, m)"
                  " WHERE r.id = u.i",
                  &ps, err, "updating lineage");
        if (!r) { s = err->code; goto out; }
        PQclear(r);
    }
    if (prev > 0) s = store_gone(p, fid, &lr, old_ids, nold, new_ids, nnew, err);
out:
    rfx_buf_free(&a1);
    rfx_buf_free(&a2);
    rfx_buf_free(&a3);
    rfx_buf_free(&a4);
    free(new_ids);
    free(old_ids);
    store_lineage_free(&lr);
    rfx_register_free(older);
    rfx_register_free(newer);
    return s;
}

/* ---------------- COPY ---------------- */

typedef struct copier {
    rfx_buf b;
} copier;

static void cp_sep(copier *c) { if (c->b.len && c->b.data[c->b.len - 1] != '\n') rfx_buf_putc(&c->b, '\t', 0); }
static void cp_null(copier *c) { cp_sep(c); rfx_buf_puts(&c->b, "\\N"); }
static void cp_text(copier *c, const char *s) {
    cp_sep(c);
    if (!s) { rfx_buf_puts(&c->b, "\\N"); return; }
    for (; *s; s++) {
        switch (*s) {
        case '\\': rfx_buf_puts(&c->b, "\\\\"); break;
        case '\t': rfx_buf_puts(&c->b, "\\t"); break;
        case '\n': rfx_buf_puts(&c->b, "\\n"); break;
        case '\r': rfx_buf_puts(&c->b, "\\r"); break;
        default: rfx_buf_putc(&c->b, *s, 0);
        }
    }
}
static void cp_long(copier *c, long long v) { cp_sep(c); rfx_buf_printf(&c->b, "%lld", v); }
static void cp_real(copier *c, double v, bool valid) {
    if (valid && isfinite(v)) { cp_sep(c); rfx_buf_printf(&c->b, "%.17g", v); }
    else cp_null(c);
}
static void cp_end_row(copier *c) { rfx_buf_putc(&c->b, '\n', 0); }

/* Sends the rows gathered in c with "COPY sql FROM STDIN". */
static rfx_status cp_send(pgs *p, copier *c, const char *sql, rfx_error *err, PGresult **failed) {
    if (c->b.oom) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    if (!c->b.len) return RFX_OK;
    PGresult *r = PQexec(p->c, sql);
    if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
        rfx_status s = pg_fail(p, r, err, "bulk load failed");
        *failed = r;
        return s;
    }
    PQclear(r);
    bool ok = true;
    for (size_t off = 0; ok && off < c->b.len; off += 1 << 20) {
        size_t n = c->b.len - off < (1u << 20) ? c->b.len - off : 1u << 20;
        ok = PQputCopyData(p->c, c->b.data + off, (int)n) == 1;
    }
    PQputCopyEnd(p->c, ok ? NULL : "rfx: sending failed");
    rfx_status s = RFX_OK;
    while ((r = PQgetResult(p->c))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && s == RFX_OK) {
            s = pg_fail(p, r, err, "bulk load failed");
            if (!*failed) { *failed = r; continue; }
        }
        PQclear(r);
    }
    rfx_buf_clear(&c->b);
    return s;
}

static void now_iso(char buf[32]) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Inserts the risks (with categories and facts) of reg as filing fid. */
/* Inserts the risks; *out_ids (malloc'd, one per risk, may be NULL when
 * there are none) receives their ids. */
static rfx_status insert_risks(pgs *p, long fid, const rfx_register *reg, const lin_result *lr,
                               const long *old_ids, size_t nold, long **out_ids, rfx_error *err,
                               PGresult **failed) {
    *out_ids = NULL;
    if (!reg->nrisks) return RFX_OK;
    params ps = {0};
    p_long(&ps, (long long)reg->nrisks);
    PGresult *r = q_run(p, "SELECT nextval('risk_id_seq') FROM generate_series(1, $1)", &ps, err, "storing risks");
    if (!r) return err->code;
    long *ids = calloc(reg->nrisks, sizeof *ids);
    if (!ids) { PQclear(r); rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    for (size_t i = 0; i < reg->nrisks && (int)i < PQntuples(r); i++) ids[i] = (long)v_long(r, (int)i, 0);
    PQclear(r);
    copier cr, cc, cf;
    rfx_buf_init(&cr.b, false);
    rfx_buf_init(&cc.b, false);
    rfx_buf_init(&cf.b, false);
    rfx_status s = RFX_OK;
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
        const rfx_metrics *m = &k->metrics;
        char *tsv = pgtext_tsvector(p->text, k->heading.s, k->body.s);
        if (!tsv) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); s = RFX_ENOMEM; goto out; }
        cp_long(&cr, ids[i]);
        cp_long(&cr, fid);
        cp_long(&cr, (long long)(i + 1));
        cp_text(&cr, k->group);
        cp_text(&cr, k->heading.s ? k->heading.s : "");
        cp_text(&cr, k->body.s ? k->body.s : "");
        cp_long(&cr, (long long)k->start);
        cp_long(&cr, (long long)k->end);
        cp_text(&cr, primary ? primary->id : NULL);
        cp_real(&cr, primary ? primary->score : 0, primary != NULL);
        if (m->valid) {
            cp_long(&cr, (long long)m->words);
            cp_long(&cr, (long long)m->sentences);
        } else {
            cp_null(&cr);
            cp_null(&cr);
        }
        cp_real(&cr, m->specificity, m->valid);
        cp_real(&cr, m->boilerplate, m->valid);
        cp_real(&cr, m->fog, m->valid);
        cp_real(&cr, m->uncertainty, m->valid);
        cp_real(&cr, m->litigious, m->valid);
        cp_real(&cr, m->negative, m->valid);
        cp_text(&cr, status);
        if (prev_id) cp_long(&cr, prev_id);
        else cp_null(&cr);
        cp_real(&cr, sim, status && strcmp(status, "added") != 0);
        cp_text(&cr, tsv);
        cp_end_row(&cr);
        free(tsv);
        for (size_t c = 0; c < k->ncats; c++) {
            bool dup = false; /* one row per category, as INSERT OR IGNORE keeps */
            for (size_t d = 0; d < c && !dup; d++) dup = k->cats[d].id && k->cats[c].id && !strcmp(k->cats[d].id, k->cats[c].id);
            if (dup || !k->cats[c].id) continue;
            cp_long(&cc, ids[i]);
            cp_text(&cc, k->cats[c].id);
            cp_real(&cc, k->cats[c].score, true);
            cp_long(&cc, (long long)(c + 1));
            cp_end_row(&cc);
        }
        for (size_t f = 0; f < k->nfacts; f++) {
            const rfx_fact *x = &k->facts[f];
            cp_long(&cf, ids[i]);
            cp_text(&cf, rfx_fact_kind_name(x->kind));
            cp_text(&cf, x->text);
            cp_long(&cf, (long long)x->start);
            cp_long(&cf, (long long)x->end);
            cp_real(&cf, x->value, x->has_value);
            cp_real(&cf, x->value_high, x->has_high);
            cp_text(&cf, x->currency[0] ? x->currency : NULL);
            cp_text(&cf, x->unit);
            cp_text(&cf, x->period);
            cp_text(&cf, x->date);
            cp_end_row(&cf);
        }
    }
    if ((s = cp_send(p, &cr, "COPY risk(id, filing_id, idx, grp, heading, body, start_off, end_off, category,"
                             " category_score, words, sentences, specificity, boilerplate, fog, uncertainty,"
                             " litigious, negative, status, prev_id, similarity, tsv) FROM STDIN",
                     err, failed)) != RFX_OK)
        goto out;
    if ((s = cp_send(p, &cc, "COPY risk_category(risk_id, category, score, rank) FROM STDIN", err, failed)) != RFX_OK)
        goto out;
    s = cp_send(p, &cf, "COPY fact(risk_id, kind, text, start_off, end_off, value, value_high, currency, unit,"
                        " period, date) FROM STDIN", err, failed);
out:
    rfx_buf_free(&cr.b);
    rfx_buf_free(&cc.b);
    rfx_buf_free(&cf.b);
    if (s == RFX_OK) *out_ids = ids;
    else free(ids);
    return s;
}

/* ---------------- adding a filing ---------------- */

/* Runs a statement inside the add transaction, keeping a failed result for
 * the retry decision. */
static PGresult *tx_run(pgs *p, const char *sql, const params *ps, rfx_error *err, const char *what,
                        PGresult **failed) {
    PGresult *r = PQexecParams(p->c, sql, ps ? ps->n : 0, NULL, ps ? ps->v : NULL, NULL, NULL, 0);
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        pg_fail(p, r, err, what);
        *failed = r;
        return NULL;
    }
    return r;
}

static rfx_status add_in_tx(pgs *p, const rfx_register *reg, const char *path, long company_id,
                            rfx_store_outcome *outcome, rfx_error *err, PGresult **failed) {
    *outcome = RFX_STORE_ADDED;
    rfx_status s = RFX_OK;
    const rfx_filing *f = &reg->filing;
    char form[32];
    store_upper_form(f->form, form, sizeof form);
    const char *formv = form[0] ? form : NULL;
    long succ_old[16];
    size_t nsucc_old = 0;
    char *regjson = NULL, *mjson = NULL;
    lin_result lr = {0};
    rfx_register *older = NULL;
    long *old_ids = NULL, *new_ids = NULL;
    size_t nold = 0, nnew = 0;
    PGresult *r = NULL;
    params ps = {0};

    /* 1. the chain this filing joins: one writer at a time */
    if (!lock_chain(p, company_id, formv, err, failed)) return err->code;

    /* 2. the same path with other content: the old filing goes (its chain
     * locked too); whoever followed it is relinked at the end */
    p_text(&ps, path);
    p_text(&ps, reg->sha256);
    if (!(r = tx_run(p, "SELECT id FROM filing WHERE source_path = $1 AND sha256 <> $2 ORDER BY id FOR UPDATE",
                     &ps, err, "looking up the filing", failed)))
        return err->code;
    long olds[16];
    size_t nolds = 0;
    for (int i = 0; i < PQntuples(r) && nolds < 16; i++) olds[nolds++] = (long)v_long(r, i, 0);
    PQclear(r);
    r = NULL;
    for (size_t i = 0; i < nolds; i++) {
        *outcome = RFX_STORE_REPLACED;
        chainpos c;
        if (!chain_of(p, olds[i], &c, err)) { s = err->code; goto out; }
        if ((c.company_id != company_id || (c.form ? !formv || strcmp(c.form, formv) : formv != NULL)) &&
            !lock_chain(p, c.company_id, c.form, err, failed)) {
            chain_free(&c);
            s = err->code;
            goto out;
        }
        long nx = neighbour(p, c.company_id, c.form, c.period, olds[i], +1, err);
        chain_free(&c);
        if (nx < 0) { s = err->code; goto out; }
        if (nx && nsucc_old < 16) succ_old[nsucc_old++] = nx;
        ps.n = 0;
        p_long(&ps, olds[i]);
        if (!(r = tx_run(p, "DELETE FROM filing WHERE id = $1", &ps, err, "replacing the filing", failed))) {
            s = err->code;
            goto out;
        }
        PQclear(r);
        r = NULL;
    }

    /* 3. the filing row; a concurrent writer that stored the same content
     * first wins, and this one reports it unchanged */
    regjson = rfx_register_json(reg, 0);
    mjson = store_metrics_json(&reg->metrics);
    if (!regjson) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); s = RFX_ENOMEM; goto out; }
    char cik[24], when[32];
    store_cik_norm(f->cik, cik);
    now_iso(when);
    int fy = store_fiscal_year(f->period);
    ps.n = 0;
    p_text(&ps, reg->sha256);
    p_text(&ps, path ? path : "");
    p_long(&ps, (long long)reg->srclen);
    p_text(&ps, store_fmt_name(reg->format));
    p_text(&ps, formv);
    p_text(&ps, f->company);
    p_text(&ps, cik[0] ? cik : NULL);
    p_text(&ps, f->period);
    p_long_or_null(&ps, fy);
    p_text(&ps, f->currency);
    p_long_or_null(&ps, company_id);
    p_long(&ps, reg->section.found ? 1 : 0);
    p_text(&ps, reg->section.how);
    p_long(&ps, (long long)reg->nrisks);
    p_long(&ps, (long long)reg->nwarnings);
    p_text(&ps, mjson);
    p_text(&ps, regjson);
    p_text(&ps, RFX_VERSION);
    p_text(&ps, when);
    if (!(r = tx_run(p,
                     "INSERT INTO filing(sha256, source_path, bytes, format, form, company, cik, period,"
                     " fiscal_year, currency, company_id, section_found, section_how, nrisks, nwarnings, metrics,"
                     " register, rfx_version, indexed_at)"
                     " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)"
                     " ON CONFLICT (sha256) DO NOTHING RETURNING id",
                     &ps, err, "storing the filing", failed))) {
        s = err->code;
        goto out;
    }
    if (!PQntuples(r)) {
        PQclear(r);
        r = NULL;
        *outcome = RFX_STORE_UNCHANGED;
        s = RFX_OK;
        goto out; /* the caller rolls back: nothing of this attempt stays */
    }
    long fid = (long)v_long(r, 0, 0);
    PQclear(r);
    r = NULL;

    /* 4. lineage against the predecessor, then the risks with their links */
    long prev = neighbour(p, company_id, formv, f->period, fid, -1, err);
    if (prev < 0) { s = err->code; goto out; }
    if (prev > 0) {
        if ((s = load_reg(p, prev, &older, err)) != RFX_OK) goto out;
        if ((s = store_lineage(older, reg, &lr, err)) != RFX_OK) goto out;
        if (!(old_ids = risk_ids(p, prev, &nold, err))) { s = err->code; goto out; }
    }
    if ((s = insert_risks(p, fid, reg, prev > 0 ? &lr : NULL, old_ids, nold, &new_ids, err, failed)) != RFX_OK)
        goto out;
    nnew = new_ids ? reg->nrisks : 0;
    if (prev > 0 && (s = store_gone(p, fid, &lr, old_ids, nold, new_ids, nnew, err)) != RFX_OK) goto out;

    /* 5. entities */
    if (reg->nentities) {
        copier ce;
        rfx_buf_init(&ce.b, false);
        for (size_t i = 0; i < reg->nentities; i++) {
            const rfx_entity *e = &reg->entities[i];
            cp_long(&ce, fid);
            cp_text(&ce, e->name);
            cp_text(&ce, e->alias);
            cp_text(&ce, rfx_entity_kind_name(e->kind));
            cp_long(&ce, (long long)e->start);
            cp_long(&ce, (long long)e->end);
            cp_end_row(&ce);
        }
        s = cp_send(p, &ce, "COPY entity(filing_id, name, alias, kind, start_off, end_off) FROM STDIN", err, failed);
        rfx_buf_free(&ce.b);
        if (s != RFX_OK) goto out;
    }

    /* 6. whoever follows the new filing now follows it; whoever followed a
     * replaced one follows someone else */
    long next = neighbour(p, company_id, formv, f->period, fid, +1, err);
    if (next < 0) { s = err->code; goto out; }
    if (next > 0 && (s = relink(p, next, err)) != RFX_OK) goto out;
    for (size_t i = 0; i < nsucc_old; i++) {
        if (succ_old[i] == next) continue;
        if ((s = relink(p, succ_old[i], err)) != RFX_OK) goto out;
    }
out:
    free(regjson);
    free(mjson);
    store_lineage_free(&lr);
    rfx_register_free(older);
    free(old_ids);
    free(new_ids);
    return s;
}

static rfx_status pg_add(void *impl, const rfx_register *reg, const char *path, rfx_store_outcome *outcome,
                         rfx_error *err) {
    pgs *p = impl;
    if (p->readonly) {
        rfx_set_error(err, RFX_EUSAGE, "%s: opened read-only", p->disp);
        return RFX_EUSAGE;
    }
    if (strlen(reg->sha256) != 64) {
        rfx_set_error(err, RFX_EINPUT, "%s: register has no sha256 of its source", path ? path : "?");
        return RFX_EINPUT;
    }
    /* no look-up of the sha256 first: the indexer asked has_sha256 before
     * parsing, and ON CONFLICT settles a race; one round trip less */
    PGresult *r = NULL;
    long company_id = 0;
    rfx_status s = company_for(p, reg->filing.company, reg->filing.cik, &company_id, err);
    if (s != RFX_OK) return s;
    for (int attempt = 0;; attempt++) {
        PGresult *failed = NULL;
        if (!q_cmd(p, "BEGIN", err, "cannot start a transaction")) return err->code;
        s = add_in_tx(p, reg, path, company_id, outcome, err, &failed);
        if (s == RFX_OK && *outcome != RFX_STORE_UNCHANGED) {
            r = PQexec(p->c, "COMMIT");
            if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
                s = pg_fail(p, r, err, "commit failed");
                failed = r;
                r = NULL;
            }
            PQclear(r);
        } else {
            PQclear(PQexec(p->c, "ROLLBACK"));
        }
        bool again = s != RFX_OK && retryable(failed) && attempt < 8;
        PQclear(failed);
        if (s != RFX_OK && !again) PQclear(PQexec(p->c, "ROLLBACK"));
        if (!again) return s;
        /* a deadlock between two chains: back off a little, then redo */
        PQclear(PQexec(p->c, "ROLLBACK"));
        struct timespec ts = {0, (long)(10000000L * (attempt + 1))};
        nanosleep(&ts, NULL);
        if (err) { err->code = 0; err->message[0] = 0; }
    }
}

/* 1/0, or -1 when it cannot tell (then the indexer parses, and add's
 * ON CONFLICT still finds the duplicate). Its own connection, see pgs. */
static int pg_has_sha256(void *impl, const char *sha) {
    pgs *p = impl;
    pthread_mutex_lock(&p->rmu);
    if (!p->rc && !p->rc_failed) {
        p->rc = connect_uri(p->uri);
        if (!p->rc || PQstatus(p->rc) != CONNECTION_OK) {
            if (p->rc) PQfinish(p->rc);
            p->rc = NULL;
            p->rc_failed = true;
        } else {
            PQsetNoticeProcessor(p->rc, no_notices, NULL);
        }
    }
    int n = -1;
    if (p->rc) {
        const char *v[1] = {sha};
        PGresult *r = PQexecParams(p->rc, "SELECT 1 FROM filing WHERE sha256 = $1", 1, NULL, v, NULL, NULL, 0);
        if (r && PQresultStatus(r) == PGRES_TUPLES_OK) n = PQntuples(r) > 0;
        PQclear(r);
    }
    pthread_mutex_unlock(&p->rmu);
    return n;
}

static rfx_status pg_add_ticker(void *impl, const char *ticker, const char *cik_raw, const char *company,
                                rfx_error *err) {
    pgs *p = impl;
    if (p->readonly) {
        rfx_set_error(err, RFX_EUSAGE, "%s: opened read-only", p->disp);
        return RFX_EUSAGE;
    }
    char cik[24];
    store_cik_norm(cik_raw, cik);
    char *norm = store_name_norm(company);
    if (!norm) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    params ps = {0};
    p_text(&ps, ticker);
    p_text(&ps, cik[0] ? cik : NULL);
    p_text(&ps, company);
    p_text(&ps, norm[0] ? norm : NULL);
    /* tickers compare case-insensitively (SQLite: COLLATE NOCASE): kept upper-case */
    PGresult *r = q_run(p, "INSERT INTO ticker(ticker, cik, name, name_norm) VALUES(upper($1), $2, $3, $4)"
                           " ON CONFLICT (ticker) DO UPDATE SET cik = excluded.cik, name = excluded.name,"
                           " name_norm = excluded.name_norm",
                        &ps, err, "storing a ticker");
    free(norm);
    if (!r) return err->code;
    PQclear(r);
    return RFX_OK;
}

/* ---------------- filters ---------------- */

static rfx_status companies_matching(pgs *p, const char *who, bool cik_only, idlist *out, rfx_error *err) {
    params ps = {0};
    PGresult *r;
    if (cik_only || store_all_digits(who)) {
        char cik[24];
        store_cik_norm(who, cik);
        p_text(&ps, cik);
        if (!(r = q_run(p, "SELECT id FROM company WHERE cik = $1", &ps, err, "reading companies"))) return err->code;
        for (int i = 0; i < PQntuples(r); i++) store_id_add(out, (long)v_long(r, i, 0));
        PQclear(r);
        return RFX_OK;
    }
    p_text(&ps, who);
    if (!(r = q_run(p, "SELECT c.id FROM ticker t JOIN company c ON (t.cik IS NOT NULL AND c.cik = t.cik)"
                       " OR (t.name_norm IS NOT NULL AND c.name_norm = t.name_norm) WHERE t.ticker = upper($1)"
                       " ORDER BY c.id",
                    &ps, err, "reading tickers")))
        return err->code;
    for (int i = 0; i < PQntuples(r); i++) store_id_add(out, (long)v_long(r, i, 0));
    PQclear(r);
    if (out->n) return RFX_OK;
    if (!(r = q_run(p, "SELECT id, name FROM company ORDER BY id", NULL, err, "reading companies"))) return err->code;
    for (int i = 0; i < PQntuples(r); i++)
        if (store_name_has_words(v_text(r, i, 1), who)) store_id_add(out, (long)v_long(r, i, 0));
    PQclear(r);
    return RFX_OK;
}

/* The WHERE clause of a risk query (r = risk, f = filing) for q's text and
 * filters: fixed SQL pieces and $n placeholders only, values in ps (which
 * keeps pointers to w's strings). */
typedef struct rwhere {
    char sql[1024];
    char *tsq;
    char *ids;
    char form[32];
    bool has_text;
    int tsq_param; /* $n of the tsquery, 0 = none */
} rwhere;

static void rwhere_free(rwhere *w) {
    free(w->tsq);
    free(w->ids);
}

static rfx_status company_ids(pgs *p, const rfx_store_query *qr, char **ids, rfx_error *err) {
    *ids = NULL;
    bool has_co = qr->company && *qr->company, has_cik = qr->cik && *qr->cik;
    if (!has_co && !has_cik) return RFX_OK;
    idlist a = {0}, c = {0}, cos = {0};
    rfx_status s = RFX_OK;
    if (has_co) s = companies_matching(p, qr->company, false, &a, err);
    if (s == RFX_OK && has_cik) s = companies_matching(p, qr->cik, true, &c, err);
    if (s == RFX_OK) {
        s = store_companies_pick(qr, &a, &c, &cos, err);
        if (s == RFX_OK) {
            rfx_buf b;
            rfx_buf_init(&b, false);
            arr_begin(&b);
            for (size_t i = 0; i < cos.n; i++) arr_long(&b, cos.v[i], false);
            arr_end(&b);
            if (b.oom) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); s = RFX_ENOMEM; rfx_buf_free(&b); }
            else *ids = rfx_buf_steal(&b);
        }
    }
    free(a.v);
    free(c.v);
    free(cos.v);
    return s;
}

#define W_ADD(...) (n += (size_t)snprintf(w->sql + n, sizeof w->sql - n, __VA_ARGS__))

static rfx_status risk_where(pgs *p, const rfx_store_query *qr, rwhere *w, params *ps, rfx_error *err) {
    memset(w, 0, sizeof *w);
    size_t n = 0;
    W_ADD(" WHERE true");
    rfx_status s;
    if (qr->text && *qr->text) {
        qnode *q = store_query_parse(qr->text, err);
        if (!q) return RFX_EUSAGE;
        w->tsq = pgtext_tsquery(p->text, q);
        store_query_free(q);
        if (!w->tsq) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
        p_text(ps, w->tsq);
        w->tsq_param = ps->n;
        w->has_text = true;
        W_ADD(" AND r.tsv @@ $%d::tsquery", ps->n);
    }
    if (qr->status && *qr->status) {
        if (!store_is_status(qr->status)) {
            rfx_set_error(err, RFX_EUSAGE,
                          "unknown status '%s' (one of unchanged, modified, added, moved, split, merge)", qr->status);
            return RFX_EUSAGE;
        }
        p_text(ps, qr->status);
        W_ADD(" AND r.status = $%d", ps->n);
    }
    if (qr->category && *qr->category) {
        params pc = {0};
        p_text(&pc, qr->category);
        PGresult *r = q_run(p, "SELECT 1 FROM risk_category WHERE category = $1 LIMIT 1", &pc, err,
                            "reading categories");
        if (!r) return err->code;
        bool known = PQntuples(r) > 0;
        PQclear(r);
        if (!known) {
            rfx_set_error(err, RFX_EUSAGE, "no stored risk has category '%s' (rfx stats lists the categories)",
                          qr->category);
            return RFX_EUSAGE;
        }
        p_text(ps, qr->category);
        W_ADD(" AND EXISTS (SELECT 1 FROM risk_category c WHERE c.risk_id = r.id AND c.category = $%d)", ps->n);
    }
    if (qr->form && *qr->form) {
        store_upper_form(qr->form, w->form, sizeof w->form);
        p_text(ps, w->form);
        W_ADD(" AND f.form = $%d", ps->n);
    }
    if (qr->year_from && qr->year_to && qr->year_from > qr->year_to) {
        rfx_set_error(err, RFX_EUSAGE, "year range %d..%d is empty", qr->year_from, qr->year_to);
        return RFX_EUSAGE;
    }
    if (qr->year_from) { p_long(ps, qr->year_from); W_ADD(" AND f.fiscal_year >= $%d", ps->n); }
    if (qr->year_to) { p_long(ps, qr->year_to); W_ADD(" AND f.fiscal_year <= $%d", ps->n); }
    if ((s = company_ids(p, qr, &w->ids, err)) != RFX_OK) return s;
    if (w->ids) {
        p_text(ps, w->ids);
        W_ADD(" AND f.company_id = ANY($%d::bigint[])", ps->n);
    }
    return RFX_OK;
}

/* ---------------- search ---------------- */

/* ts_headline options with the caller's marks (quoted; a '"' cannot be
 * quoted there, so it is dropped). */
static void headline_opts(char *out, size_t n, const char *mo, const char *mc, bool all) {
    char a[64], b[64];
    size_t i = 0, j = 0;
    for (; *mo && i < sizeof a - 1; mo++)
        if (*mo != '"') a[i++] = *mo;
    a[i] = 0;
    for (; *mc && j < sizeof b - 1; mc++)
        if (*mc != '"') b[j++] = *mc;
    b[j] = 0;
    if (all) snprintf(out, n, "StartSel=\"%s\", StopSel=\"%s\", HighlightAll=true", a, b);
    else snprintf(out, n, "StartSel=\"%s\", StopSel=\"%s\", MaxWords=24, MinWords=10, ShortWord=2, MaxFragments=1,"
                          " FragmentDelimiter=\"…\"", a, b);
}

#define HIT_COLS                                                                                   \
    "r.id, f.id, f.company, f.cik, f.form, f.period, f.fiscal_year, r.idx, r.heading, r.category,"  \
    " r.status, f.source_path, r.prev_id, r.similarity"
static const char *const hit_keys[] = {"risk_id", "filing_id", "company", "cik", "form", "period",
                                       "fiscal_year", "index", "heading", "category", "status",
                                       "source_path", "prev_risk_id", "similarity"};

/* {id: [{id, score}...]} for the given risk ids, in rank order */
static json_t *categories_of(pgs *p, const char *ids_array, rfx_error *err) {
    params ps = {0};
    p_text(&ps, ids_array);
    PGresult *r = q_run(p, "SELECT risk_id, category, score FROM risk_category WHERE risk_id = ANY($1::bigint[])"
                           " ORDER BY risk_id, rank",
                        &ps, err, "reading categories");
    json_t *m = json_object();
    if (!r) return m;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *k = PQgetvalue(r, i, 0);
        json_t *a = json_object_get(m, k);
        if (!a) { a = json_array(); json_object_set_new(m, k, a); }
        json_array_append_new(a, json_pack("{s:o,s:o}", "id", col_json(r, i, 1), "score", col_json(r, i, 2)));
    }
    PQclear(r);
    return m;
}

static json_t *hit_object(PGresult *r, int row, json_t *cats) {
    json_t *o = json_object();
    for (int i = 0; i < 14; i++) json_object_set_new(o, hit_keys[i], col_json(r, row, i));
    json_t *c = json_object_get(cats, PQgetvalue(r, row, 0));
    json_object_set_new(o, "categories", c ? json_incref(c) : json_array());
    return o;
}

static rfx_status pg_search(void *impl, const rfx_store_query *qr, char **json, rfx_error *err) {
    pgs *p = impl;
    params ps = {0};
    rwhere w;
    rfx_status s = risk_where(p, qr, &w, &ps, err);
    if (s != RFX_OK) { rwhere_free(&w); return s; }
    if (ps.n == 0) {
        rwhere_free(&w);
        rfx_set_error(err, RFX_EUSAGE, "search needs a query or at least one filter");
        return RFX_EUSAGE;
    }
    long limit = qr->limit > 0 ? qr->limit : 20;
    if (limit > 10000) limit = 10000;
    const char *mo = qr->mark_open ? qr->mark_open : "[", *mc = qr->mark_close ? qr->mark_close : "]";
    char ho[256], hh[256];
    headline_opts(ho, sizeof ho, mo, mc, false);
    headline_opts(hh, sizeof hh, mo, mc, true);
    p_long(&ps, limit);
    int plimit = ps.n;
    p_long(&ps, qr->offset > 0 ? qr->offset : 0);
    int poff = ps.n;
    char sql[3072];
    if (w.has_text) {
        p_text(&ps, ho);
        int pho = ps.n;
        p_text(&ps, hh);
        int phh = ps.n;
        /* rank: heading (A) counts four times body (B), as bm25(4, 1) in SQLite;
         * headlines only for the rows kept */
        snprintf(sql, sizeof sql,
                 "SELECT h.c0, h.c1, h.c2, h.c3, h.c4, h.c5, h.c6, h.c7, h.c8, h.c9, h.c10, h.c11, h.c12, h.c13,"
                 " h.rank, ts_headline('rfx', h.body, $%d::tsquery, $%d), ts_headline('rfx', h.c8,"
                 " $%d::tsquery, $%d) FROM (SELECT r.id AS c0, f.id AS c1, f.company AS c2, f.cik AS c3,"
                 " f.form AS c4, f.period AS c5, f.fiscal_year AS c6, r.idx AS c7, r.heading AS c8,"
                 " r.category AS c9, r.status AS c10, f.source_path AS c11, r.prev_id AS c12, r.similarity AS c13,"
                 " ts_rank_cd('{0.1, 0.2, 0.25, 1.0}', r.tsv, $%d::tsquery) AS rank, r.body"
                 " FROM risk r JOIN filing f ON f.id = r.filing_id%s"
                 " ORDER BY rank DESC, r.id LIMIT $%d OFFSET $%d) h ORDER BY h.rank DESC, h.c0",
                 w.tsq_param, pho, w.tsq_param, phh, w.tsq_param, w.sql, plimit, poff);
    } else {
        snprintf(sql, sizeof sql,
                 "SELECT " HIT_COLS ", 0.0::float8 AS rank FROM risk r JOIN filing f ON f.id = r.filing_id%s"
                 " ORDER BY r.id LIMIT $%d OFFSET $%d",
                 w.sql, plimit, poff);
    }
    PGresult *r = q_run(p, sql, &ps, err, "search failed");
    rwhere_free(&w);
    if (!r) return err->code;
    json_t *root = json_object();
    json_object_set_new(root, "query", qr->text ? store_jstr(qr->text) : json_null());
    json_t *hits = json_array();
    json_object_set_new(root, "hits", hits);
    rfx_buf ids;
    rfx_buf_init(&ids, false);
    arr_begin(&ids);
    for (int i = 0; i < PQntuples(r); i++) arr_long(&ids, (long)v_long(r, i, 0), false);
    json_t *cats = categories_of(p, arr_end(&ids), err);
    rfx_buf_free(&ids);
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *o = hit_object(r, i, cats);
        if (w.has_text) {
            json_object_set_new(o, "heading_marked", col_json(r, i, 16));
            json_object_set_new(o, "snippet", col_json(r, i, 15));
        }
        double rank = strtod(PQgetvalue(r, i, 14), NULL);
        json_object_set_new(o, "score", json_real(round(rank * 1e4) / 1e4));
        json_array_append_new(hits, o);
    }
    json_decref(cats);
    PQclear(r);
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

static json_t *filing_object(PGresult *r, int row) {
    json_t *o = json_object();
    for (int i = 0; i < 15; i++) json_object_set_new(o, filing_keys[i], col_json(r, row, i));
    json_t *sf = json_object_get(o, "section_found");
    if (json_is_integer(sf)) json_object_set_new(o, "section_found", json_boolean(json_integer_value(sf)));
    return o;
}

static rfx_status pg_filings(void *impl, const rfx_store_query *qr, char **json, rfx_error *err) {
    pgs *p = impl;
    params ps = {0};
    char *ids = NULL;
    rfx_status s = company_ids(p, qr, &ids, err);
    if (s != RFX_OK) return s;
    char where[512], form[32];
    size_t n = (size_t)snprintf(where, sizeof where, " WHERE true");
    if (ids) { p_text(&ps, ids); n += (size_t)snprintf(where + n, sizeof where - n, " AND f.company_id = ANY($%d::bigint[])", ps.n); }
    if (qr->form && *qr->form) {
        store_upper_form(qr->form, form, sizeof form);
        p_text(&ps, form);
        n += (size_t)snprintf(where + n, sizeof where - n, " AND f.form = $%d", ps.n);
    }
    if (qr->year_from) { p_long(&ps, qr->year_from); n += (size_t)snprintf(where + n, sizeof where - n, " AND f.fiscal_year >= $%d", ps.n); }
    if (qr->year_to) { p_long(&ps, qr->year_to); n += (size_t)snprintf(where + n, sizeof where - n, " AND f.fiscal_year <= $%d", ps.n); }
    if (qr->limit > 0) p_long(&ps, qr->limit);
    else p_text(&ps, NULL); /* LIMIT NULL: all */
    p_long(&ps, qr->offset > 0 ? qr->offset : 0);
    char sql[1536];
    snprintf(sql, sizeof sql,
             "SELECT " FILING_COLS ", count(*) OVER () FROM filing f%s"
             " ORDER BY f.company_id IS NULL, f.company_id, f.form NULLS FIRST, f.period NULLS FIRST, f.id"
             " LIMIT $%d OFFSET $%d",
             where, ps.n - 1, ps.n);
    PGresult *r = q_run(p, sql, &ps, err, "listing filings");
    free(ids);
    if (!r) return err->code;
    json_t *root = json_object(), *arr = json_array();
    json_object_set_new(root, "filings", arr);
    long total = 0;
    for (int i = 0; i < PQntuples(r); i++) {
        json_array_append_new(arr, filing_object(r, i));
        total = (long)v_long(r, i, 15);
    }
    PQclear(r);
    json_object_set_new(root, "total", json_integer(total));
    return store_out_json(root, json, err);
}

static rfx_status pg_filing(void *impl, long id, char **json, rfx_error *err) {
    pgs *p = impl;
    params ps = {0};
    p_long(&ps, id);
    PGresult *r = q_run(p, "SELECT " FILING_COLS ", f.register FROM filing f WHERE f.id = $1", &ps, err,
                        "reading a filing");
    if (!r) return err->code;
    if (!PQntuples(r)) {
        PQclear(r);
        rfx_set_error(err, RFX_ENOTFOUND, "no filing with id %ld", id);
        return RFX_ENOTFOUND;
    }
    json_t *root = json_object();
    json_object_set_new(root, "filing", filing_object(r, 0));
    json_error_t je;
    json_t *reg = json_loads(PQgetvalue(r, 0, 15), JSON_DECODE_ANY, &je);
    json_object_set_new(root, "register", reg ? reg : json_null());
    PQclear(r);
    json_t *ids = json_array();
    r = q_run(p, "SELECT id FROM risk WHERE filing_id = $1 ORDER BY idx", &ps, err, "reading a filing");
    if (r) {
        for (int i = 0; i < PQntuples(r); i++) json_array_append_new(ids, json_integer(v_long(r, i, 0)));
        PQclear(r);
    }
    json_object_set_new(root, "risk_ids", ids);
    return store_out_json(root, json, err);
}

static long successor(pgs *p, long rid, rfx_error *err) {
    params ps = {0};
    p_long(&ps, rid);
    PGresult *r = q_run(p, "SELECT r.id FROM risk r JOIN filing f ON f.id = r.filing_id"
                           " WHERE r.prev_id = $1 AND r.status IS DISTINCT FROM 'split'"
                           " ORDER BY f.period NULLS FIRST, r.id LIMIT 1",
                        &ps, err, "reading lineage");
    if (!r) return 0;
    long id = PQntuples(r) ? (long)v_long(r, 0, 0) : 0;
    PQclear(r);
    return id;
}

static rfx_status pg_risk(void *impl, long id, char **json, rfx_error *err) {
    pgs *p = impl;
    params ps = {0};
    p_long(&ps, id);
    PGresult *r = q_run(p, "SELECT " HIT_COLS ", r.grp, r.body, r.start_off, r.end_off, r.words, r.sentences,"
                           " r.specificity, r.boilerplate, r.fog, r.uncertainty, r.litigious, r.negative"
                           " FROM risk r JOIN filing f ON f.id = r.filing_id WHERE r.id = $1",
                        &ps, err, "reading a risk");
    if (!r) return err->code;
    if (!PQntuples(r)) {
        PQclear(r);
        rfx_set_error(err, RFX_ENOTFOUND, "no risk with id %ld", id);
        return RFX_ENOTFOUND;
    }
    char ida[40];
    snprintf(ida, sizeof ida, "{%ld}", id);
    json_t *cats = categories_of(p, ida, err);
    json_t *o = hit_object(r, 0, cats);
    json_decref(cats);
    static const char *const more[] = {"group", "body", "start", "end", "words", "sentences", "specificity",
                                       "boilerplate", "fog", "uncertainty", "litigious", "negative"};
    for (int i = 0; i < 12; i++) json_object_set_new(o, more[i], col_json(r, 0, 14 + i));
    PQclear(r);
    /* the chain: back to its first risk, then forward */
    long root_id = id;
    for (int guard = 0; guard < 1000; guard++) {
        ps.n = 0;
        p_long(&ps, root_id);
        r = q_run(p, "SELECT prev_id, status FROM risk WHERE id = $1", &ps, err, "reading lineage");
        if (!r) break;
        bool stop = !PQntuples(r) || PQgetisnull(r, 0, 0) || (v_text(r, 0, 1) && !strcmp(v_text(r, 0, 1), "split"));
        if (!stop) root_id = (long)v_long(r, 0, 0);
        PQclear(r);
        if (stop) break;
    }
    json_t *chain = json_array();
    for (long cur = root_id; cur && json_array_size(chain) < 1000; cur = successor(p, cur, err)) {
        ps.n = 0;
        p_long(&ps, cur);
        r = q_run(p, "SELECT r.id, f.id, f.fiscal_year, f.period, r.idx, r.status, r.similarity, r.heading"
                     " FROM risk r JOIN filing f ON f.id = r.filing_id WHERE r.id = $1",
                  &ps, err, "reading lineage");
        if (!r) break;
        if (!PQntuples(r)) { PQclear(r); break; }
        json_array_append_new(chain, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "risk_id", col_json(r, 0, 0),
                                               "filing_id", col_json(r, 0, 1), "fiscal_year", col_json(r, 0, 2),
                                               "period", col_json(r, 0, 3), "index", col_json(r, 0, 4), "status",
                                               col_json(r, 0, 5), "similarity", col_json(r, 0, 6), "heading",
                                               col_json(r, 0, 7)));
        PQclear(r);
    }
    if (err) { err->code = 0; err->message[0] = 0; }
    json_t *root = json_pack("{s:o,s:o}", "risk", o, "lineage", chain);
    return store_out_json(root, json, err);
}

/* ---------------- history ---------------- */

static rfx_status pg_history(void *impl, const char *who, const char *form_in, char **json, rfx_error *err) {
    pgs *p = impl;
    idlist cos = {0};
    rfx_status s = companies_matching(p, who, false, &cos, err);
    if (s != RFX_OK) { free(cos.v); return s; }
    if (!cos.n) {
        free(cos.v);
        rfx_set_error(err, RFX_EUSAGE, "no company in the database matches '%s'", who);
        return RFX_EUSAGE;
    }
    json_t *matches = json_array();
    params ps = {0};
    for (size_t i = 0; i < cos.n; i++) {
        ps.n = 0;
        p_long(&ps, cos.v[i]);
        PGresult *r = q_run(p, "SELECT c.id, c.name, c.cik, (SELECT count(*) FROM filing f WHERE f.company_id = c.id)"
                               " FROM company c WHERE c.id = $1",
                            &ps, err, "reading companies");
        if (!r) { free(cos.v); json_decref(matches); return err->code; }
        if (PQntuples(r))
            json_array_append_new(matches, json_pack("{s:o,s:o,s:o,s:o}", "company_id", col_json(r, 0, 0), "company",
                                                     col_json(r, 0, 1), "cik", col_json(r, 0, 2), "filings",
                                                     col_json(r, 0, 3)));
        PQclear(r);
    }
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
    ps.n = 0;
    p_long(&ps, cid);
    p_text(&ps, form);
    PGresult *r = q_run(p,
        "SELECT f.id, f.form, f.period, f.fiscal_year, f.nrisks, f.source_path,"
        " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status = 'unchanged'),"
        " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status = 'modified'),"
        " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status = 'moved'),"
        " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status = 'added'),"
        " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status = 'split'),"
        " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status = 'merge'),"
        " (SELECT count(*) FROM removed g WHERE g.filing_id = f.id AND g.status = 'removed'),"
        " (SELECT count(*) FROM removed g WHERE g.filing_id = f.id AND g.status = 'merge'),"
        " (SELECT count(*) FROM risk r WHERE r.filing_id = f.id AND r.status IS NULL)"
        " FROM filing f WHERE f.company_id = $1 AND ($2 = '' OR f.form = $2)"
        " ORDER BY f.form NULLS FIRST, f.period IS NULL, f.period, f.id",
        &ps, err, "reading filings");
    if (!r) { json_decref(root); return err->code; }
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *c = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "unchanged", col_json(r, i, 6), "modified",
                              col_json(r, i, 7), "moved", col_json(r, i, 8), "added", col_json(r, i, 9), "split",
                              col_json(r, i, 10), "merge", col_json(r, i, 11), "removed", col_json(r, i, 12),
                              "merged_away", col_json(r, i, 13));
        json_object_set_new(c, "first_seen", col_json(r, i, 14));
        json_array_append_new(filings, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "filing_id", col_json(r, i, 0),
                                                 "form", col_json(r, i, 1), "period", col_json(r, i, 2),
                                                 "fiscal_year", col_json(r, i, 3), "risks", col_json(r, i, 4),
                                                 "source_path", col_json(r, i, 5), "counts", c));
    }
    PQclear(r);
    /* per lineage: walk the links in memory (the gone risks come with them) */
    r = q_run(p, "SELECT r.id, r.prev_id, r.filing_id, f.fiscal_year, r.status, r.heading, f.form, f.period,"
                 " (SELECT gf.fiscal_year FROM removed g JOIN filing gf ON gf.id = g.filing_id WHERE g.risk_id = r.id"
                 "  ORDER BY g.filing_id LIMIT 1),"
                 " (SELECT g.status FROM removed g WHERE g.risk_id = r.id ORDER BY g.filing_id LIMIT 1),"
                 " EXISTS (SELECT 1 FROM removed g WHERE g.risk_id = r.id)"
                 " FROM risk r JOIN filing f ON f.id = r.filing_id"
                 " WHERE f.company_id = $1 AND ($2 = '' OR f.form = $2) AND f.period IS NOT NULL",
              &ps, err, "reading risks");
    if (!r) { json_decref(root); return err->code; }
    size_t n = (size_t)PQntuples(r);
    hnode *v = n ? calloc(n, sizeof *v) : NULL;
    if (n && !v) { PQclear(r); json_decref(root); rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    for (size_t i = 0; i < n; i++) {
        hnode *h = &v[i];
        int row = (int)i;
        h->id = (long)v_long(r, row, 0);
        h->prev = (long)v_long(r, row, 1);
        h->filing = row; /* the row, to read the gone columns later */
        h->fy = (int)v_long(r, row, 3);
        h->status = v_text(r, row, 4);
        h->heading = v_text(r, row, 5) ? v_text(r, row, 5) : "";
        h->form = v_text(r, row, 6) ? v_text(r, row, 6) : "";
        h->period = v_text(r, row, 7) ? v_text(r, row, 7) : "";
        h->next = -1;
    }
    store_history_link(v, n);
    json_t *lines = json_array();
    json_object_set_new(root, "lineages", lines);
    for (size_t i = 0; i < n; i++) {
        if (v[i].has_pred) continue;
        long last;
        json_t *l = store_history_lineage(v, i, &last);
        int row = (int)v[last].filing;
        json_t *ended = json_null();
        if (PQgetvalue(r, row, 10)[0] == 't')
            ended = json_pack("{s:o,s:o}", "fiscal_year", col_json(r, row, 8), "as", col_json(r, row, 9));
        json_object_set_new(l, "ended", ended);
        json_array_append_new(lines, l);
    }
    free(v);
    PQclear(r);
    return store_out_json(root, json, err);
}

/* ---------------- stats ---------------- */

static rfx_status rows_json(pgs *p, const char *sql, json_t *arr, rfx_error *err) {
    PGresult *r = q_run(p, sql, NULL, err, "computing statistics");
    if (!r) return err->code;
    int nc = PQnfields(r);
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *o = json_object();
        for (int c = 0; c < nc; c++) json_object_set_new(o, PQfname(r, c), col_json(r, i, c));
        json_array_append_new(arr, o);
    }
    PQclear(r);
    return RFX_OK;
}

#define AVG_METRICS                                                                                \
    " round(avg(r.words), 1) AS avg_words, round(avg(r.fog)::numeric, 2) AS avg_fog,"               \
    " round(avg(r.specificity)::numeric, 4) AS avg_specificity,"                                     \
    " round(avg(r.boilerplate)::numeric, 4) AS avg_boilerplate,"                                     \
    " round(avg(r.uncertainty)::numeric, 3) AS avg_uncertainty,"                                     \
    " round(avg(r.litigious)::numeric, 3) AS avg_litigious, round(avg(r.negative)::numeric, 3) AS avg_negative"

static rfx_status pg_stats(void *impl, const char *by, char **json, rfx_error *err) {
    pgs *p = impl;
    const char *sql = NULL;
    /* NULLS FIRST where SQLite sorts a NULL first */
    if (!strcmp(by, "category"))
        sql = "WITH t AS (SELECT f.fiscal_year AS y, count(*) AS n FROM risk r JOIN filing f ON f.id = r.filing_id"
              " GROUP BY f.fiscal_year)"
              " SELECT f.fiscal_year AS fiscal_year, coalesce(r.category, '(none)') AS category, count(*) AS risks,"
              " round(1.0 * count(*) / t.n, 4) AS share FROM risk r JOIN filing f ON f.id = r.filing_id"
              " JOIN t ON t.y IS NOT DISTINCT FROM f.fiscal_year GROUP BY f.fiscal_year, r.category, t.n"
              " ORDER BY 1 NULLS FIRST, 3 DESC, 2";
    else if (!strcmp(by, "year"))
        sql = "SELECT f.fiscal_year AS fiscal_year, count(DISTINCT f.id) AS filings, count(r.id) AS risks,"
              " round(1.0 * count(r.id) / count(DISTINCT f.id), 1) AS risks_per_filing," AVG_METRICS
              " FROM filing f LEFT JOIN risk r ON r.filing_id = f.id GROUP BY f.fiscal_year ORDER BY 1 NULLS FIRST";
    else if (!strcmp(by, "company"))
        sql = "SELECT c.name AS company, c.cik AS cik, count(DISTINCT f.id) AS filings, count(r.id) AS risks,"
              " min(f.fiscal_year) AS first_year, max(f.fiscal_year) AS last_year," AVG_METRICS
              " FROM filing f LEFT JOIN company c ON c.id = f.company_id LEFT JOIN risk r ON r.filing_id = f.id"
              " GROUP BY f.company_id, c.name, c.cik ORDER BY c.name IS NULL, c.name, f.company_id";
    else if (!strcmp(by, "form"))
        sql = "SELECT f.form AS form, count(DISTINCT f.id) AS filings, count(r.id) AS risks,"
              " sum(f.section_found) AS sections_found," AVG_METRICS
              " FROM filing f LEFT JOIN risk r ON r.filing_id = f.id GROUP BY f.form ORDER BY 2 DESC, 1 NULLS FIRST";
    else {
        rfx_set_error(err, RFX_EUSAGE, "unknown --by '%s' (category, year, company or form)", by);
        return RFX_EUSAGE;
    }
    json_t *root = json_object(), *rows = json_array();
    json_object_set_new(root, "by", json_string(by));
    json_object_set_new(root, "rows", rows);
    rfx_status s = rows_json(p, sql, rows, err);
    if (s == RFX_OK && !strcmp(by, "category")) {
        json_t *years = json_array();
        json_object_set_new(root, "years", years);
        s = rows_json(p,
                      "SELECT f.fiscal_year AS fiscal_year, count(DISTINCT f.id) AS filings, count(r.id) AS risks,"
                      AVG_METRICS " FROM filing f LEFT JOIN risk r ON r.filing_id = f.id GROUP BY f.fiscal_year"
                      " ORDER BY 1 NULLS FIRST",
                      years, err);
    }
    if (s != RFX_OK) { json_decref(root); return s; }
    return store_out_json(root, json, err);
}

/* ---------------- export ---------------- */

static void export_row(PGresult *r, bool csv, FILE *out) {
    if (csv) {
        for (int i = 0; i < STORE_NEXPORT; i++) {
            if (i) fputc(',', out);
            if (PQgetisnull(r, 0, i)) continue;
            if (is_real_oid(PQftype(r, i))) fprintf(out, "%.6g", strtod(PQgetvalue(r, 0, i), NULL));
            else store_csv_field(out, PQgetvalue(r, 0, i));
        }
        fputs("\r\n", out);
        return;
    }
    json_t *o = json_pack("{s:s}", "schema_version", RFX_SCHEMA_VERSION);
    if (!o) return;
    for (int i = 0; i < STORE_NEXPORT; i++) {
        if (!strcmp(store_export_cols[i], "other_categories")) {
            json_t *a = store_split_list(v_text(r, 0, i));
            json_object_set_new(o, store_export_cols[i], a);
        } else {
            json_object_set_new(o, store_export_cols[i], col_json(r, 0, i));
        }
    }
    char *line = store_json_dump(o);
    if (line) { fputs(line, out); fputc('\n', out); }
    free(line);
}

static rfx_status pg_export(void *impl, const rfx_store_query *qr, const char *format, FILE *out, rfx_error *err) {
    pgs *p = impl;
    bool csv = !strcmp(format, "csv");
    if (!csv && strcmp(format, "jsonl")) {
        rfx_set_error(err, RFX_EUSAGE, "unknown export format '%s' (csv or jsonl)", format);
        return RFX_EUSAGE;
    }
    params ps = {0};
    rwhere w;
    rfx_status s = risk_where(p, qr, &w, &ps, err);
    if (s != RFX_OK) { rwhere_free(&w); return s; }
    if (qr->limit > 0) p_long(&ps, qr->limit);
    else p_text(&ps, NULL);
    p_long(&ps, qr->offset > 0 ? qr->offset : 0);
    char sql[3072];
    snprintf(sql, sizeof sql,
             "SELECT r.id, f.id, f.company, f.cik, f.form, f.period, f.fiscal_year, f.source_path, f.sha256,"
             " r.idx, r.grp, r.heading, r.body, r.start_off, r.end_off, r.category, r.category_score,"
             " (SELECT string_agg(c.category, ';' ORDER BY c.rank) FROM risk_category c"
             "   WHERE c.risk_id = r.id AND c.category IS DISTINCT FROM r.category),"
             " r.words, r.sentences, r.specificity, r.boilerplate, r.fog, r.uncertainty, r.litigious,"
             " r.negative, r.status, r.prev_id, r.similarity"
             " FROM risk r JOIN filing f ON f.id = r.filing_id%s"
             " ORDER BY f.source_path, f.id, r.idx LIMIT $%d OFFSET $%d",
             w.sql, ps.n - 1, ps.n);
    if (csv) {
        for (int i = 0; i < STORE_NEXPORT; i++) fprintf(out, "%s%s", i ? "," : "", store_export_cols[i]);
        fputs("\r\n", out);
    }
    /* rows streamed one at a time: an export of millions of risks does not
     * sit in memory */
    if (!PQsendQueryParams(p->c, sql, ps.n, NULL, ps.v, NULL, NULL, 0) || !PQsetSingleRowMode(p->c)) {
        rwhere_free(&w);
        return pg_fail(p, NULL, err, "export failed");
    }
    rwhere_free(&w);
    PGresult *r;
    bool failed = false;
    while ((r = PQgetResult(p->c))) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            if (!ferror(out)) export_row(r, csv, out);
        } else if (st != PGRES_TUPLES_OK && !failed) {
            s = pg_fail(p, r, err, "export failed");
            failed = true;
        }
        PQclear(r);
    }
    if (s == RFX_OK && (fflush(out) != 0 || ferror(out))) {
        rfx_set_error(err, RFX_EINPUT, "export: write failed: %s", strerror(errno));
        s = RFX_EINPUT;
    }
    return s;
}

static rfx_status pg_load_register(void *impl, long id, rfx_register **out, rfx_error *err) {
    return load_reg(impl, id, out, err);
}

/* The backend's integrity check: the schema is this rfx's and every filing
 * holds the risks it says it has (foreign keys guard the rest). */
static rfx_status pg_check(void *impl, rfx_error *err) {
    pgs *p = impl;
    int v = 0;
    rfx_status s = schema_version(p, &v, err);
    if (s != RFX_OK) return s;
    if (v != RFX_STORE_SCHEMA_VERSION) {
        rfx_set_error(err, RFX_EINPUT, "%s: integrity check: schema v%d, this rfx writes v%d", p->disp, v,
                      RFX_STORE_SCHEMA_VERSION);
        return RFX_EINPUT;
    }
    PGresult *r = q_run(p, "SELECT f.id, f.nrisks, count(r.id) FROM filing f LEFT JOIN risk r ON r.filing_id = f.id"
                           " GROUP BY f.id HAVING count(r.id) <> f.nrisks ORDER BY f.id LIMIT 1",
                        NULL, err, "integrity check");
    if (!r) return err->code;
    if (PQntuples(r)) {
        rfx_set_error(err, RFX_EINPUT, "%s: integrity check: filing %s holds %s risks of %s", p->disp,
                      PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 1));
        s = RFX_EINPUT;
    }
    PQclear(r);
    return s;
}

const store_ops store_pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .add = pg_add,
    .has_sha256 = pg_has_sha256,
    .add_ticker = pg_add_ticker,
    .search = pg_search,
    .filings = pg_filings,
    .filing = pg_filing,
    .risk = pg_risk,
    .history = pg_history,
    .stats = pg_stats,
    .export_rows = pg_export,
    .load_register = pg_load_register,
    .check = pg_check,
};
