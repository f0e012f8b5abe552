/*
 * lint.c — the lint stage: the rule table, running it, the findings.
 *
 * Rules are independent functions over a finished register (lint.h); this
 * file decides which run (--disable takes rule ids or the group before the
 * first '-': "ocr" disables ocr-currency, ocr-latex, ...), collects their
 * findings, sorts them into source order and computes line and column from
 * the source bytes once, in one pass.
 */
#include "lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const lint_rule rules[] = {
    {"ocr-currency", RFX_SEV_WARNING, lint_ocr_currency,
     "a currency sign read as a letter or symbol (X26.1 billion in a yen filing)"},
    {"ocr-latex", RFX_SEV_WARNING, lint_ocr_latex, "a LaTeX escape left in the text (\\$, \\cdot)"},
    {"ocr-hyphen", RFX_SEV_NOTE, lint_ocr_hyphen,
     "a word broken by a line-end hyphen and left broken (opera- tions)"},
    {"ocr-digit", RFX_SEV_WARNING, lint_ocr_digit,
     "a letter inside a number (l for 1, O for 0: 2O13)"},
    {"acronym-typo", RFX_SEV_NOTE, lint_acronym,
     "an undefined acronym one character away from a defined term"},
    {"date-after-period", RFX_SEV_WARNING, lint_date_after,
     "an event told in the past tense dated after the filing could have been made"},
    {"resp-years", RFX_SEV_WARNING, lint_resp_years,
     "years of a \"respectively\" list out of order or with a gap"},
    {"resp-count", RFX_SEV_WARNING, lint_resp_count,
     "a \"respectively\" with more or fewer values than periods"},
    {"magnitude-scale", RFX_SEV_WARNING, lint_magnitude,
     "a value about 1,000 times off the others in its series (million for billion)"},
    {"percent-share", RFX_SEV_WARNING, lint_percent_share, "a share stated as over 100%"},
    {"currency-mismatch", RFX_SEV_NOTE, lint_currency,
     "an amount in another currency than the filing's with no reason given"},
    {"s105-no-heading", RFX_SEV_WARNING, lint_no_heading,
     "risk factors without headings (Item 105: each risk under a caption)"},
    {"s105-no-summary", RFX_SEV_WARNING, lint_no_summary,
     "a section over 15 pages (~7,500 words) without a risk factor summary"},
    {"s105-general", RFX_SEV_NOTE, lint_general,
     "a generic risk not under a \"General Risk Factors\" caption at the end"},
    {"s105-topic-heading", RFX_SEV_WARNING, lint_topic_heading,
     "a heading that names a topic (\"Competition\") instead of stating the risk"},
    {"s105-duplicate", RFX_SEV_WARNING, lint_duplicate, "two risks that say the same thing"},
    {"stale-figure", RFX_SEV_NOTE, lint_stale_figure,
     "a figure or date repeated from last year although its period is 2+ years old"},
    {"stale-risk", RFX_SEV_NOTE, lint_stale_risk, "a risk unchanged word for word from last year"},
};
#define NRULES (sizeof rules / sizeof rules[0])

void rfx_lint_options_init(rfx_lint_options *opt) { memset(opt, 0, sizeof *opt); }

int rfx_lint_rule_info(size_t k, const char **id, rfx_severity *sev, const char **summary) {
    if (k >= NRULES) return 0;
    if (id) *id = rules[k].id;
    if (sev) *sev = rules[k].sev;
    if (summary) *summary = rules[k].summary;
    return 1;
}

const char *rfx_severity_name(rfx_severity s) {
    return s == RFX_SEV_ERROR ? "error" : s == RFX_SEV_WARNING ? "warning" : "note";
}

bool lint_has_map(const rfx_register *r) { return r && !r->from_json; }

/* ---------------- findings ---------------- */

static char *vfmt(const char *fmt, va_list ap) {
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0) return NULL;
    char *s = malloc((size_t)n + 1);
    if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static char *dupn(const char *s, size_t n) {
    if (!s) return NULL;
    char *d = malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    /* shown on one line */
    for (size_t i = 0; i < n; i++)
        if (d[i] == '\n' || d[i] == '\r' || d[i] == '\t') d[i] = ' ';
    return d;
}

#define MAX_FINDINGS 100000 /* past this a document is not a disclosure draft */
#define MAX_TEXT 240        /* bytes of source text kept with a finding */

static void add(lint_ctx *c, uint32_t start, uint32_t end, const char *text, size_t tlen,
                const char *fix, char *msg) {
    rfx_findings *f = c->f;
    if (f->oom || f->n >= MAX_FINDINGS || !msg) {
        if (!msg) f->oom = true;
        free(msg);
        return;
    }
    if (f->n == f->cap) {
        size_t nc = f->cap ? f->cap * 2 : 32;
        lint_finding *v = realloc(f->v, nc * sizeof *v);
        if (!v) {
            f->oom = true;
            free(msg);
            return;
        }
        f->v = v;
        f->cap = nc;
    }
    /* a cut text never ends inside a UTF-8 character */
    if (tlen > MAX_TEXT) {
        tlen = MAX_TEXT;
        while (tlen && ((unsigned char)text[tlen] & 0xC0) == 0x80) tlen--;
    }
    lint_finding *x = &f->v[f->n++];
    memset(x, 0, sizeof *x);
    x->rule = c->rule;
    x->sev = c->sev;
    x->start = start;
    x->end = end < start ? start : end;
    x->message = msg;
    x->text = text ? dupn(text, tlen) : NULL;
    x->fix = fix ? dupn(fix, strlen(fix)) : NULL;
}

void lint_emit(lint_ctx *c, const rfx_risk *k, const rfx_text *t, size_t b, size_t e,
               const char *fix, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    uint32_t s0 = k ? k->start : 0, s1 = k ? k->end : 0;
    if (t && t->len && lint_has_map(c->r)) {
        if (e > t->len) e = t->len;
        if (b > e) b = e;
        s0 = rfx_text_start(t, b);
        s1 = rfx_text_end(t, e);
    }
    add(c, s0, s1, t ? t->s + b : NULL, t ? e - b : 0, fix, msg);
}

void lint_emit_src(lint_ctx *c, uint32_t start, uint32_t end, const char *text, const char *fix,
                   const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    add(c, start, end, text, text ? strlen(text) : 0, fix, msg);
}

static int by_start(const void *a, const void *b) {
    const lint_finding *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return strcmp(x->rule, y->rule);
}

/* Line and column (1-based; columns count characters) of every finding, in
 * one pass over the source: findings are sorted by start. */
static void positions(rfx_findings *f) {
    const rfx_register *r = f->reg;
    if (!r->src || !lint_has_map(r)) return;
    size_t line = 1, col = 1, at = 0;
    for (size_t i = 0; i < f->n; i++) {
        size_t to = f->v[i].start;
        if (to > r->srclen) to = r->srclen;
        for (; at < to; at++) {
            unsigned char ch = r->src[at];
            if (ch == '\n') {
                line++;
                col = 1;
            } else if ((ch & 0xC0) != 0x80) {
                col++;
            }
        }
        f->v[i].line = line;
        f->v[i].col = col;
    }
}

/* ---------------- running ---------------- */

/* Is rule id named in the comma list (by id or by its group prefix)? */
static bool listed(const char *list, const char *id) {
    size_t idl = strlen(id), gl = strcspn(id, "-");
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        while (n && p[n - 1] == ' ') n--;
        if ((n == idl && !strncmp(p, id, n)) || (n == gl && !strncmp(p, id, n))) return true;
        p += strcspn(p, ",");
        if (*p) p++;
        while (*p == ' ') p++;
    }
    return false;
}

static bool known(const char *name, size_t n) {
    for (size_t k = 0; k < NRULES; k++) {
        size_t gl = strcspn(rules[k].id, "-");
        if ((strlen(rules[k].id) == n || gl == n) && !strncmp(rules[k].id, name, n)) return true;
    }
    return false;
}

rfx_status rfx_lint(const rfx_register *reg, const rfx_lint_options *opt, rfx_findings **out,
                    rfx_error *err) {
    if (out) *out = NULL;
    if (!reg || !out) {
        rfx_set_error(err, RFX_EUSAGE, "lint: no register");
        return RFX_EUSAGE;
    }
    rfx_lint_options dflt;
    if (!opt) {
        rfx_lint_options_init(&dflt);
        opt = &dflt;
    }
    if (opt->disable) {
        for (const char *p = opt->disable; *p;) {
            while (*p == ' ' || *p == ',') p++;
            size_t n = strcspn(p, ",");
            while (n && p[n - 1] == ' ') n--;
            if (n && !known(p, n)) {
                rfx_set_error(err, RFX_EUSAGE, "lint: unknown rule '%.*s' (see rfx lint --list-rules)",
                              (int)(n > 64 ? 64 : n), p);
                return RFX_EUSAGE;
            }
            p += strcspn(p, ",");
        }
    }
    rfx_findings *f = calloc(1, sizeof *f);
    if (!f) {
        rfx_set_error(err, RFX_ENOMEM, "lint: out of memory");
        return RFX_ENOMEM;
    }
    f->reg = reg;
    lint_ctx c = {.r = reg, .prev = opt->previous, .older = opt->older, .nolder = opt->nolder, .f = f};
    for (size_t k = 0; k < NRULES && !f->oom; k++) {
        if (opt->disable && listed(opt->disable, rules[k].id)) continue;
        c.rule = rules[k].id;
        c.sev = rules[k].sev;
        rules[k].run(&c);
    }
    if (f->oom) {
        rfx_findings_free(f);
        rfx_set_error(err, RFX_ENOMEM, "lint: out of memory");
        return RFX_ENOMEM;
    }
    if (f->n) qsort(f->v, f->n, sizeof *f->v, by_start);
    positions(f);
    *out = f;
    return RFX_OK;
}

void rfx_findings_free(rfx_findings *f) {
    if (!f) return;
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].text);
        free(f->v[i].message);
        free(f->v[i].fix);
    }
    free(f->v);
    free(f);
}

size_t rfx_findings_count(const rfx_findings *f) { return f ? f->n : 0; }
#define AT(f, i) ((f) && (i) < (f)->n)
const char *rfx_finding_rule(const rfx_findings *f, size_t i) { return AT(f, i) ? f->v[i].rule : NULL; }
rfx_severity rfx_finding_severity(const rfx_findings *f, size_t i) { return AT(f, i) ? f->v[i].sev : RFX_SEV_NOTE; }
size_t rfx_finding_start(const rfx_findings *f, size_t i) { return AT(f, i) ? f->v[i].start : 0; }
size_t rfx_finding_end(const rfx_findings *f, size_t i) { return AT(f, i) ? f->v[i].end : 0; }
const char *rfx_finding_message(const rfx_findings *f, size_t i) { return AT(f, i) ? f->v[i].message : NULL; }
const char *rfx_finding_text(const rfx_findings *f, size_t i) { return AT(f, i) ? f->v[i].text : NULL; }
const char *rfx_finding_fix(const rfx_findings *f, size_t i) { return AT(f, i) ? f->v[i].fix : NULL; }
size_t rfx_finding_line(const rfx_findings *f, size_t i) { return AT(f, i) ? f->v[i].line : 0; }
size_t rfx_finding_col(const rfx_findings *f, size_t i) { return AT(f, i) ? f->v[i].col : 0; }

/* ---------------- helpers for rules ---------------- */

void lint_sentence(const rfx_text *t, size_t i, size_t *a, size_t *b) {
    const char *s = t->s;
    size_t n = t->len, x = i;
    while (x > 0) {
        char p = s[x - 1];
        if (p == '\n' || ((p == '.' || p == '?' || p == '!') && x < n && s[x] == ' ' && x + 1 < n &&
                          ((s[x + 1] >= 'A' && s[x + 1] <= 'Z') || s[x + 1] == '"')))
            break;
        x--;
    }
    while (x < n && s[x] == ' ') x++;
    size_t y = i;
    while (y < n) {
        char p = s[y];
        if (p == '\n') break;
        if ((p == '.' || p == '?' || p == '!') && (y + 1 >= n || s[y + 1] == '\n' ||
                                                   (s[y + 1] == ' ' && y + 2 < n &&
                                                    ((s[y + 2] >= 'A' && s[y + 2] <= 'Z') || s[y + 2] == '"')))) {
            y++;
            break;
        }
        y++;
    }
    *a = x;
    *b = y;
}

static int lc(int ch) { return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch; }
static bool alnum(int ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

bool lint_has_word(const char *s, size_t a, size_t b, const char *w) {
    size_t wl = strlen(w);
    bool prefix = wl && w[wl - 1] == '*';
    if (prefix) wl--;
    if (!wl || b < a + wl) return false;
    for (size_t i = a; i + wl <= b; i++) {
        if (i > a && alnum((unsigned char)s[i - 1])) continue;
        size_t j = 0;
        while (j < wl && lc((unsigned char)s[i + j]) == w[j]) j++;
        if (j < wl) continue;
        /* a prefix ending in '*' matches any word starting so ("subsidiar*") */
        if (!prefix && i + wl < b && alnum((unsigned char)s[i + wl])) continue;
        return true;
    }
    return false;
}

bool lint_item105_form(const char *form) {
    if (!form) return false;
    return !strncmp(form, "10-K", 4) || !strncmp(form, "10-Q", 4) || !strncmp(form, "S-1", 3) ||
           !strncmp(form, "10K", 3) || !strncmp(form, "10Q", 3);
}
