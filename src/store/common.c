/*
 * common.c — the store's backend-independent helpers, shared by sqlite.c
 * and pg.c so both backends produce the same JSON, CSV and normalised keys
 * from the same code (tests/e2e/pg_corpus.sh compares their bytes).
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

json_t *store_jstr(const char *s) {
    if (!s) return json_null();
    json_t *j = json_string(s);
    if (j) return j;
    size_t n = strlen(s);
    char *fixed = malloc(n * 3 + 1);
    if (!fixed) return json_null();
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        int k = rfx_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp == 0xFFFD) k = 1;
        o += (size_t)rfx_utf8_encode(cp, fixed + o);
        i += (size_t)k;
    }
    fixed[o] = 0;
    j = json_string(fixed);
    free(fixed);
    return j ? j : json_null();
}

char *store_json_dump(json_t *j) {
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(j);
    return s;
}

json_t *store_versioned(json_t *j) {
    json_t *v = json_is_object(j) ? json_pack("{s:s}", "schema_version", RFX_SCHEMA_VERSION) : NULL;
    if (!v || json_object_update(v, j) != 0) { json_decref(v); return j; }
    json_decref(j);
    return v;
}

rfx_status store_out_json(json_t *j, char **json, rfx_error *err) {
    if (!j) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    *json = store_json_dump(store_versioned(j));
    if (!*json) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    return RFX_OK;
}

/* CIKs compare without leading zeros ("0001001039" is "1001039"). */
void store_cik_norm(const char *cik, char out[24]) {
    out[0] = 0;
    if (!cik) return;
    while (*cik == '0' && cik[1]) cik++;
    size_t n = 0;
    for (; *cik && n < 23; cik++)
        if (*cik >= '0' && *cik <= '9') out[n++] = *cik;
    out[n] = 0;
}

bool store_is_status(const char *s) {
    static const char *const st[] = {"unchanged", "modified", "added", "moved", "split", "merge", NULL};
    for (size_t i = 0; st[i]; i++)
        if (!strcmp(s, st[i])) return true;
    return false;
}

void store_upper_form(const char *form, char *out, size_t n) {
    size_t i = 0;
    for (; form && form[i] && i + 1 < n; i++)
        out[i] = (char)((form[i] >= 'a' && form[i] <= 'z') ? form[i] - 32 : form[i]);
    out[i] = 0;
}

/* The calendar year that holds most of the fiscal year's months (Compustat's
 * rule), so a retail year ending 2024-01-28 is fiscal 2023 and one ending in
 * June or later is that year. */
int store_fiscal_year(const char *period) {
    if (!period || strlen(period) < 4) return 0;
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (period[i] < '0' || period[i] > '9') return 0;
        y = y * 10 + period[i] - '0';
    }
    if (strlen(period) >= 7 && period[4] == '-' && period[5] >= '0' && period[5] <= '1' && period[6] >= '0' &&
        period[6] <= '9') {
        int m = (period[5] - '0') * 10 + period[6] - '0';
        if (m >= 1 && m <= 5) y--;
    }
    return y;
}

bool store_id_add(idlist *l, long id) {
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i] == id) return true;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        long *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) return false;
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = id;
    return true;
}

bool store_all_digits(const char *s) {
    if (!s || !*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

const char *store_fmt_name(int f) {
    switch (f) {
    case RFX_FMT_HTML: return "html";
    case RFX_FMT_SGML: return "sgml";
    case RFX_FMT_PDF: return "pdf";
    default: return "text";
    }
}

char *store_metrics_json(const rfx_metrics *m) {
    if (!m->valid) return NULL;
    json_t *j = json_pack("{s:I,s:I,s:f,s:f,s:f,s:f,s:f,s:f}", "words", (json_int_t)m->words,
                          "sentences", (json_int_t)m->sentences, "specificity", m->specificity,
                          "boilerplate", m->boilerplate, "fog", m->fog, "uncertainty", m->uncertainty,
                          "litigious", m->litigious, "negative", m->negative);
    return j ? store_json_dump(j) : NULL;
}

const char *const store_export_cols[STORE_NEXPORT] = {
    "risk_id", "filing_id", "company", "cik", "form", "period", "fiscal_year", "source_path", "sha256",
    "risk_index", "group", "heading", "body", "start", "end", "category", "category_score",
    "other_categories", "words", "sentences", "specificity", "boilerplate", "fog", "uncertainty",
    "litigious", "negative", "status", "prev_risk_id", "similarity"};

void store_csv_field(FILE *out, const char *s) {
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) { fputs(s, out); return; }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}
