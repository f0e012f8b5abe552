/*
 * pg_int.h — the PostgreSQL backend's internals (not public): the text
 * functions of pg_text.c, shared with the unit tests.
 *
 * Why rfx tokenizes for PostgreSQL itself: the SQLite store indexes with
 * FTS5's "porter unicode61" tokenizer, and the two backends must return the
 * same hits. PostgreSQL's own parser splits text differently ("covid-19",
 * e-mail addresses, numbers with dots) and its english dictionary drops stop
 * words, so instead rfx splits and stems the text the way FTS5 does
 * (unicode61 word characters, case folded, diacritics removed, the Porter
 * stemmer on tokens of 3 to 64 bytes) and hands PostgreSQL a ready tsvector
 * (heading words weighted A, body words B) and a ready tsquery, both plain
 * values bound as parameters.
 */
#ifndef RFX_STORE_PG_INT_H
#define RFX_STORE_PG_INT_H

#include "store_int.h"

typedef struct pgtext pgtext;
pgtext *pgtext_new(void);
void pgtext_free(pgtext *t);

/* Calls fn with each search token of s (folded and stemmed), in order. */
void pgtext_tokens(pgtext *t, const char *s, void (*fn)(void *ctx, const char *tok, size_t n),
                   void *ctx);

/* The tsvector literal ('lexeme':1A,4A 'other':7B ...) of a risk: heading
 * words at positions 1.., weight A; body words after a gap of one position
 * (so no phrase spans heading and body, as in FTS5's separate columns),
 * weight B. Positions are capped at 16383 and 255 per lexeme, PostgreSQL's
 * limits. malloc'd; NULL when out of memory. */
char *pgtext_tsvector(pgtext *t, const char *heading, const char *body);

/* The tsquery literal of a parsed query: terms and phrases become quoted
 * lexemes joined by <->, AND → &, OR → |, NOT → & !, prefix → :*. A term
 * with no word characters matches nothing, as in FTS5. malloc'd. */
char *pgtext_tsquery(pgtext *t, const qnode *n);

/* The URI with any password replaced by "***" (user:pw@ and password=).
 * malloc'd. */
char *pg_uri_masked(const char *uri);

/* pg.c */
/* Creates (create) or upgrades the schema; *from, *to: versions before and after (0 = none). */
rfx_status store_pg_migrate(const char *uri, bool create, int *from, int *to, rfx_error *err);

#endif
