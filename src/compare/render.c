/*
 * render.c — a diff for programs (JSON), for a terminal, and as one page.
 *
 * All three print the same things in the same order: the section-level
 * measures, counts by status, then each pair with its redline. Pairs follow
 * the new filing's order, removed risks placed where they used to be. The
 * JSON fields (docs/json.md, schema/diff.schema.json) are a contract; the rest are additions. A
 * redline is printed from the original strings (spans of whole words), so
 * what is shown is what the filing said, spacing and paragraph breaks kept.
 */
#include "compare.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------- shared helpers ---------------- */

static const rfx_risk *risk_of(const rfx_register *r, long i) {
    return i >= 0 && (size_t)i < r->nrisks ? &r->risks[i] : NULL;
}

/* The register's own 1-based risk number (what `rfx parse` prints). */
static long risk_no(const rfx_register *r, long i) {
    const rfx_risk *k = risk_of(r, i);
    if (!k) return -1;
    return k->index ? (long)k->index : i + 1;
}

/* Bytes of words [w0, w1) of w, as written. */
static void span(const cmp_words *w, uint32_t w0, uint32_t w1, const char **s, size_t *n) {
    if (w0 >= w1 || w1 > w->n) { *s = ""; *n = 0; return; }
    *s = w->s + w->off[w0];
    *n = (size_t)(w->off[w1 - 1] + w->len[w1 - 1] - w->off[w0]);
}

static double r6(double v) { return isfinite(v) ? round(v * 1e6) / 1e6 : 0; }

static const char *heading_or_blank(const rfx_risk *k) {
    return k && k->heading.s && k->heading.s[0] ? k->heading.s : "(no heading)";
}

/* ---------------- JSON ---------------- */

static json_t *idx_json(const rfx_register *r, long i) {
    return i >= 0 ? json_integer(risk_no(r, i)) : json_null();
}

/* The words an op covers: inserts come from the new text, the rest from the old. */
static void op_text(const cmp_op *op, const cmp_words *wa, const cmp_words *wb, const char **s,
                    size_t *n) {
    if (op->kind == CMP_INSERT) span(wb, op->b0, op->b1, s, n);
    else span(wa, op->a0, op->a1, s, n);
}

static json_t *ops_json(const cmp_ops *o, const cmp_words *wa, const cmp_words *wb) {
    static const char *names[] = {"equal", "delete", "insert"};
    json_t *arr = json_array();
    for (size_t k = 0; k < o->n; k++) {
        const cmp_op *op = &o->v[k];
        const char *s;
        size_t n;
        op_text(op, wa, wb, &s, &n);
        json_array_append_new(arr, json_pack("{s:s,s:s%}", "op", names[op->kind], "text", s, n));
    }
    return arr;
}

static json_t *measures_json(const cmp_measures *m) {
    return json_pack("{s:f,s:f,s:f,s:f}", "cosine", r6(m->cosine), "jaccard", r6(m->jaccard),
                     "min_edit", r6(m->min_edit), "simple", r6(m->simple));
}

static json_t *side_json(const rfx_register *r) {
    return json_pack("{s:o,s:o,s:o,s:o,s:I}", "path", r->path ? json_string(r->path) : json_null(),
                     "company", r->filing.company ? json_string(r->filing.company) : json_null(),
                     "form", r->filing.form ? json_string(r->filing.form) : json_null(),
                     "period", r->filing.period ? json_string(r->filing.period) : json_null(),
                     "risks", (json_int_t)r->nrisks);
}

char *rfx_diff_json(const rfx_diff *d, unsigned flags) {
    if (!d) return NULL;
    json_t *root = json_object();
    json_object_set_new(root, "schema_version", json_string(RFX_SCHEMA_VERSION));
    json_object_set_new(root, "rfx", json_string(RFX_VERSION));
    json_object_set_new(root, "old", side_json(d->a));
    json_object_set_new(root, "new", side_json(d->b));
    json_object_set_new(root, "similarity", measures_json(&d->section));
    json_object_set_new(root, "words",
                        json_pack("{s:I,s:I,s:I,s:I,s:I,s:b}", "old", (json_int_t)d->section.na,
                                  "new", (json_int_t)d->section.nb, "added",
                                  (json_int_t)d->section.added, "deleted",
                                  (json_int_t)d->section.deleted, "edit_distance",
                                  (json_int_t)d->section.edit, "edit_exact",
                                  d->section.edit_exact));
    json_t *counts = json_object();
    for (int s = 0; s < CMP_NSTATUS; s++)
        json_object_set_new(counts, cmp_status_name[s], json_integer((json_int_t)d->counts[s]));
    json_object_set_new(counts, "moved_modified", json_integer((json_int_t)d->moved_modified));
    json_object_set_new(counts, "splits", json_integer((json_int_t)rfx_diff_count(d, "split")));
    json_object_set_new(counts, "merges", json_integer((json_int_t)rfx_diff_count(d, "merge")));
    json_object_set_new(root, "counts", counts);
    json_t *pairs = json_array();
    for (size_t k = 0; k < d->npairs; k++) {
        const cmp_pair *p = &d->pairs[k];
        const rfx_risk *ka = risk_of(d->a, p->old), *kb = risk_of(d->b, p->new_);
        json_t *o = json_object();
        json_object_set_new(o, "status", json_string(cmp_status_name[p->status]));
        json_object_set_new(o, "old", idx_json(d->a, p->old));
        json_object_set_new(o, "new", idx_json(d->b, p->new_));
        json_object_set_new(o, "similarity", json_real(r6(p->similarity)));
        json_object_set_new(o, "modified", json_boolean(p->modified));
        json_object_set_new(o, "moved", json_boolean(p->moved));
        if (ka && kb) json_object_set_new(o, "score", json_real(r6(p->score)));
        json_object_set_new(o, "old_heading", ka ? json_string(ka->heading.s ? ka->heading.s : "") : json_null());
        json_object_set_new(o, "new_heading", kb ? json_string(kb->heading.s ? kb->heading.s : "") : json_null());
        if (p->split_from >= 0) json_object_set_new(o, "split_from", idx_json(d->a, p->split_from));
        if (p->merged_into >= 0) json_object_set_new(o, "merged_into", idx_json(d->b, p->merged_into));
        json_object_set_new(o, "measures", measures_json(&p->m));
        json_object_set_new(o, "words", json_pack("{s:I,s:I,s:I,s:I}", "old", (json_int_t)p->m.na, "new",
                                                  (json_int_t)p->m.nb, "added", (json_int_t)p->m.added,
                                                  "deleted", (json_int_t)p->m.deleted));
        if (ka && kb && p->modified)
            json_object_set_new(
                o, "redline",
                json_pack("{s:o,s:o}", "heading",
                          ops_json(&p->head, &d->wa_head[p->old], &d->wb_head[p->new_]), "body",
                          ops_json(&p->body, &d->wa_body[p->old], &d->wb_body[p->new_])));
        json_array_append_new(pairs, o);
    }
    json_object_set_new(root, "pairs", pairs);
    json_t *splits = json_array(), *merges = json_array();
    for (size_t g = 0; g < d->ngroups; g++) {
        const cmp_group *x = &d->groups[g];
        json_t *many = json_array();
        for (size_t i = 0; i < x->nmany; i++)
            json_array_append_new(many, idx_json(x->split ? d->b : d->a, x->many[i]));
        if (x->split)
            json_array_append_new(splits, json_pack("{s:o,s:o}", "old", idx_json(d->a, x->one), "new", many));
        else
            json_array_append_new(merges, json_pack("{s:o,s:o}", "old", many, "new", idx_json(d->b, x->one)));
    }
    json_object_set_new(root, "splits", splits);
    json_object_set_new(root, "merges", merges);
    char *out = json_dumps(root, (flags & RFX_RENDER_PRETTY ? JSON_INDENT(2) : JSON_COMPACT) |
                                     JSON_PRESERVE_ORDER);
    json_decref(root);
    return out;
}

/* ---------------- terminal ---------------- */

typedef struct tstyle {
    const char *bold, *dim, *red, *green, *yellow, *cyan, *off;
    bool color;
} tstyle;

#define WIDTH 100
#define CONTEXT 8 /* words of unchanged text kept either side of a change */

/* A word wrapper that counts only visible characters. */
typedef struct wrap {
    rfx_buf *b;
    size_t col;
} wrap;

static void wrap_word(wrap *w, const char *s, size_t n, const char *pre, const char *post) {
    size_t vis = 0;
    for (size_t i = 0; i < n; i++) vis += ((unsigned char)s[i] & 0xC0) != 0x80;
    if (w->col > 6 && w->col + 1 + vis > WIDTH) {
        rfx_buf_puts(w->b, "\n      ");
        w->col = 6;
    } else if (w->col > 6) {
        rfx_buf_puts(w->b, " ");
        w->col++;
    }
    rfx_buf_puts(w->b, pre);
    rfx_buf_put(w->b, s, n, 0, false);
    rfx_buf_puts(w->b, post);
    w->col += vis;
}

/* Words [w0,w1) of ws, each wrapped; a run is marked only at its ends. */
static void wrap_run(wrap *w, const cmp_words *ws, uint32_t w0, uint32_t w1, const char *open,
                     const char *close) {
    for (uint32_t i = w0; i < w1; i++)
        wrap_word(w, ws->s + ws->off[i], ws->len[i], i == w0 ? open : "", i + 1 == w1 ? close : "");
}

static void redline_text(rfx_buf *b, const cmp_ops *o, const cmp_words *wa, const cmp_words *wb,
                         const tstyle *t, bool abbreviate) {
    wrap w = {b, 6};
    rfx_buf_puts(b, "      ");
    char dopen[16], dclose[16], iopen[16], iclose[16];
    snprintf(dopen, sizeof dopen, "%s%s", t->red, t->color ? "" : "[-");
    snprintf(dclose, sizeof dclose, "%s%s", t->color ? "" : "-]", t->off);
    snprintf(iopen, sizeof iopen, "%s%s", t->green, t->color ? "" : "{+");
    snprintf(iclose, sizeof iclose, "%s%s", t->color ? "" : "+}", t->off);
    for (size_t k = 0; k < o->n; k++) {
        const cmp_op *op = &o->v[k];
        if (op->kind == CMP_DELETE) wrap_run(&w, wa, op->a0, op->a1, dopen, dclose);
        else if (op->kind == CMP_INSERT) wrap_run(&w, wb, op->b0, op->b1, iopen, iclose);
        else if (!abbreviate || op->a1 - op->a0 <= 2 * CONTEXT + 2) wrap_run(&w, wa, op->a0, op->a1, "", "");
        else {
            uint32_t head = k > 0 ? CONTEXT : 0, tail = k + 1 < o->n ? CONTEXT : 0;
            wrap_run(&w, wa, op->a0, op->a0 + head, "", "");
            wrap_word(&w, "…", strlen("…"), t->dim, t->off);
            wrap_run(&w, wa, op->a1 - tail, op->a1, "", "");
        }
    }
    rfx_buf_puts(b, "\n");
}

static const char *mark_of(int status) {
    static const char *m[] = {"=", "~", "+", "-", ">"};
    return m[status];
}

char *rfx_diff_text(const rfx_diff *d, unsigned flags) {
    if (!d) return NULL;
    bool c = flags & RFX_RENDER_COLOR;
    tstyle t = {c ? "\033[1m" : "", c ? "\033[2m" : "", c ? "\033[31m" : "", c ? "\033[32m" : "",
                c ? "\033[33m" : "", c ? "\033[36m" : "", c ? "\033[0m" : "", c};
    const char *scol[] = {t.dim, t.yellow, t.green, t.red, t.cyan};
    rfx_buf b;
    rfx_buf_init(&b, false);
    rfx_buf_printf(&b, "%sold%s %s (%zu risks)\n%snew%s %s (%zu risks)\n", t.bold, t.off,
                   d->a->path ? d->a->path : "-", d->a->nrisks, t.bold, t.off,
                   d->b->path ? d->b->path : "-", d->b->nrisks);
    const cmp_measures *s = &d->section;
    rfx_buf_printf(&b, "%ssimilarity%s cosine %.3f  jaccard %.3f  min_edit %.3f%s  simple %.3f\n",
                   t.bold, t.off, s->cosine, s->jaccard, s->min_edit, s->edit_exact ? "" : "≈",
                   s->simple);
    rfx_buf_printf(&b, "%swords%s %zu → %zu: %zu added, %zu deleted\n", t.bold, t.off, s->na, s->nb,
                   s->added, s->deleted);
    rfx_buf_printf(&b, "%srisks%s  %s%zu unchanged%s, %s%zu modified%s, %s%zu added%s, %s%zu removed%s, "
                       "%s%zu moved%s",
                   t.bold, t.off, scol[0], d->counts[0], t.off, scol[1], d->counts[1], t.off, scol[2],
                   d->counts[2], t.off, scol[3], d->counts[3], t.off, scol[4], d->counts[4], t.off);
    if (d->moved_modified) rfx_buf_printf(&b, " (%zu of them also modified)", d->moved_modified);
    rfx_buf_printf(&b, "; %zu splits, %zu merges\n\n", rfx_diff_count(d, "split"), rfx_diff_count(d, "merge"));
    for (size_t k = 0; k < d->npairs; k++) {
        const cmp_pair *p = &d->pairs[k];
        const rfx_risk *ka = risk_of(d->a, p->old), *kb = risk_of(d->b, p->new_);
        char idx[48];
        snprintf(idx, sizeof idx, "%ld→%ld", risk_no(d->a, p->old), risk_no(d->b, p->new_));
        if (!ka) snprintf(idx, sizeof idx, "  →%ld", risk_no(d->b, p->new_));
        if (!kb) snprintf(idx, sizeof idx, "%ld→  ", risk_no(d->a, p->old));
        rfx_buf_printf(&b, "%s%s %-9s%s %-9s ", scol[p->status], mark_of(p->status),
                       cmp_status_name[p->status], t.off, idx);
        rfx_buf_puts(&b, heading_or_blank(kb ? kb : ka));
        if (ka && kb && p->modified) rfx_buf_printf(&b, " %s(%.2f)%s", t.dim, p->similarity, t.off);
        if (p->split_from >= 0) rfx_buf_printf(&b, " %s[split from %ld]%s", t.dim, risk_no(d->a, p->split_from), t.off);
        if (p->merged_into >= 0) rfx_buf_printf(&b, " %s[merged into %ld]%s", t.dim, risk_no(d->b, p->merged_into), t.off);
        rfx_buf_puts(&b, "\n");
        if (ka && kb && p->modified) {
            bool head_changed = !(p->head.n == 1 && p->head.v[0].kind == CMP_EQUAL) && p->head.n;
            if (head_changed) {
                rfx_buf_printf(&b, "    %sheading%s\n", t.dim, t.off);
                redline_text(&b, &p->head, &d->wa_head[p->old], &d->wb_head[p->new_], &t, false);
            }
            bool body_changed = !(p->body.n == 1 && p->body.v[0].kind == CMP_EQUAL) && p->body.n;
            if (body_changed)
                redline_text(&b, &p->body, &d->wa_body[p->old], &d->wb_body[p->new_], &t, true);
        }
    }
    return rfx_buf_steal(&b);
}

/* ---------------- HTML ---------------- */

static const char *css =
    ":root{--del:#b3261e;--delbg:#fde7e6;--ins:#0b6b2e;--insbg:#e3f6e8;--mod:#8a5a00;--mov:#005f87;"
    "--muted:#667;--line:#dde}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1f;"
    "background:#fafafc}"
    "header{padding:1.2rem 2rem;background:#fff;border-bottom:1px solid var(--line)}"
    "h1{font-size:1.4rem;margin:0 0 .4rem}"
    ".files{color:var(--muted);margin:.2rem 0 1rem;font-size:.9rem;word-break:break-all}"
    ".summary{display:flex;gap:2rem;flex-wrap:wrap}"
    ".summary table{border-collapse:collapse}"
    ".summary th,.summary td{padding:.2rem .8rem;border-bottom:1px solid var(--line);text-align:left}"
    ".summary td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".wrap{display:flex;align-items:flex-start}"
    "nav{position:sticky;top:0;max-height:100vh;overflow:auto;width:22rem;flex:none;padding:1rem;"
    "border-right:1px solid var(--line);background:#fff;font-size:.85rem}"
    "nav ol{list-style:none;margin:0;padding:0}"
    "nav li{margin:.15rem 0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}"
    "nav a{color:inherit;text-decoration:none}nav a:hover{text-decoration:underline}"
    "main{flex:1;padding:1rem 2rem;max-width:60rem}"
    "article{background:#fff;border:1px solid var(--line);border-left:4px solid var(--line);"
    "border-radius:4px;padding:.6rem 1rem;margin:0 0 .8rem}"
    "article h2{font-size:1rem;margin:.2rem 0}"
    ".meta{font-size:.8rem;color:var(--muted)}"
    ".badge{display:inline-block;font-size:.72rem;font-weight:600;text-transform:uppercase;"
    "letter-spacing:.04em;padding:0 .4rem;border-radius:3px;margin-right:.4rem;color:#fff}"
    ".st-unchanged .badge{background:#889}.st-modified .badge{background:var(--mod)}"
    ".st-added .badge{background:var(--ins)}.st-removed .badge{background:var(--del)}"
    ".st-moved .badge{background:var(--mov)}"
    "article.st-modified{border-left-color:var(--mod)}article.st-added{border-left-color:var(--ins)}"
    "article.st-removed{border-left-color:var(--del)}article.st-moved{border-left-color:var(--mov)}"
    ".body{white-space:pre-wrap;margin:.4rem 0}"
    "del{color:var(--del);background:var(--delbg);text-decoration:line-through}"
    "ins{color:var(--ins);background:var(--insbg);text-decoration:none;border-bottom:1px solid var(--ins)}"
    "nav .st-modified a::before{content:'~ ';color:var(--mod)}nav .st-added a::before{content:'+ ';"
    "color:var(--ins)}nav .st-removed a::before{content:'− ';color:var(--del)}"
    "nav .st-moved a::before{content:'↕ ';color:var(--mov)}nav .st-unchanged a::before{content:'= ';"
    "color:#889}"
    "details summary{cursor:pointer;color:var(--muted);font-size:.85rem}"
    "@media (max-width:900px){.wrap{display:block}nav{position:static;width:auto;max-height:none;"
    "border-right:0}}"
    "@media print{body{background:#fff;font-size:10.5pt}nav{display:none}.wrap{display:block}"
    "main{max-width:none;padding:0}header{border:0;padding:0 0 1rem}"
    "article{break-inside:auto;border:0;border-left:3px solid var(--line);border-radius:0}"
    "article h2{break-after:avoid}a{color:inherit;text-decoration:none}"
    "del,ins,.badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "article.st-unchanged{display:none}}";

static void html_esc(rfx_buf *b, const char *s) { rfx_buf_put_html(b, s ? s : "", s ? strlen(s) : 0); }

static void redline_html(rfx_buf *b, const cmp_ops *o, const cmp_words *wa, const cmp_words *wb) {
    for (size_t k = 0; k < o->n; k++) {
        const cmp_op *op = &o->v[k];
        const char *s;
        size_t n;
        op_text(op, wa, wb, &s, &n);
        if (k) rfx_buf_puts(b, " ");
        rfx_buf_puts(b, op->kind == CMP_DELETE ? "<del>" : op->kind == CMP_INSERT ? "<ins>" : "");
        rfx_buf_put_html(b, s, n);
        rfx_buf_puts(b, op->kind == CMP_DELETE ? "</del>" : op->kind == CMP_INSERT ? "</ins>" : "");
    }
}

static void side_html(rfx_buf *b, const char *label, const rfx_register *r) {
    rfx_buf_printf(b, "<div><b>%s</b> ", label);
    html_esc(b, r->path ? r->path : "-");
    if (r->filing.company) { rfx_buf_puts(b, " — "); html_esc(b, r->filing.company); }
    if (r->filing.period) { rfx_buf_puts(b, ", "); html_esc(b, r->filing.period); }
    rfx_buf_printf(b, " (%zu risks)</div>", r->nrisks);
}

char *rfx_diff_html(const rfx_diff *d, unsigned flags) {
    (void)flags;
    if (!d) return NULL;
    rfx_buf b;
    rfx_buf_init(&b, false);
    rfx_buf_puts(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                     "<title>Risk factors compared — rfx</title><style>");
    rfx_buf_puts(&b, css);
    rfx_buf_puts(&b, "</style></head><body><header><h1>Risk factors: what changed</h1><div class=\"files\">");
    side_html(&b, "old", d->a);
    side_html(&b, "new", d->b);
    rfx_buf_puts(&b, "</div><div class=\"summary\"><table><tr><th>status</th><th>risks</th></tr>");
    for (int s = 0; s < CMP_NSTATUS; s++)
        rfx_buf_printf(&b, "<tr class=\"st-%s\"><td><span class=\"badge\">%s</span></td><td class=\"n\">%zu</td></tr>",
                       cmp_status_name[s], cmp_status_name[s], d->counts[s]);
    rfx_buf_printf(&b, "<tr><td>splits / merges</td><td class=\"n\">%zu / %zu</td></tr></table>",
                   rfx_diff_count(d, "split"), rfx_diff_count(d, "merge"));
    const cmp_measures *m = &d->section;
    rfx_buf_printf(&b,
                   "<table><tr><th>section similarity</th><th></th></tr>"
                   "<tr><td>cosine</td><td class=\"n\">%.4f</td></tr>"
                   "<tr><td>Jaccard</td><td class=\"n\">%.4f</td></tr>"
                   "<tr><td>minimum edit</td><td class=\"n\">%.4f%s</td></tr>"
                   "<tr><td>simple</td><td class=\"n\">%.4f</td></tr>"
                   "<tr><td>words</td><td class=\"n\">%zu → %zu (+%zu −%zu)</td></tr></table></div>"
                   "</header><div class=\"wrap\"><nav><ol>",
                   m->cosine, m->jaccard, m->min_edit, m->edit_exact ? "" : " (bound)", m->simple,
                   m->na, m->nb, m->added, m->deleted);
    for (size_t k = 0; k < d->npairs; k++) {
        const cmp_pair *p = &d->pairs[k];
        const rfx_risk *ka = risk_of(d->a, p->old), *kb = risk_of(d->b, p->new_);
        rfx_buf_printf(&b, "<li class=\"st-%s\"><a href=\"#p%zu\" title=\"%s\">", cmp_status_name[p->status],
                       k + 1, cmp_status_name[p->status]);
        html_esc(&b, heading_or_blank(kb ? kb : ka));
        rfx_buf_puts(&b, "</a></li>");
    }
    rfx_buf_puts(&b, "</ol></nav><main>");
    for (size_t k = 0; k < d->npairs; k++) {
        const cmp_pair *p = &d->pairs[k];
        const rfx_risk *ka = risk_of(d->a, p->old), *kb = risk_of(d->b, p->new_);
        const char *st = cmp_status_name[p->status];
        rfx_buf_printf(&b, "<article id=\"p%zu\" class=\"st-%s\"><div class=\"meta\"><span class=\"badge\">%s</span>",
                       k + 1, st, st);
        if (ka) rfx_buf_printf(&b, "old #%ld ", risk_no(d->a, p->old));
        if (ka && kb) rfx_buf_puts(&b, "→ ");
        if (kb) rfx_buf_printf(&b, "new #%ld ", risk_no(d->b, p->new_));
        if (ka && kb) rfx_buf_printf(&b, "· similarity %.3f", p->similarity);
        if (p->moved && p->modified) rfx_buf_puts(&b, " · moved and modified");
        if (p->split_from >= 0) rfx_buf_printf(&b, " · split from old #%ld", risk_no(d->a, p->split_from));
        if (p->merged_into >= 0) rfx_buf_printf(&b, " · merged into new #%ld", risk_no(d->b, p->merged_into));
        const rfx_risk *g = kb ? kb : ka;
        if (g && g->group) { rfx_buf_puts(&b, " · "); html_esc(&b, g->group); }
        rfx_buf_puts(&b, "</div><h2>");
        if (ka && kb && p->modified) redline_html(&b, &p->head, &d->wa_head[p->old], &d->wb_head[p->new_]);
        else html_esc(&b, heading_or_blank(g));
        rfx_buf_puts(&b, "</h2>");
        if (ka && kb && p->modified) {
            rfx_buf_puts(&b, "<div class=\"body\">");
            redline_html(&b, &p->body, &d->wa_body[p->old], &d->wb_body[p->new_]);
            rfx_buf_puts(&b, "</div>");
        } else if (!ka || !kb) {
            rfx_buf_puts(&b, ka ? "<div class=\"body\"><del>" : "<div class=\"body\"><ins>");
            html_esc(&b, g->body.s);
            rfx_buf_puts(&b, ka ? "</del></div>" : "</ins></div>");
        } else {
            rfx_buf_puts(&b, "<details><summary>text (unchanged)</summary><div class=\"body\">");
            html_esc(&b, g->body.s);
            rfx_buf_puts(&b, "</div></details>");
        }
        rfx_buf_puts(&b, "</article>\n");
    }
    rfx_buf_puts(&b, "</main></div></body></html>\n");
    return rfx_buf_steal(&b);
}
