/*
 * admin.c — what `rfx db` does with a store as a whole, whatever its
 * backend: tell backends apart by URI, show a URI without its password,
 * create or upgrade a schema, copy a corpus from one store to another.
 */
#include "pg_int.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool store_is_pg_uri(const char *uri) {
    return uri && (!strncmp(uri, "postgresql://", 13) || !strncmp(uri, "postgres://", 11));
}

static const char *default_uri(const char *uri) {
    if (!uri || !*uri) uri = getenv("RFX_DB");
    if (!uri || !*uri) uri = "rfx.db";
    return uri;
}

int rfx_store_is_postgres(const char *uri) { return store_is_pg_uri(default_uri(uri)); }

char *rfx_store_uri_display(const char *uri) {
    if (!uri) return strdup("(null)");
    return pg_uri_masked(uri);
}

/* PRAGMA user_version of an SQLite file, read-only; 0 for an empty file. */
static rfx_status sqlite_version(const char *path, int *v, rfx_error *err) {
    *v = 0;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) *v = sqlite3_column_int(st, 0);
    else if (rc == SQLITE_OK) rc = sqlite3_errcode(db);
    if (rc != SQLITE_OK)
        rfx_set_error(err, RFX_EINPUT, "%s: not an rfx database (%s)", path, db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc == SQLITE_OK ? RFX_OK : RFX_EINPUT;
}

rfx_status rfx_store_migrate(const char *uri, int create, int *from, int *to, rfx_error *err) {
    int f0 = 0, t0 = 0;
    if (!from) from = &f0;
    if (!to) to = &t0;
    *from = *to = 0;
    if (err) { err->code = 0; err->message[0] = 0; }
    uri = default_uri(uri);
    if (store_is_pg_uri(uri)) return store_pg_migrate(uri, create != 0, from, to, err);
    const char *path = !strncmp(uri, "sqlite:", 7) ? uri + 7 : uri;
    struct stat sb;
    if (stat(path, &sb) == 0) {
        rfx_status s = sqlite_version(path, from, err);
        if (s != RFX_OK) return s;
    } else if (!create) {
        rfx_set_error(err, RFX_EINPUT, "%s: no such database (rfx db init creates it)", path);
        return RFX_EINPUT;
    }
    /* the SQLite backend creates and upgrades on a writable open */
    rfx_store *s = NULL;
    rfx_status st = rfx_store_open(uri, create ? RFX_STORE_CREATE : 0, &s, err);
    if (st != RFX_OK) return st;
    rfx_store_close(s);
    *to = RFX_STORE_SCHEMA_VERSION;
    return RFX_OK;
}

typedef struct fref {
    long id;
    char *path;
} fref;

static int fref_cmp(const void *a, const void *b) {
    long x = ((const fref *)a)->id, y = ((const fref *)b)->id;
    return x < y ? -1 : x > y;
}

static void metrics_from(json_t *m, rfx_metrics *out) {
    json_t *w = json_object_get(m, "words");
    if (!json_is_integer(w)) return; /* stored without metrics */
    out->words = (size_t)json_integer_value(w);
    out->sentences = (size_t)json_integer_value(json_object_get(m, "sentences"));
    out->specificity = json_number_value(json_object_get(m, "specificity"));
    out->boilerplate = json_number_value(json_object_get(m, "boilerplate"));
    out->fog = json_number_value(json_object_get(m, "fog"));
    out->uncertainty = json_number_value(json_object_get(m, "uncertainty"));
    out->litigious = json_number_value(json_object_get(m, "litigious"));
    out->negative = json_number_value(json_object_get(m, "negative"));
    out->valid = true;
}

/* Reading a saved register back leaves out its metrics (rfx diff has no
 * use for them); a copy takes them from the stored register JSON, to the
 * 6 decimals it keeps. */
static rfx_status restore_metrics(rfx_store *src, long id, rfx_register *reg, rfx_error *err) {
    char *js = NULL;
    rfx_status s = rfx_store_filing(src, id, &js, err);
    if (s != RFX_OK) return s;
    json_t *f = json_loads(js, 0, NULL);
    free(js);
    json_t *r = json_object_get(f, "register");
    metrics_from(json_object_get(r, "metrics"), &reg->metrics);
    json_t *risks = json_object_get(r, "risks");
    for (size_t i = 0; i < reg->nrisks && i < json_array_size(risks); i++)
        metrics_from(json_object_get(json_array_get(risks, i), "metrics"), &reg->risks[i].metrics);
    json_decref(f);
    return RFX_OK;
}

rfx_status rfx_store_copy(rfx_store *src, rfx_store *dst, void (*progress)(void *ctx, long done, long total),
                          void *ctx, long *added, long *unchanged, rfx_error *err) {
    long a0 = 0, u0 = 0;
    if (!added) added = &a0;
    if (!unchanged) unchanged = &u0;
    *added = *unchanged = 0;
    if (!src || !dst) {
        rfx_set_error(err, RFX_EUSAGE, "copy: missing store");
        return RFX_EUSAGE;
    }
    rfx_store_query q;
    rfx_store_query_init(&q);
    char *js = NULL;
    rfx_status s = rfx_store_filings(src, &q, &js, err);
    if (s != RFX_OK) return s;
    json_error_t je;
    json_t *root = json_loads(js, 0, &je);
    free(js);
    json_t *arr = json_object_get(root, "filings");
    size_t n = json_array_size(arr);
    fref *v = n ? calloc(n, sizeof *v) : NULL;
    if (!root || (n && !v)) {
        json_decref(root);
        free(v);
        rfx_set_error(err, RFX_ENOMEM, "out of memory");
        return RFX_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *f = json_array_get(arr, i);
        v[i].id = (long)json_integer_value(json_object_get(f, "filing_id"));
        v[i].path = (char *)json_string_value(json_object_get(f, "source_path"));
    }
    /* oldest first: into an empty store the ids come out as in the source */
    qsort(v, n, sizeof *v, fref_cmp);
    for (size_t i = 0; i < n && s == RFX_OK; i++) {
        rfx_register *reg = NULL;
        if ((s = rfx_store_load_register(src, v[i].id, &reg, err)) != RFX_OK) break;
        if ((s = restore_metrics(src, v[i].id, reg, err)) != RFX_OK) { rfx_register_free(reg); break; }
        rfx_store_outcome oc;
        s = rfx_store_add(dst, reg, v[i].path, &oc, err);
        rfx_register_free(reg);
        if (s != RFX_OK) break;
        if (oc == RFX_STORE_UNCHANGED) (*unchanged)++;
        else (*added)++;
        if (progress) progress(ctx, (long)i + 1, (long)n);
    }
    free(v);
    json_decref(root);
    return s;
}
