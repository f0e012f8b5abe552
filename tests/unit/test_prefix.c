/*
 * test_prefix.c — the prefix parse of large HTML filings (core/prefix.c,
 * `--fast`; the default reads every filing whole):
 * a filing whose Item 1A is settled by its front is read only that far and
 * gives the same register as a whole reading; an "Item 1A" label in the
 * unread part, in any spelling locate reads, forces a whole reading; prose
 * that merely names Item 1A does not; small documents are read whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rfx_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A 10-K in miniature: cover, linked table of contents, Item 1, Item 1A
 * with six risks, 1B, 2, then financial tables up to `size` bytes, then
 * `tail` before </body>. */
/* The filler's table row (a format with two ints); tests may change it. */
static const char *filler_row =
    "<tr><td>Revenue from widget sales, segment %d</td><td>$</td><td>%d,000</td></tr>";

static char *make_filing(size_t size, const char *tail, size_t *len) {
    size_t cap = size + 65536 + strlen(tail);
    char *s = malloc(cap);
    size_t n = 0;
#define PUT(...) n += (size_t)snprintf(s + n, cap - n, __VA_ARGS__)
    PUT("<html><body><p style=\"text-align:center\"><b>FORM 10-K</b></p>"
        "<p>For the fiscal year ended December 31, 2023</p>"
        "<p>Acme Widgets, Inc.</p><p>(Exact name of registrant as specified in its charter)</p>"
        "<table><tr><td><a href=\"#i1\">Item 1. Business</a></td><td>3</td></tr>"
        "<tr><td><a href=\"#i1a\">Item 1A. Risk Factors</a></td><td>5</td></tr>"
        "<tr><td><a href=\"#i1b\">Item 1B. Unresolved Staff Comments</a></td><td>9</td></tr>"
        "<tr><td><a href=\"#i2\">Item 2. Properties</a></td><td>9</td></tr></table>"
        "<p id=\"i1\"><b>Item 1. Business</b></p><p>We make widgets and sell them to retailers "
        "in North America and Europe.</p>"
        "<p id=\"i1a\"><b>Item 1A. Risk Factors</b></p>"
        "<p>Our business is subject to the following risks.</p>");
    for (int i = 1; i <= 6; i++)
        PUT("<p><b><i>Failures of our widget line %d could reduce our revenue and harm our "
            "reputation.</i></b></p><p>Widget line %d accounted for $%d.5 million of revenue in "
            "fiscal 2023. If its widgets fail, customers may return them, regulators may "
            "investigate, and we may incur warranty costs that reduce our margins.</p>",
            i, i, i * 10);
    PUT("<p id=\"i1b\"><b>Item 1B. Unresolved Staff Comments</b></p><p>None.</p>"
        "<p id=\"i2\"><b>Item 2. Properties</b></p><p>We lease our offices in Springfield.</p>"
        "<p><b>Item 8. Financial Statements and Supplementary Data</b></p><table>");
    for (int row = 0; n < size; row++) PUT(filler_row, row, row % 900 + 1);
    PUT("</table>%s</body></html>", tail);
#undef PUT
    *len = n;
    return s;
}

static rfx_register *parse(const char *s, size_t n, int whole) {
    rfx_options o;
    rfx_options_init(&o);
    o.fast = !whole;
    o.no_classify = 1;
    rfx_register *r = NULL;
    rfx_error e;
    rfx_status st = rfx_parse_memory(s, n, "acme.html", &o, &r, &e);
    if (st != RFX_OK) fail_msg("parse failed: %s", e.message);
    return r;
}

/* The register as JSON, without source.bytes_read. */
static json_t *as_json(const rfx_register *r) {
    char *js = rfx_register_json(r, 0);
    json_error_t je;
    json_t *j = json_loads(js, 0, &je);
    free(js);
    assert_non_null(j);
    json_object_del(json_object_get(j, "source"), "bytes_read");
    return j;
}

static void test_front_settles_item_1a(void **state) {
    (void)state;
    size_t n;
    char *s = make_filing(1 << 20, "", &n);
    rfx_register *fast = parse(s, n, 0), *whole = parse(s, n, 1);
    assert_true(fast->bytes_read < fast->srclen);
    assert_true(fast->bytes_read < n / 2);
    assert_int_equal(whole->bytes_read, whole->srclen);
    assert_int_equal(fast->nrisks, 6);
    assert_string_equal(fast->section.how, "heading");
    /* the same register either way, offsets included */
    json_t *a = as_json(fast), *b = as_json(whole);
    assert_true(json_equal(a, b));
    /* the JSON says how much was read */
    char *js = rfx_register_json(fast, 0);
    assert_non_null(strstr(js, "\"bytes_read\""));
    free(js);
    json_decref(a);
    json_decref(b);
    rfx_register_free(fast);
    rfx_register_free(whole);
    free(s);
}

static void test_label_in_tail_reads_whole(void **state) {
    (void)state;
    static const char *tails[] = {
        "<p>Item 1A. Risk Factors</p>",
        "<table><tr><td>ITEM&#160;1A.</td><td>Risk Factors</td></tr></table>",
        "<p><b>Item</b> <b>1A</b> Risk Factors</p>",
        "<p>PART I, ITEM 1A. RISK FACTORS</p>",
        "<div>1A. Risk Factors</div>",
        "<p>Item1A Risk Factors</p>",
        "<p>Item 1(a) Risk Factors</p>",
        "<p>\n  item 1a &nbsp;risk factors</p>",
        "<p>PART I - ITEM 1A. RISK FACTORS</p>",
        "<p>PART I \xe2\x80\x94 ITEM 1A</p>",
        "<p><b>Item 1</b><b>A. Risk Factors</b></p>",
        /* what a whole reading would take from the tail */
        "<ix:nonNumeric name=\"dei:DocumentType\">10-Q</ix:nonNumeric>",
        "<pre>Item 1A.  Risk Factors\nOur widgets may fail.</pre>",
        "<p>caf\xe9 costs</p>", /* not UTF-8: a Windows-1252 document */
        NULL,
    };
    for (int i = 0; tails[i]; i++) {
        size_t n;
        char *s = make_filing(1 << 20, tails[i], &n);
        rfx_register *r = parse(s, n, 0);
        if (r->bytes_read != r->srclen) fail_msg("tail %d (%s) was not read", i, tails[i]);
        rfx_register_free(r);
        free(s);
    }
}

static void test_prose_mention_keeps_prefix(void **state) {
    (void)state;
    size_t n;
    char *s = make_filing(1 << 20,
                          "<p>As discussed in Part I, Item 1A, Risk Factors, and in Form F1A and "
                          "note 21A, our results vary; see also item 1a.</p>",
                          &n);
    rfx_register *r = parse(s, n, 0);
    assert_true(r->bytes_read < r->srclen);
    assert_int_equal(r->nrisks, 6);
    rfx_register_free(r);
    free(s);
}

static void test_small_and_opted_out_read_whole(void **state) {
    (void)state;
    size_t n;
    char *s = make_filing(300 << 10, "", &n); /* under the size that pays */
    rfx_register *r = parse(s, n, 0);
    assert_int_equal(r->bytes_read, r->srclen);
    assert_int_equal(r->nrisks, 6);
    rfx_register_free(r);
    free(s);
    s = make_filing(1 << 20, "", &n);
    r = parse(s, n, 1); /* the default: no --fast */
    assert_int_equal(r->bytes_read, r->srclen);
    rfx_register_free(r);
    free(s);
}

/* The financial statements say the currency even when not read for blocks:
 * the tail is counted from its bytes, the same way in both readings. */
/* Amounts written with character references after the front still say the
 * currency: a filing whose statements are in euros ("&#8364;", "&euro;")
 * is EUR, though its risk section quotes six dollar amounts. */
static void test_euro_entities_after_front(void **state) {
    (void)state;
    static const char *rows[] = {
        "<p>Sales in region %d were &#8364;%d.5 million.</p>",
        "<p>Sales in region %d were &euro;%d.5 million.</p>",
        "<p>Sales in region %d were &#x20AC;%d.5 million.</p>",
        NULL,
    };
    /* the front's filler names no currency; the euros come after it */
    filler_row = "<tr><td>Widgets shipped, segment %d</td><td>%d</td></tr>";
    for (int i = 0; rows[i]; i++) {
        size_t cap = 200 * 64, k = 0;
        char *tail = malloc(cap);
        for (int j = 0; j < 150; j++) k += (size_t)snprintf(tail + k, cap - k, rows[i], j, j + 1);
        size_t n;
        char *s = make_filing(1 << 20, tail, &n);
        rfx_register *whole = parse(s, n, 1), *fast = parse(s, n, 0);
        if (!whole->filing.currency || strcmp(whole->filing.currency, "EUR") != 0)
            fail_msg("row %d: currency %s", i, whole->filing.currency ? whole->filing.currency : "(none)");
        assert_true(fast->bytes_read < fast->srclen);
        assert_string_equal(fast->filing.currency, "EUR");
        rfx_register_free(whole);
        rfx_register_free(fast);
        free(s);
        free(tail);
    }
    filler_row = "<tr><td>Revenue from widget sales, segment %d</td><td>$</td><td>%d,000</td></tr>";
}

static void test_currency_from_unread_tail(void **state) {
    (void)state;
    size_t n;
    char *s = make_filing(1 << 20, "", &n);
    rfx_register *fast = parse(s, n, 0), *whole = parse(s, n, 1);
    assert_non_null(fast->filing.currency);
    assert_string_equal(fast->filing.currency, "USD");
    assert_string_equal(whole->filing.currency, "USD");
    assert_string_equal(fast->filing.fiscal_year_end, "1231");
    rfx_register_free(fast);
    rfx_register_free(whole);
    free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_front_settles_item_1a),
        cmocka_unit_test(test_label_in_tail_reads_whole),
        cmocka_unit_test(test_prose_mention_keeps_prefix),
        cmocka_unit_test(test_small_and_opted_out_read_whole),
        cmocka_unit_test(test_currency_from_unread_tail),
        cmocka_unit_test(test_euro_entities_after_front),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
