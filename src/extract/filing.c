/*
 * filing.c — facts about the filing itself, read from the text after ingest:
 * the form, the registrant's name, the main currency, the fiscal-year end
 * and the period of the report. A field that is already set (the SGML
 * header states form, company and CIK exactly) is never overwritten.
 *
 *  - form: a cover line "FORM 10-K" in the first blocks weighs most, then
 *    "this annual report on Form 20-F" / "this Form 10-K", then any "annual
 *    report on Form X". Forms: 10-K, 20-F, 10-Q, S-1, 40-F.
 *  - company: the line before "(Exact name of registrant as specified in its
 *    charter)".
 *  - currency: the ISO code of the currency most amounts are written in
 *    (money.c's reader, without repairs); none when tied.
 *  - fiscal_year_end: the month and day most often written after "fiscal
 *    year(s) ended/ending" ("0331"); period: the latest full date written
 *    after "fiscal year ended" (ISO), i.e. the year the report covers.
 *
 * The patterns are PCRE2, compiled and JIT-compiled once per process
 * (pthread_once), so documents parsed in parallel threads share them; each
 * call owns its match data.
 */
#include "extract_int.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { RE_COVER, RE_THIS_FORM, RE_REPORT_ON, RE_REGISTRANT, RE_FYE, RE_COUNT };

static pcre2_code *re[RE_COUNT];
static pthread_once_t re_once = PTHREAD_ONCE_INIT;

#define MONTHS "(January|February|March|April|May|June|July|August|September|October|November|December)"
#define FORMS "(10-K|20-F|10-Q|S-1|40-F)"

static void compile_all(void) {
    static const struct { const char *p; uint32_t opt; } src[RE_COUNT] = {
        [RE_COVER] = {"^\\s*FORM\\s+" FORMS "(?:405|SB)?(?:/A)?\\s*$", PCRE2_CASELESS},
        [RE_THIS_FORM] = {"\\bthis\\s+(?:(?:annual|quarterly|transition)\\s+report\\s+on\\s+|report\\s+on\\s+|"
                          "registration\\s+statement\\s+on\\s+)?Form\\s+" FORMS "\\b",
                          PCRE2_CASELESS},
        [RE_REPORT_ON] = {"\\b(?:annual|quarterly)\\s+report\\s+on\\s+Form\\s+" FORMS "\\b", PCRE2_CASELESS},
        [RE_REGISTRANT] = {"\\(?\\s*exact\\s+name\\s+of\\s+(?:the\\s+)?registrant\\s+as\\s+specified",
                           PCRE2_CASELESS},
        [RE_FYE] = {"\\b(?:fiscal\\s+)?years?\\s+(ended|ending)\\s+(?:on\\s+)?" MONTHS
                    "\\s+(\\d{1,2})(?:,?\\s+((?:19|20)\\d\\d)(?!\\d))?",
                    PCRE2_CASELESS},
    };
    for (int k = 0; k < RE_COUNT; k++) {
        int errcode;
        PCRE2_SIZE erroff;
        re[k] = pcre2_compile((PCRE2_SPTR)src[k].p, PCRE2_ZERO_TERMINATED, src[k].opt, &errcode,
                              &erroff, NULL);
        if (re[k]) pcre2_jit_compile(re[k], PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
    }
}

static const char *const forms[] = {"10-K", "20-F", "10-Q", "S-1", "40-F"};

static int form_index(const char *s, PCRE2_SIZE b, PCRE2_SIZE e) {
    for (int k = 0; k < 5; k++)
        if (e - b == strlen(forms[k]) && strncasecmp(s + b, forms[k], e - b) == 0) return k;
    return -1;
}

/* Calls fn for every match of pattern k in s (non-overlapping). */
typedef void (*match_fn)(void *ctx, const char *s, const PCRE2_SIZE *ov, int rc);
static void each_match(int k, pcre2_match_data *md, const char *s, size_t n, match_fn fn, void *ctx) {
    if (!re[k] || !md) return;
    PCRE2_SIZE at = 0;
    while (at <= n) {
        int rc = pcre2_match(re[k], (PCRE2_SPTR)s, n, at, 0, md, NULL);
        if (rc <= 0) return;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        fn(ctx, s, ov, rc);
        at = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
    }
}

typedef struct form_votes {
    int score[5];
    int weight;
} form_votes;

static void vote_form(void *ctx, const char *s, const PCRE2_SIZE *ov, int rc) {
    form_votes *fv = ctx;
    if (rc < 2) return;
    int f = form_index(s, ov[2], ov[3]);
    if (f >= 0) fv->score[f] += fv->weight;
}

typedef struct fye_votes {
    int md[13][32];
    int best_y, best_m, best_d; /* latest "ended" full date */
} fye_votes;

static int month_no(const char *s, size_t b, size_t e) {
    static const char *m[] = {"january", "february", "march", "april", "may", "june", "july",
                              "august", "september", "october", "november", "december"};
    for (int k = 0; k < 12; k++)
        if (e - b == strlen(m[k]) && strncasecmp(s + b, m[k], e - b) == 0) return k + 1;
    return 0;
}

static void vote_fye(void *ctx, const char *s, const PCRE2_SIZE *ov, int rc) {
    fye_votes *fv = ctx;
    if (rc < 4) return;
    int m = month_no(s, ov[4], ov[5]);
    int d = atoi(s + ov[6]);
    if (!m || d < 1 || d > 31) return;
    fv->md[m][d]++;
    bool ended = ov[3] - ov[2] == 5; /* "ended", not "ending" */
    if (ended && rc >= 5 && ov[8] != PCRE2_UNSET) {
        int y = atoi(s + ov[8]);
        if (y > fv->best_y || (y == fv->best_y && m * 100 + d > fv->best_m * 100 + fv->best_d)) {
            fv->best_y = y;
            fv->best_m = m;
            fv->best_d = d;
        }
    }
}

static const char *trimmed_copy(rfx_register *r, const char *s, size_t n) {
    while (n && (s[0] == ' ' || s[0] == '(')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == ',')) n--;
    if (n < 2 || n > 150) return NULL;
    /* a rule of dashes or a page number is no name */
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) letters += x_isalpha((unsigned char)s[i]);
    if (letters < 2 || letters * 2 < n) return NULL;
    return rfx_arena_strndup(r->arena, s, n);
}

/* Counts the amounts in the raw HTML after the front (src[from, srclen)),
 * read neither by a prefix parse nor, for facts, by a whole one: tags become
 * a space and the entities an amount uses are decoded, so a cell's "$" still
 * meets the next cell's number. A counting pass, not an HTML reader: the
 * financial statements back there are what say a filing's currency (Loncor
 * writes Cdn$ up front and reports in US dollars), and both ways of reading
 * a document count them the same way. */
static void count_tail_currencies(const rfx_register *r, size_t from, xcurcount *cc) {
    const unsigned char *s = r->src;
    size_t n = r->srclen;
    char buf[8192];
    size_t k = 0;
    for (size_t i = from; i < n; i++) {
        unsigned char c = s[i];
        if (c == '<') {
            const unsigned char *gt = memchr(s + i, '>', n - i);
            if (!gt) break;
            i = (size_t)(gt - s);
            c = ' ';
        } else if (c == '&') {
            /* character references an amount uses, as UTF-8: "&#8364;",
             * "&#x20AC;", "&euro;", "&pound;", "&yen;", "&#36;" */
            static const struct { const char *e; unsigned cp; } named[] = {
                {"&amp;", '&'}, {"&nbsp;", ' '}, {"&euro;", 0x20AC}, {"&pound;", 0xA3},
                {"&yen;", 0xA5}, {"&dollar;", '$'}, {NULL, 0}};
            unsigned cp = 0;
            size_t m = 0;
            if (i + 2 < n && s[i + 1] == '#') {
                size_t j = i + 2;
                bool hex = j < n && (s[j] | 0x20) == 'x';
                j += hex;
                unsigned v = 0;
                size_t d = j;
                while (j < n && j - d < 7 && (hex ? isxdigit(s[j]) : isdigit(s[j])))
                    v = v * (hex ? 16 : 10) + (unsigned)(isdigit(s[j]) ? s[j] - '0' : (s[j] | 0x20) - 'a' + 10), j++;
                if (j > d && j < n && s[j] == ';' && v && v < 0x110000) cp = v, m = j + 1 - i;
            } else {
                for (int e = 0; named[e].e; e++) {
                    size_t l = strlen(named[e].e);
                    if (i + l <= n && strncasecmp((const char *)s + i, named[e].e, l) == 0) { cp = named[e].cp; m = l; break; }
                }
            }
            if (m) {
                i += m - 1;
                if (cp == 0xA0) cp = ' ';
                if (cp < 0x80) c = (unsigned char)cp;
                else {
                    char u[4];
                    size_t ul = (size_t)rfx_utf8_encode((int32_t)cp, u);
                    if (k + ul >= sizeof buf - 1) { x_count_currencies(buf, k, cc); k = 0; }
                    memcpy(buf + k, u, ul);
                    k += ul;
                    continue;
                }
            }
        }
        if (c == ' ' && k && buf[k - 1] == ' ') continue;
        buf[k++] = (char)c;
        /* flush at a space, so no amount is cut in two */
        if (k >= sizeof buf - 1 || (k > sizeof buf - 256 && c == ' ')) {
            x_count_currencies(buf, k, cc);
            k = 0;
        }
    }
    if (k) x_count_currencies(buf, k, cc);
}

void rfx_filing_from_text(rfx_register *r) {
    if (!r || !r->nblocks) return;
    pthread_once(&re_once, compile_all);
    pcre2_match_data *md = re[RE_FYE] ? pcre2_match_data_create_from_pattern(re[RE_FYE], NULL) : NULL;
    if (!md) return;
    rfx_filing *f = &r->filing;
    form_votes fv;
    memset(&fv, 0, sizeof fv);
    fye_votes *yv = calloc(1, sizeof *yv);
    xcurcount cc;
    memset(&cc, 0, sizeof cc);
    /* The cover page and Part I state the form, the registrant and the
     * fiscal year; the financial statements and exhibits of a large filing
     * name many other years (prior periods, maturities), so votes come from
     * the front a prefix parse reads, whichever way the document was read
     * (HD, GME and WAT: the fiscal year end or period voted from the whole
     * document was a neighbouring year's). */
    size_t front = rfx_prefix_cut(r), tail_from = front;
    for (size_t i = 0; i < r->nblocks; i++) {
        const rfx_block *b = &r->blocks[i];
        const char *s = b->t.s;
        size_t n = b->t.len;
        if (!s || !n) continue;
        if (front && b->end > front) { /* the rest is counted from its bytes, once */
            tail_from = b->start < front ? b->start : front;
            break;
        }
        if (!f->form) {
            if (i < 80 && n < 40) {
                fv.weight = 10;
                each_match(RE_COVER, md, s, n, vote_form, &fv);
            }
            fv.weight = 5;
            each_match(RE_THIS_FORM, md, s, n, vote_form, &fv);
            fv.weight = 2;
            each_match(RE_REPORT_ON, md, s, n, vote_form, &fv);
        }
        if (!f->company && re[RE_REGISTRANT] &&
            pcre2_match(re[RE_REGISTRANT], (PCRE2_SPTR)s, n, 0, 0, md, NULL) > 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            if (ov[0] > 2) f->company = trimmed_copy(r, s, ov[0]);
            for (size_t j = i; !f->company && j-- > 0 && i - j <= 3;) {
                const rfx_block *p = &r->blocks[j];
                if (p->t.len && !(p->flags & (RFX_B_PAGENUM | RFX_B_PAGEHDR)))
                    f->company = trimmed_copy(r, p->t.s, p->t.len);
                if (p->t.len) break;
            }
        }
        if (yv) each_match(RE_FYE, md, s, n, vote_fye, yv);
        if (!f->currency && !(b->flags & RFX_B_TOC)) x_count_currencies(s, n, &cc);
    }
    pcre2_match_data_free(md);
    if (front && !f->currency) count_tail_currencies(r, tail_from, &cc);
    if (!f->form) {
        int best = -1;
        for (int k = 0; k < 5; k++)
            if (fv.score[k] && (best < 0 || fv.score[k] > fv.score[best])) best = k;
        if (best >= 0) f->form = forms[best];
    }
    if (!f->currency) {
        const char *c = x_dominant_currency(&cc);
        if (c) f->currency = rfx_arena_strdup(r->arena, c);
    }
    if (yv) {
        int bm = 0, bd = 0, bn = 0;
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= 31; d++)
                if (yv->md[m][d] > bn) { bn = yv->md[m][d]; bm = m; bd = d; }
        if (bn && !f->fiscal_year_end) {
            f->fy_end_month = bm;
            f->fy_end_day = bd;
            f->fiscal_year_end = rfx_arena_printf(r->arena, "%02d%02d", bm, bd);
        }
        if (!f->period && yv->best_y)
            f->period = rfx_arena_printf(r->arena, "%04d-%02d-%02d", yv->best_y, yv->best_m, yv->best_d);
        free(yv);
    }
}
