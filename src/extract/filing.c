/*
 * filing.c — facts about the filing itself, read from the text after ingest:
 * the form, the registrant's name, the main currency, the fiscal-year end
 * and the period of the report. A field that is already set (the SGML
 * header states form, company and CIK exactly) is never overwritten.
 *
 *  - form: the EDGAR document line a converter leaves first ("424B2 1
 *    tm245193-3_424b2.htm") and "Filed Pursuant to Rule 424(b)(5)" weigh
 *    most, then a cover line "FORM 10-K" / "FORM 6-K" / "SCHEDULE 14A" /
 *    "PROSPECTUS SUPPLEMENT" in the first blocks, then "this annual report
 *    on Form 20-F" / "this Form 10-K". "annual report on Form X" only adds
 *    to a form already seen: a prospectus names the 10-K it incorporates
 *    many times, and a form is never guessed from that alone.
 *  - company: the line before "(Exact name of registrant as specified in its
 *    charter)" or "(Registrant Name)"; else, for a prospectus, the issuer
 *    its offering summary names ("Issuer: X") or the price table's
 *    "Proceeds to X", or the largest cover line that ends in a corporate
 *    suffix ("Healthpeak Properties, Inc.").
 *  - period: a 10-Q's "for the quarterly period ended June 29, 2024" and a
 *    prospectus's own date come from its cover; a prospectus takes no
 *    fiscal-year date (those belong to the documents it incorporates).
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

enum { RE_COVER, RE_THIS_FORM, RE_REPORT_ON, RE_REGISTRANT, RE_FYE, RE_DOCLINE, RE_RULE424,
       RE_COVER2, RE_ISSUER, RE_QPERIOD, RE_PSDATE, RE_PDATE, RE_COUNT };

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
        [RE_REGISTRANT] = {"\\(?\\s*(?:exact\\s+name\\s+of\\s+(?:the\\s+)?registrant\\s+as\\s+specified|"
                           "registrant(?:.?s)?\\s+name\\s*\\)|name\\s+of\\s+registrant\\s*\\))",
                           PCRE2_CASELESS},
        /* the EDGAR <TYPE> <SEQUENCE> <FILENAME> values left as the first line */
        [RE_DOCLINE] = {"^\\s*([0-9A-Z][0-9A-Z/ -]{0,14}?)\\s+\\d{1,3}\\s+\\S+\\.(?:htm|html|txt)\\b", 0},
        [RE_RULE424] = {"\\bFiled\\s+Pursuant\\s+to\\s+Rule\\s+424\\s*\\(\\s*b\\s*\\)\\s*\\(\\s*([1-8])\\s*\\)",
                        PCRE2_CASELESS},
        [RE_COVER2] = {"^\\s*(?:FORM\\s+(6-K|8-K|S-3|S-4|S-8|S-11|F-1|F-3|F-4|11-K|N-CSR|24F-2(?:NT)?)(?:/A)?|"
                       "(SCHEDULE\\s+14A)(?:\\s+INFORMATION)?|(?:PRELIMINARY\\s+)?(PROSPECTUS\\s+SUPPLEMENT)\\b.{0,60})\\s*$",
                       PCRE2_CASELESS},
        [RE_ISSUER] = {"(?:^Issuer\\s*[:|]?\\s*|\\bProceeds,?\\s+(?:before\\s+expenses,?\\s+)?to\\s+(?:the\\s+)?)"
                       "((?:(?:[A-Z0-9&][\\w&.'-]*|and|of|the|for),?\\s+){0,7}?(?:Inc\\.|Incorporated|Corporation|Company|Corp\\.|"
                       "Ltd\\.|Limited|plc|PLC|LLC|L\\.P\\.|N\\.V\\.|S\\.A\\.|AG|SE|Trust|Co\\.))", 0},
        [RE_QPERIOD] = {"\\bfor\\s+the\\s+quarterly\\s+period\\s+ended\\s+" MONTHS "\\s+(\\d{1,2}),?\\s+((?:19|20)\\d\\d)",
                        PCRE2_CASELESS},
        [RE_PSDATE] = {"(?:\\bdate\\s+of\\s+this\\s+prospectus\\s+supplement\\s+is|(?<!to\\s)\\bprospectus\\s+supplement\\s+dated)\\s+"
                       MONTHS "\\s+(\\d{1,2}),?\\s+((?:19|20)\\d\\d)", PCRE2_CASELESS},
        [RE_PDATE] = {"\\bdate\\s+of\\s+this\\s+prospectus\\s+is\\s+" MONTHS "\\s+(\\d{1,2}),?\\s+((?:19|20)\\d\\d)",
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

/* Form votes: a few names, each with a score. */
typedef struct form_votes {
    const char *name[16];
    int score[16];
    int n;
    int weight;
    bool add_only; /* only strengthens a form already seen */
    rfx_register *r;
} form_votes;

static void vote_name(form_votes *fv, const char *s, size_t len) {
    char buf[24];
    size_t k = 0;
    for (size_t i = 0; i < len && k + 1 < sizeof buf; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            if (k && buf[k - 1] != ' ') buf[k++] = ' ';
            continue;
        }
        buf[k++] = (char)toupper((unsigned char)c);
    }
    while (k && buf[k - 1] == ' ') k--;
    buf[k] = 0;
    if (!k) return;
    for (int i = 0; i < fv->n; i++)
        if (!strcmp(fv->name[i], buf)) { fv->score[i] += fv->weight; return; }
    if (fv->add_only || fv->n == 16) return;
    const char *nm = rfx_arena_strdup(fv->r->arena, buf);
    if (!nm) return;
    fv->name[fv->n] = nm;
    fv->score[fv->n++] = fv->weight;
}

/* The first capture group that matched names the form. */
static void vote_form(void *ctx, const char *s, const PCRE2_SIZE *ov, int rc) {
    form_votes *fv = ctx;
    for (int g = 1; g < rc; g++) {
        if (ov[2 * g] == PCRE2_UNSET) continue;
        const char *v = s + ov[2 * g];
        size_t n = ov[2 * g + 1] - ov[2 * g];
        if (n == 21 && !strncasecmp(v, "PROSPECTUS SUPPLEMENT", 21)) vote_name(fv, "424B", 4);
        else if (n >= 12 && !strncasecmp(v, "SCHEDULE", 8)) vote_name(fv, "DEF 14A", 7);
        else if (n == 1 && isdigit((unsigned char)*v)) { /* Rule 424(b)(N) */
            char f[5] = {'4', '2', '4', 'B', *v};
            vote_name(fv, f, 5);
        } else vote_name(fv, v, n);
        return;
    }
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

/* The ISO date of the first match of pattern k in s (month, day, year
 * groups 1-3), or NULL. */
static const char *date_of(rfx_register *r, int k, pcre2_match_data *md, const char *s, size_t n) {
    if (!re[k] || pcre2_match(re[k], (PCRE2_SPTR)s, n, 0, 0, md, NULL) < 4) return NULL;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    int m = month_no(s, ov[2], ov[3]), d = atoi(s + ov[4]), y = atoi(s + ov[6]);
    if (!m || d < 1 || d > 31) return NULL;
    return rfx_arena_printf(r->arena, "%04d-%02d-%02d", y, m, d);
}

/* A prospectus cover names its issuer in large type ("Healthpeak
 * Properties, Inc."): the largest, boldest short line of the first blocks
 * that ends in a corporate suffix. */
static const char *cover_name(rfx_register *r) {
    static const char *suf[] = {"Inc.", "Inc", "Incorporated", "Corporation", "Company", "Corp.", "Ltd.",
                                "Limited", "plc", "PLC", "LLC", "L.P.", "N.V.", "S.A.", "AG", "SE", "Trust",
                                "INC.", "INC", "CORPORATION", "COMPANY", "CORP.", "LTD.", NULL};
    const rfx_block *best = NULL;
    int best_score = 0;
    for (size_t i = 0; i < r->nblocks && i < 60; i++) {
        const rfx_block *b = &r->blocks[i];
        size_t n = b->t.len;
        if (n < 4 || n > 80 || (b->flags & (RFX_B_TABLE | RFX_B_TOC | RFX_B_PAGEHDR | RFX_B_HIDDEN))) continue;
        const char *s = b->t.s;
        while (n && strchr(" .,", s[n - 1]) && !(n > 3 && s[n - 1] == '.' && s[n - 2] != ' ')) n--;
        bool hit = false;
        for (int k = 0; suf[k] && !hit; k++) {
            size_t m = strlen(suf[k]);
            hit = n > m + 1 && !strncmp(s + n - m, suf[k], m) && s[n - m - 1] == ' ';
        }
        if (!hit || !x_isupper((unsigned char)s[0])) continue;
        int score = 1 + b->font_size + ((b->flags & RFX_B_BOLD) ? 50 : 0) + ((b->flags & RFX_B_CENTER) ? 50 : 0);
        if (score > best_score) best = b, best_score = score;
    }
    return best ? trimmed_copy(r, best->t.s, best->t.len) : NULL;
}

void rfx_filing_from_text(rfx_register *r) {
    if (!r || !r->nblocks) return;
    pthread_once(&re_once, compile_all);
    pcre2_match_data *md = re[RE_FYE] ? pcre2_match_data_create_from_pattern(re[RE_FYE], NULL) : NULL;
    if (!md) return;
    rfx_filing *f = &r->filing;
    form_votes fv;
    memset(&fv, 0, sizeof fv);
    fv.r = r;
    const char *cover_period = NULL, *ps_date = NULL, *p_date = NULL, *issuer = NULL;
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
            if (i < 3 && n < 120) {
                fv.weight = 100;
                each_match(RE_DOCLINE, md, s, n, vote_form, &fv);
            }
            if (i < 80 && n < 200) {
                fv.weight = 50;
                each_match(RE_RULE424, md, s, n, vote_form, &fv);
            }
            if (i < 80 && n < 40) {
                fv.weight = 10;
                each_match(RE_COVER, md, s, n, vote_form, &fv);
            }
            if (i < 80 && n < 90) {
                fv.weight = 10;
                each_match(RE_COVER2, md, s, n, vote_form, &fv);
            }
            fv.weight = 5;
            each_match(RE_THIS_FORM, md, s, n, vote_form, &fv);
            fv.weight = 2;
            fv.add_only = true;
            each_match(RE_REPORT_ON, md, s, n, vote_form, &fv);
            fv.add_only = false;
        }
        if (i < 80 && !cover_period)
            cover_period = date_of(r, RE_QPERIOD, md, s, n);
        if (i < 120 && !ps_date) ps_date = date_of(r, RE_PSDATE, md, s, n);
        if (i < 120 && !p_date) p_date = date_of(r, RE_PDATE, md, s, n);
        if (!issuer && i < 400 && re[RE_ISSUER] && pcre2_match(re[RE_ISSUER], (PCRE2_SPTR)s, n, 0, 0, md, NULL) > 1) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            issuer = trimmed_copy(r, s + ov[2], ov[3] - ov[2]);
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
        for (int k = 0; k < fv.n; k++)
            if (best < 0 || fv.score[k] > fv.score[best]) best = k;
        if (best >= 0) f->form = fv.name[best];
    }
    bool prospectus = f->form && (!strncmp(f->form, "424", 3) || !strncmp(f->form, "S-", 2) ||
                                  !strncmp(f->form, "F-", 2));
    if (!f->company) f->company = issuer;
    if (!f->company && prospectus) f->company = cover_name(r);
    /* a 10-K may name a coming quarter ("… for the quarterly period ended March 31") */
    if (!f->period && cover_period && f->form && !strncmp(f->form, "10-Q", 4)) f->period = cover_period;
    if (!f->period && prospectus) f->period = ps_date ? ps_date : p_date;
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
        if (!f->period && !prospectus && yv->best_y)
            f->period = rfx_arena_printf(r->arena, "%04d-%02d-%02d", yv->best_y, yv->best_m, yv->best_d);
        free(yv);
    }
}
