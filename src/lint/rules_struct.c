/*
 * rules_struct.c — lint rules on the shape of the section (Regulation S-K
 * Item 105, for 10-K, 10-Q and S-1 filings and drafts without a cover page)
 * and on staleness against last year's register (--previous).
 *
 * Item 105 asks for: each risk under a heading that states it; a summary
 * of two pages at most when the section is over 15 pages; generic risks, if
 * any, at the end under "General Risk Factors"; no repetition. The measures
 * come from earlier stages: segment's warnings (headings not set off),
 * classify's metrics (boilerplate share and specificity for "generic"),
 * compare's alignment (risks unchanged from last year).
 */
#include "lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool applies(const lint_ctx *c) {
    const char *form = c->r->filing.form;
    return !form || lint_item105_form(form);
}

static bool has_ci(const char *s, const char *w) {
    return s && lint_has_word(s, 0, strlen(s), w);
}

static bool has_warning(const rfx_register *r, const char *code) {
    for (size_t i = 0; i < r->nwarnings; i++)
        if (r->warnings[i].code && !strcmp(r->warnings[i].code, code)) return true;
    return false;
}

static const char *title(const rfx_register *r) {
    return r->section.title ? r->section.title : "Risk Factors";
}

/* Plain text whose line breaks were flattened away (a few per 10 KB) has
 * lost its headings in the conversion: whether the filing had them cannot
 * be told, so the rule stays silent rather than blame the filing. */
static bool flattened(const rfx_register *r) {
    if (r->format != RFX_FMT_TEXT || !r->src) return false;
    size_t a = r->section.start, b = r->section.end < r->srclen ? r->section.end : r->srclen, nl = 0;
    for (size_t i = a; i < b; i++) nl += r->src[i] == '\n';
    return b > a && nl * 2000 < b - a;
}

void lint_no_heading(lint_ctx *c) {
    const rfx_section *s = &c->r->section;
    if (!applies(c) || !s->found || s->reference || (s->how && strcmp(s->how, "heading") && strcmp(s->how, "whole-document")))
        return;
    if (flattened(c->r)) return;
    if (c->r->nrisks == 0 && s->end > s->start + 2000)
        lint_emit_src(c, s->start, s->end, title(c->r), NULL,
                      "the section has no risk headings: Item 105 wants each risk under a caption that states it");
    else if (c->r->nrisks && has_warning(c->r, "lead-sentence-headings"))
        lint_emit_src(c, s->start, c->r->risks[0].start, title(c->r), NULL,
                      "no risk has a heading of its own: %zu risks start with a paragraph's first sentence; "
                      "set each heading apart (bold or its own line)", c->r->nrisks);
}

/* The 2020 amendments to Item 105 (summary, "General Risk Factors") bind
 * filings made from 9 November 2020: periods ending before August 2020
 * were filed under the old item. Unknown period: a draft, so they apply. */
static bool amended_105(const rfx_register *r) {
    const char *p = r->filing.period;
    if (!p || strlen(p) < 7) return true;
    return strncmp(p, "2020-08", 7) >= 0;
}

static size_t count_words(const char *s) {
    size_t n = 0;
    bool in = false;
    for (; s && *s; s++) {
        bool w = *s != ' ' && *s != '\n' && *s != '\t';
        if (w && !in) n++;
        in = w;
    }
    return n;
}

void lint_no_summary(lint_ctx *c) {
    const rfx_register *r = c->r;
    if (!applies(c) || !r->nrisks || !amended_105(r)) return;
    size_t words = count_words(r->preamble);
    for (size_t i = 0; i < r->nrisks; i++)
        words += count_words(r->risks[i].heading.s) + count_words(r->risks[i].body.s);
    if (words <= 7500) return;
    if (has_ci(r->preamble, "summary") || has_ci(r->preamble, "summarize*")) return;
    /* segment keeps a summary's caption out of the preamble: look at the
     * blocks before the first risk */
    for (size_t b = r->section.first_block; b < r->risks[0].first_block && b < r->nblocks; b++)
        if (r->blocks[b].t.s && lint_has_word(r->blocks[b].t.s, 0, r->blocks[b].t.len, "summary")) return;
    for (size_t i = 0; i < r->nrisks; i++)
        if (has_ci(r->risks[i].group, "summary") || (i < 2 && has_ci(r->risks[i].heading.s, "summary")))
            return;
    lint_emit_src(c, r->section.start, r->risks[0].start, title(r), NULL,
                  "the section runs to about %zu words (~%zu pages) with no risk factor summary: "
                  "Item 105(b) asks for one of two pages at most over 15 pages",
                  words, (words + 499) / 500);
}

/* Generic: most sentences carry phrasing common across filings (classify's
 * boilerplate share), almost no word is a name, number or date, it states
 * no figure, and its main category is one any registrant could write
 * (stock price, catastrophes, controls, litigation, the economy...). */
static bool names_someone(const rfx_register *r, const rfx_risk *k) {
    for (size_t e = 0; e < r->nentities; e++) {
        const rfx_entity *x = &r->entities[e];
        if (x->kind != RFX_E_TERM && x->start >= k->start && x->start < k->end) return true;
    }
    return false;
}

static bool generic(const rfx_register *r, const rfx_risk *k) {
    if (names_someone(r, k)) return false; /* "Occidental's reserves", "our Concentrix business" */
    static const char *const cats[] = {"shareholders_governance", "operations_disruption",
                                       "macroeconomic", "legal", "tax", "impairment_accounting",
                                       "pandemic_public_health", "cybersecurity_privacy",
                                       "human_capital", "results_volatility", NULL};
    if (!k->metrics.valid || k->metrics.words < 40 || k->metrics.boilerplate < 0.6 ||
        k->metrics.specificity >= 0.005 || k->nfacts || !k->ncats || !k->cats[0].id)
        return false;
    for (int q = 0; cats[q]; q++)
        if (!strcmp(k->cats[0].id, cats[q])) return true;
    return false;
}

static bool general_caption(const char *g) { return has_ci(g, "general"); }

void lint_general(lint_ctx *c) {
    const rfx_register *r = c->r;
    if (!applies(c) || !lint_has_map(r) || !amended_105(r)) return; /* metrics are not kept in a saved register */
    size_t first_general = r->nrisks, last_specific = 0;
    bool any_specific = false;
    for (size_t i = 0; i < r->nrisks; i++) {
        if (general_caption(r->risks[i].group)) {
            if (first_general == r->nrisks) first_general = i;
        } else {
            last_specific = i;
            any_specific = true;
        }
    }
    if (first_general < r->nrisks && any_specific && last_specific > first_general) {
        const rfx_risk *k = &r->risks[first_general];
        lint_emit_src(c, k->start, k->start, k->group, NULL,
                      "the \"%s\" caption is not at the end of the section: Item 105 puts general risks last",
                      k->group);
    }
    for (size_t i = 0; i < r->nrisks; i++) {
        const rfx_risk *k = &r->risks[i];
        if (general_caption(k->group) || !generic(r, k)) continue;
        lint_emit(c, k, &k->heading, 0, k->heading.len, NULL,
                  "risk %zu reads as generic (%.0f%% of its sentences are common phrasing, no names or figures) "
                  "but is not under a \"General Risk Factors\" caption at the end",
                  k->index, k->metrics.boilerplate * 100);
    }
}

/* Words that make a heading state something (a verb or modal). */
static const char *const verbs[] = {
    "may", "might", "could", "can", "will", "would", "should", "must", "is", "are", "was", "were",
    "be", "been", "has", "have", "had", "depend*", "rel*", "face*", "affect*", "harm*", "fail*",
    "lose", "loss", "result*", "increas*", "declin*", "reduc*", "impact*", "caus*", "subject",
    "require*", "need*", "expos*", "exist*", "continue*", "limit*", "make*", "involv*", "pose*",
    "adversely", "not", "cannot", "ha", "do", "does", NULL};

/* Does h (n bytes) name a topic rather than state a risk? Short, no verb,
 * not a group caption ("Strategic Risks"), not a line in capitals. */
static bool topic_only(const char *h, size_t n) {
    if (!h || !n) return false;
    size_t words = 0;
    bool in = false, lower = false;
    for (size_t q = 0; q < n; q++) {
        bool w = h[q] != ' ' && h[q] != '\n';
        if (w && !in) words++;
        in = w;
        if (h[q] >= 'a' && h[q] <= 'z') lower = true;
    }
    if (words == 0 || words > 5 || h[n - 1] == '.' || h[n - 1] == ':' || !lower) return false;
    for (size_t q = 0; q < n; q++)
        if (h[q] >= '0' && h[q] <= '9') return false; /* a date or a number, not a caption */
    if (lint_has_word(h, 0, n, "risks") || lint_has_word(h, 0, n, "risk") ||
        lint_has_word(h, 0, n, "factors") || lint_has_word(h, 0, n, "item") ||
        lint_has_word(h, 0, n, "summary") || lint_has_word(h, 0, n, "overview"))
        return false;
    for (int q = 0; verbs[q]; q++)
        if (lint_has_word(h, 0, n, verbs[q])) return false;
    return true;
}

static bool styled(const rfx_block *b) {
    return (b->flags & (RFX_B_BOLD | RFX_B_ITALIC | RFX_B_UNDERLINE | RFX_B_HEADING)) &&
           !(b->flags & (RFX_B_TABLE | RFX_B_TOC | RFX_B_PAGEHDR | RFX_B_PAGENUM | RFX_B_HIDDEN | RFX_B_LIST));
}

static void topic(lint_ctx *c, const rfx_risk *k, const rfx_text *t, uint32_t start, uint32_t end) {
    char txt[128];
    snprintf(txt, sizeof txt, "%.*s", (int)(t->len < 100 ? t->len : 100), t->s);
    if (k)
        lint_emit(c, k, t, 0, t->len, NULL,
                  "the heading \"%s\" names a topic; Item 105 wants a heading that states the risk "
                  "(what could happen, and to what effect)", txt);
    else
        lint_emit_src(c, start, end, txt, NULL,
                      "the heading \"%s\" names a topic; Item 105 wants a heading that states the risk "
                      "(what could happen, and to what effect)", txt);
}

/* Risk headings, and (with the blocks at hand) emphasised short lines that
 * head body text: segment reads "Competition" over a paragraph as a caption
 * or folds it away, but it is a risk's heading all the same. */
void lint_topic_heading(lint_ctx *c) {
    const rfx_register *r = c->r;
    if (!applies(c)) return;
    uint32_t last = UINT32_MAX;
    for (size_t i = 0; i < r->nrisks; i++) {
        const rfx_risk *k = &r->risks[i];
        if (!topic_only(k->heading.s, k->heading.len)) continue;
        topic(c, k, &k->heading, 0, 0);
        last = k->start;
    }
    if (!lint_has_map(r) || !r->section.found) return;
    size_t end = r->section.end_block < r->nblocks ? r->section.end_block : r->nblocks;
    for (size_t b = r->section.body_block; b + 1 < end; b++) {
        const rfx_block *x = &r->blocks[b], *nx = &r->blocks[b + 1];
        if (!styled(x) || styled(nx) || (nx->flags & RFX_B_PARTBOLD) || nx->t.len < 80) continue;
        if (!topic_only(x->t.s, x->t.len) || x->start == last) continue;
        bool is_risk = false;
        for (size_t i = 0; i < r->nrisks && !is_risk; i++) is_risk = r->risks[i].start == x->start;
        if (is_risk) continue;
        topic(c, NULL, &x->t, x->start, x->end);
    }
}

/* ---- duplicates: Jaccard of 5-word shingle sets ---- */

typedef struct shingles {
    uint64_t *h;
    size_t n;
} shingles;

static int cmpu(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

#define SH 5

static bool shingle(const rfx_risk *k, shingles *out) {
    out->h = NULL;
    out->n = 0;
    uint64_t w[4096];
    size_t nw = 0;
    const rfx_text *ts[2] = {&k->heading, &k->body};
    for (int q = 0; q < 2; q++) {
        const char *s = ts[q]->s;
        for (size_t i = 0; s && i < ts[q]->len && nw < 4096;) {
            unsigned char ch = (unsigned char)s[i];
            if (!((ch | 32) >= 'a' && (ch | 32) <= 'z') && !(ch >= '0' && ch <= '9')) { i++; continue; }
            uint64_t h = 1469598103934665603ull;
            while (i < ts[q]->len) {
                ch = (unsigned char)s[i];
                if (!((ch | 32) >= 'a' && (ch | 32) <= 'z') && !(ch >= '0' && ch <= '9')) break;
                h = (h ^ (uint64_t)(ch | 32)) * 1099511628211ull;
                i++;
            }
            w[nw++] = h;
        }
    }
    if (nw < SH) return true;
    out->h = malloc((nw - SH + 1) * sizeof *out->h);
    if (!out->h) return false;
    for (size_t i = 0; i + SH <= nw; i++) {
        uint64_t h = 0;
        for (int j = 0; j < SH; j++) h = (h ^ w[i + j]) * 0x9E3779B97F4A7C15ull + (uint64_t)j;
        out->h[out->n++] = h;
    }
    qsort(out->h, out->n, sizeof *out->h, cmpu);
    size_t u = 0;
    for (size_t i = 0; i < out->n; i++)
        if (!u || out->h[u - 1] != out->h[i]) out->h[u++] = out->h[i];
    out->n = u;
    return true;
}

static double jaccard(const shingles *a, const shingles *b) {
    size_t i = 0, j = 0, common = 0;
    while (i < a->n && j < b->n) {
        if (a->h[i] == b->h[j]) { common++; i++; j++; }
        else if (a->h[i] < b->h[j]) i++;
        else j++;
    }
    size_t uni = a->n + b->n - common;
    return uni ? (double)common / (double)uni : 0;
}

#define DUP_JACCARD 0.6
#define DUP_MIN 15 /* shingles: a few-word risk is not compared */

void lint_duplicate(lint_ctx *c) {
    const rfx_register *r = c->r;
    if (!applies(c) || r->nrisks < 2 || r->nrisks > 5000) return;
    shingles *S = calloc(r->nrisks, sizeof *S);
    if (!S) { c->f->oom = true; return; }
    for (size_t i = 0; i < r->nrisks; i++)
        if (!shingle(&r->risks[i], &S[i])) c->f->oom = true;
    for (size_t j = 1; j < r->nrisks && !c->f->oom; j++) {
        if (S[j].n < DUP_MIN || count_words(r->risks[j].body.s) < 20) continue;
        for (size_t i = 0; i < j; i++) {
            if (S[i].n < DUP_MIN || count_words(r->risks[i].body.s) < 20) continue;
            double jac = jaccard(&S[i], &S[j]);
            if (jac < DUP_JACCARD) continue;
            const rfx_risk *k = &r->risks[j];
            lint_emit(c, k, &k->heading, 0, k->heading.len, NULL,
                      "risk %zu repeats risk %zu (%.0f%% of their 5-word phrases are shared): merge them",
                      k->index, r->risks[i].index, jac * 100);
            break;
        }
    }
    for (size_t i = 0; i < r->nrisks; i++) free(S[i].h);
    free(S);
}

/* ================= 5. staleness against last year ================= */

static bool same_text(const rfx_text *a, const rfx_text *b) {
    size_t la = a->s ? a->len : 0, lb = b->s ? b->len : 0;
    return la == lb && (!la || !memcmp(a->s, b->s, la));
}

/* Years a risk of last year's filing has stood word for word the same,
 * counted back along the older filings of the chain (1 = only last year is
 * known to match this one). *since: the period of the oldest match. */
static size_t unchanged_years(const lint_ctx *c, const rfx_risk *p, const char **since) {
    size_t years = 1;
    *since = c->prev->filing.period;
    for (size_t j = 0; j < c->nolder && c->older[j]; j++) {
        const rfx_register *o = c->older[j];
        const rfx_risk *m = NULL;
        for (size_t i = 0; i < o->nrisks && !m; i++)
            if (same_text(&o->risks[i].heading, &p->heading) && same_text(&o->risks[i].body, &p->body))
                m = &o->risks[i];
        if (!m) break;
        years++;
        *since = o->filing.period;
        p = m;
    }
    return years;
}

void lint_stale_risk(lint_ctx *c) {
    if (!c->prev || !c->prev->nrisks || !c->r->nrisks) return;
    rfx_diff *d = NULL;
    rfx_error e;
    if (rfx_diff_compute(c->prev, c->r, &d, &e) != RFX_OK) {
        if (e.code == RFX_ENOMEM) c->f->oom = true;
        return;
    }
    for (size_t p = 0; p < rfx_diff_pair_count(d); p++) {
        long o, n;
        double sim;
        const char *st = rfx_diff_pair(d, p, &o, &n, &sim);
        if (!st || strcmp(st, "unchanged") || n < 0 || (size_t)n >= c->r->nrisks) continue;
        const rfx_risk *k = &c->r->risks[n];
        size_t years = 1;
        const char *since = NULL;
        if (o >= 0 && (size_t)o < c->prev->nrisks)
            years = unchanged_years(c, &c->prev->risks[o], &since);
        if (years < 2)
            lint_emit(c, k, &k->heading, 0, k->heading.len, NULL,
                      "risk %zu is word for word last year's risk %ld: is it still accurate and complete?",
                      k->index, o + 1);
        else
            lint_emit(c, k, &k->heading, 0, k->heading.len, NULL,
                      "risk %zu is word for word last year's risk %ld, unchanged word for word for %zu years "
                      "(since the filing for %s): is it still accurate and complete?",
                      k->index, o + 1, years, since ? since : "an earlier period");
    }
    rfx_diff_free(d);
}

static int fact_year(const rfx_fact *f) {
    const char *p = f->date ? f->date : f->period;
    if (!p) return 0;
    while (*p && !(*p >= '0' && *p <= '9')) p++;
    int y = atoi(p);
    return y >= 1900 && y <= 2100 ? y : 0;
}

/* Does last year's register hold the sentence s[a, b) word for word? */
static bool in_prev(const rfx_register *p, const char *s, size_t n) {
    char *needle = malloc(n + 1);
    if (!needle) return false;
    memcpy(needle, s, n);
    needle[n] = 0;
    bool found = false;
    for (size_t i = 0; i < p->nrisks && !found; i++)
        found = (p->risks[i].body.s && strstr(p->risks[i].body.s, needle)) ||
                (p->risks[i].heading.s && strstr(p->risks[i].heading.s, needle));
    free(needle);
    return found;
}

void lint_stale_figure(lint_ctx *c) {
    const rfx_register *r = c->r;
    if (!c->prev || !r->filing.period || !lint_has_map(r)) return;
    int year = atoi(r->filing.period);
    if (year < 1900) return;
    for (size_t i = 0; i < r->nrisks; i++) {
        const rfx_risk *k = &r->risks[i];
        size_t last_b = (size_t)-1;
        const rfx_text *last_t = NULL;
        for (size_t q = 0; q < k->nfacts; q++) {
            const rfx_fact *f = &k->facts[q];
            int fy = fact_year(f);
            if (!fy || fy > year - 2) continue;
            /* a figure tied to a period, or a date things are stated "as of";
             * "took effect in November 2021" does not age */
            if (f->kind == RFX_F_DATE) {
                if (!f->start || f->start < 6) continue;
            } else if (f->kind == RFX_F_PERIOD || !f->period) {
                continue;
            }
            const rfx_text *ts[2] = {&k->heading, &k->body}, *t = NULL;
            size_t at = 0;
            for (int w = 0; w < 2 && !t; w++)
                for (size_t x = 0; x < ts[w]->len; x++)
                    if (rfx_text_off(ts[w], x) == f->start) { t = ts[w]; at = x; break; }
            if (!t) continue;
            if (f->kind == RFX_F_DATE) {
                size_t p0 = at >= 6 ? at - 6 : 0;
                if (!lint_has_word(t->s, p0, at, "as of")) continue;
            }
            size_t a, b;
            lint_sentence(t, at, &a, &b);
            if ((t == last_t && b == last_b) || b - a < 30) continue;
            last_t = t;
            last_b = b;
            if (!in_prev(c->prev, t->s + a, b - a)) continue;
            lint_emit(c, k, t, at, at + strlen(f->text), NULL,
                      "\"%s\" (%d) is repeated word for word from last year's filing although it is now %d years old: update it",
                      f->text, fy, year - fy);
        }
    }
}
