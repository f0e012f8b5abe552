/*
 * numbers.c — percentages and counts.
 *
 * Percent: "33%", "29.9 %", "10 percent", "5 per cent", ranges "10% to 20%",
 * "10-20%", "between 5 and 10 percent" (value and value_high).
 *
 * Count: a whole number (digits, or a number word two..ninety) followed by a
 * noun phrase whose head is a plural noun: "625 ATMs", "15 consolidated
 * subsidiaries", "eight overseas subsidiaries", "approximately 1,600
 * domestic corporate customers", "1.2 million shares". The unit is the
 * phrase from the number to the first plural word (modifiers included), at
 * most four words. What is NOT a count: years (1900-2099 written without a
 * separator), references ("Item 5", "Note 12", "Form 20-F", "No. 3"),
 * durations ("three years", "30 days"), numerals glued to letters ("IPv6",
 * "3D"), and anything already read as money, a percentage or a date (the
 * driver tries those first). "one" is never a count: "one of", "one-time"
 * and "no one" are far more common than a count of one.
 */
#include "extract_int.h"

#include <string.h>

/* "%", " %", " percent", " per cent", "-percent" after a numeral at s[i]. */
static size_t pct_sign(const char *s, size_t n, size_t i) {
    if (i < n && s[i] == '%') return i + 1;
    size_t j = x_ws(s, n, i, 1);
    if (j < n && s[j] == '%' && j > i) return j + 1;
    if (j == i && i < n && s[i] == '-') j = i + 1;
    else if (j == i) return 0;
    size_t m = x_kw(s, n, j, "percent");
    if (!m) m = x_kw(s, n, j, "per cent");
    return m ? j + m : 0;
}

size_t x_percent(xscan *x, size_t i) {
    const char *s = x->s;
    size_t n = x->n;
    xnum a, b;
    size_t e = x_lex_number(s, n, i, &a);
    if (!e) return 0;
    size_t pe = pct_sign(s, n, e);
    /* a range: "10% to 20%", "10-20%", "between 5 and 10 percent" */
    size_t j = 0;
    size_t after = pe ? pe : e;
    if (after < n && s[after] == '-' && !pe) j = after + 1;
    else if (after + 1 < n && s[after] == ' ') {
        size_t k = after + 1, m;
        bool between = i >= 8 && x_eq(s, i - 8, i - 1, "between");
        if ((m = x_kw(s, n, k, "to")) || (between && (m = x_kw(s, n, k, "and"))))
            j = x_ws(s, n, k + m, 1);
    }
    if (j && j < n && x_isdigit((unsigned char)s[j])) {
        size_t e2 = x_lex_number(s, n, j, &b);
        size_t pe2 = e2 ? pct_sign(s, n, e2) : 0;
        if (pe2) {
            xitem *it = x_push(x);
            if (!it) return pe2;
            it->kind = RFX_F_PERCENT;
            it->b = i;
            it->e = pe2;
            it->value = x_value(&a, 0);
            it->high = x_value(&b, 0);
            it->has_value = it->has_high = true;
            return pe2;
        }
    }
    if (!pe) return 0;
    xitem *it = x_push(x);
    if (!it) return pe;
    it->kind = RFX_F_PERCENT;
    it->b = i;
    it->e = pe;
    it->value = x_value(&a, 0);
    it->has_value = true;
    return pe;
}

static bool in_list(const char *s, size_t b, size_t e, const char *const *list) {
    for (int k = 0; list[k]; k++)
        if (x_eq(s, b, e, list[k])) return true;
    return false;
}

static const char *const stop_words[] = {
    "a", "an", "the", "of", "and", "or", "but", "nor", "to", "in", "on", "at", "by", "for",
    "with", "from", "into", "than", "as", "that", "which", "who", "whom", "whose", "this",
    "these", "those", "it", "its", "their", "our", "we", "they", "he", "she", "you", "is",
    "are", "was", "were", "be", "been", "being", "have", "has", "had", "do", "does", "did",
    "will", "would", "shall", "should", "may", "might", "can", "could", "must", "not", "no",
    "more", "less", "most", "least", "other", "such", "per", "each", "every", "any", "all",
    "some", "both", "either", "neither", "about", "approximately", "over", "under", "up",
    "down", "out", "off", "then", "here", "there", "when", "where", "if", "while", "including",
    "excluding", "also", "only", "very", "so", "respectively", "percent", "million", "billion",
    "thousand", "trillion", "times", NULL};

static const char *const not_plural[] = {
    "overseas", "always", "perhaps", "whereas", "thus", "plus", "less", "unless", "across",
    "various", "numerous", "previous", "its", "this", "his", "has", "was", "does", "yes",
    "bonus", "status", "focus", "campus", "basis", "analysis", "crisis", "gas", "lens", "news",
    "means", "series", "species", "us", "as", "is", NULL};

static const char *const time_units[] = {"years", "months", "weeks", "days", "hours", "minutes",
                                         "seconds", "quarters", "decades", "centuries", "times",
                                         NULL};

static bool plural(const char *s, size_t b, size_t e) {
    static const char *const irregular[] = {"people", "personnel", "staff", "children", "men",
                                            "women", NULL};
    if (in_list(s, b, e, irregular)) return true;
    if (e - b < 3 || s[e - 1] != 's') return false;
    char p = (char)x_lower((unsigned char)s[e - 2]);
    if (p == 's' || p == '\'' ) return false;
    if (x_islower((unsigned char)s[e - 2]) && (p == 'u' || p == 'i')) return false;
    return !in_list(s, b, e, not_plural);
}

/* The noun phrase after a number at s[i]: returns its end and the span. */
static size_t noun_phrase(const char *s, size_t n, size_t i, size_t *hb) {
    size_t j = i;
    for (int w = 0; w < 4; w++) {
        if (j >= n || !x_isalpha((unsigned char)s[j])) return 0;
        size_t e = x_word_end(s, n, j);
        if (e == j || in_list(s, j, e, stop_words)) return 0;
        /* a word glued to digits ("IPv6") is no noun of ours */
        if (e < n && x_isdigit((unsigned char)s[e])) return 0;
        if (plural(s, j, e)) {
            if (in_list(s, j, e, time_units)) return 0;
            *hb = j;
            return e;
        }
        if (e >= n || s[e] != ' ') return 0;
        j = e + 1;
    }
    return 0;
}

static bool blocked_ref(const char *s, size_t i) {
    static const char *const refs[] = {
        "item", "items", "part", "section", "sections", "rule", "rules", "note", "notes", "no",
        "nos", "number", "article", "form", "forms", "page", "pages", "chapter", "schedule",
        "exhibit", "annex", "appendix", "level", "tier", "phase", "step", "version", "release",
        "series", "class", "table", "figure", "title", "clause", "paragraph", "route", "unit",
        "floor", "suite", "box", "room", "act", "regulation", "statement", "standard", "topic",
        "asc", "ias", "ifrs", "sfas", "fas", "code", "law", "amendment", NULL};
    if (i > 0 && strchr("-/:#.", s[i - 1])) return true;
    size_t b, e;
    return x_prev_word(s, i, &b, &e) && in_list(s, b, e, refs);
}

/* A count spanning [i, pe) whose noun phrase starts at ub. */
static size_t push_count(xscan *x, size_t i, size_t pe, size_t ub, double v) {
    xitem *it = x_push(x);
    if (!it) return pe;
    it->unit = x_dup(x, ub, pe);
    it->kind = RFX_F_COUNT;
    it->b = i;
    it->e = pe;
    it->value = v;
    it->has_value = true;
    return pe;
}

size_t x_count(xscan *x, size_t i) {
    const char *s = x->s;
    size_t n = x->n;
    xnum a;
    size_t e = x_lex_number(s, n, i, &a);
    if (!e || blocked_ref(s, i)) return 0;
    int y;
    if (!a.grouped && !a.decimal && x_lex_year(s, n, i, &y)) return 0;
    int scale = 0;
    size_t se = x_lex_scale(s, n, e, &scale, false);
    if (se) e = se;
    else if (a.decimal) return 0;
    if (e >= n || s[e] != ' ') return 0;
    double v = x_value(&a, scale);
    if (v < 2) return 0;
    size_t hb, pe = noun_phrase(s, n, e + 1, &hb);
    if (!pe) return 0;
    (void)hb;
    return push_count(x, i, pe, e + 1, v);
}

size_t x_count_word(xscan *x, size_t i) {
    const char *s = x->s;
    size_t n = x->n;
    int v;
    size_t e = x_lex_number_word(s, n, i, &v);
    if (!e || e >= n || s[e] != ' ') return 0;
    /* "Pillar Two Model Rules": a capitalised number word inside a sentence is a name */
    if (x_isupper((unsigned char)s[i]) && i > 0) {
        size_t j = i;
        while (j > 0 && s[j - 1] == ' ') j--;
        if (j > 0 && !strchr(".!?\n\"(:;-", s[j - 1])) return 0;
    }
    size_t hb, pe = noun_phrase(s, n, e + 1, &hb);
    if (!pe) return 0;
    (void)hb;
    return push_count(x, i, pe, e + 1, v);
}
