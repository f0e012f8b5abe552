/*
 * money.c — amounts of money: a currency (symbol, code or word) around a
 * numeral with an optional scale word, alone or as a range, plus the repair
 * of OCR-damaged yen signs.
 *
 *   ¥26.1 billion   US$ 5 million   JPY 3 billion   26.1 billion yen   $5m
 *   $1 million to $2 million   between ¥1 and ¥2 billion   $1-2 million
 *
 * OCR repair: scanners often read "¥" as X, x, Y or %. In a document whose
 * money is in yen (filing currency JPY, or yen amounts dominate), a lone X,
 * x, Y or % glued to a numeral that is followed by a scale word ("X26.1
 * billion", "%3.6 billion") is read as yen and flagged "ocr-yen:<glyph>".
 * Each guard blocks a real reading: the glyph must start a word (not
 * "IPX26"), not follow a digit ("33%3"), be glued to the digits (not "x 3"),
 * and a scale word must follow (so "x3" multiplication and "33%" never
 * qualify); and the repair never happens outside a yen document.
 */
#include "extract_int.h"

#include <string.h>

static const char *const iso_codes[] = {"JPY", "USD", "EUR", "GBP", "CHF", "CAD", "AUD",
                                        "CNY", "HKD", "INR", "KRW", "SEK", "NOK", "DKK",
                                        "SGD", "TWD", "BRL", "MXN", "ZAR", "NZD", "RUB", NULL};

static void setcur(char cur[4], const char *c) {
    memcpy(cur, c, 3);
    cur[3] = 0;
}

size_t x_currency_prefix(const char *s, size_t n, size_t i, char cur[4]) {
    static const struct { const char *p; const char *c; } sym[] = {
        {"\xc2\xa5", "JPY"}, {"\xc2\xa3", "GBP"}, {"\xe2\x82\xac", "EUR"},
        {"\xe2\x82\xa9", "KRW"}, {"\xe2\x82\xb9", "INR"}, {"\\yen", "JPY"},
        {"$", "USD"}, {NULL, NULL}};
    /* letters before "$" name the dollar; they must start a word */
    static const struct { const char *p; const char *c; } dollar[] = {
        {"US$", "USD"}, {"U.S.$", "USD"}, {"US $", "USD"}, {"U.S. $", "USD"},
        {"C$", "CAD"},  {"CA$", "CAD"},   {"Cdn$", "CAD"}, {"CDN$", "CAD"},
        {"A$", "AUD"},  {"AU$", "AUD"},   {"HK$", "HKD"},  {"S$", "SGD"},
        {"NT$", "TWD"}, {"NZ$", "NZD"},   {"R$", "BRL"},   {NULL, NULL}};
    if (i >= n) return 0;
    size_t m = 0;
    unsigned char c = (unsigned char)s[i];
    if (x_isupper(c)) {
        if (x_word_before(s, i)) return 0;
        for (int k = 0; dollar[k].p && !m; k++)
            if (x_kw_cs(s, n, i, dollar[k].p)) { m = strlen(dollar[k].p); setcur(cur, dollar[k].c); }
        for (int k = 0; iso_codes[k] && !m; k++) {
            if (i + 3 <= n && memcmp(s + i, iso_codes[k], 3) == 0 &&
                !(i + 3 < n && x_isalpha((unsigned char)s[i + 3]))) {
                m = 3;
                setcur(cur, iso_codes[k]);
            }
        }
        if (!m && x_kw_cs(s, n, i, "RMB")) { m = 3; setcur(cur, "CNY"); }
    } else {
        for (int k = 0; sym[k].p && !m; k++) {
            size_t l = strlen(sym[k].p);
            if (i + l <= n && memcmp(s + i, sym[k].p, l) == 0) { m = l; setcur(cur, sym[k].c); }
        }
        /* "$" glued to letters before it ("US$" handled above; "ABC$5" is not money) */
        if (m && s[i] == '$' && x_word_before(s, i)) return 0;
    }
    if (!m) return 0;
    size_t j = x_ws(s, n, i + m, 1);
    if (s[i] == '\\' && j + 1 < n && s[j] == '{' && s[j + 1] == '}') j = x_ws(s, n, j + 2, 1);
    return j < n && x_isdigit((unsigned char)s[j]) ? j - i : 0;
}

size_t x_currency_suffix(const char *s, size_t n, size_t i, char cur[4]) {
    static const struct { const char *w; const char *c; } words[] = {
        {"U.S. dollars", "USD"}, {"US dollars", "USD"}, {"U.S. dollar", "USD"},
        {"Canadian dollars", "CAD"}, {"Australian dollars", "AUD"},
        {"Hong Kong dollars", "HKD"}, {"Singapore dollars", "SGD"},
        {"New Taiwan dollars", "TWD"}, {"New Zealand dollars", "NZD"},
        {"dollars", "USD"}, {"dollar", "USD"}, {"yen", "JPY"}, {"Japanese yen", "JPY"},
        {"euros", "EUR"}, {"euro", "EUR"}, {"pounds sterling", "GBP"},
        {"British pounds", "GBP"}, {"sterling", "GBP"}, {"Swiss francs", "CHF"},
        {"yuan", "CNY"}, {"renminbi", "CNY"}, {"RMB", "CNY"}, {"rupees", "INR"},
        {"Indian rupees", "INR"}, {"Korean won", "KRW"}, {NULL, NULL}};
    size_t j = x_ws(s, n, i, 1);
    if (j == i) return 0; /* "5yen" is not written; require the space */
    for (int k = 0; words[k].w; k++) {
        size_t m = x_kw(s, n, j, words[k].w);
        if (m) { setcur(cur, words[k].c); return j + m; }
    }
    for (int k = 0; iso_codes[k]; k++) {
        size_t m = x_kw_cs(s, n, j, iso_codes[k]);
        if (m) { setcur(cur, iso_codes[k]); return j + m; }
    }
    return 0;
}

/* One amount: [currency] numeral [scale] [currency word]. */
typedef struct amount {
    size_t b, e;
    xnum num;
    int scale;       /* -1: none */
    char cur[4];     /* "" when none */
    const char *repaired;
} amount;

static size_t lex_amount(const char *s, size_t n, size_t i, bool yen_doc, amount *a) {
    memset(a, 0, sizeof *a);
    a->b = i;
    a->scale = -1;
    size_t p = i;
    bool prefixed = false;
    size_t m = x_currency_prefix(s, n, i, a->cur);
    if (m) {
        p = i + m;
        prefixed = true;
    } else if (i + 1 < n && strchr("XxY%", s[i]) && s[i] != 0 && x_isdigit((unsigned char)s[i + 1])) {
        /* a candidate damaged yen sign: decided below, once the scale is known */
        if (!yen_doc || x_word_before(s, i)) return 0;
        if (i > 0 && (s[i - 1] == '.' || s[i - 1] == ',' || s[i - 1] == '%')) return 0;
        p = i + 1;
    } else if (!x_isdigit((unsigned char)s[i])) {
        return 0;
    }
    size_t e = x_lex_number(s, n, p, &a->num);
    if (!e) return 0;
    int exp = 0;
    size_t se = x_lex_scale(s, n, e, &exp, prefixed);
    if (se) {
        a->scale = exp;
        e = se;
    }
    /* a numeral glued to letters ("3D", "20-F") is no amount */
    if (!se && e < n && (x_isalpha((unsigned char)s[e]) || (s[e] == '-' && e + 1 < n && x_isalpha((unsigned char)s[e + 1]))))
        return 0;
    if (e < n && s[e] == '%') return 0;
    char suf[4] = "";
    size_t fe = x_currency_suffix(s, n, e, suf);
    if (p != i && !prefixed) {
        /* the repair: only with a real scale word, never with a foreign currency word */
        if (a->scale < 0) return 0; /* glued "m"/"k" are not tried here */
        if (fe && strcmp(suf, "JPY") != 0) return 0;
        setcur(a->cur, "JPY");
        static const char *rep[] = {"ocr-yen:X", "ocr-yen:x", "ocr-yen:Y", "ocr-yen:%"};
        a->repaired = rep[s[i] == 'X' ? 0 : s[i] == 'x' ? 1 : s[i] == 'Y' ? 2 : 3];
        if (fe) e = fe;
    } else if (!prefixed && fe) {
        setcur(a->cur, suf);
        e = fe;
    }
    a->e = e;
    return e;
}

/* "to", "-", "–", "—", "through"; "and" only after "between". */
static size_t range_join(const char *s, size_t n, size_t i, bool between) {
    if (i < n && s[i] == '-') return i + 1;
    if (i + 3 <= n && (memcmp(s + i, "\xe2\x80\x93", 3) == 0 || memcmp(s + i, "\xe2\x80\x94", 3) == 0))
        return i + 3;
    size_t j = x_ws(s, n, i, 1);
    if (j == i) return 0;
    size_t m = x_kw(s, n, j, "to");
    if (!m) m = x_kw(s, n, j, "through");
    if (!m && between) m = x_kw(s, n, j, "and");
    if (!m) return 0;
    size_t k = x_ws(s, n, j + m, 1);
    return k > j + m ? k : 0;
}

static bool preceded_by_between(const char *s, size_t i) {
    return i >= 8 && x_eq(s, i - 8, i - 1, "between") && s[i - 1] == ' ' && !x_word_before(s, i - 8);
}

size_t x_money(xscan *x, size_t i) {
    const char *s = x->s;
    size_t n = x->n;
    amount a, b;
    size_t e = lex_amount(s, n, i, x->yen_doc, &a);
    if (!e) return 0;
    bool ranged = false;
    size_t j = range_join(s, n, e, preceded_by_between(s, i));
    if (j) {
        size_t e2 = lex_amount(s, n, j, x->yen_doc, &b);
        if (e2 && (!a.cur[0] || !b.cur[0] || !strcmp(a.cur, b.cur)) && (a.cur[0] || b.cur[0])) {
            ranged = true;
            if (!a.cur[0]) memcpy(a.cur, b.cur, 4);
            if (!b.cur[0]) memcpy(b.cur, a.cur, 4);
            if (a.scale < 0) a.scale = b.scale;
            if (b.scale < 0) b.scale = a.scale;
            if (!a.repaired) a.repaired = b.repaired;
            e = e2;
        }
    }
    if (!a.cur[0]) return 0;
    xitem *it = x_push(x);
    if (!it) return e;
    it->kind = RFX_F_MONEY;
    it->b = i;
    it->e = e;
    memcpy(it->cur, a.cur, 4);
    it->scale = a.scale;
    it->no_scale = a.scale < 0;
    it->mant = a.num.mant;
    it->num_exp = a.num.exp;
    it->grouped = a.num.grouped;
    it->value = x_value(&a.num, a.scale < 0 ? 0 : a.scale);
    it->has_value = true;
    if (ranged) {
        it->high = x_value(&b.num, b.scale < 0 ? 0 : b.scale);
        it->has_high = true;
    }
    it->repaired = a.repaired;
    return e;
}

/* The text between two amounts of one list. */
static bool list_gap(const char *s, size_t b, size_t e) {
    static const char *gaps[] = {", ", " and ", ", and ", " or ", ", or ", NULL};
    for (int k = 0; gaps[k]; k++)
        if (e - b == strlen(gaps[k]) && memcmp(s + b, gaps[k], e - b) == 0) return true;
    return false;
}

void x_money_ellipsis(xscan *x) {
    if (x->nv < 2) return;
    for (size_t k = x->nv - 1; k-- > 0;) {
        xitem *a = &x->v[k], *b = &x->v[k + 1];
        if (a->kind != RFX_F_MONEY || b->kind != RFX_F_MONEY || !a->no_scale || a->has_high) continue;
        if (b->scale <= 0 || strcmp(a->cur, b->cur) != 0 || a->grouped) continue;
        if (!list_gap(x->s, a->e, b->b)) continue;
        xnum t = {.mant = a->mant, .exp = a->num_exp};
        a->scale = b->scale;
        a->value = x_value(&t, a->scale);
    }
}

void x_count_currencies(const char *s, size_t n, xcurcount *cc) {
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        bool start = !x_word_before(s, i);
        if (start && (x_isdigit(c) || c == '$' || c == '\\' || c >= 0x80 || x_isupper(c))) {
            amount a;
            size_t e = lex_amount(s, n, i, false, &a);
            if (e && a.cur[0]) {
                int k = 0;
                while (k < cc->used && strcmp(cc->cur[k], a.cur) != 0) k++;
                if (k == cc->used && cc->used < 8) memcpy(cc->cur[cc->used++], a.cur, 4);
                if (k < cc->used) cc->n[k]++;
                i = e;
                continue;
            }
        }
        if (x_isalnum(c)) {
            while (i < n && x_isalnum((unsigned char)s[i])) i++;
        } else {
            i++;
        }
    }
}

const char *x_dominant_currency(const xcurcount *cc) {
    int best = -1, second = 0;
    for (int k = 0; k < cc->used; k++) {
        if (best < 0 || cc->n[k] > cc->n[best]) {
            if (best >= 0) second = cc->n[best];
            best = k;
        } else if (cc->n[k] > second) {
            second = cc->n[k];
        }
    }
    if (best < 0 || cc->n[best] == 0 || cc->n[best] == second) return NULL;
    return cc->cur[best];
}
