/*
 * test_text.c — plain-text ingest (decode, normalise, paragraphs) and
 * segmentation by language, on small documents written for each case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "rfx_internal.h"
#include "ingest_helpers.h"

static rfx_register *parse(const char *doc, rfx_status want) {
    rfx_register *r = NULL;
    rfx_error err;
    rfx_options o;
    rfx_options_init(&o);
    o.no_classify = 1;
    rfx_status st = rfx_parse_memory(doc, strlen(doc), "t.txt", &o, &r, &err);
    if (st != want) fail_msg("status %d (%s), wanted %d", st, err.message, want);
    return r;
}

/* Blocks only: ingest without the later stages. */
static rfx_register *ingest(const char *doc, size_t n) { return th_ingest(doc, n, NULL, "t.txt"); }

static void test_wrapped_lines_and_hyphens(void **state) {
    (void)state;
    const char *doc = "This paragraph was wrapped at a fixed width by a PDF converter, so\n"
                      "its lines must be joined again into one paragraph before anything\n"
                      "else reads it; a word split across lines, like invest-\n"
                      "ment, is rejoined, while long-\n"
                      "term keeps its hyphen and so does mid-\n"
                      "to long-term growth in the medium term.\n"
                      "\n"
                      "A second paragraph follows a blank line and is separate from the\n"
                      "first one, as every paragraph in the document should be in text.\n"
                      "\n"
                      "Third paragraph, also wrapped at the same width as the others are\n"
                      "here, to give the wrap-width estimate enough lines to work with.\n";
    rfx_register *r = ingest(doc, strlen(doc));
    assert_int_equal(r->nblocks, 3);
    assert_non_null(strstr(r->blocks[0].t.s, "so its lines"));
    assert_non_null(strstr(r->blocks[0].t.s, "like investment, is"));
    assert_non_null(strstr(r->blocks[0].t.s, "while long-term keeps"));
    assert_non_null(strstr(r->blocks[0].t.s, "mid-to long-term"));
    /* offsets: the block starts where the paragraph starts in the source */
    assert_int_equal(r->blocks[1].start, strstr(doc, "A second") - doc);
    /* every byte maps back to the same byte in the source when nothing changed */
    const rfx_text *t = &r->blocks[1].t;
    for (size_t i = 0; i < 20; i++) assert_int_equal(doc[t->src[i]], t->s[i]);
    rfx_register_free(r);
}

static void test_bullets_and_escapes(void **state) {
    (void)state;
    const char *doc = "Our competitors may be able to:\n\n"
                      "- · reduce their prices,\n"
                      "- \\cdot invest more, and\n"
                      "• spend \\$6 million on 10\\% of \\& more,\n"
                      "o Outspend us in marketing\n"
                      "▪ wrapped item that goes on\n"
                      " and on over a second line.\n"
                      "ordinary text that starts with o and is not a bullet.\n";
    rfx_register *r = ingest(doc, strlen(doc));
    assert_int_equal(r->nblocks, 6);
    assert_string_equal(r->blocks[1].t.s, "reduce their prices,");
    assert_true(r->blocks[1].flags & RFX_B_LIST);
    assert_string_equal(r->blocks[2].t.s, "invest more, and");
    assert_string_equal(r->blocks[3].t.s, "spend $6 million on 10% of & more,");
    assert_string_equal(r->blocks[4].t.s, "Outspend us in marketing");
    assert_string_equal(r->blocks[5].t.s,
                        "wrapped item that goes on and on over a second line. ordinary text "
                        "that starts with o and is not a bullet.");
    /* "$" came from "\$": it maps to the escape's source bytes */
    const rfx_text *t = &r->blocks[3].t;
    size_t dollar = (size_t)(strchr(t->s, '$') - t->s);
    assert_int_equal(doc[t->src[dollar]], '\\');
    rfx_register_free(r);
}

static void test_nfkc_quotes_and_cp1252(void **state) {
    (void)state;
    /* full-width digits and the "fi" ligature fold under NFKC; curly quotes become ASCII */
    const char *doc = "Revenue of \xef\xbc\x91\xef\xbc\x92 billion from \xef\xac\x81nance \xe2\x80\x9cX\xe2\x80\x9d.\n";
    rfx_register *r = ingest(doc, strlen(doc));
    assert_string_equal(r->blocks[0].t.s, "Revenue of 12 billion from finance \"X\".");
    assert_int_equal(r->nwarnings, 0);
    rfx_register_free(r);
    const char cp[] = "Caf\xe9 costs \x80" "5 \x96 a \x93quote\x94.\n";
    r = ingest(cp, sizeof cp - 1);
    assert_string_equal(r->blocks[0].t.s, "Caf\xc3\xa9 costs \xe2\x82\xac" "5 \xe2\x80\x93 a \"quote\".");
    assert_int_equal(r->nwarnings, 1);
    assert_string_equal(r->warnings[0].code, "decode-cp1252");
    rfx_register_free(r);
}

static void test_page_numbers_marked(void **state) {
    (void)state;
    const char *doc = "First paragraph of text that ends here.\n\n23\n\nSecond paragraph.\n\n- 24 -\n";
    rfx_register *r = ingest(doc, strlen(doc));
    assert_int_equal(r->nblocks, 4);
    assert_true(r->blocks[1].flags & RFX_B_PAGENUM);
    assert_false(r->blocks[2].flags & RFX_B_PAGENUM);
    assert_true(r->blocks[3].flags & RFX_B_PAGENUM);
    rfx_register_free(r);
}

static void test_dash_clause_and_rule_lines(void **state) {
    (void)state;
    const char *doc = "Our revenue may fall over the next few years\n"
                      "- particularly in Europe - which is our largest market.\n"
                      "\n"
                      "Risk factors\n"
                      "- ------------\n"
                      "\n"
                      "Our markets are characterized by:\n"
                      "- rapid change,\n"
                      "- new entrants.\n";
    rfx_register *r = ingest(doc, strlen(doc));
    assert_int_equal(r->nblocks, 5);
    /* a dash inside a wrapped sentence is not a bullet */
    assert_string_equal(r->blocks[0].t.s, "Our revenue may fall over the next few years - particularly in "
                                          "Europe - which is our largest market.");
    assert_false(r->blocks[0].flags & RFX_B_LIST);
    /* a rule line under a title is neither text nor an item */
    assert_string_equal(r->blocks[1].t.s, "Risk factors");
    /* after a colon, lower-case dash items are a list */
    assert_true(r->blocks[3].flags & RFX_B_LIST);
    assert_true(r->blocks[4].flags & RFX_B_LIST);
    rfx_register_free(r);
}

static void test_running_headers_marked(void **state) {
    (void)state;
    const char *doc = "Acme Corp | 2024 Form 10-K | 7\n\nFirst page text that goes on.\n\nMore text.\n\n"
                      "Still more text here.\n\nAcme Corp | 2024 Form 10-K | 8\n\nSecond page text.\n\n"
                      "Another paragraph.\n\nAnd another one.\n\nAcme Corp | 2024 Form 10-K | 9\n\n"
                      "1.000% Notes due 2022\n\n1.375% Notes due 2024\n\n2.000% Notes due 2027\n\n"
                      "Item 1A. Risk Factors\n\nx\n\ny\n\nz\n\nItem 1A. Risk Factors\n\nw\n\nv\n\nu\n\n"
                      "Item 1A. Risk Factors\n";
    rfx_register *r = ingest(doc, strlen(doc));
    size_t hdr = 0;
    for (size_t i = 0; i < r->nblocks; i++) {
        bool h = r->blocks[i].flags & RFX_B_PAGEHDR;
        if (strstr(r->blocks[i].t.s, "Acme Corp")) assert_true(h);
        if (strstr(r->blocks[i].t.s, "Notes due")) assert_false(h); /* a list, not furniture */
        if (strstr(r->blocks[i].t.s, "Item 1A")) assert_false(h);   /* locate's to judge */
        hdr += h;
    }
    assert_int_equal(hdr, 3);
    rfx_register_free(r);
}

static char *repeat_doc(const char *unit, size_t times, const char *sep) {
    size_t n = strlen(unit) + strlen(sep);
    char *s = malloc(n * times + 1);
    s[0] = 0;
    for (size_t i = 0; i < times; i++) {
        strcat(s, unit);
        strcat(s, sep);
    }
    return s;
}

static void test_flattened_and_glued(void **state) {
    (void)state;
    const char *unit = "Demand for our products may decline in a recession."
                       "     Economic downturns reduce what customers spend on equipment, and "
                       "our revenue falls with it. We cannot predict the timing of a recovery.";
    char *flat = repeat_doc(unit, 60, "     ");
    rfx_register *r = ingest(flat, strlen(flat));
    assert_int_equal(r->nblocks, 120);
    assert_string_equal(r->blocks[0].t.s, "Demand for our products may decline in a recession.");
    rfx_register_free(r);
    free(flat);
    const char *g = "Demand for our products may decline in a recession.Economic downturns "
                    "reduce what customers spend on equipment, and our revenue falls with it. "
                    "We cannot predict the U.S. recovery.";
    char *glued = repeat_doc(g, 60, "");
    r = ingest(glued, strlen(glued));
    assert_int_equal(r->nblocks, 120);
    assert_string_equal(r->blocks[0].t.s, "Demand for our products may decline in a recession.");
    assert_non_null(strstr(r->blocks[1].t.s, "We cannot predict the U.S. recovery."));
    rfx_register_free(r);
    free(glued);
}

static void test_segment_language_rules(void **state) {
    (void)state;
    const char *doc =
        "Risk Factors\n\n"
        "Investing in our shares involves risk. Read this section before you invest.\n\n"
        "Risks Related to Our Business\n\n"
        "We depend on a few large customers for most of our revenues.\n\n"
        "Three customers accounted for 60% of our revenues. Losing one would hurt us.\n\n"
        "Our markets are characterized by:\n\n"
        "- rapid change,\n"
        "- new entrants.\n\n"
        "If we lose any of these large customers, our revenues may decline.\n\n"
        "Please see Item 5 for more information about our markets.\n\n"
        "Any problems with these customers could have a material adverse effect on us.\n\n"
        "Because we depend on one supplier for our chips, a disruption could halt production.\n\n"
        "Our supplier makes all of our chips. It has one plant. A fire there would stop us.\n\n"
        "Risks Related to Our Shares\n\n"
        "Our share price may be volatile.\n\n"
        "The market price of our shares has fluctuated widely. It may continue to do so.\n";
    rfx_register *r = parse(doc, RFX_OK);
    assert_int_equal(r->nrisks, 3);
    assert_string_equal(r->risks[0].heading.s, "We depend on a few large customers for most of our revenues.");
    assert_string_equal(r->risks[0].group, "Risks Related to Our Business");
    /* "Because ..., ... could ..." states a risk: not a continuation */
    assert_string_equal(r->risks[1].heading.s,
                        "Because we depend on one supplier for our chips, a disruption could halt production.");
    assert_string_equal(r->risks[2].heading.s, "Our share price may be volatile.");
    assert_string_equal(r->risks[2].group, "Risks Related to Our Shares");
    const char *b = r->risks[0].body.s;
    assert_non_null(strstr(b, "Our markets are characterized by:\n\n- rapid change,\n\n- new entrants."));
    assert_non_null(strstr(b, "Please see Item 5"));
    assert_non_null(strstr(b, "Any problems with these customers"));
    assert_non_null(strstr(r->preamble, "Investing in our shares involves risk."));
    /* body offsets map to the source */
    const rfx_text *t = &r->risks[2].body;
    assert_int_equal(t->src[0], strstr(doc, "The market price") - doc);
    assert_int_equal(r->risks[2].end, strlen(doc) - 1);
    rfx_register_free(r);
}

static void test_segment_lead_sentences(void **state) {
    (void)state;
    /* flattened text: paragraphs survive, but each heading is glued to its body */
    const char *doc =
        "Item 1A Risk Factors     Volatile commodity prices strongly affect our results of operations. "
        "Our results correlate closely with the prices we obtain. Prices are set by markets.     "
        "Our business operates in highly competitive environments. Competitors are larger. We may "
        "lose share.     In September 2011, the regulator released its final report on the incident. "
        "The report named several parties.     We may incur significant losses in exploration "
        "activities. Exploration is inherently risky. Many wells are dry.     Other risk factors. "
        "See Item 7 for more.";
    char *big = malloc(strlen(doc) * 10 + 1);
    /* long enough to read as flattened text (over 4 KB): the risks nine times over */
    strcpy(big, doc);
    for (int k = 0; k < 8; k++) {
        strcat(big, "     ");
        strcat(big, doc + strlen("Item 1A Risk Factors     "));
    }
    rfx_register *r = parse(big, RFX_OK);
    assert_true(r->nrisks >= 3);
    assert_string_equal(r->risks[0].heading.s,
                        "Volatile commodity prices strongly affect our results of operations.");
    assert_true(strncmp(r->risks[0].body.s, "Our results correlate", 21) == 0);
    assert_string_equal(r->risks[1].heading.s, "Our business operates in highly competitive environments.");
    /* a dated narrative sentence and a three-word lead stay body */
    for (size_t i = 0; i < r->nrisks; i++) {
        assert_null(strstr(r->risks[i].heading.s, "In September 2011"));
        assert_null(strstr(r->risks[i].heading.s, "Other risk factors"));
    }
    assert_non_null(strstr(r->risks[1].body.s, "In September 2011"));
    bool warned = false;
    for (size_t i = 0; i < r->nwarnings; i++)
        warned |= !strcmp(r->warnings[i].code, "lead-sentence-headings");
    assert_true(warned);
    rfx_register_free(r);
    free(big);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrapped_lines_and_hyphens),
        cmocka_unit_test(test_bullets_and_escapes),
        cmocka_unit_test(test_nfkc_quotes_and_cp1252),
        cmocka_unit_test(test_page_numbers_marked),
        cmocka_unit_test(test_running_headers_marked),
        cmocka_unit_test(test_dash_clause_and_rule_lines),
        cmocka_unit_test(test_flattened_and_glued),
        cmocka_unit_test(test_segment_language_rules),
        cmocka_unit_test(test_segment_lead_sentences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
