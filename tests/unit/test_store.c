/*
 * test_store.c — the corpus store without the CLI: the query language
 * (accepted and refused queries, the FTS5 text it becomes), company-name
 * matching, and an in-memory SQLite store taking registers and answering
 * search, history, filings, risk and stats, plus schema-version refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/store_int.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *fts(const char *q) {
    rfx_error e;
    qnode *n = store_query_parse(q, &e);
    if (!n) return NULL;
    char *s = store_query_fts5(n);
    store_query_free(n);
    return s;
}

static void expect_fts(const char *q, const char *want) {
    char *got = fts(q);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_query_accepted(void **state) {
    (void)state;
    expect_fts("tariff", "\"tariff\"");
    expect_fts("tariff*", "\"tariff\" *");
    expect_fts("\"export controls\"", "\"export controls\"");
    expect_fts("a b", "((\"a\" AND \"b\"))");
    expect_fts("a OR b", "(\"a\" OR \"b\")");
    expect_fts("a b NOT c", "((\"a\" AND \"b\") NOT (\"c\"))");
    expect_fts("(a OR b) c", "(((\"a\" OR \"b\") AND \"c\"))");
    /* FTS5 operators typed by a user are only words inside quotes */
    expect_fts("a:b", "\"a:b\"");
    expect_fts("NEAR x", "((\"NEAR\" AND \"x\"))");
    expect_fts("o'brien ^x", "((\"o'brien\" AND \"^x\"))");
    expect_fts("or not and", "((\"or\" AND \"not\" AND \"and\"))");
}

static void test_query_refused(void **state) {
    (void)state;
    const char *bad[] = {"", "   ", "NOT a", "a OR", "OR a", "\"abc", "(a", "a)", "()", "***", "ta*riff",
                         "&&", "a AND", "NOT NOT a", "a OR NOT b", "\"  \""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        rfx_error e = {0, ""};
        qnode *n = store_query_parse(bad[i], &e);
        if (n) fail_msg("accepted [%s]", bad[i]);
        assert_int_equal(e.code, RFX_EUSAGE);
        assert_true(strlen(e.message) > 5);
        assert_null(strchr(e.message, '\n'));
    }
    char big[3000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    rfx_error e;
    assert_null(store_query_parse(big, &e));
    /* 65 terms: over the limit */
    char many[65 * 3 + 1] = "";
    for (int i = 0; i < 65; i++) strcat(many, "ab ");
    assert_null(store_query_parse(many, &e));
}

static void test_names(void **state) {
    (void)state;
    char *a = store_name_norm("The Walt Disney Company"), *b = store_name_norm("WALT DISNEY CO/");
    assert_string_equal(a, "walt disney");
    assert_string_equal(a, b);
    free(a);
    free(b);
    assert_true(store_name_has_words("HOME DEPOT, INC.", "home depot"));
    assert_true(store_name_has_words("The Home Depot, Inc.", "DEPOT"));
    assert_false(store_name_has_words("HOME DEPOT, INC.", "office depot"));
    assert_false(store_name_has_words("HOME DEPOT, INC.", "  "));
    /* words, not substrings */
    assert_false(store_name_has_words("Metalico Inc", "meta"));
}

static rfx_register *reg_json(const char *company, const char *cik, const char *period, const char *sha_last,
                              const char *h2) {
    char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"filing\":{\"form\":\"10-K\",\"company\":\"%s\",\"cik\":\"%s\",\"period\":\"%s\"},"
             "\"source\":{\"sha256\":\"00000000000000000000000000000000000000000000000000000000000000%s\"},"
             "\"risks\":[{\"index\":1,\"heading\":\"Tariffs could hurt sales.\",\"body\":\"New tariffs on "
             "zinclorite parts could halt shipments.\",\"categories\":[{\"id\":\"international\",\"score\":0.9}]},"
             "{\"index\":2,\"heading\":\"%s\",\"body\":\"Hackers could steal customer data; a breach brings fines.\"}]}",
             company, cik, period, sha_last, h2);
    rfx_register *r = NULL;
    rfx_error e;
    assert_int_equal(rfx_register_from_json(buf, strlen(buf), &r, &e), RFX_OK);
    return r;
}

static json_t *jparse(char *s) {
    json_error_t je;
    json_t *j = json_loads(s, 0, &je);
    free(s);
    assert_non_null(j);
    return j;
}

static void test_store_memory(void **state) {
    (void)state;
    rfx_store *s = NULL;
    rfx_error e;
    assert_int_equal(rfx_store_open(":memory:", RFX_STORE_CREATE, &s, &e), RFX_OK);
    assert_string_equal(rfx_store_backend(s), "sqlite");
    rfx_register *r1 = reg_json("Acme Corp", "0000042", "2021-12-31", "01", "Cyber attacks could expose data.");
    rfx_register *r2 = reg_json("ACME CORP/", "42", "2022-12-31", "02", "Cyber attacks could expose customer data.");
    rfx_store_outcome oc;
    /* newer year first: lineage must be filled in when the older arrives */
    assert_int_equal(rfx_store_add(s, r2, "b.json", &oc, &e), RFX_OK);
    assert_int_equal(oc, RFX_STORE_ADDED);
    assert_int_equal(rfx_store_add(s, r1, "a.json", &oc, &e), RFX_OK);
    assert_int_equal(rfx_store_add(s, r1, "a.json", &oc, &e), RFX_OK);
    assert_int_equal(oc, RFX_STORE_UNCHANGED);
    /* an in-memory database cannot be read from a second connection */
    assert_int_equal(rfx_store_has_sha256(s, "0000000000000000000000000000000000000000000000000000000000000001"), -1);

    rfx_store_query q;
    rfx_store_query_init(&q);
    q.text = "zinclor*";
    char *js = NULL;
    assert_int_equal(rfx_store_search(s, &q, &js, &e), RFX_OK);
    json_t *j = jparse(js);
    json_t *hits = json_object_get(j, "hits");
    assert_int_equal(json_array_size(hits), 2);
    json_t *h = json_array_get(hits, 0);
    assert_non_null(strstr(json_string_value(json_object_get(h, "snippet")), "[zinclorite]"));
    json_decref(j);

    q.text = "customer";
    q.status = "modified";
    assert_int_equal(rfx_store_search(s, &q, &js, &e), RFX_OK);
    j = jparse(js);
    hits = json_object_get(j, "hits");
    assert_int_equal(json_array_size(hits), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(hits, 0), "fiscal_year")), 2022);
    long rid = (long)json_integer_value(json_object_get(json_array_get(hits, 0), "risk_id"));
    json_decref(j);

    /* the risk's lineage: two years, oldest first */
    assert_int_equal(rfx_store_risk(s, rid, &js, &e), RFX_OK);
    j = jparse(js);
    json_t *chain = json_object_get(j, "lineage");
    assert_int_equal(json_array_size(chain), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(chain, 0), "fiscal_year")), 2021);
    json_decref(j);
    assert_int_equal(rfx_store_risk(s, 99999, &js, &e), RFX_ENOTFOUND);

    /* malformed query and unknown filters: usage errors, no JSON */
    q.status = NULL;
    q.text = "NOT x";
    js = NULL;
    assert_int_equal(rfx_store_search(s, &q, &js, &e), RFX_EUSAGE);
    assert_null(js);
    q.text = "x";
    q.company = "Initech";
    assert_int_equal(rfx_store_search(s, &q, &js, &e), RFX_EUSAGE);
    q.company = "acme";
    q.year_from = 2022;
    assert_int_equal(rfx_store_search(s, &q, &js, &e), RFX_OK);
    free(js);

    assert_int_equal(rfx_store_history(s, "42", NULL, &js, &e), RFX_OK);
    j = jparse(js);
    assert_int_equal(json_array_size(json_object_get(j, "filings")), 2);
    assert_int_equal(json_array_size(json_object_get(j, "lineages")), 2);
    json_decref(j);

    rfx_store_query_init(&q);
    assert_int_equal(rfx_store_filings(s, &q, &js, &e), RFX_OK);
    j = jparse(js);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
    json_decref(j);
    assert_int_equal(rfx_store_stats(s, "year", &js, &e), RFX_OK);
    free(js);
    assert_int_equal(rfx_store_stats(s, "colour", &js, &e), RFX_EUSAGE);

    rfx_register *back = NULL;
    assert_int_equal(rfx_store_load_register(s, 1, &back, &e), RFX_OK);
    assert_int_equal(rfx_risk_count(back), 2);
    rfx_register_free(back);
    assert_int_equal(rfx_store_check(s, &e), RFX_OK);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(rfx_store_export(s, &q, "csv", f, &e), RFX_OK);
    fclose(f);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++) lines += buf[i] == '\n';
    assert_int_equal(lines, 5); /* header + 4 risks */
    free(buf);

    rfx_register_free(r1);
    rfx_register_free(r2);
    rfx_store_close(s);
}

/* rfx_rank: a heading hit outranks a body hit; filters do not change the order */
static void test_rank(void **state) {
    (void)state;
    static const char js[] =
        "{\"filing\":{\"form\":\"10-K\",\"company\":\"Rank Co\",\"cik\":\"9\",\"period\":\"2020-12-31\"},"
        "\"source\":{\"sha256\":\"00000000000000000000000000000000000000000000000000000000000000aa\"},"
        "\"risks\":[{\"index\":1,\"heading\":\"Our suppliers could fail.\",\"body\":\"A quokka shortage could "
        "halt production of our plush toys for months.\",\"categories\":[{\"id\":\"suppliers\",\"score\":0.9}]},"
        "{\"index\":2,\"heading\":\"A quokka shortage could hurt us.\",\"body\":\"Our suppliers could fail and "
        "halt production of our plush toys for months.\",\"categories\":[{\"id\":\"suppliers\",\"score\":0.9}]}]}";
    rfx_store *s = NULL;
    rfx_error e;
    rfx_register *r = NULL;
    assert_int_equal(rfx_store_open(":memory:", RFX_STORE_CREATE, &s, &e), RFX_OK);
    assert_int_equal(rfx_register_from_json(js, sizeof js - 1, &r, &e), RFX_OK);
    assert_int_equal(rfx_store_add(s, r, "r.json", NULL, &e), RFX_OK);
    for (int filtered = 0; filtered < 2; filtered++) {
        rfx_store_query q;
        rfx_store_query_init(&q);
        q.text = "quokka";
        if (filtered) { q.category = "suppliers"; q.year_from = 2019; q.year_to = 2021; }
        char *out = NULL;
        assert_int_equal(rfx_store_search(s, &q, &out, &e), RFX_OK);
        json_t *j = jparse(out);
        json_t *h = json_object_get(j, "hits");
        assert_int_equal(json_array_size(h), 2);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(h, 0), "index")), 2);
        double s0 = json_number_value(json_object_get(json_array_get(h, 0), "score"));
        double s1 = json_number_value(json_object_get(json_array_get(h, 1), "score"));
        assert_true(s0 >= s1); /* two documents: every IDF is at its floor, so only the order is asserted */
        json_decref(j);
    }
    rfx_register_free(r);
    rfx_store_close(s);
}

static void test_schema_versions(void **state) {
    (void)state;
    char path[] = "/tmp/rfx_test_store_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    rfx_store *s = NULL;
    rfx_error e;
    assert_int_equal(rfx_store_open(path, RFX_STORE_CREATE, &s, &e), RFX_OK);
    rfx_register *r = reg_json("Acme Corp", "42", "2021-12-31", "07", "Cyber attacks could expose data.");
    assert_int_equal(rfx_store_has_sha256(s, "0000000000000000000000000000000000000000000000000000000000000007"), 0);
    assert_int_equal(rfx_store_add(s, r, "a.json", NULL, &e), RFX_OK);
    assert_int_equal(rfx_store_has_sha256(s, "0000000000000000000000000000000000000000000000000000000000000007"), 1);
    assert_int_equal(rfx_store_has_sha256(s, "ff00000000000000000000000000000000000000000000000000000000000007"), 0);
    rfx_register_free(r);
    rfx_store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=7", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(rfx_store_open(path, RFX_STORE_READONLY, &s, &e), RFX_EINPUT);
    assert_non_null(strstr(e.message, "schema v7 is newer"));
    assert_null(s);
    /* not a database at all */
    FILE *f = fopen(path, "wb");
    fputs("this is not an SQLite file, just some text that is long enough to be a header......", f);
    fclose(f);
    assert_int_equal(rfx_store_open(path, RFX_STORE_CREATE, &s, &e), RFX_EINPUT);
    unlink(path);
    char wal[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    assert_int_equal(rfx_store_open("postgresql://localhost/x", 0, &s, &e), RFX_EUSAGE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_accepted), cmocka_unit_test(test_query_refused),
        cmocka_unit_test(test_names), cmocka_unit_test(test_store_memory), cmocka_unit_test(test_rank),
        cmocka_unit_test(test_schema_versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
