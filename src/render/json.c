/*
 * json.c — the register as a JSON object (jansson): docs/json.md,
 * schema/register.schema.json.
 *
 * Field names are a contract other tools read: add fields (and bump the
 * minor RFX_SCHEMA_VERSION), never rename.
 * Unknown values are JSON null, not empty strings.
 */
#include "../rfx_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *fmt_name(int f) {
    switch (f) {
    case RFX_FMT_HTML: return "html";
    case RFX_FMT_SGML: return "sgml";
    case RFX_FMT_PDF: return "pdf";
    case RFX_FMT_MARKDOWN: return "markdown";
    default: return "text";
    }
}

const char *rfx_fact_kind_name(int k) {
    static const char *n[] = {"money", "percent", "count", "date", "period"};
    return k >= 0 && k < 5 ? n[k] : "unknown";
}

const char *rfx_entity_kind_name(int k) {
    static const char *n[] = {"org", "person", "regulator", "law", "term"};
    return k >= 0 && k < 5 ? n[k] : "unknown";
}

/* A JSON string from text the register holds. Stage text is valid UTF-8,
 * but a file name or a message can carry any bytes: those are repaired
 * (each invalid byte becomes U+FFFD) rather than losing the field. */
static json_t *jstr(const char *s) {
    if (!s) s = "";
    json_t *j = json_string(s);
    if (j) return j;
    rfx_buf b;
    rfx_buf_init(&b, false);
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        int k = rfx_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        char enc[4];
        if (cp == 0xFFFD) k = 1;
        rfx_buf_put(&b, enc, (size_t)rfx_utf8_encode(cp, enc), 0, false);
        i += (size_t)k;
    }
    char *fixed = rfx_buf_steal(&b);
    j = json_string(fixed ? fixed : "");
    free(fixed);
    return j ? j : json_string("");
}

static json_t *str_or_null(const char *s) { return s ? jstr(s) : json_null(); }

/* End offsets come from offset maps that point at the first source byte of
 * each character; an end must not stop inside a multi-byte UTF-8 source
 * character, so it is moved to the character's last byte + 1. */
static uint32_t char_end(const rfx_register *r, uint32_t e) {
    /* PDF: offsets index the extracted text, not the file */
    const unsigned char *src = r->pdf ? (const unsigned char *)r->decoded.s : r->src;
    size_t srclen = r->pdf ? r->decoded.len : r->srclen;
    if (!src || e == 0 || e >= srclen) return e;
    size_t lead = e - 1, back = 0;
    while (lead > 0 && back < 3 && (src[lead] & 0xC0) == 0x80) { lead--; back++; }
    unsigned char c = src[lead];
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (len > 1 && lead + len > e && lead + len <= srclen && rfx_utf8_valid(src + lead, len, NULL))
        return (uint32_t)(lead + len);
    return e;
}

/* PDF: the page and box of a span, beside its offsets ({"page": 3, "bbox":
 * [x0, y0, x1, y1]} in PDF points from the page's top left). */
static void put_place(const rfx_register *r, json_t *o, uint32_t start, uint32_t end) {
    uint32_t page;
    float b[4];
    if (!r->pdf || !rfx_pdf_span_box(r, start, end, &page, b)) return;
    json_object_set_new(o, "page", json_integer(page));
    json_object_set_new(o, "bbox", json_pack("[f,f,f,f]", round(b[0] * 10) / 10, round(b[1] * 10) / 10,
                                             round(b[2] * 10) / 10, round(b[3] * 10) / 10));
}

/* Whole numbers print without a fraction; others keep up to 6 significant decimals. */
static json_t *num(double v) {
    if (!isfinite(v)) return json_null();
    if (fabs(v) < 9e15 && v == floor(v)) return json_integer((json_int_t)v);
    return json_real(round(v * 1e6) / 1e6);
}

static json_t *metrics_json(const rfx_metrics *m) {
    if (!m->valid) return json_object();
    return json_pack("{s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "words", (json_int_t)m->words,
                     "sentences", (json_int_t)m->sentences, "specificity", num(m->specificity),
                     "boilerplate", num(m->boilerplate), "fog", num(m->fog), "uncertainty",
                     num(m->uncertainty), "litigious", num(m->litigious), "negative",
                     num(m->negative));
}

static json_t *fact_json(const rfx_register *r, const rfx_fact *f) {
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(rfx_fact_kind_name(f->kind)));
    json_object_set_new(o, "text", str_or_null(f->text));
    json_object_set_new(o, "start", json_integer(f->start));
    json_object_set_new(o, "end", json_integer(char_end(r, f->end)));
    json_object_set_new(o, "value", f->has_value ? num(f->value) : json_null());
    if (f->has_high) json_object_set_new(o, "value_high", num(f->value_high));
    json_object_set_new(o, "currency", f->currency[0] ? json_string(f->currency) : json_null());
    json_object_set_new(o, "unit", str_or_null(f->unit));
    json_object_set_new(o, "period", str_or_null(f->period));
    if (f->date) json_object_set_new(o, "date", json_string(f->date));
    json_object_set_new(o, "repaired", str_or_null(f->repaired));
    put_place(r, o, f->start, f->end);
    return o;
}

static json_t *risk_json(const rfx_register *r, const rfx_risk *k) {
    json_t *o = json_object();
    json_object_set_new(o, "index", json_integer((json_int_t)k->index));
    json_object_set_new(o, "group", str_or_null(k->group));
    json_object_set_new(o, "heading", jstr(k->heading.s));
    json_object_set_new(o, "body", jstr(k->body.s));
    json_object_set_new(o, "start", json_integer(k->start));
    json_object_set_new(o, "end", json_integer(char_end(r, k->end)));
    json_object_set_new(o, "heading_start", json_integer(rfx_text_start(&k->heading, 0)));
    json_object_set_new(o, "heading_end", json_integer(char_end(r, rfx_text_end(&k->heading, k->heading.len))));
    if (r->pdf) { /* where the heading sits, and the pages the risk spans */
        put_place(r, o, rfx_text_start(&k->heading, 0), rfx_text_end(&k->heading, k->heading.len));
        json_object_set_new(o, "pages", json_pack("[i,i]", (int)rfx_pdf_page_at(r, k->start),
                                                  (int)rfx_pdf_page_at(r, k->end > 0 ? k->end - 1 : 0)));
    }
    json_t *facts = json_array();
    for (size_t i = 0; i < k->nfacts; i++) json_array_append_new(facts, fact_json(r, &k->facts[i]));
    json_object_set_new(o, "facts", facts);
    json_t *cats = json_array();
    for (size_t i = 0; i < k->ncats; i++) {
        const rfx_category *c = &k->cats[i];
        json_t *ev = json_array();
        for (size_t j = 0; j < c->nevidence; j++) json_array_append_new(ev, jstr(c->evidence[j]));
        json_array_append_new(cats, json_pack("{s:s,s:o,s:o}", "id", c->id, "score", num(c->score),
                                              "evidence", ev));
    }
    json_object_set_new(o, "categories", cats);
    json_object_set_new(o, "metrics", metrics_json(&k->metrics));
    return o;
}

json_t *rfx_register_to_jansson(const rfx_register *r) {
    json_t *root = json_object();
    json_object_set_new(root, "schema_version", json_string(RFX_SCHEMA_VERSION));
    json_object_set_new(root, "rfx", json_string(RFX_VERSION));
    json_object_set_new(root, "source",
                        json_pack("{s:o,s:I,s:s,s:o}", "path", str_or_null(r->path), "bytes",
                                  (json_int_t)r->srclen, "format", fmt_name(r->format), "sha256",
                                  r->sha256[0] ? json_string(r->sha256) : json_null()));
    /* a prefix parse: the blocks come from the first bytes_read bytes only */
    if (r->bytes_read && r->bytes_read < r->srclen)
        json_object_set_new(json_object_get(root, "source"), "bytes_read", json_integer((json_int_t)r->bytes_read));
    if (r->pdf) { /* every offset indexes the extracted text (rfx_source_text, --source-text) */
        json_t *src = json_object_get(root, "source");
        json_object_set_new(src, "offsets", json_string("extracted-text"));
        json_object_set_new(src, "text_bytes", json_integer((json_int_t)r->decoded.len));
        json_object_set_new(src, "pages", json_integer(r->pdf->pages));
        json_object_set_new(src, "pages_read", json_integer(r->pdf->pages_read));
        json_object_set_new(src, "ocr_pages", json_integer(r->pdf->ocr_pages));
        if (r->pdf->ocr_lang) json_object_set_new(src, "ocr_lang", json_string(r->pdf->ocr_lang));
    }
    const rfx_filing *f = &r->filing;
    json_t *filing = json_object();
    json_object_set_new(filing, "form", str_or_null(f->form));
    json_object_set_new(filing, "company", str_or_null(f->company));
    json_object_set_new(filing, "cik", str_or_null(f->cik));
    json_object_set_new(filing, "period", str_or_null(f->period));
    json_object_set_new(filing, "currency", str_or_null(f->currency));
    json_object_set_new(filing, "fiscal_year_end", str_or_null(f->fiscal_year_end));
    json_object_set_new(root, "filing", filing);
    const rfx_section *s = &r->section;
    json_t *sec = json_object();
    json_object_set_new(sec, "found", json_boolean(s->found));
    json_object_set_new(sec, "title", str_or_null(s->title));
    json_object_set_new(sec, "start", s->found ? json_integer(s->start) : json_null());
    json_object_set_new(sec, "end", s->found ? json_integer(s->end) : json_null());
    json_object_set_new(sec, "how", str_or_null(s->how));
    if (s->found) put_place(r, sec, s->start, s->end);
    json_object_set_new(sec, "confidence", num(s->confidence));
    if (s->reference) json_object_set_new(sec, "reference", jstr(s->reference));
    json_object_set_new(root, "section", sec);
    if (r->preamble) json_object_set_new(root, "preamble", jstr(r->preamble));
    json_t *risks = json_array();
    for (size_t i = 0; i < r->nrisks; i++) json_array_append_new(risks, risk_json(r, &r->risks[i]));
    json_object_set_new(root, "risks", risks);
    json_t *ents = json_array();
    for (size_t i = 0; i < r->nentities; i++) {
        const rfx_entity *e = &r->entities[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", jstr(e->name));
        json_object_set_new(o, "alias", str_or_null(e->alias));
        json_object_set_new(o, "kind", json_string(rfx_entity_kind_name(e->kind)));
        if (e->title) json_object_set_new(o, "title", jstr(e->title));
        json_object_set_new(o, "start", json_integer(e->start));
        json_object_set_new(o, "end", json_integer(char_end(r, e->end)));
        put_place(r, o, e->start, e->end);
        json_array_append_new(ents, o);
    }
    json_object_set_new(root, "entities", ents);
    json_t *m = metrics_json(&r->metrics);
    json_object_set_new(m, "risks", json_integer((json_int_t)r->nrisks));
    json_object_set_new(root, "metrics", m);
    json_t *warn = json_array();
    for (size_t i = 0; i < r->nwarnings; i++) {
        const rfx_warning *w = &r->warnings[i];
        json_t *o = json_object();
        json_object_set_new(o, "code", jstr(w->code));
        json_object_set_new(o, "message", jstr(w->message));
        json_object_set_new(o, "start", w->start >= 0 ? json_integer(w->start) : json_null());
        if (w->start >= 0) put_place(r, o, (uint32_t)w->start, (uint32_t)w->start + 1);
        json_array_append_new(warn, o);
    }
    json_object_set_new(root, "warnings", warn);
    return root;
}

char *rfx_register_json(const rfx_register *r, unsigned flags) {
    json_t *root = rfx_register_to_jansson(r);
    if (!root) return NULL;
    char *out = json_dumps(root, (flags & RFX_RENDER_PRETTY ? JSON_INDENT(2) : JSON_COMPACT) |
                                     JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(root);
    return out;
}
