/*
 * test_lint.c — the lint API on documents written here: findings, their
 * accessors and spans, line and column, --disable by id and by group, the
 * renderers' contracts, and bad arguments. tests/e2e/lint.sh covers every
 * rule on its fixture and the shared filings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rfx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char DOC[] =
    "FORM 10-K\n"
    "For the fiscal year ended December 31, 2023\n"
    "\n"
    "Item 1A. Risk Factors\n"
    "\n"
    "We depend on a small number of customers for most of our revenue.\n"
    "\n"
    "Our largest customer accounted for 41% of our revenue in 2023. We sold \\$452.7 million of "
    "widgets to it and 1O2 million units in all, and a loss of that customer could reduce our sales.\n"
    "\n"
    "Rising steel prices could reduce our gross margin.\n"
    "\n"
    "Steel makes up about 30% of the cost of a widget, and we were able to pass only part of the "
    "increase in its price to our customers in 2023. A further rise in the price of hot-rolled "
    "coil would cut our gross margin again, because our contracts fix prices for a year.\n"
    "\n"
    "Our reliance on a single factory in Ohio could interrupt our production.\n"
    "\n"
    "We make all of our widgets at one plant in Dayton, Ohio. A fire, flood or a long power outage "
    "at the plant could halt shipments for several months, and our insurance may not cover the "
    "revenue we would lose.\n"
    "\n"
    "Item 1B. Unresolved Staff Comments\n"
    "\n"
    "None.\n";

static rfx_register *parse(const char *doc) {
    rfx_options o;
    rfx_options_init(&o);
    rfx_register *r = NULL;
    rfx_error e;
    assert_int_equal(rfx_parse_memory(doc, strlen(doc), "doc.txt", &o, &r, &e), RFX_OK);
    return r;
}

static size_t find(const rfx_findings *f, const char *rule) {
    for (size_t i = 0; i < rfx_findings_count(f); i++)
        if (!strcmp(rfx_finding_rule(f, i), rule)) return i;
    return (size_t)-1;
}

static void test_findings_and_spans(void **state) {
    (void)state;
    rfx_register *r = parse(DOC);
    rfx_findings *f = NULL;
    rfx_error e;
    assert_int_equal(rfx_lint(r, NULL, &f, &e), RFX_OK);
    size_t i = find(f, "ocr-latex");
    assert_true(i != (size_t)-1);
    const char *at = strstr(DOC, "\\$452");
    assert_int_equal(rfx_finding_start(f, i), (size_t)(at - DOC));
    assert_int_equal(rfx_finding_end(f, i), (size_t)(at - DOC) + 2);
    assert_string_equal(rfx_finding_fix(f, i), "$");
    assert_int_equal(rfx_finding_severity(f, i), RFX_SEV_WARNING);
    assert_int_equal(rfx_finding_line(f, i), 8);
    /* the column counts characters from the line start */
    const char *ls = strstr(DOC, "Our largest");
    assert_int_equal(rfx_finding_col(f, i), (size_t)(at - ls) + 1);
    size_t d = find(f, "ocr-digit");
    assert_true(d != (size_t)-1);
    assert_string_equal(rfx_finding_text(f, d), "1O2");
    assert_string_equal(rfx_finding_fix(f, d), "102");
    /* source order */
    for (size_t k = 1; k < rfx_findings_count(f); k++)
        assert_true(rfx_finding_start(f, k - 1) <= rfx_finding_start(f, k));
    /* out of range */
    assert_null(rfx_finding_rule(f, 999));
    assert_null(rfx_finding_message(f, 999));
    rfx_findings_free(f);
    rfx_register_free(r);
}

static void test_disable(void **state) {
    (void)state;
    rfx_register *r = parse(DOC);
    rfx_lint_options o;
    rfx_lint_options_init(&o);
    rfx_findings *f = NULL;
    rfx_error e;
    o.disable = "ocr"; /* the group: ocr-latex and ocr-digit */
    assert_int_equal(rfx_lint(r, &o, &f, &e), RFX_OK);
    assert_true(find(f, "ocr-latex") == (size_t)-1 && find(f, "ocr-digit") == (size_t)-1);
    rfx_findings_free(f);
    o.disable = "ocr-digit, s105";
    assert_int_equal(rfx_lint(r, &o, &f, &e), RFX_OK);
    assert_true(find(f, "ocr-latex") != (size_t)-1 && find(f, "ocr-digit") == (size_t)-1);
    rfx_findings_free(f);
    o.disable = "ocr-latexx";
    f = (rfx_findings *)&o; /* must be reset on failure */
    assert_int_equal(rfx_lint(r, &o, &f, &e), RFX_EUSAGE);
    assert_null(f);
    assert_non_null(strstr(e.message, "ocr-latexx"));
    assert_int_equal(rfx_lint(NULL, NULL, &f, &e), RFX_EUSAGE);
    rfx_register_free(r);
}

static void test_renderers(void **state) {
    (void)state;
    rfx_register *r = parse(DOC);
    rfx_findings *f = NULL;
    rfx_error e;
    assert_int_equal(rfx_lint(r, NULL, &f, &e), RFX_OK);
    char *t = rfx_findings_text(f, "x.txt", 0);
    assert_non_null(strstr(t, "x.txt:8:"));
    assert_non_null(strstr(t, ": warning: LaTeX escape"));
    assert_non_null(strstr(t, "[ocr-latex]"));
    assert_null(strchr(t, '\033')); /* no colour unless asked */
    free(t);
    char *j = rfx_findings_json(f, NULL, 0);
    json_error_t je;
    json_t *root = json_loads(j, 0, &je);
    assert_non_null(root);
    json_t *arr = json_object_get(root, "findings");
    assert_int_equal(json_array_size(arr), rfx_findings_count(f));
    assert_string_equal(json_string_value(json_object_get(json_object_get(root, "source"), "path")), "doc.txt");
    json_decref(root);
    free(j);
    char *s = rfx_findings_sarif(f, "dir with space/x.txt", 0);
    root = json_loads(s, 0, &je);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "version")), "2.1.0");
    json_t *run = json_array_get(json_object_get(root, "runs"), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(
                            json_object_get(run, "artifacts"), 0), "location"), "uri")),
                        "dir%20with%20space/x.txt");
    json_decref(root);
    free(s);
    rfx_findings_free(f);
    /* a register with nothing wrong renders an empty list */
    rfx_register *empty = NULL;
    static const char none[] = "{\"risks\":[]}";
    assert_int_equal(rfx_register_from_json(none, sizeof none - 1, &empty, &e), RFX_OK);
    assert_int_equal(rfx_lint(empty, NULL, &f, &e), RFX_OK);
    assert_int_equal(rfx_findings_count(f), 0);
    t = rfx_findings_text(f, NULL, 0);
    assert_non_null(strstr(t, "0 findings"));
    free(t);
    rfx_findings_free(f);
    rfx_register_free(empty);
    rfx_register_free(r);
}

static void test_rule_table(void **state) {
    (void)state;
    const char *id, *sum;
    rfx_severity sev;
    size_t k = 0;
    while (rfx_lint_rule_info(k, &id, &sev, &sum)) {
        assert_true(strlen(id) > 3 && strlen(sum) > 10);
        assert_true(sev <= RFX_SEV_ERROR);
        k++;
    }
    assert_int_equal(k, 18);
    assert_string_equal(rfx_severity_name(RFX_SEV_NOTE), "note");
    assert_string_equal(rfx_severity_name(RFX_SEV_ERROR), "error");
}

/* DOC with its period moved to year y. */
static char *doc_of_year(int y) {
    char *d = strdup(DOC);
    char *p = strstr(d, "December 31, 2023");
    assert_non_null(p);
    char yy[5];
    snprintf(yy, sizeof yy, "%d", y);
    memcpy(p + 13, yy, 4);
    return d;
}

/* opt->older: stale-risk counts the years a risk stood word for word the
 * same along the chain, and stops at the first filing where it differs. */
static void test_older_chain(void **state) {
    (void)state;
    char *d23 = doc_of_year(2023), *d22 = doc_of_year(2022), *d21 = doc_of_year(2021);
    char *d20 = doc_of_year(2020);
    /* 2020 has the steel risk worded otherwise: the count stops at 2021 */
    char *steel = strstr(d20, "about 30%");
    assert_non_null(steel);
    memcpy(steel, "about 40%", 9);
    rfx_register *r = parse(d23), *p = parse(d22), *o1 = parse(d21), *o2 = parse(d20);
    const rfx_register *older[2] = {o1, o2};
    rfx_lint_options o;
    rfx_lint_options_init(&o);
    o.disable = "ocr,magnitude,percent,s105,currency,acronym,date,resp,stale-figure";
    o.previous = p;
    rfx_findings *f = NULL;
    rfx_error e;
    assert_int_equal(rfx_lint(r, &o, &f, &e), RFX_OK);
    assert_int_equal(rfx_findings_count(f), 3);
    for (size_t i = 0; i < 3; i++) assert_null(strstr(rfx_finding_message(f, i), "years"));
    rfx_findings_free(f);
    o.older = older;
    o.nolder = 2;
    assert_int_equal(rfx_lint(r, &o, &f, &e), RFX_OK);
    assert_int_equal(rfx_findings_count(f), 3);
    /* risks 1 and 3 unchanged since 2020 (3 years), risk 2 since 2021 */
    assert_non_null(strstr(rfx_finding_message(f, 0), "for 3 years (since the filing for 2020-12-31)"));
    assert_non_null(strstr(rfx_finding_message(f, 1), "for 2 years (since the filing for 2021-12-31)"));
    assert_non_null(strstr(rfx_finding_message(f, 2), "for 3 years"));
    /* the span is still the heading of this year's risk */
    const char *h = strstr(d23, "Rising steel");
    assert_int_equal(rfx_finding_start(f, 1), (size_t)(h - d23));
    rfx_findings_free(f);
    rfx_register_free(r);
    rfx_register_free(p);
    rfx_register_free(o1);
    rfx_register_free(o2);
    free(d23);
    free(d22);
    free(d21);
    free(d20);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_findings_and_spans),
        cmocka_unit_test(test_disable),
        cmocka_unit_test(test_renderers),
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_older_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
