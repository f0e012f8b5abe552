/*
 * extract_int.h — what the files of the extract stage share, and nothing
 * else sees.
 *
 * The stage reads one rfx_text at a time (a risk's heading, then its body)
 * in a single left-to-right pass. Recognisers for money, percentages,
 * counts, dates and fiscal periods are tried only where a token starts, each
 * looks ahead a bounded distance, and the winner's end is where the scan
 * resumes; so the pass is linear and the candidates ("items") come out in
 * text order without overlaps. A second, per-sentence pass then ties values
 * to periods ("respectively" lists first, else the nearest governing
 * phrase), and the items become rfx_facts with source offsets.
 *
 * Entities are found by a separate linear pass over the same texts
 * (entities.c), deduplicated across the whole document.
 */
#ifndef RFX_EXTRACT_INT_H
#define RFX_EXTRACT_INT_H

#include "../rfx_internal.h"

/* ---------------- lex.c: bytes, words, numbers ---------------- */

static inline bool x_isdigit(int c) { return c >= '0' && c <= '9'; }
static inline bool x_isupper(int c) { return c >= 'A' && c <= 'Z'; }
static inline bool x_islower(int c) { return c >= 'a' && c <= 'z'; }
static inline bool x_isalpha(int c) { return x_isupper(c) || x_islower(c); }
static inline bool x_isalnum(int c) { return x_isalpha(c) || x_isdigit(c); }
static inline int x_lower(int c) { return x_isupper(c) ? c + 32 : c; }

/* True when the character that ends just before s[i] is a letter or digit
 * (any script), i.e. s[i] does not start a word. */
bool x_word_before(const char *s, size_t i);
/* True when the character starting at s[i] (i < n) is a letter or digit. */
bool x_word_at(const char *s, size_t n, size_t i);
/* Case-insensitive: does word w start at s[i] and end at a word boundary?
 * Returns its length or 0. */
size_t x_kw(const char *s, size_t n, size_t i, const char *w);
/* Same, case-sensitive (for "Mr.", month names, ISO codes). */
size_t x_kw_cs(const char *s, size_t n, size_t i, const char *w);
/* Skips at most max spaces (the text is normalised: runs are single). */
size_t x_ws(const char *s, size_t n, size_t i, size_t max);
/* The word ending at or before i (skipping spaces, at most one punctuation
 * byte when punct): sets [*b, *e) and returns true if found within 40 bytes. */
bool x_prev_word(const char *s, size_t i, size_t *b, size_t *e);
/* End of the word (letters, digits, ', -) that starts at i. */
size_t x_word_end(const char *s, size_t n, size_t i);
/* Case-insensitive equality of s[b,e) with w. */
bool x_eq(const char *s, size_t b, size_t e, const char *w);

/* A numeral: "1,600", "26.1", "625"; value = mant * 10^exp. */
typedef struct xnum {
    size_t b, e;
    uint64_t mant;
    int exp;         /* negative for decimals */
    int int_digits;  /* digits before the point */
    bool decimal;    /* has a fraction */
    bool grouped;    /* has thousands separators */
} xnum;
/* Lexes a numeral at s[i] (a digit); returns its end or 0. */
size_t x_lex_number(const char *s, size_t n, size_t i, xnum *out);
/* A scale word after a numeral at s[i] ("million", " bn", attached "m"):
 * returns the end and sets *exp (3, 6, 9, 12), or 0. attached allows the
 * glued one-letter forms ("$5m"), which only make sense after a currency. */
size_t x_lex_scale(const char *s, size_t n, size_t i, int *exp, bool attached);
/* mant * 10^(exp + scale), exact for whole results below 2^53. */
double x_value(const xnum *x, int scale);
/* A number word "two".."ninety" at s[i]; returns its end and sets *v, or 0. */
size_t x_lex_number_word(const char *s, size_t n, size_t i, int *v);

/* ---------------- items: facts before they are facts ---------------- */

enum { XI_RESP = 100 }; /* a "respectively" marker, not a fact */

typedef struct xitem {
    int kind;             /* RFX_F_* or XI_RESP */
    size_t b, e;          /* span in the text being scanned */
    double value, high;
    bool has_value, has_high;
    char cur[4];
    bool no_scale;        /* money written without a scale word ("¥6.8, ...") */
    int scale;            /* the scale word's exponent, -1 when none */
    bool grouped;         /* the numeral had thousands separators */
    int num_exp;          /* the numeral's own exponent, for borrowing a scale */
    uint64_t mant;
    const char *unit;     /* counts */
    const char *repaired; /* "ocr-yen:X" */
    const char *date;     /* ISO date of a date / period end */
    const char *label;    /* what this item lends as a period: "FY2013", "2013-03-31" */
    bool governs;         /* a period phrase or "as of" date that ties values to itself */
    int list;             /* >0: id of the multi-year list this item belongs to */
    int list_len;         /* years in that list */
    const char *period;   /* assigned */
} xitem;

typedef struct xscan {
    rfx_register *r;
    const char *s;
    size_t n;
    bool yen_doc;         /* OCR yen repairs allowed */
    xitem *v;
    size_t nv, cap;
    bool oom;
    int next_list;
} xscan;

xitem *x_push(xscan *x);
char *x_dup(xscan *x, size_t b, size_t e);

/* ---------------- money.c ---------------- */
/* Currency written before an amount at s[i]: "¥", "US$", "JPY ", "\yen".
 * Returns the length (including one following space) and sets cur, or 0. */
size_t x_currency_prefix(const char *s, size_t n, size_t i, char cur[4]);
/* Currency written after an amount at s[i] (after one space): "yen",
 * "U.S. dollars", "euros", "JPY". Returns the end, or 0. */
size_t x_currency_suffix(const char *s, size_t n, size_t i, char cur[4]);
/* Tries a money amount (or range) starting at s[i]; pushes an item and
 * returns its end, or returns 0. */
size_t x_money(xscan *x, size_t i);
/* "¥6.8, ¥10.9 and ¥10.4 billion": amounts without a scale borrow the scale
 * of the next amount in the same list. */
void x_money_ellipsis(xscan *x);
/* Counts amounts per currency in s (no repairs); for the document currency. */
typedef struct xcurcount {
    char cur[8][4];
    int n[8];
    int used;
} xcurcount;
void x_count_currencies(const char *s, size_t n, xcurcount *cc);
/* The dominant currency of cc, or NULL when none or tied. */
const char *x_dominant_currency(const xcurcount *cc);

/* ---------------- numbers.c ---------------- */
size_t x_percent(xscan *x, size_t i);
size_t x_count(xscan *x, size_t i);      /* digits + noun */
size_t x_count_word(xscan *x, size_t i); /* "eight overseas subsidiaries" */

/* ---------------- dates.c ---------------- */
/* A month name (or abbreviation) at s[i], capitalised; returns 1..12 and
 * sets *len, or 0. */
int x_month_at(const char *s, size_t n, size_t i, size_t *len);
/* "March 31, 2013" / "Mar. 31, 2013" / "March 2013" at s[i] (d = 0 when no
 * day) or "31 March 2013". Returns the end or 0. */
size_t x_lex_date(const char *s, size_t n, size_t i, int *y, int *m, int *d);
size_t x_date(xscan *x, size_t i);
size_t x_period(xscan *x, size_t i);
/* A calendar year at s[i]: four digits 1900-2099, not part of a longer number. */
size_t x_lex_year(const char *s, size_t n, size_t i, int *y);

/* ---------------- align.c ---------------- */
/* Ties money/percent/count items to periods, sentence by sentence. */
void x_assign_periods(xscan *x);
/* Sentence ends: returns true when a sentence ends after s[i]. */
bool x_sentence_end(const char *s, size_t n, size_t i);

/* ---------------- entities.c ---------------- */
typedef struct xents xents;
xents *x_ents_new(rfx_register *r);
void x_ents_scan(xents *E, const rfx_text *t);
void x_ents_finish(xents *E); /* adds pending acronym mentions; frees E */

#endif
