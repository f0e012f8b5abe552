/*
 * json.c — the register as the JSON object of design.md §3 (jansson).
 *
 * Field names are a contract other tools read: add fields, never rename.
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

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

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

static json_t *fact_json(const rfx_fact *f) {
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(rfx_fact_kind_name(f->kind)));
    json_object_set_new(o, "text", str_or_null(f->text));
    json_object_set_new(o, "start", json_integer(f->start));
    json_object_set_new(o, "end", json_integer(f->end));
    json_object_set_new(o, "value", f->has_value ? num(f->value) : json_null());
    if (f->has_high) json_object_set_new(o, "value_high", num(f->value_high));
    json_object_set_new(o, "currency", f->currency[0] ? json_string(f->currency) : json_null());
    json_object_set_new(o, "unit", str_or_null(f->unit));
    json_object_set_new(o, "period", str_or_null(f->period));
    if (f->date) json_object_set_new(o, "date", json_string(f->date));
    json_object_set_new(o, "repaired", str_or_null(f->repaired));
    return o;
}

static json_t *risk_json(const rfx_risk *k) {
    json_t *o = json_object();
    json_object_set_new(o, "index", json_integer((json_int_t)k->index));
    json_object_set_new(o, "group", str_or_null(k->group));
    json_object_set_new(o, "heading", json_string(k->heading.s ? k->heading.s : ""));
    json_object_set_new(o, "body", json_string(k->body.s ? k->body.s : ""));
    json_object_set_new(o, "start", json_integer(k->start));
    json_object_set_new(o, "end", json_integer(k->end));
    json_object_set_new(o, "heading_start", json_integer(rfx_text_start(&k->heading, 0)));
    json_object_set_new(o, "heading_end", json_integer(rfx_text_end(&k->heading, k->heading.len)));
    json_t *facts = json_array();
    for (size_t i = 0; i < k->nfacts; i++) json_array_append_new(facts, fact_json(&k->facts[i]));
    json_object_set_new(o, "facts", facts);
    json_t *cats = json_array();
    for (size_t i = 0; i < k->ncats; i++) {
        const rfx_category *c = &k->cats[i];
        json_t *ev = json_array();
        for (size_t j = 0; j < c->nevidence; j++) json_array_append_new(ev, json_string(c->evidence[j]));
        json_array_append_new(cats, json_pack("{s:s,s:o,s:o}", "id", c->id, "score", num(c->score),
                                              "evidence", ev));
    }
    json_object_set_new(o, "categories", cats);
    json_object_set_new(o, "metrics", metrics_json(&k->metrics));
    return o;
}

json_t *rfx_register_to_jansson(const rfx_register *r) {
    json_t *root = json_object();
    json_object_set_new(root, "rfx", json_string(RFX_VERSION));
    json_object_set_new(root, "source",
                        json_pack("{s:o,s:I,s:s,s:o}", "path", str_or_null(r->path), "bytes",
                                  (json_int_t)r->srclen, "format", fmt_name(r->format), "sha256",
                                  r->sha256[0] ? json_string(r->sha256) : json_null()));
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
    json_object_set_new(sec, "confidence", num(s->confidence));
    if (s->reference) json_object_set_new(sec, "reference", json_string(s->reference));
    json_object_set_new(root, "section", sec);
    if (r->preamble) json_object_set_new(root, "preamble", json_string(r->preamble));
    json_t *risks = json_array();
    for (size_t i = 0; i < r->nrisks; i++) json_array_append_new(risks, risk_json(&r->risks[i]));
    json_object_set_new(root, "risks", risks);
    json_t *ents = json_array();
    for (size_t i = 0; i < r->nentities; i++) {
        const rfx_entity *e = &r->entities[i];
        json_t *o = json_pack("{s:s,s:o,s:s}", "name", e->name ? e->name : "", "alias",
                              str_or_null(e->alias), "kind", rfx_entity_kind_name(e->kind));
        if (e->title) json_object_set_new(o, "title", json_string(e->title));
        json_object_set_new(o, "start", json_integer(e->start));
        json_object_set_new(o, "end", json_integer(e->end));
        json_array_append_new(ents, o);
    }
    json_object_set_new(root, "entities", ents);
    json_t *m = metrics_json(&r->metrics);
    json_object_set_new(m, "risks", json_integer((json_int_t)r->nrisks));
    json_object_set_new(root, "metrics", m);
    json_t *warn = json_array();
    for (size_t i = 0; i < r->nwarnings; i++) {
        const rfx_warning *w = &r->warnings[i];
        json_array_append_new(warn, json_pack("{s:s,s:s,s:o}", "code", w->code, "message",
                                              w->message ? w->message : "", "start",
                                              w->start >= 0 ? json_integer(w->start) : json_null()));
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
