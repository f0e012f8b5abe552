/*
 * dates.c — calendar dates and fiscal periods.
 *
 *   March 31, 2013 → date 2013-03-31     June 2013 → date 2013-06
 *   31 March 2013  → date 2013-03-31
 *   the fiscal year ended March 31, 2013 → period FY2013
 *   fiscal years ended March 31, 2011, 2012 and 2013 → FY2011, FY2012, FY2013
 *   fiscal 2013, fiscal year 2013, FY2013, FY13, the year ended December 31, 2022
 *   as of March 31, 2013 → a date that governs nearby values (see align.c)
 *
 * Fiscal-year label: FYyyyy where yyyy is the calendar year in which the
 * fiscal year ENDS ("ended March 31, 2013" → FY2013; "ended January 29,
 * 2023" → FY2023). Companies that name a year after the one it starts in
 * differ; we keep the one rule and the end date (fact "date") so a reader can
 * relabel. "fiscal 2013" / "FY2013" are taken as written.
 *
 * Multi-year lists produce one item per year, linked by a list id, so that
 * "respectively" can hand each value its own year (align.c).
 */
#include "extract_int.h"

#include <string.h>

int x_month_at(const char *s, size_t n, size_t i, size_t *len) {
    static const char *full[] = {"January", "February", "March",     "April",   "May",      "June",
                                 "July",    "August",   "September", "October", "November", "December"};
    static const char *caps[] = {"JANUARY", "FEBRUARY", "MARCH",     "APRIL",   "MAY",      "JUNE",
                                 "JULY",    "AUGUST",   "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"};
    static const char *abbr[] = {"Jan", "Feb", "Mar", "Apr", NULL, "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (i >= n || !x_isupper((unsigned char)s[i])) return 0;
    for (int k = 0; k < 12; k++) {
        size_t m = x_kw_cs(s, n, i, full[k]);
        if (!m) m = x_kw_cs(s, n, i, caps[k]);
        if (m) { *len = m; return k + 1; }
    }
    for (int k = 0; k < 12; k++) {
        if (!abbr[k]) continue;
        size_t m = x_kw_cs(s, n, i, abbr[k]);
        if (!m && k == 8) m = x_kw_cs(s, n, i, "Sept");
        if (!m) continue;
        if (i + m < n && s[i + m] == '.') m++;
        *len = m;
        return k + 1;
    }
    return 0;
}

size_t x_lex_year(const char *s, size_t n, size_t i, int *y) {
    if (i + 4 > n || (i > 0 && x_isdigit((unsigned char)s[i - 1]))) return 0;
    for (int k = 0; k < 4; k++)
        if (!x_isdigit((unsigned char)s[i + k])) return 0;
    if (i + 4 < n && (x_isalnum((unsigned char)s[i + 4]) || s[i + 4] == '%')) return 0;
    if (i + 5 < n && (s[i + 4] == ',' || s[i + 4] == '.') && x_isdigit((unsigned char)s[i + 5])) return 0;
    int v = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
    if (v < 1900 || v > 2099) return 0;
    *y = v;
    return i + 4;
}

static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* A day of month 1..31 at s[i], with an optional ordinal suffix. */
static size_t lex_day(const char *s, size_t n, size_t i, int m, int *d) {
    if (i >= n || !x_isdigit((unsigned char)s[i])) return 0;
    size_t j = i;
    int v = 0;
    while (j < n && x_isdigit((unsigned char)s[j]) && j - i < 3) v = v * 10 + (s[j++] - '0');
    if (j - i > 2 || (j < n && x_isdigit((unsigned char)s[j])) || v < 1 || v > mdays[m - 1]) return 0;
    static const char *ord[] = {"st", "nd", "rd", "th", NULL};
    for (int k = 0; ord[k]; k++) {
        size_t l = x_kw(s, n, j, ord[k]);
        if (l) { j += l; break; }
    }
    if (j < n && x_isalpha((unsigned char)s[j])) return 0;
    *d = v;
    return j;
}

size_t x_lex_date(const char *s, size_t n, size_t i, int *y, int *m, int *d) {
    size_t ml;
    *d = 0;
    if (i < n && x_isdigit((unsigned char)s[i])) {
        /* 31 March 2013 */
        size_t j = lex_day(s, n, i, 12, d);
        if (!j || j >= n || s[j] != ' ') return 0;
        int mm = x_month_at(s, n, j + 1, &ml);
        if (!mm || *d > mdays[mm - 1]) return 0;
        size_t k = x_ws(s, n, j + 1 + ml, 1);
        if (k < n && s[k] == ',') k = x_ws(s, n, k + 1, 1);
        size_t e = x_lex_year(s, n, k, y);
        if (!e || k == j + 1 + ml) return 0;
        *m = mm;
        return e;
    }
    int mm = x_month_at(s, n, i, &ml);
    if (!mm) return 0;
    size_t j = x_ws(s, n, i + ml, 1);
    if (j == i + ml && s[i + ml - 1] != '.') return 0;
    size_t e = x_lex_year(s, n, j, y);
    if (e) { /* "June 2013" */
        *m = mm;
        return e;
    }
    size_t k = lex_day(s, n, j, mm, d);
    if (!k) return 0;
    size_t c = k;
    if (c < n && s[c] == ',') c++;
    c = x_ws(s, n, c, 1);
    e = c > k ? x_lex_year(s, n, c, y) : 0;
    if (!e) return 0; /* "March 31" alone: no year, no fact */
    *m = mm;
    return e;
}

static char *iso(xscan *x, int y, int m, int d) {
    return d ? rfx_arena_printf(x->r->arena, "%04d-%02d-%02d", y, m, d)
             : rfx_arena_printf(x->r->arena, "%04d-%02d", y, m);
}

/* A date fact over [b, e); NULL when the item list is full. */
static xitem *push_date(xscan *x, size_t b, size_t e, int y, int m, int d) {
    xitem *it = x_push(x);
    if (!it) return NULL;
    it->kind = RFX_F_DATE;
    it->b = b;
    it->e = e;
    it->date = iso(x, y, m, d);
    return it;
}

size_t x_date(xscan *x, size_t i) {
    int y, m, d;
    size_t e = x_lex_date(x->s, x->n, i, &y, &m, &d);
    if (e) push_date(x, i, e, y, m, d);
    return e;
}

/* ", 2012 and 2013" after the first year of a list: one item per year. */
static size_t year_list(xscan *x, size_t p, xitem *first, int m, int d, bool fy) {
    const char *s = x->s;
    size_t n = x->n;
    size_t first_idx = (size_t)(first - x->v);
    int list = 0, count = 1;
    for (int guard = 0; guard < 40; guard++) {
        size_t j = p;
        bool sep = false;
        if (j < n && s[j] == ',') { j++; sep = true; }
        j = x_ws(s, n, j, 1);
        size_t a = x_kw(s, n, j, "and");
        if (!a) a = x_kw(s, n, j, "or");
        if (a) { j = x_ws(s, n, j + a, 1); sep = true; }
        int y;
        size_t e = sep ? x_lex_year(s, n, j, &y) : 0;
        /* "2013 million" is an amount, not a year of the list */
        int sc;
        if (!e || x_lex_scale(s, n, e, &sc, false)) break;
        if (!list) list = ++x->next_list;
        xitem *it = x_push(x);
        if (!it) break;
        first = &x->v[first_idx]; /* the push may have moved the array */
        it->kind = first->kind;
        it->b = j;
        it->e = e;
        it->governs = first->governs;
        it->date = m ? iso(x, y, m, d) : NULL;
        it->label = fy ? rfx_arena_printf(x->r->arena, "FY%04d", y) : it->date;
        it->list = list;
        count++;
        p = e;
    }
    if (list) {
        x->v[first_idx].list = list;
        for (size_t k = first_idx; k < x->nv; k++) x->v[k].list_len = count;
    }
    return p;
}

/* The word before i, skipping "the": "since the fiscal year ..." */
static bool after_since(const char *s, size_t i) {
    size_t b, e;
    if (!x_prev_word(s, i, &b, &e)) return false;
    if (x_eq(s, b, e, "the") && !x_prev_word(s, b, &b, &e)) return false;
    return x_eq(s, b, e, "since");
}

/* A fiscal-period fact over [b, e) for the year ending y (month mo, day d
 * when known), then any further years listed after it ("2011, 2012 and 2013"). */
static size_t push_period(xscan *x, const char *s, size_t b, size_t e, int y, int mo, int d) {
    xitem *it = x_push(x);
    if (!it) return e;
    it->kind = RFX_F_PERIOD;
    it->b = b;
    it->e = e;
    it->label = rfx_arena_printf(x->r->arena, "FY%04d", y);
    it->date = mo ? iso(x, y, mo, d) : NULL;
    it->governs = !after_since(s, b);
    return year_list(x, e, it, mo, d, true);
}

size_t x_period(xscan *x, size_t i) {
    const char *s = x->s;
    size_t n = x->n;
    size_t j, m;
    int y, mo = 0, d = 0;
    /* as of / as at / at <full date>: a balance at a point in time */
    if ((m = x_kw(s, n, i, "as of")) || (m = x_kw(s, n, i, "as at")) || (m = x_kw(s, n, i, "at"))) {
        j = x_ws(s, n, i + m, 1);
        size_t e = j > i + m ? x_lex_date(s, n, j, &y, &mo, &d) : 0;
        if (!e || !d) return 0;
        xitem *it = push_date(x, j, e, y, mo, d);
        if (!it) return e;
        it->label = it->date;
        it->governs = true;
        return year_list(x, e, it, mo, d, false);
    }
    if (i + 2 < n && s[i] == 'F' && s[i + 1] == 'Y' && !x_isalpha((unsigned char)s[i + 2])) {
        /* FY2013, FY 2013, FY13, FY'13, FY-13 */
        j = i + 2;
        if (s[j] == '\'' || s[j] == '-' || s[j] == ' ') j++;
        size_t e = x_lex_year(s, n, j, &y);
        if (!e && j + 2 <= n && x_isdigit((unsigned char)s[j]) && x_isdigit((unsigned char)s[j + 1]) &&
            !(j + 2 < n && x_isalnum((unsigned char)s[j + 2]))) {
            int yy = (s[j] - '0') * 10 + (s[j + 1] - '0');
            y = yy < 70 ? 2000 + yy : 1900 + yy;
            e = j + 2;
        }
        if (!e) return 0;
        return push_period(x, s, i, e, y, 0, 0);
    }
    bool fiscal = false;
    j = i;
    if ((m = x_kw(s, n, j, "fiscal"))) {
        fiscal = true;
        j = x_ws(s, n, j + m, 1);
    }
    size_t ym = x_kw(s, n, j, "years");
    if (!ym) ym = x_kw(s, n, j, "year");
    if (!fiscal && !ym) return 0;
    if (ym) j = x_ws(s, n, j + ym, 1);
    size_t e = 0;
    size_t em = x_kw(s, n, j, "ended");
    if (!em) em = x_kw(s, n, j, "ending");
    if (em) {
        size_t k = x_ws(s, n, j + em, 1);
        size_t on = x_kw(s, n, k, "on");
        if (on) k = x_ws(s, n, k + on, 1);
        e = x_lex_date(s, n, k, &y, &mo, &d);
    } else if (fiscal) {
        /* fiscal 2013, fiscal year 2013, fiscal years 2012 and 2013 */
        e = x_lex_year(s, n, j, &y);
        int sc;
        if (e && x_lex_scale(s, n, e, &sc, false)) e = 0;
    }
    if (!e) return 0;
    return push_period(x, s, i, e, y, mo, d);
}
