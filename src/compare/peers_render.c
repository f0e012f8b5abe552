/*
 * peers_render.c — `rfx peers` as JSON, terminal text and one HTML page.
 * The page is self-contained (inline CSS, no script) and every text from a
 * document passes through rfx_buf_put_html.
 */
#include "peers.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *heading(const rfx_register *r, long i) {
    return i >= 0 && (size_t)i < r->nrisks && r->risks[i].heading.s ? r->risks[i].heading.s : "";
}

static json_t *jstr(const char *s) {
    json_t *j = json_string(s ? s : "");
    if (j) return j;
    char *t = rfx_utf8_repair(s, strlen(s));
    if (!t) return json_null();
    j = json_string(t);
    free(t);
    return j ? j : json_null();
}

/* four decimals: enough to rank, and a copy reads 1, not 0.99999999 */
static json_t *jnum(double x) { return json_real(round(x * 1e4) / 1e4); }

static json_t *doc_json(const pr_doc *d) {
    json_t *o = json_object();
    json_object_set_new(o, "company", jstr(d->label));
    json_object_set_new(o, "key", jstr(d->key));
    json_object_set_new(o, "name", jstr(d->name));
    json_object_set_new(o, "year", d->year ? json_integer(d->year) : json_null());
    json_object_set_new(o, "path", jstr(d->r->path));
    return o;
}

static json_t *shared_json(const rfx_peers *p, const pr_shared *s) {
    json_t *o = json_object(), *cs = json_array();
    json_object_set_new(o, "sentences", json_integer((json_int_t)s->sentences));
    json_object_set_new(o, "shared_sentences", json_integer((json_int_t)s->shared));
    json_object_set_new(o, "share", jnum(s->sentences ? (double)s->shared / (double)s->sentences : 0));
    for (size_t i = 0; i < s->ncompanies; i++) json_array_append_new(cs, jstr(p->docs[s->companies[i]].label));
    json_object_set_new(o, "companies", cs);
    return o;
}

char *rfx_peers_json(const rfx_peers *p, unsigned flags) {
    if (!p) return NULL;
    const pr_doc *T = &p->docs[p->target];
    json_t *root = json_object();
    json_object_set_new(root, "company", doc_json(T));
    json_t *peers = json_array();
    for (size_t c = 0; c < p->npeers; c++) {
        json_t *o = doc_json(&p->docs[p->peers[c]]);
        json_object_set_new(o, "similarity", jnum(p->peer_sim[c]));
        json_array_append_new(peers, o);
    }
    json_object_set_new(root, "peers", peers);
    json_object_set_new(root, "peers_given", json_boolean(p->peers_given));
    json_t *risks = json_array(), *uniq = json_array();
    for (size_t i = 0; i < p->nrisks; i++) {
        const pr_risk *k = &p->risks[i];
        json_t *o = json_object(), *cl = json_array();
        json_object_set_new(o, "index", json_integer((json_int_t)i + 1));
        json_object_set_new(o, "heading", jstr(heading(T->r, (long)i)));
        for (size_t c = 0; c < p->npeers; c++) {
            const pr_match *m = &k->best[c];
            const pr_doc *d = &p->docs[p->peers[c]];
            json_t *x = json_object();
            json_object_set_new(x, "company", jstr(d->label));
            json_object_set_new(x, "risk", m->risk >= 0 ? json_integer(m->risk + 1) : json_null());
            json_object_set_new(x, "heading", m->risk >= 0 ? jstr(heading(d->r, m->risk)) : json_null());
            json_object_set_new(x, "similarity", jnum(m->sim));
            json_array_append_new(cl, x);
        }
        json_object_set_new(o, "closest", cl);
        json_object_set_new(o, "unique", json_boolean(k->unique));
        json_object_set_new(o, "shared_text", shared_json(p, &k->shared));
        json_array_append_new(risks, o);
        if (k->unique) json_array_append_new(uniq, json_integer((json_int_t)i + 1));
    }
    json_object_set_new(root, "risks", risks);
    json_object_set_new(root, "unique", uniq);
    json_t *gaps = json_array();
    for (size_t g = 0; g < p->ngaps; g++) {
        const pr_gap *x = &p->gaps[g];
        json_t *o = json_object(), *terms = json_array(), *ev = json_array();
        for (int t = 0; t < 3; t++)
            if (x->terms[t][0]) json_array_append_new(terms, jstr(x->terms[t]));
        json_object_set_new(o, "terms", terms);
        json_object_set_new(o, "peers", json_integer((json_int_t)x->npeers));
        for (size_t e = 0; e < x->nev; e++) {
            const pr_doc *d = &p->docs[p->peers[x->ev[e].peer]];
            json_t *r = json_object();
            json_object_set_new(r, "company", jstr(d->label));
            json_object_set_new(r, "risk", json_integer((json_int_t)x->ev[e].risk + 1));
            json_object_set_new(r, "heading", jstr(heading(d->r, (long)x->ev[e].risk)));
            json_array_append_new(ev, r);
        }
        json_object_set_new(o, "evidence", ev);
        json_array_append_new(gaps, o);
    }
    json_object_set_new(root, "gaps", gaps);
    json_object_set_new(root, "shared_text", shared_json(p, &p->section));
    json_t *ix = json_object();
    json_object_set_new(ix, "filings", json_integer((json_int_t)p->ndocs));
    json_object_set_new(ix, "sentences", json_integer((json_int_t)p->index_sentences));
    json_object_set_new(ix, "build_seconds", jnum(p->index_seconds));
    json_object_set_new(root, "index", ix);
    char *s = json_dumps(root, (flags & RFX_RENDER_PRETTY ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER |
                                   JSON_REAL_PRECISION(6));
    json_decref(root);
    return s;
}

static void share_line(rfx_buf *b, const rfx_peers *p, const pr_shared *s) {
    rfx_buf_printf(b, "%zu/%zu sentences", s->shared, s->sentences);
    for (size_t i = 0; i < s->ncompanies && i < 8; i++)
        rfx_buf_printf(b, "%s%s", i ? ", " : " (at ", p->docs[s->companies[i]].label);
    if (s->ncompanies > 8) rfx_buf_printf(b, ", +%zu more", s->ncompanies - 8);
    if (s->ncompanies) rfx_buf_puts(b, ")");
}

char *rfx_peers_text(const rfx_peers *p, unsigned flags) {
    if (!p) return NULL;
    rfx_buf b;
    rfx_buf_init(&b, false);
    const pr_doc *T = &p->docs[p->target];
    rfx_buf_printf(&b, "%s %d: %zu risks\n\nPeers (%s, TF-IDF cosine of the sections):\n", T->name, T->year,
                   T->r->nrisks, p->peers_given ? "given" : "nearest");
    for (size_t c = 0; c < p->npeers; c++)
        rfx_buf_printf(&b, "  %.3f  %s %d\n", p->peer_sim[c], p->docs[p->peers[c]].name, p->docs[p->peers[c]].year);
    rfx_buf_puts(&b, "\nRisks (closest risk of each peer):\n");
    for (size_t i = 0; i < p->nrisks; i++) {
        const pr_risk *k = &p->risks[i];
        rfx_buf_printf(&b, "%3zu. %.110s%s\n", i + 1, heading(T->r, (long)i), k->unique ? "  [UNIQUE]" : "");
        for (size_t c = 0; c < p->npeers; c++) {
            const pr_match *m = &k->best[c];
            if (m->risk < 0) continue;
            rfx_buf_printf(&b, "       %.2f %-8.8s #%ld %.80s\n", m->sim, p->docs[p->peers[c]].label, m->risk + 1,
                           heading(p->docs[p->peers[c]].r, m->risk));
        }
        if (k->shared.shared) {
            rfx_buf_puts(&b, "       shared text: ");
            share_line(&b, p, &k->shared);
            rfx_buf_puts(&b, "\n");
        }
    }
    size_t nu = 0;
    for (size_t i = 0; i < p->nrisks; i++) nu += p->risks[i].unique;
    rfx_buf_printf(&b, "\nUnique (no peer risk reaches %.2f): %zu\n", p->unique_below, nu);
    for (size_t i = 0; i < p->nrisks; i++)
        if (p->risks[i].unique) rfx_buf_printf(&b, "  %zu. %.110s\n", i + 1, heading(T->r, (long)i));
    rfx_buf_printf(&b, "\nGaps (themes most peers disclose, no counterpart here): %zu\n", p->ngaps);
    for (size_t g = 0; g < p->ngaps; g++) {
        const pr_gap *x = &p->gaps[g];
        rfx_buf_printf(&b, "  [%s %s %s] at %zu of %zu peers\n", x->terms[0], x->terms[1], x->terms[2], x->npeers, p->npeers);
        for (size_t e = 0; e < x->nev && e < 6; e++) {
            const pr_doc *d = &p->docs[p->peers[x->ev[e].peer]];
            rfx_buf_printf(&b, "      %-8.8s #%zu %.90s\n", d->label, x->ev[e].risk + 1, heading(d->r, (long)x->ev[e].risk));
        }
    }
    rfx_buf_puts(&b, "\nShared text, whole section: ");
    share_line(&b, p, &p->section);
    rfx_buf_printf(&b, "\n(index: %zu sentences of %zu filings, built in %.2f s)\n", p->index_sentences, p->ndocs,
                   p->index_seconds);
    (void)flags;
    if (b.oom) { rfx_buf_free(&b); return NULL; }
    return rfx_buf_steal(&b);
}

static void esc(rfx_buf *b, const char *s) { rfx_buf_put_html(b, s ? s : "", s ? strlen(s) : 0); }

static const char css[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222;padding:0 1em}"
    "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.3em .5em;"
    "text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".u{background:#fff3cd;font-size:.8em;padding:0 .4em;border-radius:.3em}.muted{color:#777}"
    ".bar{display:inline-block;height:.7em;background:#4a7bd0;vertical-align:middle}";

char *rfx_peers_html(const rfx_peers *p, unsigned flags) {
    if (!p) return NULL;
    (void)flags;
    rfx_buf b;
    rfx_buf_init(&b, false);
    const pr_doc *T = &p->docs[p->target];
    rfx_buf_puts(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Risk factors and peers — rfx</title><style>");
    rfx_buf_puts(&b, css);
    rfx_buf_puts(&b, "</style></head><body><h1>");
    esc(&b, T->name);
    rfx_buf_printf(&b, " %d: risk factors against peers</h1>", T->year);
    rfx_buf_puts(&b, "<h2>Peers</h2><table><tr><th>company</th><th>year</th><th>similarity</th></tr>");
    for (size_t c = 0; c < p->npeers; c++) {
        rfx_buf_puts(&b, "<tr><td>");
        esc(&b, p->docs[p->peers[c]].name);
        rfx_buf_printf(&b, "</td><td>%d</td><td class=\"n\">%.3f <span class=\"bar\" style=\"width:%dpx\"></span></td></tr>",
                       p->docs[p->peers[c]].year, p->peer_sim[c], (int)(p->peer_sim[c] * 200));
    }
    rfx_buf_puts(&b, "</table><h2>Risks</h2><table><tr><th>#</th><th>risk</th><th>closest at each peer</th><th>shared text</th></tr>");
    for (size_t i = 0; i < p->nrisks; i++) {
        const pr_risk *k = &p->risks[i];
        rfx_buf_printf(&b, "<tr><td class=\"n\">%zu</td><td>", i + 1);
        esc(&b, heading(T->r, (long)i));
        if (k->unique) rfx_buf_puts(&b, " <span class=\"u\">unique</span>");
        rfx_buf_puts(&b, "</td><td>");
        for (size_t c = 0; c < p->npeers; c++) {
            const pr_match *m = &k->best[c];
            if (m->risk < 0) continue;
            rfx_buf_printf(&b, "<div>%.2f <b>", m->sim);
            esc(&b, p->docs[p->peers[c]].label);
            rfx_buf_puts(&b, "</b> <span class=\"muted\">");
            esc(&b, heading(p->docs[p->peers[c]].r, m->risk));
            rfx_buf_puts(&b, "</span></div>");
        }
        rfx_buf_printf(&b, "</td><td class=\"n\">%zu/%zu", k->shared.shared, k->shared.sentences);
        for (size_t c = 0; c < k->shared.ncompanies && c < 8; c++) {
            rfx_buf_puts(&b, c ? ", " : "<br><span class=\"muted\">");
            esc(&b, p->docs[k->shared.companies[c]].label);
        }
        if (k->shared.ncompanies) rfx_buf_puts(&b, "</span>");
        rfx_buf_puts(&b, "</td></tr>");
    }
    rfx_buf_puts(&b, "</table><h2>Gaps: themes most peers disclose</h2>");
    if (!p->ngaps) rfx_buf_puts(&b, "<p class=\"muted\">None.</p>");
    for (size_t g = 0; g < p->ngaps; g++) {
        const pr_gap *x = &p->gaps[g];
        rfx_buf_puts(&b, "<h3>");
        for (int t = 0; t < 3; t++) {
            if (t && x->terms[t][0]) rfx_buf_puts(&b, ", ");
            esc(&b, x->terms[t]);
        }
        rfx_buf_printf(&b, " <span class=\"muted\">(%zu of %zu peers)</span></h3><ul>", x->npeers, p->npeers);
        for (size_t e = 0; e < x->nev; e++) {
            const pr_doc *d = &p->docs[p->peers[x->ev[e].peer]];
            rfx_buf_puts(&b, "<li><b>");
            esc(&b, d->label);
            rfx_buf_puts(&b, "</b> ");
            esc(&b, heading(d->r, (long)x->ev[e].risk));
            rfx_buf_puts(&b, "</li>");
        }
        rfx_buf_puts(&b, "</ul>");
    }
    rfx_buf_printf(&b, "<h2>Shared text</h2><p>%zu of %zu sentences of the section appear near-verbatim in other companies' filings.</p>",
                   p->section.shared, p->section.sentences);
    rfx_buf_printf(&b, "<p class=\"muted\">Index: %zu sentences of %zu filings. Made by rfx %s.</p></body></html>\n",
                   p->index_sentences, p->ndocs, RFX_VERSION);
    if (b.oom) { rfx_buf_free(&b); return NULL; }
    return rfx_buf_steal(&b);
}
