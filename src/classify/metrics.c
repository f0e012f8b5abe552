/*
 * metrics.c — the measure stage: how long, how specific, how boilerplate,
 * how readable and how hedged each risk (and the whole section) is.
 *
 *  words, sentences   tokens with a letter or digit; sentences end at . ! ?
 *                     (not after an abbreviation or an initial) and at line
 *                     breaks, which in a register separate paragraphs and
 *                     list items. A heading is one sentence.
 *  specificity        share of words that name something (Hope, Hu & Lu 2016):
 *                     inside an extracted fact (money, percent, count, date,
 *                     period), inside an occurrence of a register entity's
 *                     name or alias, a number, a month next to a number, an
 *                     acronym, or a run of two or more capitalised words.
 *  boilerplate        share of sentences that contain a 4-gram common across
 *                     filers (Lang & Stice-Lawrence 2015); the list is built
 *                     by tools/classify_boilerplate.py.
 *  fog                Gunning: 0.4 × (words/sentences + 100 × complex/words);
 *                     complex = three or more syllables, not a proper noun,
 *                     not hyphenated, not three only through -es/-ed/-ing.
 *  uncertainty, litigious, negative
 *                     hits per 100 words on rfx's own word lists
 *                     (data/wordlists/, docs/metrics.md), or on lists the
 *                     user loaded (rfx_wordlists: a Loughran-McDonald
 *                     Master Dictionary CSV or a plain list).
 *
 * The four lists are embedded (wordlists_default.c) and parsed once.
 */
#include "classify.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------- word lists ---------------- */

extern const char rfx_wl_uncertainty[], rfx_wl_litigious[], rfx_wl_negative[],
    rfx_wl_boilerplate[];

typedef struct wset {
    char **s;
    size_t n, nslots;
    size_t *slots;
    uint64_t plens; /* bit k: some "word*" entry has a k-byte prefix */
} wset;

static uint64_t fnvn(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static bool wset_has(const wset *w, const char *s, size_t n) {
    if (!w->nslots) return false;
    size_t h = (size_t)fnvn(s, n) & (w->nslots - 1);
    while (w->slots[h]) {
        const char *t = w->s[w->slots[h] - 1];
        if (strncmp(t, s, n) == 0 && t[n] == 0) return true;
        h = (h + 1) & (w->nslots - 1);
    }
    return false;
}

/* One entry a line; "#" starts a comment; "word*" is a prefix entry, kept in
 * the set as "word*" and found by trying the prefixes of a word. */
static void wset_load(wset *w, const char *text) {
    size_t lines = 1;
    for (const char *p = text; *p; p++) lines += *p == '\n';
    w->s = calloc(lines, sizeof *w->s);
    w->nslots = 16;
    while (w->nslots < lines * 2) w->nslots *= 2;
    w->slots = calloc(w->nslots, sizeof *w->slots);
    if (!w->s || !w->slots) { w->nslots = 0; return; }
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        size_t a = 0;
        while (a < n && (p[a] == ' ' || p[a] == '\t')) a++;
        size_t b = a;
        while (b < n && p[b] != '#' && p[b] != '\r') b++;
        while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t')) b--;
        if (b > a && !wset_has(w, p + a, b - a)) {
            char *s = strndup(p + a, b - a);
            if (s) {
                size_t h = (size_t)fnvn(s, b - a) & (w->nslots - 1);
                while (w->slots[h]) h = (h + 1) & (w->nslots - 1);
                w->s[w->n++] = s;
                w->slots[h] = w->n;
                if (p[b - 1] == '*' && b - a - 1 < 64) w->plens |= (uint64_t)1 << (b - a - 1);
            }
        }
        p += n + (e ? 1 : 0);
    }
}

static bool wset_match(const wset *w, const char *s, size_t n) {
    if (wset_has(w, s, n)) return true;
    char buf[64];
    for (size_t k = n < 60 ? n : 60; k >= 3; k--) {
        if (!(w->plens >> k & 1)) continue; /* no prefix entry that long */
        memcpy(buf, s, k);
        buf[k] = '*';
        if (wset_has(w, buf, k + 1)) return true;
    }
    return false;
}

static pthread_once_t lists_once = PTHREAD_ONCE_INIT;
static wset L_unc, L_lit, L_neg, L_boiler;

static void load_lists(void) {
    wset_load(&L_unc, rfx_wl_uncertainty);
    wset_load(&L_lit, rfx_wl_litigious);
    wset_load(&L_neg, rfx_wl_negative);
    wset_load(&L_boiler, rfx_wl_boilerplate);
}

/* ---------------- word lists users bring (rfx_wordlists) ---------------- */

#define WL_MAX_BYTES ((size_t)64 << 20)
static const char *const WL_NAMES[] = {"uncertainty", "litigious", "negative"};
enum { WL_N = 3 };

struct rfx_wordlists {
    wset lists[WL_N];
    bool loaded[WL_N];
};

static void wset_free(wset *w) {
    for (size_t i = 0; i < w->n; i++) free(w->s[i]);
    free(w->s);
    free(w->slots);
    memset(w, 0, sizeof *w);
}

static int wl_index(const char *name) {
    for (int i = 0; name && i < WL_N; i++)
        if (!strcmp(name, WL_NAMES[i])) return i;
    return -1;
}

rfx_wordlists *rfx_wordlists_new(void) { return calloc(1, sizeof(rfx_wordlists)); }

void rfx_wordlists_free(rfx_wordlists *wl) {
    if (!wl) return;
    for (int i = 0; i < WL_N; i++) wset_free(&wl->lists[i]);
    free(wl);
}

size_t rfx_wordlists_count(const rfx_wordlists *wl, const char *name) {
    int k = wl_index(name);
    return wl && k >= 0 && wl->loaded[k] ? wl->lists[k].n : 0;
}

/* The next CSV field of line [p, e): quotes and "" handled, no newlines
 * inside (the Master Dictionary has none). Returns the position after it. */
static const char *csv_field(const char *p, const char *e, char *out, size_t cap) {
    size_t o = 0;
    bool q = p < e && *p == '"';
    if (q) p++;
    for (; p < e; p++) {
        if (q && *p == '"') {
            if (p + 1 < e && p[1] == '"') p++;
            else { q = false; continue; }
        } else if (!q && *p == ',') break;
        if (o + 1 < cap) out[o++] = *p;
    }
    while (o && (out[o - 1] == ' ' || out[o - 1] == '\r')) o--;
    out[o] = 0;
    return p < e ? p + 1 : e;
}

static void lower_ascii(char *t) {
    for (; *t; t++)
        if (*t >= 'A' && *t <= 'Z') *t = (char)(*t + 32);
}

/* The header's column indexes of "Word" and of the list; -1 when absent. */
static void csv_header(const char *p, const char *e, const char *name, int *word_col, int *col) {
    char f[128];
    *word_col = *col = -1;
    for (int i = 0; p < e && i < 1000; i++) {
        p = csv_field(p, e, f, sizeof f);
        const char *h = f;
        if ((unsigned char)h[0] == 0xEF && (unsigned char)h[1] == 0xBB && (unsigned char)h[2] == 0xBF) h += 3;
        if (!strcasecmp(h, "word")) *word_col = i;
        else if (!strcasecmp(h, name)) *col = i;
    }
}

rfx_status rfx_wordlists_load_memory(rfx_wordlists *wl, const char *name, const void *data,
                                     size_t len, const char *source_name, rfx_error *err) {
    int k = wl_index(name);
    const char *src = source_name ? source_name : "word list";
    if (!wl) { rfx_set_error(err, RFX_EUSAGE, "word lists: no rfx_wordlists given"); return RFX_EUSAGE; }
    if (k < 0) {
        rfx_set_error(err, RFX_EUSAGE, "word list '%s': unknown name (uncertainty, litigious or negative)",
                      name ? name : "");
        return RFX_EUSAGE;
    }
    if (len > WL_MAX_BYTES) {
        rfx_set_error(err, RFX_EINPUT, "%s: word list over 64 MiB", src);
        return RFX_EINPUT;
    }
    const char *d = data;
    size_t ctl = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)d[i];
        if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) ctl++;
    }
    if (ctl) {
        rfx_set_error(err, RFX_EINPUT, "%s: not a text word list (%zu control bytes)", src, ctl);
        return RFX_EINPUT;
    }
    /* the words, one a line, lower-cased as the measure stage compares them */
    char *text = malloc(len + 2), *o = text;
    if (!text) { rfx_set_error(err, RFX_ENOMEM, "%s: out of memory", src); return RFX_ENOMEM; }
    const char *e0 = memchr(d, '\n', len);
    const char *end = d + len, *line_end = e0 ? e0 : end;
    int word_col, col;
    csv_header(d, line_end, name, &word_col, &col);
    if (word_col >= 0 && col < 0) {
        free(text);
        rfx_set_error(err, RFX_EINPUT, "%s: a CSV with a Word column but no '%s' column", src, name);
        return RFX_EINPUT;
    }
    if (word_col >= 0) { /* the Master Dictionary: members have a positive year */
        char f[256], word[256];
        for (const char *p = line_end < end ? line_end + 1 : end; p < end;) {
            const char *le = memchr(p, '\n', (size_t)(end - p));
            if (!le) le = end;
            const char *q = p;
            bool member = false;
            word[0] = 0;
            for (int i = 0; q < le && i <= (word_col > col ? word_col : col); i++) {
                q = csv_field(q, le, f, sizeof f);
                if (i == word_col) snprintf(word, sizeof word, "%s", f);
                else if (i == col) member = strtod(f, NULL) > 0;
            }
            if (member && word[0] && !strpbrk(word, "#*")) {
                size_t wl2 = strlen(word);
                memcpy(o, word, wl2);
                o += wl2;
                *o++ = '\n';
            }
            p = le + (le < end);
        }
    } else {
        memcpy(text, d, len);
        o = text + len;
    }
    *o = 0;
    lower_ascii(text);
    wset w = {0};
    wset_load(&w, text);
    free(text);
    if (!w.nslots) { wset_free(&w); rfx_set_error(err, RFX_ENOMEM, "%s: out of memory", src); return RFX_ENOMEM; }
    if (!w.n) {
        wset_free(&w);
        rfx_set_error(err, RFX_EINPUT, "%s: no words for the %s list", src, name);
        return RFX_EINPUT;
    }
    if (wl->loaded[k]) wset_free(&wl->lists[k]);
    wl->lists[k] = w;
    wl->loaded[k] = true;
    return RFX_OK;
}

rfx_status rfx_wordlists_load(rfx_wordlists *wl, const char *name, const char *path, rfx_error *err) {
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        rfx_set_error(err, RFX_EINPUT, "%s: cannot open word list: %s", path ? path : "(null)", strerror(errno));
        return RFX_EINPUT;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (n == cap) {
            if (cap > WL_MAX_BYTES) break;
            char *nb = realloc(b, cap * 2);
            if (!nb) { free(b); b = NULL; break; }
            b = nb;
            cap *= 2;
        }
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (r == 0) break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!b) { rfx_set_error(err, RFX_ENOMEM, "%s: out of memory", path); return RFX_ENOMEM; }
    if (bad) {
        free(b);
        rfx_set_error(err, RFX_EINPUT, "%s: cannot read word list", path);
        return RFX_EINPUT;
    }
    rfx_status st = rfx_wordlists_load_memory(wl, name, b, n, path, err);
    free(b);
    return st;
}

/* The list a metric counts with: the user's when loaded, else rfx's own. */
static const wset *list_for(const rfx_register *r, int k, const wset *builtin) {
    const rfx_wordlists *wl = r ? r->opt.wordlists : NULL;
    return wl && wl->loaded[k] ? &wl->lists[k] : builtin;
}

bool rfx_wordlist_has(const char *list, const char *w, size_t n) {
    pthread_once(&lists_once, load_lists);
    const wset *s = !strcmp(list, "uncertainty") ? &L_unc
                    : !strcmp(list, "litigious") ? &L_lit
                    : !strcmp(list, "negative")  ? &L_neg
                    : !strcmp(list, "boilerplate") ? &L_boiler : NULL;
    return s && wset_match(s, w, n);
}

/* ---------------- syllables ---------------- */

static bool vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Vowel groups, corrected for the commonest English exceptions: a silent
 * final e (but "-le" after a consonant is voiced: ta-ble), a silent e in
 * "-es"/"-ed" (makes, moved; but wanted, passes), and vowel pairs that are
 * two syllables (ma-te-ri-al, ac-tu-al, vi-de-o) unless "-tion"-like. */
int rfx_syllables(const char *src, size_t len) {
    char w[64];
    size_t n = 0;
    for (size_t i = 0; i < len && n < sizeof w - 1; i++) {
        char c = src[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if (c >= 'a' && c <= 'z') w[n++] = c;
    }
    w[n] = 0;
    if (!n) return 0;
    if (!strcmp(w, "business")) return 2; /* the risk-factor word the rules miss */
    if (!strcmp(w, "businesses")) return 3;
    int s = 0;
    for (size_t i = 0; i < n; i++) {
        bool v = vowel(w[i]) && !(w[i] == 'y' && i == 0 && n > 1 && vowel(w[1]));
        if (!v) continue;
        if (i == 0 || !vowel(w[i - 1]) || (i == 1 && w[0] == 'y')) s++;
        else {
            char a = w[i - 1], b = w[i];
            bool split = (a == 'i' && (b == 'a' || b == 'u')) || (a == 'u' && (b == 'a' || b == 'o')) ||
                         (a == 'e' && b == 'o') ||
                         (a == 'i' && b == 'o' && !(i >= 2 && strchr("tscxg", w[i - 2])));
            if (split) s++;
        }
    }
    if (n >= 3 && w[n - 1] == 'e' && !vowel(w[n - 2]) &&
        !(w[n - 2] == 'l' && !vowel(w[n - 3])) && s > 1)
        s--;
    else if (n >= 4 && w[n - 1] == 's' && w[n - 2] == 'e' && !vowel(w[n - 3]) &&
             !strchr("sxzgc", w[n - 3]) && !(w[n - 3] == 'h' && strchr("cs", w[n - 4])) && s > 1)
        s--;
    else if (n >= 4 && w[n - 1] == 'd' && w[n - 2] == 'e' && !vowel(w[n - 3]) &&
             !strchr("td", w[n - 3]) && s > 1)
        s--;
    return s > 0 ? s : 1;
}

/* ---------------- tokens ---------------- */

typedef struct tok {
    size_t off, len;
    bool digit, alpha, cap, allcaps, hyphen, initial; /* initial: first in its sentence */
    size_t sid;
} tok;

/* A letter for word purposes: ASCII alnum, Latin-1/Extended letters, and the
 * scripts beyond (Greek, Cyrillic, CJK…) where one is bound to meet names. */
static int wordch(const char *s, size_t n, size_t i, int32_t *cpo) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *cpo = c;
        return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9') ? 1 : 0;
    }
    int32_t cp;
    int k = rfx_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    *cpo = cp;
    bool letter = (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
                  (cp >= 0x370 && cp < 0x2000) || (cp >= 0x3040 && cp <= 0x9FFF) ||
                  (cp >= 0xAC00 && cp <= 0xD7AF);
    return letter ? k : 0;
}

static const char *const ABBREV[] = {
    "inc", "co", "corp", "ltd", "llc", "plc", "no", "nos", "mr", "mrs", "ms", "dr", "st", "vs",
    "etc", "e.g", "i.e", "u.s", "u.k", "approx", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "l.p", "n.a", "s.a", "n.v", "k.k", "jr", "sr",
    "fig", "art", "sec", "cf", "al", "ave", "dept", "est", "govt", "p.l.c"};

static bool is_abbrev(const char *s, size_t n) {
    if (n == 1 && s[0] >= 'A' && s[0] <= 'Z') return true; /* an initial: John F. Smith */
    if (n > 6) return false;
    char low[8];
    for (size_t i = 0; i < n; i++) low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
    for (size_t k = 0; k < sizeof ABBREV / sizeof ABBREV[0]; k++)
        if (strlen(ABBREV[k]) == n && memcmp(ABBREV[k], low, n) == 0) return true;
    return false;
}

/* Splits text into word tokens with sentence ids. Returns the count; *ns
 * gets the number of sentences that hold a word. */
static size_t tokenize(const char *s, size_t n, tok **out, size_t *ns) {
    size_t cap = 64, nt = 0, sid = 0;
    tok *t = malloc(cap * sizeof *t);
    bool sentence_has_word = false;
    *ns = 0;
    if (!t) { *out = NULL; return 0; }
    size_t i = 0;
    while (i < n) {
        int32_t cp;
        int k = wordch(s, n, i, &cp);
        if (!k) {
            bool end = false;
            if (cp == '\n') end = true;
            else if (cp == '.' || cp == '!' || cp == '?') {
                bool after_abbrev = cp == '.' && nt && t[nt - 1].off + t[nt - 1].len == i &&
                                    t[nt - 1].sid == sid && is_abbrev(s + t[nt - 1].off, t[nt - 1].len);
                size_t j = i + 1;
                while (j < n && (s[j] == '"' || s[j] == ')' || s[j] == '\'' || s[j] == '.' ||
                                 (unsigned char)s[j] == 0xE2))
                    j += (unsigned char)s[j] == 0xE2 && j + 2 < n ? 3 : 1; /* ” ’ */
                if (j >= n) end = true;
                else if (s[j] == ' ' || s[j] == '\n' || s[j] == '\t') {
                    size_t q = j;
                    while (q < n && (s[q] == ' ' || s[q] == '\t')) q++;
                    bool next_starts = q >= n || s[q] == '\n' || (s[q] >= 'A' && s[q] <= 'Z') ||
                                       (s[q] >= '0' && s[q] <= '9') || s[q] == '"' || s[q] == '(' ||
                                       (unsigned char)s[q] >= 0x80;
                    end = next_starts && !after_abbrev;
                }
            }
            if (end && sentence_has_word) {
                (*ns)++;
                sid++;
                sentence_has_word = false;
            }
            i += cp >= 0x80 ? (size_t)rfx_utf8_decode((const unsigned char *)s + i, n - i, &cp) : 1;
            continue;
        }
        /* a word: letters/digits joined by ' ’ - . and digit-comma-digit */
        size_t b = i;
        bool digit = false, alpha = false, upper = true, hyphen = false;
        size_t letters = 0;
        for (;;) {
            while (i < n && (k = wordch(s, n, i, &cp)) > 0) {
                if (cp >= '0' && cp <= '9') digit = true;
                else {
                    alpha = true;
                    letters++;
                    if (cp >= 'a' && cp <= 'z') upper = false;
                }
                i += (size_t)k;
            }
            int32_t nx;
            size_t jl = 0;
            if (i < n && (s[i] == '\'' || s[i] == '-' || s[i] == '.')) jl = 1;
            else if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
                     (unsigned char)s[i + 2] == 0x99) jl = 3;
            else if (i < n && s[i] == ',' && i > b && s[i - 1] >= '0' && s[i - 1] <= '9' &&
                     i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') jl = 1;
            if (jl && i + jl < n && wordch(s, n, i + jl, &nx) > 0) {
                if (s[i] == '-') hyphen = true;
                i += jl;
                continue;
            }
            break;
        }
        if (nt == cap) {
            tok *nt2 = realloc(t, cap * 2 * sizeof *t);
            if (!nt2) break;
            t = nt2;
            cap *= 2;
        }
        t[nt++] = (tok){b, i - b, digit, alpha, s[b] >= 'A' && s[b] <= 'Z',
                        alpha && upper && letters >= 2, hyphen, !sentence_has_word, sid};
        sentence_has_word = true;
    }
    if (sentence_has_word) (*ns)++;
    *out = t;
    return nt;
}

/* Lower-cased, ’→', numbers → "#": the form the lists and 4-grams use. */
static size_t norm(const char *s, size_t n, bool digit, char *out, size_t cap) {
    if (digit) { out[0] = '#'; out[1] = 0; return 1; }
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x99) {
            out[o++] = '\'';
            i += 2;
        } else out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[o] = 0;
    return o;
}

static const char *const MONTHS[] = {"january", "february", "march", "april", "may", "june", "july",
                                     "august", "september", "october", "november", "december"};

static bool is_month(const char *w) {
    for (size_t i = 0; i < 12; i++)
        if (!strcmp(w, MONTHS[i])) return true;
    return false;
}

/* Small words allowed inside a capitalised name: "Bank of Japan". */
static bool name_joiner(const char *s, size_t n) {
    return (n == 2 && !memcmp(s, "of", 2)) || (n == 3 && !memcmp(s, "and", 3)) ||
           (n == 3 && !memcmp(s, "the", 3)) || (n == 2 && !memcmp(s, "de", 2)) ||
           (n == 3 && !memcmp(s, "for", 3));
}

void rfx_measure_text(const rfx_register *r, const rfx_text *t, const rfx_fact *facts,
                      size_t nfacts, bool heading, rfx_measure_acc *acc) {
    if (!t || !t->s || !t->len) return;
    pthread_once(&lists_once, load_lists);
    const wset *l_unc = list_for(r, 0, &L_unc), *l_lit = list_for(r, 1, &L_lit),
               *l_neg = list_for(r, 2, &L_neg);
    const char *s = t->s;
    size_t n = t->len, ns = 0;
    tok *tk = NULL;
    size_t nt = tokenize(s, n, &tk, &ns);
    if (!tk) return;
    unsigned char *spec = calloc(nt ? nt : 1, 1);
    unsigned char *mask = calloc(n + 1, 1);
    if (!spec || !mask) { free(spec); free(mask); free(tk); return; }

    /* entity names and aliases as they occur in this text */
    for (size_t e = 0; r && e < r->nentities; e++) {
        const char *names[2] = {r->entities[e].name, r->entities[e].alias};
        for (int q = 0; q < 2; q++) {
            const char *nm = names[q];
            size_t nl = nm ? strlen(nm) : 0;
            if (nl < 2) continue;
            for (const char *p = s; (p = strstr(p, nm)); p += nl)
                memset(mask + (p - s), 1, nl);
        }
    }
    /* a text in capitals or Title Case tells nothing by its capitals */
    size_t caps = 0, alphas = 0;
    for (size_t i = 0; i < nt; i++) {
        if (!tk[i].alpha) continue;
        alphas++;
        caps += tk[i].cap;
    }
    bool case_informative = !(alphas >= 4 && caps * 10 > alphas * 6);

    char w[128], prev[3][128];
    size_t nprev = 0, cur_sid = (size_t)-1;
    bool sent_boiler = false;
    for (size_t i = 0; i < nt; i++) {
        const tok *x = &tk[i];
        size_t wl = norm(s + x->off, x->len, x->digit, w, sizeof w);
        if (x->sid != cur_sid) {
            if (cur_sid != (size_t)-1 && sent_boiler) acc->boiler_sentences++;
            cur_sid = x->sid;
            sent_boiler = false;
            nprev = 0;
        }
        /* specificity */
        bool sp = x->digit || mask[x->off];
        if (!sp && nfacts) {
            uint32_t so = rfx_text_start(t, x->off);
            for (size_t f = 0; f < nfacts && !sp; f++) sp = so >= facts[f].start && so < facts[f].end;
        }
        if (!sp && is_month(w)) { /* "March 31", "June 2013"; not the verb "may" */
            bool num_near = (i + 1 < nt && tk[i + 1].digit) || (i > 0 && tk[i - 1].digit);
            sp = num_near;
        }
        if (!sp && case_informative && x->allcaps && x->len >= 2) sp = true; /* NTT, IIJ, SEC */
        if (sp) spec[i] = 1;
        /* lists: possessive 's off */
        size_t ll = wl;
        if (ll > 2 && w[ll - 2] == '\'' && w[ll - 1] == 's') ll -= 2;
        if (!x->digit) {
            acc->uncertain += wset_match(l_unc, w, ll);
            acc->litigious += wset_match(l_lit, w, ll);
            acc->negative += wset_match(l_neg, w, ll);
        }
        /* boilerplate 4-grams inside the sentence */
        if (nprev == 3 && !sent_boiler) {
            char g[4 * 128 + 4];
            size_t gl = 0;
            const char *parts[4] = {prev[0], prev[1], prev[2], w};
            for (int q = 0; q < 4; q++) { /* "a b c d", as the list writes it */
                size_t pl = strlen(parts[q]);
                if (gl + pl + 1 >= sizeof g) { gl = 0; break; }
                if (q) g[gl++] = ' ';
                memcpy(g + gl, parts[q], pl);
                gl += pl;
            }
            if (gl) sent_boiler = wset_has(&L_boiler, g, gl);
        }
        if (nprev == 3) {
            memmove(prev[0], prev[1], sizeof prev[0]);
            memmove(prev[1], prev[2], sizeof prev[0]);
            nprev = 2;
        }
        memcpy(prev[nprev++], w, wl + 1);
        /* fog: complex words */
        if (x->alpha && !x->digit && !x->hyphen && !(x->cap && !x->initial && case_informative)) {
            int sy = rfx_syllables(s + x->off, x->len);
            if (sy >= 3) {
                /* -es/-ed/-ing do not make a word hard: "generated", "computing" */
                size_t bl = x->len;
                if (bl > 5 && (!strcmp(w + wl - 3, "ing"))) bl -= 3;
                else if (bl > 4 && (!strcmp(w + wl - 2, "ed") || !strcmp(w + wl - 2, "es"))) bl -= 2;
                if (bl == x->len || rfx_syllables(s + x->off, bl) >= 3) acc->complex++;
            }
        }
    }
    if (cur_sid != (size_t)-1 && sent_boiler) acc->boiler_sentences++;
    /* capitalised names: runs of 2+ capitalised words (joiners allowed inside) */
    if (case_informative) {
        for (size_t i = 0; i < nt;) {
            if (!tk[i].cap || !tk[i].alpha) { i++; continue; }
            size_t j = i + 1, last = i;
            while (j < nt && tk[j].sid == tk[i].sid) {
                if (tk[j].cap && tk[j].alpha) last = j;
                else if (!name_joiner(s + tk[j].off, tk[j].len)) break;
                j++;
            }
            size_t a = i;
            /* a sentence-initial function word is not part of a name: "The Bank" */
            if (tk[a].initial) {
                char lw[64];
                size_t l2 = norm(s + tk[a].off, tk[a].len, false, lw, sizeof lw);
                if (rfx_is_stopword(lw, l2)) a++;
            }
            size_t capcount = 0;
            for (size_t q = a; q <= last; q++) capcount += tk[q].cap;
            if (last > a && capcount >= 2)
                for (size_t q = a; q <= last; q++) spec[q] = 1;
            i = last + 1;
        }
    }
    size_t nspec = 0;
    for (size_t i = 0; i < nt; i++) nspec += spec[i];
    acc->words += nt;
    acc->sentences += ns; /* a heading without a full stop still ends its sentence */
    (void)heading;
    acc->specific += nspec;
    free(spec);
    free(mask);
    free(tk);
}

void rfx_metrics_finish(const rfx_measure_acc *a, rfx_metrics *m) {
    memset(m, 0, sizeof *m);
    m->words = a->words;
    m->sentences = a->sentences;
    if (a->words) {
        double w = (double)a->words, s = a->sentences ? (double)a->sentences : 1;
        m->specificity = (double)a->specific / w;
        m->fog = 0.4 * (w / s + 100.0 * (double)a->complex / w);
        m->uncertainty = 100.0 * (double)a->uncertain / w;
        m->litigious = 100.0 * (double)a->litigious / w;
        m->negative = 100.0 * (double)a->negative / w;
    }
    m->boilerplate = a->sentences ? (double)a->boiler_sentences / (double)a->sentences : 0;
    if (m->boilerplate > 1) m->boilerplate = 1;
    m->valid = true;
}

void rfx_measure(rfx_register *r) {
    rfx_measure_acc all = {0};
    for (size_t i = 0; i < r->nrisks; i++) {
        rfx_risk *k = &r->risks[i];
        rfx_measure_acc a = {0};
        rfx_measure_text(r, &k->heading, k->facts, k->nfacts, true, &a);
        rfx_measure_text(r, &k->body, k->facts, k->nfacts, false, &a);
        rfx_metrics_finish(&a, &k->metrics);
        all.words += a.words;
        all.sentences += a.sentences;
        all.specific += a.specific;
        all.complex += a.complex;
        all.boiler_sentences += a.boiler_sentences;
        all.uncertain += a.uncertain;
        all.litigious += a.litigious;
        all.negative += a.negative;
    }
    rfx_metrics_finish(&all, &r->metrics);
}
