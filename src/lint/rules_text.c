/*
 * rules_text.c — lint rules that read the words and figures of the risks:
 * OCR and conversion damage, dates and periods, magnitudes (docs/lint.md).
 *
 * Figures come from the extract stage (rfx_fact: value, currency, period,
 * and the OCR repairs it made); the rest is scanned here from the risks'
 * normalised texts, whose maps give every finding its source span.
 * Each rule prefers silence to a guess: a finding should be worth reading.
 */
#include "lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool isal(int ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }
static bool isdg(int ch) { return ch >= '0' && ch <= '9'; }
static bool islo(int ch) { return ch >= 'a' && ch <= 'z'; }
static bool isup(int ch) { return ch >= 'A' && ch <= 'Z'; }
#define U(s, i) ((unsigned char)(s)[i])

typedef void (*text_fn)(lint_ctx *c, const rfx_risk *k, const rfx_text *t, void *arg);

static void each_text(lint_ctx *c, text_fn fn, void *arg) {
    for (size_t i = 0; i < c->r->nrisks; i++) {
        const rfx_risk *k = &c->r->risks[i];
        if (k->heading.s && k->heading.len) fn(c, k, &k->heading, arg);
        if (k->body.s && k->body.len) fn(c, k, &k->body, arg);
    }
}

/* Where fact f sits in risk k's texts: *t and the byte *at; false when not
 * found (a register without a source map). */
static bool fact_pos(const rfx_register *r, const rfx_risk *k, const rfx_fact *f,
                     const rfx_text **t, size_t *at) {
    if (!lint_has_map(r)) return false;
    const rfx_text *ts[2] = {&k->heading, &k->body};
    for (int w = 0; w < 2; w++) {
        const rfx_text *x = ts[w];
        if (!x->s || !x->len) continue;
        for (size_t i = 0; i < x->len; i++)
            if (rfx_text_off(x, i) == f->start) {
                *t = x;
                *at = i;
                return true;
            }
    }
    return false;
}

/* ---------------- a small set of word hashes ---------------- */

typedef struct wset {
    uint64_t *v;
    uint32_t *cnt; /* occurrences of each */
    size_t cap, n;
} wset;

static uint64_t hlower(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        int ch = U(s, i);
        if (isup(ch)) ch += 32;
        h = (h ^ (uint64_t)ch) * 1099511628211ull;
    }
    return h | 1; /* 0 marks an empty slot */
}

static bool wset_add(wset *w, uint64_t h) {
    if ((w->n + 1) * 2 > w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 1024;
        uint64_t *v = calloc(nc, sizeof *v);
        uint32_t *cn = calloc(nc, sizeof *cn);
        if (!v || !cn) {
            free(v);
            free(cn);
            return false;
        }
        for (size_t i = 0; i < w->cap; i++)
            if (w->v[i]) {
                size_t j = w->v[i] & (nc - 1);
                while (v[j]) j = (j + 1) & (nc - 1);
                v[j] = w->v[i];
                cn[j] = w->cnt[i];
            }
        free(w->v);
        free(w->cnt);
        w->v = v;
        w->cnt = cn;
        w->cap = nc;
    }
    size_t j = h & (w->cap - 1);
    while (w->v[j] && w->v[j] != h) j = (j + 1) & (w->cap - 1);
    if (!w->v[j]) {
        w->v[j] = h;
        w->n++;
    }
    w->cnt[j]++;
    return true;
}

/* How many times h was added (0: never). */
static uint32_t wset_count(const wset *w, uint64_t h) {
    if (!w->cap) return 0;
    size_t j = h & (w->cap - 1);
    while (w->v[j]) {
        if (w->v[j] == h) return w->cnt[j];
        j = (j + 1) & (w->cap - 1);
    }
    return 0;
}

static void wset_free(wset *w) {
    free(w->v);
    free(w->cnt);
}

/* Every word (run of letters) of the risks, lower-cased. */
static void words_of(lint_ctx *c, const rfx_risk *k, const rfx_text *t, void *arg) {
    wset *w = arg;
    const char *s = t->s;
    for (size_t i = 0; i < t->len;) {
        if (!isal(U(s, i))) { i++; continue; }
        size_t j = i;
        while (j < t->len && isal(U(s, j))) j++;
        if (!wset_add(w, hlower(s + i, j - i))) c->f->oom = true;
        i = j;
    }
}

/* ================= 1. OCR and conversion damage ================= */

/* The extract stage already reads "X26.1 billion" in a yen filing as yen and
 * says so (fact.repaired "ocr-yen:X"): report each repair with its fix. */
void lint_ocr_currency(lint_ctx *c) {
    for (size_t i = 0; i < c->r->nrisks; i++) {
        const rfx_risk *k = &c->r->risks[i];
        for (size_t q = 0; q < k->nfacts; q++) {
            const rfx_fact *f = &k->facts[q];
            if (!f->repaired || strncmp(f->repaired, "ocr-yen:", 8) || !f->text) continue;
            const char *g = f->repaired + 8;
            size_t gl = strlen(g);
            char fix[256];
            if (strncmp(f->text, g, gl)) continue;
            snprintf(fix, sizeof fix, "\xC2\xA5%s", f->text + gl);
            lint_emit_src(c, f->start, f->end, f->text, fix,
                          "'%s' before an amount in a yen filing is a misread yen sign", g);
        }
    }
}

static const struct { const char *cmd, *fix; } latex[] = {
    {"$", "$"}, {"%", "%"}, {"&", "&"}, {"#", "#"}, {"_", "_"},
    {"cdot", ""}, {"bullet", ""}, {"yen", "\xC2\xA5"}, {"pounds", "\xC2\xA3"},
    {"euro", "\xE2\x82\xAC"}, {"times", "\xC3\x97"}, {"textbf", ""}, {"textit", ""},
    {"emph", ""}, {"ldots", "..."}, {"dots", "..."}, {"S", "\xC2\xA7"},
    {"textquotedblleft", "\""}, {"textquotedblright", "\""}, {"mathrm", ""}, {"quad", " "},
    {"item", ""}, {"par", ""}, {"newline", ""}, {"hspace", ""}, {"textregistered", "\xC2\xAE"},
    {"copyright", "\xC2\xA9"}, {"le", "\xE2\x89\xA4"}, {"ge", "\xE2\x89\xA5"}, {"pm", "\xC2\xB1"},
};

/* Scans s[0, n) for escapes; base = source offset of s[0] when s is the
 * source itself, else k and t locate it. */
static void latex_scan(lint_ctx *c, const rfx_risk *k, const rfx_text *t, const char *s, size_t n,
                       uint32_t base) {
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '\\') continue;
        size_t j = i + 1;
        if (isal(U(s, j)))
            while (j < n && isal(U(s, j))) j++;
        else
            j++;
        for (size_t q = 0; q < sizeof latex / sizeof latex[0]; q++) {
            size_t cl = strlen(latex[q].cmd);
            if (cl != j - i - 1 || strncmp(s + i + 1, latex[q].cmd, cl)) continue;
            /* "\cdot " bullets: the fix drops the command and its space */
            size_t e = j;
            if (!latex[q].fix[0] && e < n && s[e] == ' ') e++;
            if (t)
                lint_emit(c, k, t, i, e, latex[q].fix, "LaTeX escape '\\%s' left in the text", latex[q].cmd);
            else {
                char txt[32];
                snprintf(txt, sizeof txt, "%.*s", (int)(e - i), s + i);
                lint_emit_src(c, base + (uint32_t)i, base + (uint32_t)e, txt, latex[q].fix,
                              "LaTeX escape '\\%s' left in the text", latex[q].cmd);
            }
            break;
        }
        i = j - 1;
    }
}

static void latex_text(lint_ctx *c, const rfx_risk *k, const rfx_text *t, void *arg) {
    latex_scan(c, k, t, t->s, t->len, 0);
}

/* The normaliser undoes escapes (\$ → $) in the text the risks hold, so
 * with the source at hand the escapes are found in the source bytes of the
 * risks (plain-text sources; HTML and SGML keep them as written too). */
void lint_ocr_latex(lint_ctx *c) {
    const rfx_register *r = c->r;
    if (!r->src || !lint_has_map(r)) {
        each_text(c, latex_text, NULL);
        return;
    }
    uint32_t done = 0;
    for (size_t i = 0; i < r->nrisks; i++) {
        uint32_t a = r->risks[i].start, b = r->risks[i].end;
        if (a < done) a = done;
        if (b > r->srclen) b = (uint32_t)r->srclen;
        if (a >= b) continue;
        latex_scan(c, &r->risks[i], NULL, (const char *)r->src + a, b - a, a);
        done = b;
    }
}


/* Words that follow a suspended hyphen ("short- and long-term"). */
static bool suspended(const char *s, size_t b, size_t e) {
    static const char *const w[] = {"and", "or", "nor", "to", "through", "as", "than", "versus", "vs",
                                    "and/or", NULL};
    for (int q = 0; w[q]; q++)
        if (strlen(w[q]) == e - b && !strncmp(s + b, w[q], e - b)) return true;
    return false;
}

static void hyphen_text(lint_ctx *c, const rfx_risk *k, const rfx_text *t, void *arg) {
    const wset *words = arg;
    const char *s = t->s;
    for (size_t i = 2; i + 2 < t->len; i++) {
        if (s[i] != '-' || s[i + 1] != ' ' || !islo(U(s, i - 1)) || !islo(U(s, i + 2))) continue;
        size_t a = i;
        while (a > 0 && isal(U(s, a - 1))) a--;
        if (a > 0 && (s[a - 1] == '-' || isdg(U(s, a - 1)) || s[a - 1] == '/')) continue; /* "on-line- " */
        size_t e = i + 2;
        while (e < t->len && islo(U(s, e))) e++;
        if (e < t->len && (isal(U(s, e)) || isdg(U(s, e)) || s[e] == '-')) continue;
        if (i - a < 2 || e - (i + 2) < 2 || suspended(s, i + 2, e)) continue;
        char joined[96];
        size_t la = i - a, lb = e - (i + 2);
        if (la + lb >= sizeof joined) continue;
        memcpy(joined, s + a, la);
        memcpy(joined + la, s + i + 2, lb);
        joined[la + lb] = 0;
        /* evidence: the joined word is written whole elsewhere, or the tail
         * is not a word of the document on its own ("opera- tions") */
        bool whole = wset_count(words, hlower(joined, la + lb)) > 0;
        /* more than this one occurrence: a word in its own right */
        bool tail_word = wset_count(words, hlower(s + i + 2, lb)) > 1;
        bool head_word = wset_count(words, hlower(s + a, la)) > 1;
        if (!whole && (tail_word || head_word)) continue;
        lint_emit(c, k, t, a, e, joined,
                  whole ? "word broken by a line-end hyphen: \"%s\" is written whole elsewhere"
                        : "word broken by a line-end hyphen: read \"%s\"",
                  joined);
    }
}

void lint_ocr_hyphen(lint_ctx *c) {
    wset w = {0};
    each_text(c, words_of, &w);
    if (!c->f->oom) each_text(c, hyphen_text, &w);
    wset_free(&w);
}

static bool confusable(int ch) { return ch == 'l' || ch == 'I' || ch == 'O' || ch == 'o'; }

static void digit_text(lint_ctx *c, const rfx_risk *k, const rfx_text *t, void *arg) {
    const char *s = t->s;
    for (size_t i = 0; i < t->len;) {
        int ch = U(s, i);
        if (!(isal(ch) || isdg(ch))) { i++; continue; }
        size_t j = i;
        while (j < t->len && (isal(U(s, j)) || isdg(U(s, j)) || ((s[j] == ',' || s[j] == '.') &&
                              j + 1 < t->len && (isdg(U(s, j + 1)) || confusable(U(s, j + 1))))))
            j++;
        size_t digits = 0, conf = 0, other = 0;
        for (size_t q = i; q < j; q++) {
            int d = U(s, q);
            if (isdg(d)) digits++;
            else if (confusable(d)) conf++;
            else if (d != ',' && d != '.') other++;
        }
        /* a number with letters that look like digits in it, not a word
         * with digits ("10-K", "1st", "H1") */
        bool hit = digits >= 2 && conf >= 1 && !other && conf < digits && (isdg(U(s, i)) ||
                   (j > i + 1 && isdg(U(s, i + 1))));
        /* "l0" style starts need a digit right after; a trailing "o" of
         * "2010o" is rare, an ordinal never has l/I/O */
        if (hit) {
            char fix[64];
            size_t n = j - i < sizeof fix - 1 ? j - i : sizeof fix - 1;
            for (size_t q = 0; q < n; q++) {
                int d = U(s, i + q);
                fix[q] = (char)(d == 'l' || d == 'I' ? '1' : d == 'O' || d == 'o' ? '0' : d);
            }
            fix[n] = 0;
            lint_emit(c, k, t, i, j, fix, "letter inside a number: read \"%s\"", fix);
        }
        i = j;
    }
}

void lint_ocr_digit(lint_ctx *c) { each_text(c, digit_text, NULL); }

/* ---- acronyms ---- */

typedef struct acr {
    char name[16][16];
    char def[64][16];
    int ndef;
} acr;

static bool acronym_at(const char *s, size_t n, size_t i, size_t *e) {
    size_t j = i, up = 0;
    while (j < n && (isup(U(s, j)) || isdg(U(s, j)) || (s[j] == '-' && j + 1 < n && isup(U(s, j + 1))) ||
                     s[j] == '&')) {
        up += isup(U(s, j));
        j++;
    }
    *e = j;
    return up >= 2 && j - i >= 2 && j - i < 16 && !(j < n && islo(U(s, j)));
}

/* ("ABC") and (the "ABC"), straight or curly quotes */
static void defs_text(lint_ctx *c, const rfx_risk *k, const rfx_text *t, void *arg) {
    acr *A = arg;
    const char *s = t->s;
    for (size_t i = 0; i + 3 < t->len && A->ndef < 64; i++) {
        if (s[i] != '(') continue;
        size_t j = i + 1;
        if (!strncmp(s + j, "the ", 4)) j += 4;
        if (s[j] == '"') j++;
        else if (!strncmp(s + j, "\xE2\x80\x9C", 3)) j += 3;
        else continue;
        size_t e;
        if (!acronym_at(s, t->len, j, &e)) continue;
        memcpy(A->def[A->ndef], s + j, e - j);
        A->def[A->ndef][e - j] = 0;
        A->ndef++;
    }
}

/* One substitution, insertion, deletion or swap of neighbours. */
static bool one_off(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la == lb) {
        size_t d = 0, p = 0;
        for (size_t i = 0; i < la; i++)
            if (a[i] != b[i]) { if (!d) p = i; d++; }
        if (d == 1) return true;
        return d == 2 && p + 1 < la && a[p] == b[p + 1] && a[p + 1] == b[p];
    }
    if (la + 1 == lb || lb + 1 == la) {
        const char *s = la < lb ? a : b, *l = la < lb ? b : a;
        size_t i = 0;
        while (s[i] && s[i] == l[i]) i++;
        return !strcmp(s + i, l + i + 1);
    }
    return false;
}

/* Every acronym-like token, counted, with where it first appears. */
typedef struct acr_tok {
    char tok[16];
    int n;
    const rfx_risk *k;
    const rfx_text *t;
    size_t b, e;
} acr_tok;

typedef struct acr_scan {
    acr_tok *v;
    size_t n, cap;
} acr_scan;

static void acr_text(lint_ctx *c, const rfx_risk *k, const rfx_text *t, void *arg) {
    acr_scan *S = arg;
    const char *s = t->s;
    for (size_t i = 0; i < t->len;) {
        size_t e;
        if ((i && (isal(U(s, i - 1)) || isdg(U(s, i - 1)))) || !isup(U(s, i)) || !acronym_at(s, t->len, i, &e)) {
            i++;
            continue;
        }
        size_t q = 0;
        while (q < S->n && (strlen(S->v[q].tok) != e - i || strncmp(S->v[q].tok, s + i, e - i))) q++;
        if (q < S->n) {
            S->v[q].n++;
        } else if (S->n < 4096) {
            if (S->n == S->cap) {
                size_t nc = S->cap ? S->cap * 2 : 64;
                acr_tok *v = realloc(S->v, nc * sizeof *v);
                if (!v) { c->f->oom = true; return; }
                S->v = v;
                S->cap = nc;
            }
            acr_tok *x = &S->v[S->n++];
            memcpy(x->tok, s + i, e - i);
            x->tok[e - i] = 0;
            x->n = 1;
            x->k = k;
            x->t = t;
            x->b = i;
            x->e = e;
        }
        i = e;
    }
}

/* A typo of a defined term: used once or twice, never defined, the same
 * length as a term the document defines and uses at least three times, and
 * one letter or one swap away from it ("TTT" among many "NTT"). Tokens one
 * letter longer or shorter are other words ("DRAM" / "DRM"). */
void lint_acronym(lint_ctx *c) {
    acr A;
    memset(&A, 0, sizeof A);
    each_text(c, defs_text, &A);
    if (!A.ndef) return;
    acr_scan S = {0};
    each_text(c, acr_text, &S);
    for (size_t q = 0; q < S.n; q++) {
        const acr_tok *x = &S.v[q];
        if (x->n > 2 || strlen(x->tok) < 3 || strchr(x->tok, '-')) continue;
        bool defined = false;
        const char *near = NULL;
        for (int d = 0; d < A.ndef; d++) {
            if (!strcmp(A.def[d], x->tok)) defined = true;
            else if (strlen(A.def[d]) == strlen(x->tok) && one_off(A.def[d], x->tok)) {
                for (size_t u = 0; u < S.n; u++)
                    if (!strcmp(S.v[u].tok, A.def[d]) && S.v[u].n >= 3) near = A.def[d];
            }
        }
        if (defined || !near) continue;
        lint_emit(c, x->k, x->t, x->b, x->e, near,
                  "\"%s\" is never defined and is one character away from \"%s\", a term the document defines",
                  x->tok, near);
    }
    free(S.v);
}

/* ================= 2. dates and periods ================= */

static int ym(const char *iso) { /* "2013-03-31" or "2013-03" → months since year 0 */
    if (!iso || strlen(iso) < 7 || !isdg(U(iso, 0)) || iso[4] != '-') return -1;
    int y = atoi(iso), m = atoi(iso + 5);
    if (m < 1 || m > 12) return -1;
    return y * 12 + m - 1;
}

static const char *const past_verbs[] = {
    "was", "were", "had", "did", "occurred", "announced", "acquired", "completed", "entered",
    "filed", "received", "issued", "paid", "closed", "sold", "became", "began", "agreed",
    "incurred", "recorded", "reported", "launched", "signed", "approved", "experienced",
    "suffered", "happened", "decided", "resigned", "settled", "commenced", "injected", NULL};
static const char *const future_words[] = {
    "will", "shall", "expect*", "anticipat*", "plan", "plans", "planned", "planning", "schedul*", "intend*", "may", "might",
    "could", "would", "until", "through", "expir*", "matur*", "due", "effective", "beginning",
    "by", "after", "before", "later", "project*", "estimat*", "target*", "goal*", "forecast*",
    "no", "if", "unless", "within", "require*", "deadline", "extend*", "phase*", "be", "set",
    "pending", "remain*", NULL};

static bool any_word(const char *s, size_t a, size_t b, const char *const *w) {
    for (int q = 0; w[q]; q++)
        if (lint_has_word(s, a, b, w[q])) return true;
    return false;
}

void lint_date_after(lint_ctx *c) {
    const rfx_filing *fl = &c->r->filing;
    int pe = ym(fl->period);
    if (pe < 0 || !fl->form) return;
    /* the last month a report for this period is normally filed in: 10-K
     * within 90 days, 10-Q 45, 20-F four months (older rules: six). A
     * prospectus has no such tie to its latest period, so it is skipped. */
    int lag;
    if (!strncmp(fl->form, "20-F", 4) || !strncmp(fl->form, "40-F", 4)) lag = 6;
    else if (!strncmp(fl->form, "10-K", 4)) lag = 4;
    else if (!strncmp(fl->form, "10-Q", 4)) lag = 2;
    else return;
    for (size_t i = 0; i < c->r->nrisks; i++) {
        const rfx_risk *k = &c->r->risks[i];
        for (size_t q = 0; q < k->nfacts; q++) {
            const rfx_fact *f = &k->facts[q];
            if (f->kind != RFX_F_DATE || !f->date) continue;
            int d = ym(f->date);
            if (d < 0 || d <= pe + lag) continue;
            const rfx_text *t;
            size_t at, a, b;
            if (!fact_pos(c->r, k, f, &t, &at)) continue;
            lint_sentence(t, at, &a, &b);
            if (!any_word(t->s, a, b, past_verbs) || any_word(t->s, a, b, future_words)) continue;
            lint_emit(c, k, t, at, at + strlen(f->text), NULL,
                      "past event dated %s, after this filing for the period ended %s could have been made",
                      f->date, fl->period);
        }
    }
}

/* A list of years in s[a,b): "2011, 2012 and 2013". */
typedef struct ylist {
    size_t b, e;  /* text span */
    int y[16];
    int n;
} ylist;

static size_t year_at(const char *s, size_t n, size_t i, int *y) {
    if (i + 4 > n || (i && (isal(U(s, i - 1)) || isdg(U(s, i - 1)))) ||
        !(s[i] == '1' || s[i] == '2') || !isdg(U(s, i + 1)) || !isdg(U(s, i + 2)) || !isdg(U(s, i + 3)))
        return 0;
    if (i + 4 < n && (isdg(U(s, i + 4)) || isal(U(s, i + 4)) || (s[i + 4] == ',' && i + 5 < n && isdg(U(s, i + 5)))))
        return 0;
    if (i && (s[i - 1] == '$' || s[i - 1] == '.')) return 0;
    *y = atoi(s + i);
    return *y >= 1900 && *y <= 2100 ? 4 : 0;
}

/* Between two years of a list: ", ", " and ", ", and fiscal " */
static bool list_gap(const char *s, size_t a, size_t b) {
    size_t i = a;
    bool any = false;
    while (i < b) {
        if (s[i] == ' ' || s[i] == ',') { i++; any = true; continue; }
        if (b - i >= 3 && !strncmp(s + i, "and", 3)) { i += 3; continue; }
        if (b - i >= 6 && !strncmp(s + i, "fiscal", 6)) { i += 6; continue; }
        if (b - i >= 2 && !strncmp(s + i, "FY", 2)) { i += 2; continue; }
        return false;
    }
    return any;
}

static int year_lists(const char *s, size_t a, size_t b, ylist *out, int max) {
    int nl = 0;
    ylist cur = {0};
    size_t last_e = 0;
    for (size_t i = a; i < b; i++) {
        int y;
        size_t l = year_at(s, b, i, &y);
        if (!l) continue;
        if (cur.n && cur.n < 16 && list_gap(s, last_e, i)) {
            cur.y[cur.n++] = y;
        } else {
            if (cur.n >= 2 && nl < max) out[nl++] = cur;
            cur.n = 1;
            cur.y[0] = y;
            cur.b = i;
        }
        cur.e = i + l;
        last_e = i + l;
        i += l - 1;
    }
    if (cur.n >= 2 && nl < max) out[nl++] = cur;
    return nl;
}

static void resp_years_text(lint_ctx *c, const rfx_risk *k, const rfx_text *t, void *arg) {
    const char *s = t->s;
    size_t done = 0;
    for (size_t i = 0; i + 12 <= t->len; i++) {
        if (strncmp(s + i, "respectively", 12) || i < done) continue;
        size_t a, b;
        lint_sentence(t, i, &a, &b);
        done = b;
        ylist L[8];
        int nl = year_lists(s, a, b, L, 8);
        for (int q = 0; q < nl; q++) {
            const ylist *l = &L[q];
            int up = 0, down = 0, gap = 0;
            for (int j = 1; j < l->n; j++) {
                int d = l->y[j] - l->y[j - 1];
                if (d > 0) up++;
                if (d < 0) down++;
                if (d == 0 || d > 1 || d < -1) gap++;
            }
            char ys[96] = "";
            for (int j = 0; j < l->n && strlen(ys) < 80; j++)
                snprintf(ys + strlen(ys), sizeof ys - strlen(ys), "%s%d", j ? ", " : "", l->y[j]);
            if (up && down)
                lint_emit(c, k, t, l->b, l->e, NULL, "years of a \"respectively\" list out of order: %s", ys);
            else if (gap && (l->n >= 3 || l->y[1] == l->y[0]))
                lint_emit(c, k, t, l->b, l->e, NULL, "years of a \"respectively\" list skip or repeat a year: %s", ys);
        }
    }
}

void lint_resp_years(lint_ctx *c) { each_text(c, resp_years_text, NULL); }

static bool valued(const rfx_fact *f) { return f->kind == RFX_F_MONEY || f->kind == RFX_F_PERCENT; }

/* Separators inside a list of values: ", ", " and ", ", or ". */
static bool value_gap(const char *s, size_t a, size_t b) {
    for (size_t i = a; i < b;) {
        if (s[i] == ' ' || s[i] == ',' || s[i] == ';') { i++; continue; }
        if (b - i >= 3 && !strncmp(s + i, "and", 3)) { i += 3; continue; }
        if (b - i >= 2 && !strncmp(s + i, "or", 2)) { i += 2; continue; }
        return false;
    }
    return true;
}

/* The values listed right before text position p (in [g0, p)): the last
 * run of money/percent facts of risk k separated only by commas and "and"
 * ("12%, 11% and 11% ... respectively" counts 3, not the "10%" before). */
static int values_in(const rfx_risk *k, const rfx_text *t, size_t g0, size_t p) {
    size_t pos[64], end[64];
    int n = 0;
    for (size_t x = g0; x < p && n < 64; x++) {
        uint32_t o = rfx_text_off(t, x);
        if (x > g0 && rfx_text_off(t, x - 1) == o) continue;
        for (size_t q = 0; q < k->nfacts; q++) {
            const rfx_fact *f = &k->facts[q];
            if (f->start == o && valued(f) && f->text) {
                pos[n] = x;
                end[n] = x + strlen(f->text);
                n++;
                break;
            }
        }
    }
    if (!n) return 0;
    int run = 1;
    for (int j = n - 1; j > 0; j--) {
        if (end[j - 1] > pos[j] || !value_gap(t->s, end[j - 1], pos[j])) break;
        run++;
    }
    return run;
}

static void resp_count_text(lint_ctx *c, const rfx_risk *k, const rfx_text *t, void *arg) {
    const char *s = t->s;
    size_t sent_b = (size_t)-1, g0 = 0;
    ylist L[8];
    int nl = 0;
    for (size_t i = 0; i + 12 <= t->len; i++) {
        if (strncmp(s + i, "respectively", 12) || (i && isal(U(s, i - 1)))) continue;
        size_t a, b;
        lint_sentence(t, i, &a, &b);
        if (b != sent_b) { /* a new sentence: its lists, and the group starts at its start */
            sent_b = b;
            g0 = a;
            nl = year_lists(s, a, b, L, 8);
        }
        int cnt = values_in(k, t, g0, i);
        size_t gstart = g0;
        g0 = i + 12;
        if (!nl || cnt < 2) continue;
        bool match = false;
        int want = L[0].n;
        for (int q = 0; q < nl; q++)
            if (L[q].n == cnt) match = true;
        /* two values per year ("revenue and income of $1 and $2 million and
         * $3 and $4 million") stays quiet: only a count no list explains */
        for (int q = 0; q < nl; q++)
            if (cnt % L[q].n == 0) match = true;
        if (match) continue;
        lint_emit(c, k, t, gstart, i + 12, NULL,
                  "\"respectively\" pairs %d values with %d periods", cnt, want);
    }
}

void lint_resp_count(lint_ctx *c) {
    if (!lint_has_map(c->r)) return;
    each_text(c, resp_count_text, NULL);
}

/* ================= 3. magnitudes ================= */

static const char *scale_word(const char *s) {
    static const char *const w[] = {"trillion", "billion", "million", "thousand", NULL};
    for (int q = 0; w[q]; q++)
        if (strstr(s, w[q])) return w[q];
    return NULL;
}

static void fix_scale(const char *text, double ratio, char *out, size_t cap) {
    out[0] = 0;
    const char *w = scale_word(text);
    if (!w) return;
    static const char *const up[] = {"trillion", "billion", "million", "thousand"};
    int idx = 0;
    while (strcmp(up[idx], w)) idx++;
    int to = ratio > 1 ? idx + 1 : idx - 1;
    if (to < 0 || to > 3) return;
    const char *p = strstr(text, w);
    snprintf(out, cap, "%.*s%s%s", (int)(p - text), text, up[to], p + strlen(w));
}

static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void lint_magnitude(lint_ctx *c) {
    for (size_t i = 0; i < c->r->nrisks; i++) {
        const rfx_risk *k = &c->r->risks[i];
        for (size_t q = 0; q < k->nfacts;) {
            const rfx_fact *f = &k->facts[q];
            const rfx_text *t;
            size_t at, a, b;
            if (f->kind != RFX_F_MONEY || !f->has_value || f->value <= 0 || !fact_pos(c->r, k, f, &t, &at)) {
                q++;
                continue;
            }
            lint_sentence(t, at, &a, &b);
            /* the series: money facts in this sentence in this currency */
            size_t idx[32], n = 0, r = q;
            for (; r < k->nfacts; r++) {
                const rfx_fact *g = &k->facts[r];
                if (g->start >= rfx_text_end(t, b) || g->start < f->start) break;
                if (g->kind == RFX_F_MONEY && g->has_value && g->value > 0 && !strcmp(g->currency, f->currency) && n < 32)
                    idx[n++] = r;
            }
            q = r > q ? r : q + 1;
            bool resp = lint_has_word(t->s, a, b, "respectively");
            if (n < 3 && !(n == 2 && resp)) continue;
            for (size_t j = (n == 2 ? 1 : 0); j < n; j++) {
                double o[32];
                size_t m = 0;
                for (size_t x = 0; x < n; x++)
                    if (x != j) o[m++] = k->facts[idx[x]].value;
                qsort(o, m, sizeof *o, cmpd);
                double med = m % 2 ? o[m / 2] : (o[m / 2 - 1] + o[m / 2]) / 2;
                const rfx_fact *g = &k->facts[idx[j]];
                double ratio = g->value / med;
                if (!((ratio >= 300 && ratio <= 3000) || (ratio <= 1.0 / 300 && ratio >= 1.0 / 3000))) continue;
                /* with three or more, the others must agree among themselves */
                if (m >= 2 && o[m - 1] / o[0] > 30) continue;
                /* an amount read without its scale word next to amounts with
                 * one is the reading's fault ("$700&#160;million"), not the text's */
                bool scaled = scale_word(g->text) != NULL, others = false;
                for (size_t x = 0; x < n; x++)
                    if (x != j && scale_word(k->facts[idx[x]].text)) others = true;
                if (scaled != others) continue;
                char fix[256];
                fix_scale(g->text, ratio, fix, sizeof fix);
                lint_emit_src(c, g->start, g->end, g->text, fix[0] ? fix : NULL,
                              "%s is about %.0fx %s the other amounts of its series: a wrong scale word?",
                              g->text, ratio > 1 ? ratio : 1 / ratio, ratio > 1 ? "above" : "below");
            }
        }
    }
}

static const char *const share_words[] = {"of our", "of total", "makes up", "make up",
                                           "of the cost", "of revenue*", "of net", "of sales", "share", "accounted", "account",
                                           "accounts", "represent*", "owned", "own", "owns",
                                           "ownership", "stake", "of the outstanding", "portion",
                                           "proportion", "comprise*", "constitut*", NULL};
static const char *const change_words[] = {"increas*", "grow*", "grew", "growth", "rise", "rose",
                                           "risen", "higher", "up by", "more", "compared", "declin*",
                                           "decreas*", "chang*", "return*", "yield*", "rate*",
                                           "times", "coverage", "ratio", "utiliz*", "capacity",
                                           "collateral*", "exceed*", "over", "above", "premium",
                                           "loan-to-value", "fell", "drop*", "improv*", "target*", "award*",
                                           "payout*", "goal*", "earn*", NULL};

void lint_percent_share(lint_ctx *c) {
    for (size_t i = 0; i < c->r->nrisks; i++) {
        const rfx_risk *k = &c->r->risks[i];
        for (size_t q = 0; q < k->nfacts; q++) {
            const rfx_fact *f = &k->facts[q];
            if (f->kind != RFX_F_PERCENT || !f->has_value || f->value <= 100) continue;
            const rfx_text *t;
            size_t at, a, b;
            if (!fact_pos(c->r, k, f, &t, &at)) continue;
            lint_sentence(t, at, &a, &b);
            if (!any_word(t->s, a, b, share_words) || any_word(t->s, a, b, change_words)) continue;
            lint_emit_src(c, f->start, f->end, f->text, NULL,
                          "%s stated as a share: a share cannot pass 100%%", f->text);
        }
    }
}

static const char *const reason_words[] = {
    "translat*", "convenience", "denominat*", "equivalent", "exchange", "foreign", "overseas",
    "subsidiar*", "abroad", "international", "notes", "bonds", "loan*", "borrow*", "debt",
    "currenc*", "europe*", "u.s", "united", "japan*", "china", "chinese", "euro*", "uk",
    "canad*", "australia*", "india*", "brazil*", "mexic*", "countr*", "global*", "non-u.s",
    "outside", "local", "ireland", "irish", "gdpr", "eu", "germany", "german", "france",
    "french", "swiss", "switzerland", "netherlands", "dutch", "britain", "british", "sterling",
    "fine*", "penalt*", "tax*", NULL};

/* The filing's currency: as stated, else the one most amounts are in. */
static const char *doc_currency(const rfx_register *r, char buf[4]) {
    if (r->filing.currency && strlen(r->filing.currency) == 3) return r->filing.currency;
    char cur[8][4];
    int cnt[8] = {0}, used = 0;
    for (size_t i = 0; i < r->nrisks; i++)
        for (size_t q = 0; q < r->risks[i].nfacts; q++) {
            const rfx_fact *f = &r->risks[i].facts[q];
            if (f->kind != RFX_F_MONEY || !f->currency[0]) continue;
            int j = 0;
            while (j < used && strcmp(cur[j], f->currency)) j++;
            if (j == used) {
                if (used == 8) continue;
                memcpy(cur[used++], f->currency, 4);
            }
            cnt[j]++;
        }
    int best = -1, tot = 0;
    for (int j = 0; j < used; j++) {
        tot += cnt[j];
        if (best < 0 || cnt[j] > cnt[best]) best = j;
    }
    if (best < 0 || cnt[best] * 3 < tot * 2) return NULL; /* no clear majority */
    memcpy(buf, cur[best], 4);
    return buf;
}

void lint_currency(lint_ctx *c) {
    char buf[4];
    const char *dc = doc_currency(c->r, buf);
    if (!dc) return;
    for (size_t i = 0; i < c->r->nrisks; i++) {
        const rfx_risk *k = &c->r->risks[i];
        for (size_t q = 0; q < k->nfacts; q++) {
            const rfx_fact *f = &k->facts[q];
            if (f->kind != RFX_F_MONEY || !f->currency[0] || !strcmp(f->currency, dc) || f->repaired) continue;
            const rfx_text *t;
            size_t at, a, b, pa, pb;
            if (!fact_pos(c->r, k, f, &t, &at)) continue;
            lint_sentence(t, at, &a, &b);
            /* the reason may be in this sentence or the one before it */
            pa = a;
            if (a >= 2) lint_sentence(t, a - 2, &pa, &pb);
            if (any_word(t->s, pa, b, reason_words)) continue;
            lint_emit_src(c, f->start, f->end, f->text, NULL,
                          "amount in %s in a filing reported in %s, with no reason given nearby",
                          f->currency, dc);
        }
    }
}
