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

static int hnode_by_id(const void *a, const void *b) {
    long x = ((const hnode *)a)->id, y = ((const hnode *)b)->id;
    return x < y ? -1 : x > y;
}

static long find_node(const hnode *v, size_t n, long id) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && v[lo].id == id ? (long)lo : -1;
}

void store_history_link(hnode *v, size_t n) {
    if (n) qsort(v, n, sizeof *v, hnode_by_id);
    for (size_t i = 0; i < n; i++) {
        long p = v[i].prev ? find_node(v, n, v[i].prev) : -1;
        bool split = v[i].status && !strcmp(v[i].status, "split");
        if (p >= 0 && !split) {
            /* the earliest successor continues the line */
            if (v[p].next < 0) v[p].next = (long)i;
            v[i].has_pred = true;
        }
    }
}

json_t *store_history_lineage(const hnode *v, size_t i, long *last_out) {
    json_t *ym = json_array();
    size_t len = 0;
    long last = (long)i;
    for (long k = (long)i; k >= 0 && len < 1000; k = v[k].next) {
        last = k;
        len++;
        if (v[k].status && (!strcmp(v[k].status, "modified") || !strcmp(v[k].status, "merge")))
            json_array_append_new(ym, json_integer(v[k].fy));
    }
    json_t *l = json_object();
    json_object_set_new(l, "form", store_jstr(v[i].form));
    json_object_set_new(l, "first_year", v[i].fy ? json_integer(v[i].fy) : json_null());
    json_object_set_new(l, "last_year", v[last].fy ? json_integer(v[last].fy) : json_null());
    json_object_set_new(l, "first_period", store_jstr(v[i].period));
    json_object_set_new(l, "last_period", store_jstr(v[last].period));
    json_object_set_new(l, "filings", json_integer((json_int_t)len));
    json_object_set_new(l, "began_as", v[i].status ? store_jstr(v[i].status) : json_string("first filing"));
    json_object_set_new(l, "years_modified", ym);
    json_object_set_new(l, "first_heading", store_jstr(v[i].heading));
    json_object_set_new(l, "last_heading", store_jstr(v[last].heading));
    json_object_set_new(l, "first_risk_id", json_integer(v[i].id));
    json_object_set_new(l, "last_risk_id", json_integer(v[last].id));
    *last_out = last;
    return l;
}

rfx_status store_companies_pick(const rfx_store_query *qr, const idlist *a, const idlist *c, idlist *cos,
                                rfx_error *err) {
    bool has_co = qr->company && *qr->company, has_cik = qr->cik && *qr->cik;
    if (has_co && has_cik) {
        for (size_t i = 0; i < a->n; i++)
            for (size_t j = 0; j < c->n; j++)
                if (a->v[i] == c->v[j]) store_id_add(cos, a->v[i]);
    } else {
        const idlist *src = has_co ? a : c;
        for (size_t i = 0; i < src->n; i++) store_id_add(cos, src->v[i]);
    }
    if (!cos->n) {
        if (has_co) rfx_set_error(err, RFX_EUSAGE, "no company in the database matches '%s'", qr->company);
        else rfx_set_error(err, RFX_EUSAGE, "no company in the database has CIK %s", qr->cik);
        return RFX_EUSAGE;
    }
    if (cos->n > 2000) {
        rfx_set_error(err, RFX_EUSAGE, "'%s' matches %zu companies: be more specific", qr->company, cos->n);
        return RFX_EUSAGE;
    }
    return RFX_OK;
}

json_t *store_split_list(const char *c) {
    json_t *a = json_array();
    while (c && *c) {
        const char *e = strchr(c, ';');
        size_t len = e ? (size_t)(e - c) : strlen(c);
        json_array_append_new(a, json_stringn(c, len));
        c = e ? e + 1 : NULL;
    }
    return a;
}
