/*
 * lex.c — the small lexical pieces every extract recogniser shares: word
 * boundaries that understand UTF-8 letters, keyword tests, numerals with
 * thousands separators, scale words and number words.
 *
 * Numerals keep an integer mantissa and a decimal exponent instead of a
 * double, so "¥26.1 billion" becomes exactly 261 × 10^8 = 26100000000 and
 * renders as a whole number rather than 26099999999.999996.
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static bool cp_is_word(int32_t cp) {
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

bool x_word_before(const char *s, size_t i) {
    if (i == 0) return false;
    unsigned char c = (unsigned char)s[i - 1];
    if (c < 0x80) return x_isalnum(c);
    /* walk back to the lead byte (at most 3 continuation bytes) */
    size_t b = i - 1;
    for (int k = 0; k < 3 && b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80; k++) b--;
    int32_t cp;
    rfx_utf8_decode((const unsigned char *)s + b, i - b, &cp);
    return cp_is_word(cp);
}

bool x_word_at(const char *s, size_t n, size_t i) {
    if (i >= n) return false;
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) return x_isalnum(c);
    int32_t cp;
    rfx_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    return cp_is_word(cp);
}

size_t x_kw(const char *s, size_t n, size_t i, const char *w) {
    /* the first byte rejects almost every candidate before strlen/compare */
    if (i >= n || x_lower((unsigned char)s[i]) != x_lower((unsigned char)w[0])) return 0;
    size_t m = strlen(w);
    if (i + m > n) return 0;
    for (size_t k = 0; k < m; k++)
        if (x_lower((unsigned char)s[i + k]) != x_lower((unsigned char)w[k])) return 0;
    /* a keyword ending in '.' or '$' ends by itself */
    if (x_isalnum((unsigned char)w[m - 1]) && x_word_at(s, n, i + m)) return 0;
    return m;
}

size_t x_kw_cs(const char *s, size_t n, size_t i, const char *w) {
    if (i >= n || s[i] != w[0]) return 0;
    size_t m = strlen(w);
    if (i + m > n || memcmp(s + i, w, m) != 0) return 0;
    if (x_isalnum((unsigned char)w[m - 1]) && x_word_at(s, n, i + m)) return 0;
    return m;
}

size_t x_ws(const char *s, size_t n, size_t i, size_t max) {
    for (size_t k = 0; k < max && i < n && s[i] == ' '; k++) i++;
    return i;
}

bool x_prev_word(const char *s, size_t i, size_t *b, size_t *e) {
    size_t lim = i > 40 ? i - 40 : 0, j = i;
    while (j > lim && (s[j - 1] == ' ' || s[j - 1] == ',')) j--;
    if (j == lim || !x_isalnum((unsigned char)s[j - 1])) {
        /* allow one '.' ("No. 5") */
        if (j > lim && s[j - 1] == '.') j--;
        if (j == lim || !x_isalnum((unsigned char)s[j - 1])) return false;
    }
    size_t k = j;
    while (k > lim && (x_isalnum((unsigned char)s[k - 1]) || s[k - 1] == '\'')) k--;
    *b = k;
    *e = j;
    return true;
}

size_t x_word_end(const char *s, size_t n, size_t i) {
    while (i < n && (x_word_at(s, n, i) || s[i] == '\'' || s[i] == '-' || s[i] == '&')) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) i++;
        else {
            int32_t cp;
            i += (size_t)rfx_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        }
    }
    while (i > 0 && (s[i - 1] == '-' || s[i - 1] == '\'')) i--;
    return i;
}

bool x_eq(const char *s, size_t b, size_t e, const char *w) {
    if (e <= b || x_lower((unsigned char)s[b]) != x_lower((unsigned char)w[0])) return false;
    size_t m = strlen(w);
    if (e - b != m) return false;
    for (size_t k = 0; k < m; k++)
        if (x_lower((unsigned char)s[b + k]) != x_lower((unsigned char)w[k])) return false;
    return true;
}

size_t x_lex_number(const char *s, size_t n, size_t i, xnum *out) {
    if (i >= n || !x_isdigit((unsigned char)s[i])) return 0;
    memset(out, 0, sizeof *out);
    out->b = i;
    size_t j = i;
    while (j < n && x_isdigit((unsigned char)s[j])) j++;
    /* thousands separators only when every group has exactly three digits:
     * "1,600" is one number, "2011, 2012" and "10,00" are not */
    if (j - i <= 3) {
        size_t k = j;
        while (k + 3 < n && s[k] == ',' && x_isdigit((unsigned char)s[k + 1]) &&
               x_isdigit((unsigned char)s[k + 2]) && x_isdigit((unsigned char)s[k + 3]) &&
               !(k + 4 < n && x_isdigit((unsigned char)s[k + 4])))
            k += 4;
        if (k > j) {
            out->grouped = true;
            j = k;
        }
    }
    uint64_t mant = 0;
    int sig = 0, exp = 0;
    for (size_t k = i; k < j; k++) {
        if (s[k] == ',') continue;
        if (sig < 18) {
            mant = mant * 10 + (uint64_t)(s[k] - '0');
            if (mant) sig++;
        } else exp++; /* past 18 significant digits: keep the magnitude */
        out->int_digits++;
    }
    if (j + 1 < n && s[j] == '.' && x_isdigit((unsigned char)s[j + 1])) {
        out->decimal = true;
        j++;
        while (j < n && x_isdigit((unsigned char)s[j])) {
            if (sig < 18) {
                mant = mant * 10 + (uint64_t)(s[j] - '0');
                if (mant) sig++;
                exp--;
            }
            j++;
        }
    }
    out->e = j;
    out->mant = mant;
    out->exp = exp;
    return j;
}

size_t x_lex_scale(const char *s, size_t n, size_t i, int *exp, bool attached) {
    static const struct { const char *w; int e; } words[] = {
        {"thousand", 3}, {"million", 6}, {"billion", 9}, {"trillion", 12},
        {"mn", 6},       {"mln", 6},     {"bn", 9},      {"bln", 9},
        {"tn", 12},      {"millions", 6}, {"billions", 9}, {NULL, 0}};
    if (attached && i < n) {
        static const struct { const char *w; int e; } glued[] = {
            {"bn", 9}, {"mn", 6}, {"m", 6}, {"b", 9}, {"k", 3}, {"K", 3},
            {"M", 6},  {"B", 9},  {"tn", 12}, {NULL, 0}};
        for (int k = 0; glued[k].w; k++) {
            size_t m = x_kw_cs(s, n, i, glued[k].w);
            if (m) { *exp = glued[k].e; return i + m; }
        }
    }
    size_t j = x_ws(s, n, i, 1);
    for (int k = 0; words[k].w; k++) {
        size_t m = x_kw(s, n, j, words[k].w);
        if (m) {
            /* "mn"/"bn" only in lower case: "MN" is Minnesota */
            if (words[k].w[0] != 't' && strlen(words[k].w) <= 3 && !x_islower((unsigned char)s[j]))
                continue;
            *exp = words[k].e;
            return j + m;
        }
    }
    return 0;
}

double x_value(const xnum *x, int scale) {
    int e = x->exp + scale;
    double v = (double)x->mant;
    /* multiply and divide by exact powers of ten so whole results stay exact */
    static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    while (e > 22) { v *= 1e22; e -= 22; }
    while (e < -22) { v /= 1e22; e += 22; }
    return e >= 0 ? v * p10[e] : v / p10[-e];
}

size_t x_lex_number_word(const char *s, size_t n, size_t i, int *v) {
    /* "one" is left out on purpose: "one of", "one-time", "no one" are not counts */
    static const struct { const char *w; unsigned char len, v; } words[] = {
        {"two", 3, 2},      {"three", 5, 3},     {"four", 4, 4},      {"five", 4, 5},
        {"six", 3, 6},      {"seven", 5, 7},     {"eight", 5, 8},     {"nine", 4, 9},
        {"ten", 3, 10},     {"eleven", 6, 11},   {"twelve", 6, 12},   {"thirteen", 8, 13},
        {"fourteen", 8, 14}, {"fifteen", 7, 15}, {"sixteen", 7, 16},  {"seventeen", 9, 17},
        {"eighteen", 8, 18}, {"nineteen", 8, 19}, {"twenty", 6, 20},  {"thirty", 6, 30},
        {"forty", 5, 40},   {"fifty", 5, 50},    {"sixty", 5, 60},    {"seventy", 7, 70},
        {"eighty", 6, 80},  {"ninety", 6, 90}};
    size_t e = i;
    while (e < n && x_isalpha((unsigned char)s[e]) && e - i < 10) e++;
    size_t len = e - i;
    if (len < 3 || len > 9 || (e < n && x_word_at(s, n, e))) return 0;
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        if (words[k].len != len) continue;
        size_t q = 0;
        while (q < len && x_lower((unsigned char)s[i + q]) == words[k].w[q]) q++;
        if (q == len) {
            *v = words[k].v;
            return e;
        }
    }
    return 0;
}

xitem *x_push(xscan *x) {
    if (x->oom) return NULL;
    if (x->nv == x->cap) {
        /* scratch, freed after each text: the heap, not the arena */
        size_t nc = x->cap ? x->cap * 2 : 32;
        xitem *p = realloc(x->v, nc * sizeof *p);
        if (!p) { x->oom = true; return NULL; }
        x->v = p;
        x->cap = nc;
    }
    xitem *it = &x->v[x->nv++];
    memset(it, 0, sizeof *it);
    return it;
}

char *x_dup(xscan *x, size_t b, size_t e) { return rfx_arena_strndup(x->r->arena, x->s + b, e - b); }
