/*
 * pg_text.c — search text for the PostgreSQL backend: FTS5-compatible
 * tokens, tsvector and tsquery literals (see pg_int.h for why), and the
 * password mask for connection strings.
 */
#include "pg_int.h"

#include <ctype.h>
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define MAX_TOKEN 1024   /* bytes kept of one token (PostgreSQL allows 2046) */
#define MAX_POS 16383    /* PostgreSQL's largest tsvector position */
#define MAX_NPOS 255     /* positions kept per lexeme (PostgreSQL keeps 256) */

struct pgtext {
    struct sb_stemmer *stem;
};

pgtext *pgtext_new(void) {
    pgtext *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    /* "porter": Porter's original algorithm, the one FTS5's porter tokenizer implements */
    t->stem = sb_stemmer_new("porter", "UTF_8");
    if (!t->stem) { free(t); return NULL; }
    return t;
}

void pgtext_free(pgtext *t) {
    if (!t) return;
    sb_stemmer_delete(t->stem);
    free(t);
}

/* unicode61's token characters: letters, numbers, private use; marks are
 * kept inside a word and removed with the diacritics. */
static bool word_cp(int32_t cp) {
    if (cp < 128) return isalnum(cp) != 0;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return true;
    default:
        return false;
    }
}

/* Porter's measure m of s[0..n): the number of vowel-consonant sequences. */
static bool cons(const char *s, size_t i) {
    switch (s[i]) {
    case 'a': case 'e': case 'i': case 'o': case 'u': return false;
    case 'y': return i == 0 || !cons(s, i - 1);
    default: return true;
    }
}
static int measure(const char *s, size_t n) {
    int m = 0;
    size_t i = 0;
    while (i < n && cons(s, i)) i++;
    while (i < n) {
        while (i < n && !cons(s, i)) i++;
        if (i >= n) break;
        while (i < n && cons(s, i)) i++;
        m++;
    }
    return m;
}
/* consonant-vowel-consonant ending, the last not w, x or y */
static bool cvc(const char *s, size_t n) {
    return n >= 3 && cons(s, n - 1) && !cons(s, n - 2) && cons(s, n - 3) && s[n - 1] != 'w' && s[n - 1] != 'x' &&
           s[n - 1] != 'y';
}

/* FTS5's porter follows Porter's own C code, which departs from the
 * published algorithm (and from Snowball's "porter") in step 2: -logi
 * becomes -log and -bli becomes -ble (then steps 4 and 5 run on it). Found
 * by comparing the two on 36,831 words of the shared filings; these and two
 * 3-letter oddities were the only differences. out has room for n + 2. */
static size_t fts5_departures(const char *tok, size_t tn, const char *st, size_t n, char *out) {
    memcpy(out, st, n);
    if (tn == 3 && !memcmp(tok, "ies", 3)) { memcpy(out, "ie", 2); return 2; }
    if (tn == 3 && !memcmp(tok, "eed", 3)) { out[0] = 'e'; return 1; }
    /* -logie, -blie: the e goes only in step 5, after step 2 looked */
    if (tok[tn - 1] == 'e') return n;
    if (n > 4 && !memcmp(out + n - 4, "logi", 4) && measure(out, n - 4) > 0) return n - 1;
    if (n > 3 && !memcmp(out + n - 3, "bli", 3) && measure(out, n - 3) > 0) {
        out[n - 1] = 'e'; /* ...ble */
        if (n > 4 && (out[n - 4] == 'a' || out[n - 4] == 'i') && measure(out, n - 4) > 1) return n - 4;
        size_t b = n - 1; /* step 5a: drop the final e */
        int m = measure(out, b);
        if (m > 1 || (m == 1 && !cvc(out, b))) return b;
        return n;
    }
    return n;
}

/* FTS5's unicode61 (remove_diacritics 1) folds a letter that is an ASCII
 * letter plus one diacritic to the ASCII letter (é → e, ȗ → u); letters
 * with two marks (ǚ), or on a non-ASCII base (ά, ǿ, й), keep theirs. */
static int32_t fold_cp(int32_t cp) {
    if (cp == 0x17F) return 's'; /* long s */
    int32_t d[4];
    int last = 0;
    utf8proc_ssize_t nd = utf8proc_decompose_char(cp, d, 4, UTF8PROC_DECOMPOSE, &last);
    if (nd == 2 && d[0] < 128 && isalpha(d[0]) && utf8proc_category(d[1]) == UTF8PROC_CATEGORY_MN) return d[0];
    return cp;
}

static size_t strip_diacritics(const char *s, size_t n, char *out) {
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k < 1) { out[o++] = s[i++]; continue; }
        if (cp >= 0x300 && cp <= 0x36F) { i += (size_t)k; continue; } /* a lone combining mark */
        o += (size_t)utf8proc_encode_char(cp >= 0xC0 ? fold_cp(cp) : cp, (utf8proc_uint8_t *)out + o);
        i += (size_t)k;
    }
    return o;
}

static void emit(pgtext *t, char *tok, size_t n, bool ascii,
                 void (*fn)(void *, const char *, size_t), void *ctx) {
    char folded[MAX_TOKEN * 4 + 8];
    if (!ascii) {
        n = strip_diacritics(tok, n, folded);
        tok = folded;
        if (!n) return;
    }
    if (n >= 3 && n <= 64) { /* FTS5's porter leaves shorter and longer tokens alone */
        const sb_symbol *s = sb_stemmer_stem(t->stem, (const sb_symbol *)tok, (int)n);
        if (s) {
            char fixed[80];
            size_t k = fts5_departures(tok, n, (const char *)s, (size_t)sb_stemmer_length(t->stem), fixed);
            fn(ctx, fixed, k);
        } else {
            fn(ctx, tok, n);
        }
    } else {
        fn(ctx, tok, n);
    }
}

void pgtext_tokens(pgtext *t, const char *s, void (*fn)(void *ctx, const char *tok, size_t n),
                   void *ctx) {
    if (!s) return;
    char tok[MAX_TOKEN + 8];
    size_t n = 0;
    bool in = false, ascii = true;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t len = strlen(s);
    for (size_t i = 0; i <= len;) {
        int32_t cp = 0;
        utf8proc_ssize_t k = 1;
        if (i < len) {
            k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
            if (k < 1) { cp = -1; k = 1; } /* invalid UTF-8: a separator */
        } else {
            cp = -1;
        }
        if (cp >= 0 && word_cp(cp)) {
            in = true;
            if (cp < 128) {
                if (n < MAX_TOKEN) tok[n++] = (char)tolower(cp);
            } else {
                ascii = false;
                utf8proc_uint8_t enc[4];
                /* case folding, as FTS5 folds (ς → σ, µ → μ), not just lower case */
                int32_t f[4];
                int last = 0;
                int32_t low = utf8proc_decompose_char(cp, f, 4, UTF8PROC_CASEFOLD, &last) == 1 ? f[0]
                                                                                            : utf8proc_tolower(cp);
                utf8proc_ssize_t e = utf8proc_encode_char(low, enc);
                if (n + (size_t)e <= MAX_TOKEN) { memcpy(tok + n, enc, (size_t)e); n += (size_t)e; }
            }
        } else if (in) {
            emit(t, tok, n, ascii, fn, ctx);
            n = 0;
            in = false;
            ascii = true;
        }
        i += (size_t)k;
    }
}

/* ---------------- tsvector ---------------- */

typedef struct tvent {
    size_t off, len; /* lexeme in the text buffer */
    int pos;
    char w;
} tvent;

typedef struct tvacc {
    rfx_buf lex;
    tvent *v;
    size_t n, cap;
    int pos, base;
    char w;
    bool oom;
} tvacc;

static void tv_add(void *ctx, const char *tok, size_t n) {
    tvacc *a = ctx;
    if (a->oom) return;
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 256;
        tvent *nv = realloc(a->v, nc * sizeof *nv);
        if (!nv) { a->oom = true; return; }
        a->v = nv;
        a->cap = nc;
    }
    a->pos++;
    int pos = a->base + a->pos;
    a->v[a->n++] = (tvent){a->lex.len, n, pos > MAX_POS ? MAX_POS : pos, a->w};
    rfx_buf_put(&a->lex, tok, n, 0, false);
    if (a->lex.oom) a->oom = true;
}

static const char *tv_base;
static int tv_cmp(const void *x, const void *y) {
    const tvent *a = x, *b = y;
    size_t m = a->len < b->len ? a->len : b->len;
    int c = memcmp(tv_base + a->off, tv_base + b->off, m);
    if (c) return c;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    return a->pos - b->pos;
}

static void put_quoted(rfx_buf *b, const char *s, size_t n) {
    rfx_buf_putc(b, '\'', 0);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'' || s[i] == '\\') rfx_buf_putc(b, s[i], 0);
        rfx_buf_putc(b, s[i], 0);
    }
    rfx_buf_putc(b, '\'', 0);
}

char *pgtext_tsvector(pgtext *t, const char *heading, const char *body) {
    tvacc a = {0};
    rfx_buf_init(&a.lex, false);
    a.w = 'A';
    pgtext_tokens(t, heading, tv_add, &a);
    a.base = a.pos + 1; /* the gap: no phrase across heading and body */
    a.pos = 0;
    a.w = 'B';
    pgtext_tokens(t, body, tv_add, &a);
    rfx_buf out;
    rfx_buf_init(&out, false);
    if (!a.oom && a.n) {
        /* qsort with a file-level base pointer: the buffer is final now */
        tv_base = a.lex.data;
        qsort(a.v, a.n, sizeof *a.v, tv_cmp);
        for (size_t i = 0; i < a.n;) {
            size_t j = i;
            if (out.len) rfx_buf_putc(&out, ' ', 0);
            put_quoted(&out, a.lex.data + a.v[i].off, a.v[i].len);
            rfx_buf_putc(&out, ':', 0);
            int last = -1, npos = 0;
            for (; j < a.n && a.v[j].len == a.v[i].len &&
                   !memcmp(a.lex.data + a.v[j].off, a.lex.data + a.v[i].off, a.v[i].len);
                 j++) {
                if (a.v[j].pos == last || npos >= MAX_NPOS) continue;
                rfx_buf_printf(&out, "%s%d%c", npos ? "," : "", a.v[j].pos, a.v[j].w);
                last = a.v[j].pos;
                npos++;
            }
            i = j;
        }
    }
    bool oom = a.oom || out.oom;
    free(a.v);
    rfx_buf_free(&a.lex);
    if (oom) { rfx_buf_free(&out); return NULL; }
    char *s = rfx_buf_steal(&out);
    if (!s) s = calloc(1, 1);
    return s;
}

/* ---------------- tsquery ---------------- */

typedef struct tqacc {
    rfx_buf *b;
    size_t n;
} tqacc;

static void tq_add(void *ctx, const char *tok, size_t n) {
    tqacc *a = ctx;
    if (a->n++) rfx_buf_puts(a->b, " <-> ");
    put_quoted(a->b, tok, n);
}

static void tq_render(pgtext *t, rfx_buf *b, const qnode *n) {
    switch (n->kind) {
    case QN_TERM:
    case QN_PHRASE: {
        /* words of a term or phrase, as the index has them: a term that
         * splits in two (covid-19) is a phrase, as in FTS5 */
        rfx_buf one;
        rfx_buf_init(&one, false);
        tqacc a = {&one, 0};
        pgtext_tokens(t, n->text, tq_add, &a);
        if (!a.n) {
            /* nothing to look for: a lexeme no text can produce (tokens
             * never hold a space), so the term matches nothing */
            rfx_buf_puts(b, "' '");
        } else {
            if (a.n > 1) rfx_buf_putc(b, '(', 0);
            rfx_buf_put(b, one.data, one.len, 0, false);
            if (n->prefix) rfx_buf_puts(b, ":*");
            if (a.n > 1) rfx_buf_putc(b, ')', 0);
        }
        if (one.oom) b->oom = true;
        rfx_buf_free(&one);
        break;
    }
    case QN_OR:
        rfx_buf_putc(b, '(', 0);
        for (size_t i = 0; i < n->nkids; i++) {
            if (i) rfx_buf_puts(b, " | ");
            tq_render(t, b, n->kids[i]);
        }
        rfx_buf_putc(b, ')', 0);
        break;
    case QN_NOT:
        rfx_buf_puts(b, "!(");
        tq_render(t, b, n->kids[0]);
        rfx_buf_putc(b, ')', 0);
        break;
    case QN_AND: {
        rfx_buf_putc(b, '(', 0);
        size_t k = 0;
        for (size_t i = 0; i < n->nkids; i++) {
            if (k++) rfx_buf_puts(b, " & ");
            tq_render(t, b, n->kids[i]);
        }
        rfx_buf_putc(b, ')', 0);
        break;
    }
    }
}

char *pgtext_tsquery(pgtext *t, const qnode *n) {
    rfx_buf b;
    rfx_buf_init(&b, false);
    tq_render(t, &b, n);
    if (b.oom) { rfx_buf_free(&b); return NULL; }
    return rfx_buf_steal(&b);
}

/* ---------------- password mask ---------------- */

char *pg_uri_masked(const char *uri) {
    if (!uri) return NULL;
    rfx_buf b;
    rfx_buf_init(&b, false);
    const char *p = uri;
    const char *scheme = strstr(uri, "://");
    if (scheme) {
        /* userinfo: between "://" and the last '@' before the first '/' */
        const char *host = scheme + 3;
        const char *end = host + strcspn(host, "/?");
        const char *at = NULL;
        for (const char *q = host; q < end; q++)
            if (*q == '@') at = q;
        const char *colon = at ? memchr(host, ':', (size_t)(at - host)) : NULL;
        if (colon) {
            rfx_buf_put(&b, uri, (size_t)(colon + 1 - uri), 0, false);
            rfx_buf_puts(&b, "***");
            p = at;
        }
    }
    /* key=value forms: password=... in a query string or a conninfo string */
    while (*p) {
        const char *k = strstr(p, "password=");
        if (!k) { rfx_buf_puts(&b, p); break; }
        bool key_start = k == uri || strchr("?& \t", k[-1]);
        rfx_buf_put(&b, p, (size_t)(k - p) + 9, 0, false);
        p = k + 9;
        if (!key_start) continue;
        rfx_buf_puts(&b, "***");
        if (*p == '\'') { /* conninfo quoting: 'it''s' or 'a\'b' */
            p++;
            while (*p && !(*p == '\'' && p[1] != '\'')) p += (*p == '\\' || *p == '\'') && p[1] ? 2 : 1;
            if (*p) p++;
        } else {
            p += strcspn(p, "& \t");
        }
    }
    if (b.oom) { rfx_buf_free(&b); return NULL; }
    char *s = rfx_buf_steal(&b);
    return s ? s : strdup("");
}
