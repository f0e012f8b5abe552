/*
 * query.c — the search query language, parsed by rfx rather than handed to
 * the database: words, "phrases", OR, NOT, prefix*, parentheses; words next
 * to each other must all match (AND).
 *
 * Parsing it ourselves means a malformed query gets one line in rfx's words
 * (exit 2) instead of a database error, and the expression a backend runs is
 * built from quoted terms only, so nothing a user types is ever read as the
 * backend's own syntax. Operators are the upper-case words OR, NOT and AND;
 * lower-case "or" is a word like any other.
 */
#include "store_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUERY 2000 /* bytes */
#define MAX_TERMS 64
#define MAX_DEPTH 32

enum { T_END, T_LP, T_RP, T_OR, T_AND, T_NOT, T_TERM, T_PHRASE };

typedef struct lexer {
    const char *s;
    size_t i;
    int tok;
    char *text; /* T_TERM / T_PHRASE, malloc'd */
    bool prefix;
    size_t nterms;
    rfx_error *err;
    bool failed;
} lexer;

static bool has_wordchar(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c >= 0x80) return true;
    }
    return false;
}

static void fail(lexer *L, const char *fmt, const char *arg) {
    if (L->failed) return;
    L->failed = true;
    rfx_set_error(L->err, RFX_EUSAGE, fmt, arg);
    L->tok = T_END;
}

static void next(lexer *L) {
    free(L->text);
    L->text = NULL;
    L->prefix = false;
    if (L->failed) { L->tok = T_END; return; }
    const char *s = L->s;
    while (s[L->i] && isspace((unsigned char)s[L->i])) L->i++;
    char c = s[L->i];
    if (!c) { L->tok = T_END; return; }
    if (c == '(') { L->i++; L->tok = T_LP; return; }
    if (c == ')') { L->i++; L->tok = T_RP; return; }
    size_t b, e;
    if (c == '"') {
        b = ++L->i;
        while (s[L->i] && s[L->i] != '"') L->i++;
        if (!s[L->i]) { fail(L, "unclosed quote in query%s", ""); return; }
        e = L->i++;
        if (s[L->i] == '*') { L->prefix = true; L->i++; }
        if (!has_wordchar(s + b, e - b)) { fail(L, "empty phrase \"\" in query%s", ""); return; }
        L->tok = T_PHRASE;
    } else {
        b = L->i;
        while (s[L->i] && !isspace((unsigned char)s[L->i]) && !strchr("\"()", s[L->i])) L->i++;
        e = L->i;
        if (e - b == 2 && !strncmp(s + b, "OR", 2)) { L->tok = T_OR; return; }
        if (e - b == 3 && !strncmp(s + b, "AND", 3)) { L->tok = T_AND; return; }
        if (e - b == 3 && !strncmp(s + b, "NOT", 3)) { L->tok = T_NOT; return; }
        if (s[e - 1] == '*') { L->prefix = true; e--; }
        char w[80];
        snprintf(w, sizeof w, "%.*s", (int)(e - b < 60 ? e - b : 60), s + b);
        if (memchr(s + b, '*', e - b)) { fail(L, "'*' may only end a word, as in tariff*: '%s'", w); return; }
        if (!has_wordchar(s + b, e - b)) {
            fail(L, L->prefix && e == b ? "'*' must follow the start of a word, as in tariff*%s"
                                        : "'%s' has no letters or digits to search for", w);
            return;
        }
        L->tok = T_TERM;
    }
    if (++L->nterms > MAX_TERMS) { fail(L, "query has more than 64 terms%s", ""); return; }
    L->text = malloc(e - b + 1);
    if (!L->text) { fail(L, "out of memory%s", ""); return; }
    memcpy(L->text, s + b, e - b);
    L->text[e - b] = 0;
}

static qnode *node(int kind) {
    qnode *n = calloc(1, sizeof *n);
    if (n) n->kind = kind;
    return n;
}

static bool add_kid(qnode *p, qnode *k) {
    qnode **nk = realloc(p->kids, (p->nkids + 1) * sizeof *nk);
    if (!nk) return false;
    p->kids = nk;
    p->kids[p->nkids++] = k;
    return true;
}

void store_query_free(qnode *n) {
    if (!n) return;
    for (size_t i = 0; i < n->nkids; i++) store_query_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n);
}

static qnode *parse_or(lexer *L, int depth);

static qnode *parse_unary(lexer *L, int depth) {
    if (depth > MAX_DEPTH) { fail(L, "query nests too deep%s", ""); return NULL; }
    if (L->tok == T_NOT) {
        next(L);
        if (L->tok == T_END || L->tok == T_OR || L->tok == T_RP || L->tok == T_AND) {
            fail(L, "NOT must be followed by what to exclude, as in 'tariff NOT china'%s", "");
            return NULL;
        }
        qnode *k = parse_unary(L, depth + 1);
        if (!k) return NULL;
        if (k->kind == QN_NOT) { /* NOT NOT x: keep it simple for people and backends */
            store_query_free(k);
            fail(L, "NOT NOT is not allowed%s", "");
            return NULL;
        }
        qnode *n = node(QN_NOT);
        if (!n || !add_kid(n, k)) { store_query_free(n); store_query_free(k); fail(L, "out of memory%s", ""); return NULL; }
        return n;
    }
    if (L->tok == T_TERM || L->tok == T_PHRASE) {
        qnode *n = node(L->tok == T_TERM ? QN_TERM : QN_PHRASE);
        if (!n) { fail(L, "out of memory%s", ""); return NULL; }
        n->text = L->text;
        n->prefix = L->prefix;
        L->text = NULL;
        next(L);
        return n;
    }
    if (L->tok == T_LP) {
        next(L);
        if (L->tok == T_RP) { fail(L, "empty parentheses in query%s", ""); return NULL; }
        qnode *n = parse_or(L, depth + 1);
        if (!n) return NULL;
        if (L->tok != T_RP) { store_query_free(n); fail(L, "unclosed '(' in query%s", ""); return NULL; }
        next(L);
        return n;
    }
    if (L->tok == T_RP) fail(L, "')' without a matching '(' in query%s", "");
    else if (L->tok == T_OR) fail(L, "OR needs a term on each side, as in 'tariff OR sanctions'%s", "");
    else if (L->tok == T_AND) fail(L, "AND needs a term on each side%s", "");
    else fail(L, "query ends too early%s", "");
    return NULL;
}

/* An AND group must keep at least one term that is not negated, or it
 * would mean "every risk except ...". */
static qnode *parse_and(lexer *L, int depth) {
    qnode *g = node(QN_AND);
    if (!g) { fail(L, "out of memory%s", ""); return NULL; }
    size_t pos = 0;
    for (;;) {
        qnode *k = parse_unary(L, depth);
        if (!k) { store_query_free(g); return NULL; }
        if (k->kind != QN_NOT) pos++;
        if (!add_kid(g, k)) { store_query_free(k); store_query_free(g); fail(L, "out of memory%s", ""); return NULL; }
        if (L->tok == T_AND) {
            next(L);
            if (L->tok == T_END || L->tok == T_OR || L->tok == T_RP) {
                store_query_free(g);
                fail(L, "AND needs a term on each side%s", "");
                return NULL;
            }
            continue;
        }
        if (L->tok == T_END || L->tok == T_OR || L->tok == T_RP) break;
    }
    if (!pos) {
        store_query_free(g);
        fail(L, "NOT needs something to exclude from, as in 'tariff NOT china'%s", "");
        return NULL;
    }
    if (g->nkids == 1) {
        qnode *only = g->kids[0];
        g->nkids = 0;
        store_query_free(g);
        return only;
    }
    return g;
}

static qnode *parse_or(lexer *L, int depth) {
    qnode *first = parse_and(L, depth);
    if (!first || L->tok != T_OR) return first;
    qnode *o = node(QN_OR);
    if (!o || !add_kid(o, first)) { store_query_free(o); store_query_free(first); fail(L, "out of memory%s", ""); return NULL; }
    while (L->tok == T_OR) {
        next(L);
        if (L->tok == T_END || L->tok == T_OR || L->tok == T_RP) {
            store_query_free(o);
            fail(L, "OR needs a term on each side, as in 'tariff OR sanctions'%s", "");
            return NULL;
        }
        qnode *k = parse_and(L, depth);
        if (!k) { store_query_free(o); return NULL; }
        if (!add_kid(o, k)) { store_query_free(k); store_query_free(o); fail(L, "out of memory%s", ""); return NULL; }
    }
    return o;
}

qnode *store_query_parse(const char *text, rfx_error *err) {
    if (!text) text = "";
    if (strlen(text) > MAX_QUERY) {
        rfx_set_error(err, RFX_EUSAGE, "query is longer than %d bytes", MAX_QUERY);
        return NULL;
    }
    lexer L = {.s = text, .err = err};
    next(&L);
    if (L.tok == T_END && !L.failed) {
        rfx_set_error(err, RFX_EUSAGE, "empty query: give words, \"phrases\", OR, NOT or prefix*");
        return NULL;
    }
    qnode *n = L.failed ? NULL : parse_or(&L, 0);
    if (n && !L.failed && L.tok != T_END) {
        if (L.tok == T_RP) fail(&L, "')' without a matching '(' in query%s", "");
        else fail(&L, "unexpected text in query%s", "");
    }
    free(L.text);
    if (L.failed) { store_query_free(n); return NULL; }
    return n;
}

/* ---------------- FTS5 rendering ---------------- */

static bool put(rfx_buf *b, const char *s) {
    rfx_buf_puts(b, s);
    return !b->oom;
}

static void quoted(rfx_buf *b, const char *s, bool prefix) {
    rfx_buf_putc(b, '"', 0);
    for (; *s; s++) {
        if (*s == '"') rfx_buf_putc(b, '"', 0);
        rfx_buf_putc(b, *s, 0);
    }
    rfx_buf_putc(b, '"', 0);
    if (prefix) rfx_buf_puts(b, " *");
}

static void render(rfx_buf *b, const qnode *n) {
    switch (n->kind) {
    case QN_TERM:
    case QN_PHRASE: quoted(b, n->text, n->prefix); break;
    case QN_OR:
        put(b, "(");
        for (size_t i = 0; i < n->nkids; i++) {
            if (i) put(b, " OR ");
            render(b, n->kids[i]);
        }
        put(b, ")");
        break;
    case QN_NOT: render(b, n->kids[0]); break; /* placed by the AND group */
    case QN_AND: {
        /* FTS5's NOT is binary: (a AND b) NOT c NOT d */
        put(b, "((");
        size_t k = 0;
        for (size_t i = 0; i < n->nkids; i++) {
            if (n->kids[i]->kind == QN_NOT) continue;
            if (k++) put(b, " AND ");
            render(b, n->kids[i]);
        }
        put(b, ")");
        for (size_t i = 0; i < n->nkids; i++) {
            if (n->kids[i]->kind != QN_NOT) continue;
            put(b, " NOT ");
            put(b, "(");
            render(b, n->kids[i]->kids[0]);
            put(b, ")");
        }
        put(b, ")");
        break;
    }
    }
}

char *store_query_fts5(const qnode *n) {
    rfx_buf b;
    rfx_buf_init(&b, false);
    render(&b, n);
    if (b.oom) { rfx_buf_free(&b); return NULL; }
    return rfx_buf_steal(&b);
}
