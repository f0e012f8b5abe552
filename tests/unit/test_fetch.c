/*
 * test_fetch.c — the EDGAR readers and URL rules behind `rfx fetch`
 * (src/fetch/edgar.c): CIKs, quarters, date bounds, form filters with and
 * without amendments, document names that could leave the filing folder,
 * URLs for the SEC and for a mirror, company_tickers.json, the submissions
 * JSON with an older-filings page, and full-index form.idx/company.idx.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fetch/edgar.h"

#include <stdlib.h>
#include <string.h>

static void test_cik_quarter_dates(void **state) {
    (void)state;
    char c[11], d[11];
    assert_true(rfx_edgar_cik_norm("0000320193", c));
    assert_string_equal(c, "320193");
    assert_false(rfx_edgar_cik_norm("0", c));
    assert_false(rfx_edgar_cik_norm("12345678901", c));
    assert_false(rfx_edgar_cik_norm("32a", c));
    assert_false(rfx_edgar_cik_norm("", c));
    int y, q;
    assert_true(rfx_edgar_quarter("2024Q1", &y, &q));
    assert_int_equal(y, 2024);
    assert_int_equal(q, 1);
    assert_true(rfx_edgar_quarter("1994q4", &y, &q));
    assert_false(rfx_edgar_quarter("2024Q5", &y, &q));
    assert_false(rfx_edgar_quarter("1992Q1", &y, &q)); /* before full-index */
    assert_false(rfx_edgar_quarter("2024-Q1", &y, &q));
    rfx_error e;
    assert_int_equal(rfx_edgar_date_bound("2024", 0, d, &e), RFX_OK);
    assert_string_equal(d, "2024-01-01");
    assert_int_equal(rfx_edgar_date_bound("2024", 1, d, &e), RFX_OK);
    assert_string_equal(d, "2024-12-31");
    assert_int_equal(rfx_edgar_date_bound("2024-02", 1, d, &e), RFX_OK);
    assert_string_equal(d, "2024-02-29"); /* leap year */
    assert_int_equal(rfx_edgar_date_bound("2023-02", 1, d, &e), RFX_OK);
    assert_string_equal(d, "2023-02-28");
    assert_int_equal(rfx_edgar_date_bound("2024-06-15", 0, d, &e), RFX_OK);
    assert_string_equal(d, "2024-06-15");
    assert_int_equal(rfx_edgar_date_bound("2024-13", 0, d, &e), RFX_EUSAGE);
    assert_non_null(strstr(e.message, "not a date"));
    assert_int_equal(rfx_edgar_date_bound("2023-02-29", 0, d, &e), RFX_EUSAGE);
    assert_int_equal(rfx_edgar_date_bound("24", 0, d, &e), RFX_EUSAGE);
}

static void test_forms_and_names(void **state) {
    (void)state;
    const char *forms[] = {"10-K", "20-F"};
    rfx_edgar_filter f = {.forms = forms, .nforms = 2};
    assert_true(rfx_edgar_form_wanted(&f, "10-K"));
    assert_true(rfx_edgar_form_wanted(&f, "10-k"));
    assert_false(rfx_edgar_form_wanted(&f, "10-K/A"));
    assert_false(rfx_edgar_form_wanted(&f, "10-K405"));
    assert_false(rfx_edgar_form_wanted(&f, "8-K"));
    f.amendments = 1;
    assert_true(rfx_edgar_form_wanted(&f, "10-K/A"));
    assert_false(rfx_edgar_form_wanted(&f, "8-K/A"));
    rfx_edgar_filter all = {0};
    assert_true(rfx_edgar_form_wanted(&all, "8-K"));
    assert_false(rfx_edgar_form_wanted(&all, "8-K/A"));
    strcpy(all.since, "2020-01-01");
    strcpy(all.until, "2020-12-31");
    assert_true(rfx_edgar_date_wanted(&all, "2020-01-01"));
    assert_true(rfx_edgar_date_wanted(&all, "2020-12-31"));
    assert_false(rfx_edgar_date_wanted(&all, "2019-12-31"));
    assert_false(rfx_edgar_date_wanted(&all, "2021-01-01"));

    assert_true(rfx_edgar_safe_doc("aapl-20230930.htm"));
    assert_true(rfx_edgar_safe_doc("xslF345X05/primary_doc.xml"));
    assert_false(rfx_edgar_safe_doc("../../etc/passwd"));
    assert_false(rfx_edgar_safe_doc("/etc/passwd"));
    assert_false(rfx_edgar_safe_doc("a/../b.htm"));
    assert_false(rfx_edgar_safe_doc(".hidden"));
    assert_false(rfx_edgar_safe_doc("a//b"));
    assert_false(rfx_edgar_safe_doc("a b.htm"));
    assert_false(rfx_edgar_safe_doc(""));
    assert_false(rfx_edgar_safe_doc("rfx-fetch.json"));
    assert_false(rfx_edgar_safe_doc("sub/rfx-fetch.json"));
    assert_false(rfx_edgar_safe_doc("doc.htm.part"));
    assert_true(rfx_edgar_safe_doc("rfx-fetch.json.htm"));
    assert_string_equal(rfx_edgar_doc_name("xslF345X05/primary_doc.xml"), "primary_doc.xml");
}

static void test_urls(void **state) {
    (void)state;
    rfx_edgar_hosts h;
    assert_int_equal(rfx_edgar_hosts_init(&h, NULL), 0);
    rfx_edgar_filing f = {.cik = "320193", .accession = "0000320193-23-000106"};
    char *u = rfx_edgar_url_submissions(&h, "320193");
    assert_string_equal(u, "https://data.sec.gov/submissions/CIK0000320193.json");
    free(u);
    u = rfx_edgar_url_doc(&h, &f, "aapl-20230930.htm");
    assert_string_equal(u, "https://www.sec.gov/Archives/edgar/data/320193/000032019323000106/aapl-20230930.htm");
    free(u);
    u = rfx_edgar_url_full(&h, &f);
    assert_string_equal(u, "https://www.sec.gov/Archives/edgar/data/320193/000032019323000106/0000320193-23-000106.txt");
    free(u);
    u = rfx_edgar_url_tickers(&h);
    assert_string_equal(u, "https://www.sec.gov/files/company_tickers.json");
    free(u);
    assert_int_equal(rfx_edgar_hosts_init(&h, "http://127.0.0.1:8080/mirror/"), 0);
    u = rfx_edgar_url_index(&h, 2024, 1, "form.idx");
    assert_string_equal(u, "http://127.0.0.1:8080/mirror/Archives/edgar/full-index/2024/QTR1/form.idx");
    free(u);
    u = rfx_edgar_url_submissions_page(&h, "CIK0000320193-submissions-001.json");
    assert_string_equal(u, "http://127.0.0.1:8080/mirror/submissions/CIK0000320193-submissions-001.json");
    free(u);
    assert_int_equal(rfx_edgar_hosts_init(&h, "ftp://example.com"), -1);
    assert_int_equal(rfx_edgar_hosts_init(&h, "http://exa mple.com"), -1);
    assert_int_equal(rfx_edgar_hosts_init(&h, "https://"), -1);
}

static void test_tickers(void **state) {
    (void)state;
    static const char j[] =
        "{\"0\":{\"cik_str\":320193,\"ticker\":\"AAPL\",\"title\":\"Apple Inc.\"},"
        "\"1\":{\"cik_str\":\"0000354950\",\"ticker\":\"HD\",\"title\":\"HOME DEPOT, INC.\"},"
        "\"2\":{\"cik_str\":-5,\"ticker\":\"NEG\"},\"3\":{\"ticker\":\"NOCIK\"},\"4\":7}";
    rfx_edgar_tickers *t = NULL;
    rfx_error e;
    assert_int_equal(rfx_edgar_tickers_parse(j, sizeof j - 1, &t, &e), RFX_OK);
    assert_int_equal(rfx_edgar_tickers_count(t), 2);
    const char *title = NULL;
    assert_string_equal(rfx_edgar_tickers_find(t, "aapl", &title), "320193");
    assert_string_equal(title, "Apple Inc.");
    assert_string_equal(rfx_edgar_tickers_find(t, "HD", NULL), "354950");
    assert_null(rfx_edgar_tickers_find(t, "NEG", NULL));
    assert_null(rfx_edgar_tickers_find(t, "MSFT", NULL));
    rfx_edgar_tickers_free(t);
    /* exact length: the closing brace beyond len is not read */
    assert_int_equal(rfx_edgar_tickers_parse(j, sizeof j - 2, &t, &e), RFX_EINPUT);
    assert_null(t);
    assert_non_null(strstr(e.message, "company_tickers.json: malformed JSON at line 1"));
    assert_int_equal(rfx_edgar_tickers_parse("[1,2]", 5, &t, &e), RFX_EINPUT);
    assert_non_null(strstr(e.message, "not a JSON object"));
    assert_int_equal(rfx_edgar_tickers_parse("{}", 2, &t, &e), RFX_EINPUT);
    assert_non_null(strstr(e.message, "no company entries"));
}

static const char subs[] =
    "{\"cik\":\"320193\",\"name\":\"Apple Inc.\",\"filings\":{\"recent\":{"
    "\"accessionNumber\":[\"0000320193-24-000123\",\"0000320193-24-000100\",\"0000320193-23-000106\","
    "\"bad\",\"0000320193-22-000108\",\"0000320193-21-000105\"],"
    "\"filingDate\":[\"2024-11-01\",\"2024-08-02\",\"2023-11-03\",\"2023-01-01\",\"2022-10-28\",\"2021-10-29\"],"
    "\"reportDate\":[\"2024-09-28\",\"2024-06-29\",\"2023-09-30\",\"\",\"2022-09-24\",\"\"],"
    "\"form\":[\"10-K\",\"10-Q\",\"10-K\",\"10-K\",\"10-K/A\",\"10-K\"],"
    "\"primaryDocument\":[\"aapl-20240928.htm\",\"aapl-20240629.htm\",\"../../x.htm\",\"\",\"a.htm\"]},"
    "\"files\":[{\"name\":\"CIK0000320193-submissions-001.json\",\"filingCount\":1000,"
    "\"filingFrom\":\"1994-01-26\",\"filingTo\":\"2014-07-21\"},"
    "{\"name\":\"../evil.json\",\"filingFrom\":\"1990-01-01\",\"filingTo\":\"2020-01-01\"},"
    "{\"name\":\"CIK0000320193-submissions-002.json\",\"filingFrom\":\"2014-07-22\",\"filingTo\":\"2018-01-01\"}]}}";

static void test_submissions(void **state) {
    (void)state;
    const char *forms[] = {"10-K"};
    rfx_edgar_filter f = {.forms = forms, .nforms = 1};
    rfx_edgar_list l = {0};
    char **pages = NULL, *company = NULL;
    rfx_error e;
    assert_int_equal(rfx_edgar_parse_submissions(subs, sizeof subs - 1, 0, "320193", &f, &l, &pages,
                                                 &company, &e),
                     RFX_OK);
    assert_string_equal(company, "Apple Inc.");
    assert_int_equal(l.n, 3); /* the 10-Q, the bad accession and the amendment dropped */
    assert_string_equal(l.v[0].accession, "0000320193-24-000123");
    assert_string_equal(l.v[0].primary_doc, "aapl-20240928.htm");
    assert_string_equal(l.v[0].report_date, "2024-09-28");
    assert_string_equal(l.v[0].company, "Apple Inc.");
    assert_string_equal(l.v[0].cik, "320193");
    assert_null(l.v[1].primary_doc); /* "../../x.htm" is never used as a path */
    assert_string_equal(l.v[2].accession, "0000320193-21-000105");
    assert_null(l.v[2].primary_doc); /* primaryDocument array too short */
    assert_string_equal(l.v[2].report_date, "");
    assert_non_null(pages);
    assert_string_equal(pages[0], "CIK0000320193-submissions-001.json");
    assert_string_equal(pages[1], "CIK0000320193-submissions-002.json");
    assert_null(pages[2]);
    rfx_edgar_pages_free(pages);
    free(company);
    rfx_edgar_list_free(&l);

    /* since 2015: the page that ends in 2014 is not needed */
    assert_int_equal(rfx_edgar_date_bound("2015", 0, f.since, &e), RFX_OK);
    f.amendments = 1;
    assert_int_equal(rfx_edgar_parse_submissions(subs, sizeof subs - 1, 0, "320193", &f, &l, &pages,
                                                 NULL, &e),
                     RFX_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.v[2].form, "10-K/A");
    assert_string_equal(pages[0], "CIK0000320193-submissions-002.json");
    assert_null(pages[1]);
    rfx_edgar_pages_free(pages);
    rfx_edgar_list_free(&l);

    /* an older page is a bare column object */
    static const char page[] = "{\"accessionNumber\":[\"0000320193-96-000023\"],\"filingDate\":[\"1996-12-19\"],"
                               "\"form\":[\"10-K\"],\"primaryDocument\":[\"\"]}";
    rfx_edgar_filter g = {.forms = forms, .nforms = 1};
    assert_int_equal(rfx_edgar_parse_submissions(page, sizeof page - 1, 1, "320193", &g, &l, NULL, NULL, &e), RFX_OK);
    assert_int_equal(l.n, 1);
    assert_null(l.v[0].primary_doc);
    assert_null(l.v[0].company);
    rfx_edgar_list_free(&l);

    /* malformed and wrong-shaped documents: an error, nothing appended */
    assert_int_equal(rfx_edgar_parse_submissions(subs, 100, 0, "320193", &g, &l, &pages, &company, &e), RFX_EINPUT);
    assert_non_null(strstr(e.message, "submissions: malformed JSON at line 1 column"));
    assert_null(pages);
    assert_null(company);
    assert_int_equal(rfx_edgar_parse_submissions("{\"filings\":{}}", 14, 0, "1", &g, &l, &pages, NULL, &e), RFX_EINPUT);
    assert_non_null(strstr(e.message, "no filings.recent"));
    assert_int_equal(rfx_edgar_parse_submissions("{\"form\":[]}", 11, 1, "1", &g, &l, NULL, NULL, &e), RFX_EINPUT);
    assert_int_equal(l.n, 0);
}

static const char form_idx[] =
    "Description:           Master Index of EDGAR Dissemination Feed by Form Type\r\n"
    "Last Data Received:    March 31, 2024\r\n"
    " \r\n"
    "Form Type   Company Name                                                  CIK         Date Filed  File Name\r\n"
    "---------------------------------------------------------------------------------------------------------------------------------------------\r\n"
    "10-K        APPLE INC                                                     320193      2024-01-05  edgar/data/320193/0000320193-24-000001.txt  \r\n"
    "10-K/A      APPLE INC                                                     320193      2024-01-06  edgar/data/320193/0000320193-24-000002.txt  \r\n"
    "SC 13G/A    SOME FUND LP                                                  1234        2024-02-14  edgar/data/1234/0000001234-24-000003.txt  \r\n"
    "10-K        A COMPANY WITH A NAME FAR TOO LONG TO FIT IN ITS COLUMN OF SIXTY-TWO 55555 2024-03-01  edgar/data/55555/0000055555-24-000004.txt\r\n"
    "10-K        BROKEN ROW                                                    12x         2024-03-01  edgar/data/1/0000000001-24-000005.txt\r\n"
    "10-K        NO FILE                                                       77          2024-03-01\r\n"
    "\r\n";

static void test_form_idx(void **state) {
    (void)state;
    const char *forms[] = {"10-K", "SC 13G"};
    rfx_edgar_filter f = {.forms = forms, .nforms = 2};
    rfx_edgar_list l = {0};
    size_t bad = 0;
    rfx_error e;
    assert_int_equal(rfx_edgar_parse_index(form_idx, sizeof form_idx - 1, &f, &l, &bad, &e), RFX_OK);
    assert_int_equal(bad, 2);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].cik, "320193");
    assert_string_equal(l.v[0].accession, "0000320193-24-000001");
    assert_string_equal(l.v[0].company, "APPLE INC");
    assert_string_equal(l.v[0].filing_date, "2024-01-05");
    assert_null(l.v[0].primary_doc);
    assert_string_equal(l.v[1].cik, "55555");
    assert_string_equal(l.v[1].company, "A COMPANY WITH A NAME FAR TOO LONG TO FIT IN ITS COLUMN OF SIXTY-TWO");
    rfx_edgar_list_free(&l);
    f.amendments = 1;
    const char *ciks[] = {"1234"};
    f.ciks = ciks;
    f.nciks = 1;
    assert_int_equal(rfx_edgar_parse_index(form_idx, sizeof form_idx - 1, &f, &l, &bad, &e), RFX_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].form, "SC 13G/A"); /* a form type with a space */
    assert_string_equal(l.v[0].company, "SOME FUND LP");
    rfx_edgar_list_free(&l);
    assert_int_equal(rfx_edgar_parse_index("<html>rate limited</html>", 25, &f, &l, &bad, &e), RFX_EINPUT);
    assert_non_null(strstr(e.message, "not a form.idx or company.idx"));
}

static void test_company_idx(void **state) {
    (void)state;
    static const char idx[] =
        "Company Name                                                  Form Type   CIK         Date Filed  File Name\n"
        "---------------------------------------------------------------------------------------------------------------------------------------------\n"
        "1895 Bancorp of Wisconsin, Inc. /MD/                          8-K         1847360     2024-12-27  edgar/data/1847360/0000943374-24-000509.txt\n"
        "TAPESTRY, INC.                                                424B5       1116132     2024-12-03  edgar/data/1116132/0001140361-24-048248.txt";
    rfx_edgar_filter f = {0};
    rfx_edgar_list l = {0};
    size_t bad = 9;
    rfx_error e;
    assert_int_equal(rfx_edgar_parse_index(idx, sizeof idx - 1, &f, &l, &bad, &e), RFX_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].form, "8-K");
    assert_string_equal(l.v[0].company, "1895 Bancorp of Wisconsin, Inc. /MD/");
    assert_string_equal(l.v[1].form, "424B5");
    assert_string_equal(l.v[1].accession, "0001140361-24-048248"); /* last line without a newline */
    rfx_edgar_list_free(&l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cik_quarter_dates),
        cmocka_unit_test(test_forms_and_names),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_tickers),
        cmocka_unit_test(test_submissions),
        cmocka_unit_test(test_form_idx),
        cmocka_unit_test(test_company_idx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
