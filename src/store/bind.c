/*
 * bind.c — rfx_store_query for language bindings: a heap copy set by key,
 * so python/rfx never depends on the struct's layout (it grows with new
 * filters). Strings set here are owned copies, freed with the query.
 */
#include "../rfx_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct owned_query {
    rfx_store_query pub; /* first, so an rfx_store_query * is the whole object */
    char *str[8];
} owned_query;

rfx_store_query *rfx_store_query_new(void) {
    owned_query *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    rfx_store_query_init(&q->pub);
    return &q->pub;
}

void rfx_store_query_free(rfx_store_query *q) {
    owned_query *o = (owned_query *)q;
    if (!o) return;
    for (size_t i = 0; i < sizeof o->str / sizeof o->str[0]; i++) free(o->str[i]);
    free(o);
}

rfx_status rfx_store_query_set(rfx_store_query *q, const char *key, const char *value, rfx_error *err) {
    owned_query *o = (owned_query *)q;
    if (!o || !key) { rfx_set_error(err, RFX_EUSAGE, "query: no query or key given"); return RFX_EUSAGE; }
    static const char *const skeys[] = {"text", "company", "cik", "form", "category", "status"};
    for (size_t i = 0; i < sizeof skeys / sizeof skeys[0]; i++) {
        if (strcmp(key, skeys[i])) continue;
        char *c = value ? strdup(value) : NULL;
        if (value && !c) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
        free(o->str[i]);
        o->str[i] = c;
        const char **slot[] = {&q->text, &q->company, &q->cik, &q->form, &q->category, &q->status};
        *slot[i] = c;
        return RFX_OK;
    }
    char *end;
    errno = 0;
    long v = value ? strtol(value, &end, 10) : 0;
    bool ok = value && *value && !*end && !errno && v >= 0;
    if (!strcmp(key, "year_from") && ok && v <= 9999) q->year_from = (int)v;
    else if (!strcmp(key, "year_to") && ok && v <= 9999) q->year_to = (int)v;
    else if (!strcmp(key, "limit") && ok) q->limit = v;
    else if (!strcmp(key, "offset") && ok) q->offset = v;
    else if (strcmp(key, "year_from") && strcmp(key, "year_to") && strcmp(key, "limit") && strcmp(key, "offset")) {
        rfx_set_error(err, RFX_EUSAGE,
                      "query: unknown filter '%s' (text, company, cik, form, category, status, year_from, "
                      "year_to, limit, offset)", key);
        return RFX_EUSAGE;
    } else {
        rfx_set_error(err, RFX_EUSAGE, "query: %s takes a whole number >= 0, not '%s'", key, value ? value : "");
        return RFX_EUSAGE;
    }
    return RFX_OK;
}
