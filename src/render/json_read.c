/*
 * json_read.c — a saved register (the JSON of render/json.c) back in memory.
 *
 * This is how `rfx diff` compares last year's saved run with this year's
 * filing without re-parsing. The input is untrusted: every field is checked
 * for its type, a wrong one is an error naming the field ("risks[3].heading:
 * expected a string"), missing optional fields take their defaults, and array
 * sizes are capped, so hostile JSON gives one clear line and never a crash.
 * What comes back has the source, filing, section, preamble, risks (heading,
 * body, group, index, offsets, categories) and warnings; facts, entities and
 * metrics are not read (compare does not use them). Texts get a zero source
 * map: offsets into a source we no longer have.
 */
#include "../rfx_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define MAX_JSON ((size_t)512 << 20)
#define MAX_RISKS 100000
#define MAX_CATS 64
#define MAX_EVIDENCE 256
#define MAX_WARNINGS 1000

typedef struct rd {
    rfx_register *r;
    rfx_error *err;
    bool failed;
} rd;

static bool bad(rd *c, const char *where, const char *what) {
    if (!c->failed) rfx_set_error(c->err, RFX_EINPUT, "saved register: %s: %s", where, what);
    c->failed = true;
    return false;
}

/* Optional string: absent or null → NULL; else must be a string. */
static bool opt_str(rd *c, json_t *o, const char *key, const char *where, const char **out) {
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v)) return true;
    if (!json_is_string(v)) {
        char w[160];
        snprintf(w, sizeof w, "%s.%s", where, key);
        return bad(c, w, "expected a string or null");
    }
    *out = rfx_arena_strndup(c->r->arena, json_string_value(v), json_string_length(v));
    return *out ? true : bad(c, where, "out of memory");
}

/* Optional non-negative integer below 2^32 (offsets). */
static bool opt_u32(rd *c, json_t *o, const char *key, const char *where, uint32_t *out) {
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) return true;
    char w[160];
    snprintf(w, sizeof w, "%s.%s", where, key);
    if (!json_is_integer(v)) return bad(c, w, "expected an integer");
    json_int_t x = json_integer_value(v);
    if (x < 0 || x > (json_int_t)UINT32_MAX) return bad(c, w, "out of range");
    *out = (uint32_t)x;
    return true;
}

static bool text_of(rd *c, json_t *o, const char *key, const char *where, rfx_text *t) {
    json_t *v = json_object_get(o, key);
    const char *s = "";
    size_t n = 0;
    if (v && !json_is_null(v)) {
        if (!json_is_string(v)) {
            char w[160];
            snprintf(w, sizeof w, "%s.%s", where, key);
            return bad(c, w, "expected a string");
        }
        s = json_string_value(v);
        n = json_string_length(v);
    }
    t->s = rfx_arena_strndup(c->r->arena, s, n);
    t->len = n;
    t->src = rfx_arena_alloc(c->r->arena, (n + 1) * sizeof *t->src); /* zeroed */
    return t->s && t->src ? true : bad(c, where, "out of memory");
}

static bool read_categories(rd *c, json_t *arr, rfx_risk *k, const char *where) {
    if (!arr || json_is_null(arr)) return true;
    if (!json_is_array(arr)) return bad(c, where, "categories: expected an array");
    size_t n = json_array_size(arr);
    if (n > MAX_CATS) return bad(c, where, "categories: too many");
    k->cats = rfx_arena_alloc(c->r->arena, (n ? n : 1) * sizeof *k->cats);
    if (!k->cats) return bad(c, where, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        char w[160];
        snprintf(w, sizeof w, "%s.categories[%zu]", where, i);
        if (!json_is_object(o)) return bad(c, w, "expected an object");
        rfx_category *cat = &k->cats[k->ncats];
        if (!opt_str(c, o, "id", w, &cat->id)) return false;
        if (!cat->id) return bad(c, w, "id: missing");
        json_t *sc = json_object_get(o, "score");
        if (sc && !json_is_null(sc) && !json_is_number(sc)) return bad(c, w, "score: expected a number");
        cat->score = sc ? json_number_value(sc) : 0;
        json_t *ev = json_object_get(o, "evidence");
        if (ev && !json_is_null(ev)) {
            if (!json_is_array(ev)) return bad(c, w, "evidence: expected an array");
            size_t ne = json_array_size(ev);
            if (ne > MAX_EVIDENCE) return bad(c, w, "evidence: too many");
            cat->evidence = rfx_arena_alloc(c->r->arena, (ne + 1) * sizeof *cat->evidence);
            if (!cat->evidence) return bad(c, w, "out of memory");
            for (size_t e = 0; e < ne; e++) {
                json_t *s = json_array_get(ev, e);
                if (!json_is_string(s)) return bad(c, w, "evidence: expected strings");
                cat->evidence[cat->nevidence++] = rfx_arena_strndup(c->r->arena, json_string_value(s), json_string_length(s));
            }
        }
        k->ncats++;
    }
    return true;
}

static bool read_risk(rd *c, json_t *o, size_t i) {
    char w[64];
    snprintf(w, sizeof w, "risks[%zu]", i);
    if (!json_is_object(o)) return bad(c, w, "expected an object");
    rfx_risk *k = rfx_reg_add_risk(c->r);
    if (!k) return bad(c, w, "out of memory");
    k->index = i + 1;
    json_t *ix = json_object_get(o, "index");
    if (ix && !json_is_null(ix)) {
        if (!json_is_integer(ix) || json_integer_value(ix) < 1 || json_integer_value(ix) > 100000000)
            return bad(c, w, "index: expected a positive integer");
        k->index = (size_t)json_integer_value(ix);
    }
    if (!json_object_get(o, "heading") && !json_object_get(o, "body"))
        return bad(c, w, "neither heading nor body");
    return opt_str(c, o, "group", w, &k->group) && text_of(c, o, "heading", w, &k->heading) &&
           text_of(c, o, "body", w, &k->body) && opt_u32(c, o, "start", w, &k->start) &&
           opt_u32(c, o, "end", w, &k->end) &&
           read_categories(c, json_object_get(o, "categories"), k, w);
}

static int format_of(const char *s) {
    if (!s) return RFX_FMT_TEXT;
    if (!strcmp(s, "html")) return RFX_FMT_HTML;
    if (!strcmp(s, "sgml")) return RFX_FMT_SGML;
    if (!strcmp(s, "pdf")) return RFX_FMT_PDF;
    if (!strcmp(s, "markdown")) return RFX_FMT_MARKDOWN;
    return RFX_FMT_TEXT;
}

static bool read_all(rd *c, json_t *root) {
    rfx_register *r = c->r;
    if (!json_is_object(root)) return bad(c, "top level", "expected an object");
    json_t *risks = json_object_get(root, "risks");
    if (!json_is_array(risks)) return bad(c, "risks", "missing or not an array");
    if (json_array_size(risks) > MAX_RISKS) return bad(c, "risks", "too many risks");
    /* a register from a newer, incompatible contract is refused, not misread;
     * registers saved before schema_version existed are read as 1.x */
    json_t *sv = json_object_get(root, "schema_version");
    if (sv && (!json_is_string(sv) || atoi(json_string_value(sv)) > RFX_SCHEMA_MAJOR))
        return bad(c, "schema_version", "newer than this rfx reads (" RFX_SCHEMA_VERSION ")");
    json_t *src = json_object_get(root, "source");
    if (src && !json_is_null(src)) {
        if (!json_is_object(src)) return bad(c, "source", "expected an object");
        const char *fmt = NULL, *sha = NULL;
        if (!opt_str(c, src, "path", "source", &r->path) || !opt_str(c, src, "format", "source", &fmt) ||
            !opt_str(c, src, "sha256", "source", &sha))
            return false;
        r->format = format_of(fmt);
        if (sha && strlen(sha) < sizeof r->sha256) strcpy(r->sha256, sha);
        json_t *bytes = json_object_get(src, "bytes");
        if (json_is_integer(bytes) && json_integer_value(bytes) >= 0) r->srclen = (size_t)json_integer_value(bytes);
        /* a prefix parse (--fast) read only this much; kept on a round trip */
        json_t *nread = json_object_get(src, "bytes_read");
        r->bytes_read = r->srclen;
        if (json_is_integer(nread) && json_integer_value(nread) >= 0 && (size_t)json_integer_value(nread) < r->srclen)
            r->bytes_read = (size_t)json_integer_value(nread);
    }
    json_t *f = json_object_get(root, "filing");
    if (f && !json_is_null(f)) {
        if (!json_is_object(f)) return bad(c, "filing", "expected an object");
        if (!opt_str(c, f, "form", "filing", &r->filing.form) ||
            !opt_str(c, f, "company", "filing", &r->filing.company) ||
            !opt_str(c, f, "cik", "filing", &r->filing.cik) ||
            !opt_str(c, f, "period", "filing", &r->filing.period) ||
            !opt_str(c, f, "currency", "filing", &r->filing.currency) ||
            !opt_str(c, f, "fiscal_year_end", "filing", &r->filing.fiscal_year_end))
            return false;
    }
    json_t *s = json_object_get(root, "section");
    r->section.found = json_array_size(risks) > 0;
    if (s && !json_is_null(s)) {
        if (!json_is_object(s)) return bad(c, "section", "expected an object");
        json_t *found = json_object_get(s, "found");
        if (found && !json_is_boolean(found)) return bad(c, "section.found", "expected true or false");
        if (found) r->section.found = json_is_true(found);
        json_t *conf = json_object_get(s, "confidence");
        if (conf && !json_is_null(conf) && !json_is_number(conf)) return bad(c, "section.confidence", "expected a number");
        if (conf) r->section.confidence = json_number_value(conf);
        if (!opt_str(c, s, "title", "section", &r->section.title) ||
            !opt_str(c, s, "how", "section", &r->section.how) ||
            !opt_str(c, s, "reference", "section", &r->section.reference) ||
            !opt_u32(c, s, "start", "section", &r->section.start) ||
            !opt_u32(c, s, "end", "section", &r->section.end))
            return false;
    }
    if (!opt_str(c, root, "preamble", "top level", &r->preamble)) return false;
    for (size_t i = 0; i < json_array_size(risks); i++)
        if (!read_risk(c, json_array_get(risks, i), i)) return false;
    json_t *warn = json_object_get(root, "warnings");
    if (json_is_array(warn)) {
        for (size_t i = 0; i < json_array_size(warn) && i < MAX_WARNINGS; i++) {
            json_t *o = json_array_get(warn, i);
            json_t *code = json_object_get(o, "code"), *msg = json_object_get(o, "message"),
                   *st = json_object_get(o, "start");
            if (!json_is_string(code) || !json_is_string(msg)) continue; /* advisory: skip bad ones */
            rfx_reg_warn(r, rfx_arena_strdup(r->arena, json_string_value(code)),
                         json_is_integer(st) ? json_integer_value(st) : -1, "%s", json_string_value(msg));
        }
    }
    return true;
}

rfx_status rfx_register_from_json(const char *json, size_t len, rfx_register **out, rfx_error *err) {
    *out = NULL;
    if (!json) {
        rfx_set_error(err, RFX_EUSAGE, "saved register: no input");
        return RFX_EUSAGE;
    }
    if (len > MAX_JSON) {
        rfx_set_error(err, RFX_EINPUT, "saved register: larger than %zu MiB", MAX_JSON >> 20);
        return RFX_EINPUT;
    }
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        rfx_set_error(err, RFX_EINPUT, "saved register: invalid JSON at line %d column %d: %s",
                      jerr.line, jerr.column, jerr.text);
        return RFX_EINPUT;
    }
    rfx_register *r = rfx_register_new(NULL);
    if (!r) {
        json_decref(root);
        rfx_set_error(err, RFX_ENOMEM, "saved register: out of memory");
        return RFX_ENOMEM;
    }
    r->from_json = true;
    rd c = {r, err, false};
    bool ok = read_all(&c, root);
    json_decref(root);
    if (!ok) {
        rfx_register_free(r);
        return RFX_EINPUT;
    }
    *out = r;
    return RFX_OK;
}
