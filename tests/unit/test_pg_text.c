/*
 * test_pg_text.c — the PostgreSQL backend's text functions (no server
 * needed): rfx's tokens are FTS5's tokens (checked against SQLite's own
 * "porter unicode61" tokenizer through fts5vocab, on tricky strings and on
 * the whole reference filing), so both backends find the same risks; the
 * tsvector and tsquery literals; the password mask.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/pg_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* tokens joined by spaces */
static void join(void *ctx, const char *tok, size_t n) {
    rfx_buf *b = ctx;
    if (b->len) rfx_buf_putc(b, ' ', 0);
    rfx_buf_put(b, tok, n, 0, false);
}

static char *ours(const char *text) {
    pgtext *t = pgtext_new();
    assert_non_null(t);
    rfx_buf b;
    rfx_buf_init(&b, false);
    pgtext_tokens(t, text, join, &b);
    pgtext_free(t);
    char *s = rfx_buf_steal(&b);
    return s ? s : strdup("");
}

/* FTS5's tokens of text, in order (fts5vocab instance rows by offset) */
static char *fts5(const char *text) {
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='porter unicode61');"
                                      "CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "INSERT INTO t(a) VALUES(?1)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db, "SELECT term FROM v ORDER BY offset", -1, &st, NULL);
    rfx_buf b;
    rfx_buf_init(&b, false);
    while (sqlite3_step(st) == SQLITE_ROW) join(&b, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    char *s = rfx_buf_steal(&b);
    return s ? s : strdup("");
}

static void same_tokens(const char *text) {
    char *a = ours(text), *b = fts5(text);
    if (strcmp(a, b)) fprintf(stderr, "text: %.200s\n ours: %.300s\n fts5: %.300s\n", text, a, b);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_tokens_match_fts5(void **state) {
    (void)state;
    same_tokens("New regulations on tariffs could adversely affect our operations.");
    same_tokens("COVID-19, the company's U.S. operations and 3.5% notes due 2027");
    same_tokens("us is as a an I'm we've");                      /* short words: not stemmed */
    same_tokens("Café Zürich, Ærø, São Paulo, naïve façade, Ελλάδα, Москва");
    same_tokens("e-mail: ir@example.com; http://www.example.com/10-K_2024.htm");
    same_tokens("generalizations relational conditional rationalization hopefulness");
    /* where FTS5 follows Porter's C code rather than the published algorithm */
    same_tokens("technology technologies technologie methodology assemblies ostensibly possibly ies eed");
    same_tokens("µ ς ϖ ΣΊΣΥΦΟΣ ǚ ȗ ǿ ſ ŀ");
    same_tokens("cybersecurity, ransomware, supply-chain, over-the-counter, ‘quoted’ “smart”");
    same_tokens("ＦＵＬＬＷＩＤＴＨ ① ½ 二〇二四年 リスク");
    same_tokens("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaations");
    same_tokens("");
}

static void test_tokens_match_fts5_on_a_filing(void **state) {
    (void)state;
    const char *root = getenv("RFX_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/../shared/data/seed/000_f79ab47b85062882.txt", root ? root : ".");
    FILE *f = fopen(path, "rb");
    if (!f) { skip(); return; }
    size_t cap = 1 << 22;
    char *text = malloc(cap + 1);
    assert_non_null(text);
    size_t n = fread(text, 1, cap, f);
    fclose(f);
    text[n] = 0;
    same_tokens(text); /* the whole reference filing, token for token */
    free(text);
}

static char *tsq(const char *q) {
    rfx_error e;
    qnode *n = store_query_parse(q, &e);
    assert_non_null(n);
    pgtext *t = pgtext_new();
    char *s = pgtext_tsquery(t, n);
    pgtext_free(t);
    store_query_free(n);
    return s;
}

static void expect_tsq(const char *q, const char *want) {
    char *got = tsq(q);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_tsquery(void **state) {
    (void)state;
    expect_tsq("tariffs", "'tariff'");
    expect_tsq("regulations*", "'regul':*");
    expect_tsq("\"export controls\"", "('export' <-> 'control')");
    expect_tsq("covid-19", "('covid' <-> '19')");
    expect_tsq("tariff OR sanctions", "('tariff' | 'sanction')");
    expect_tsq("tariff NOT china", "('tariff' & !('china'))");
    expect_tsq("(tariffs OR sanctions) currency", "(('tariff' | 'sanction') & 'currenc')");
    expect_tsq("\"supply chain\"*", "('suppli' <-> 'chain':*)");
    expect_tsq("it's", "('it' <-> 's')");
    expect_tsq("—", "' '"); /* nothing to look for: matches nothing, as in FTS5 */
    expect_tsq("o'brien's", "('o' <-> 'brien' <-> 's')");
}

static void test_tsvector(void **state) {
    (void)state;
    pgtext *t = pgtext_new();
    char *v = pgtext_tsvector(t, "Tariffs could hurt", "New tariffs hurt sales");
    /* heading A at 1..3, a gap at 4, body B from 5 */
    assert_string_equal(v, "'could':2A 'hurt':3A,7B 'new':5B 'sale':8B 'tariff':1A,6B");
    free(v);
    v = pgtext_tsvector(t, "", "it's 'quoted'");
    assert_string_equal(v, "'it':2B 'quot':4B 's':3B");
    free(v);
    v = pgtext_tsvector(t, NULL, NULL);
    assert_string_equal(v, "");
    free(v);
    /* a word repeated past PostgreSQL's limits: 255 positions kept, capped at 16383 */
    rfx_buf b;
    rfx_buf_init(&b, false);
    for (int i = 0; i < 20000; i++) rfx_buf_puts(&b, "risk ");
    v = pgtext_tsvector(t, NULL, b.data);
    size_t commas = 0;
    for (const char *p = v; *p; p++) commas += *p == ',';
    assert_int_equal(commas, 254);
    assert_null(strstr(v, "16384"));
    free(v);
    rfx_buf_free(&b);
    pgtext_free(t);
}

static void expect_mask(const char *uri, const char *want) {
    char *m = pg_uri_masked(uri);
    assert_non_null(m);
    assert_string_equal(m, want);
    free(m);
}

static void test_password_mask(void **state) {
    (void)state;
    expect_mask("postgresql://rfx:s3cret@db.example.com:5432/corpus", "postgresql://rfx:***@db.example.com:5432/corpus");
    expect_mask("postgres://rfx@db/corpus", "postgres://rfx@db/corpus");
    expect_mask("postgresql://rfx:p%40ss@db/corpus?sslmode=require", "postgresql://rfx:***@db/corpus?sslmode=require");
    expect_mask("postgresql://rfx@db/corpus?sslmode=require&password=s3cret&application_name=x",
                "postgresql://rfx@db/corpus?sslmode=require&password=***&application_name=x");
    expect_mask("postgresql://rfx:a:b@c@db/x", "postgresql://rfx:***@db/x");
    expect_mask("host=db user=rfx password='it''s secret' dbname=x", "host=db user=rfx password=*** dbname=x");
    expect_mask("host=db password=plain dbname=x", "host=db password=*** dbname=x");
    expect_mask("/var/lib/rfx/corpus.db", "/var/lib/rfx/corpus.db");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens_match_fts5),
        cmocka_unit_test(test_tokens_match_fts5_on_a_filing),
        cmocka_unit_test(test_tsquery),
        cmocka_unit_test(test_tsvector),
        cmocka_unit_test(test_password_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
