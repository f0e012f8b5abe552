/*
 * test_locate.c — the locate stage on small documents written for each
 * tricky case: tables of contents before the real heading, headings split
 * over two elements, the many spellings of "Item 1A", the end at 1B / 1C /
 * 2, 20-F Item 3.D, cross-reference-only and "not applicable" items, no
 * Item 1A at all, running headers and cross-references, the seed's OCR
 * title, prospectus captions and whole documents. Each runs the full
 * pipeline (rfx_parse_memory) and reads r->section.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rfx_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Body text long enough to make a heading real (locate wants ~800 bytes). */
#define PARA                                                                                       \
    "Our business depends on the continued demand for our services. If demand declines, our "    \
    "revenue could fall and our results of operations could be harmed. We face competition from " \
    "larger companies with more resources, and we may not be able to compete successfully. "
#define BODY                                                                                       \
    "We may not achieve our expected revenues in the future.\n\n" PARA "\n\n"                     \
    "Our indebtedness could limit our flexibility.\n\n" PARA "\n\n"                               \
    "We depend on key personnel.\n\n" PARA "\n\n" PARA "\n\n"

static rfx_register *parse(const char *doc, rfx_status *st_out) {
    rfx_options opt;
    rfx_options_init(&opt);
    opt.no_classify = 1;
    rfx_register *r = NULL;
    rfx_error err;
    rfx_status st = rfx_parse_memory(doc, strlen(doc), "test", &opt, &r, &err);
    if (st_out) *st_out = st;
    return r;
}

static uint32_t off(const char *doc, const char *needle) {
    const char *p = strstr(doc, needle);
    assert_non_null(p);
    return (uint32_t)(p - doc);
}

/* offset of the n-th (1-based) occurrence */
static uint32_t off_n(const char *doc, const char *needle, int n) {
    const char *p = doc;
    for (int i = 0; i < n; i++) {
        p = strstr(i ? p + 1 : p, needle);
        assert_non_null(p);
    }
    return (uint32_t)(p - doc);
}

static void test_seed_ocr_title(void **state) {
    (void)state;
    const char *doc = "D. Risk Factor\n\nYou should carefully consider the following information before "
                      "making an investment decision.\n\n" BODY;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_string_equal(r->section.how, "heading");
    assert_string_equal(r->section.title, "D. Risk Factor");
    assert_int_equal(r->section.first_block, 0);
    assert_int_equal(r->section.body_block, 1);
    assert_int_equal(r->section.end_block, r->nblocks);
    assert_int_equal(r->section.start, 0);
    assert_true(r->section.end >= strlen(doc) - 2);
    rfx_register_free(r);
}

/* A bare risk-factor text (an extract whose title carries stray markup, so
 * it is no heading of its own) is read whole, and the register says so. */
static void test_whole_document(void **state) {
    (void)state;
    const char *doc = ">ITEM 1A. RISK FACTORS.\n\n" BODY;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_string_equal(r->section.how, "whole-document");
    assert_true(r->section.confidence > 0 && r->section.confidence < 0.9);
    assert_int_equal(r->section.first_block, 0);
    assert_int_equal(r->section.end_block, r->nblocks);
    bool warned = false;
    for (size_t i = 0; i < r->nwarnings; i++) warned |= !strcmp(r->warnings[i].code, "whole-document");
    assert_true(warned);
    rfx_register_free(r);
}

/* Paragraphs with no heading and no risk-factor title (an 8-K's text, a
 * proxy's, a fund's): no section, whatever they say about risk. */
static void test_no_title_not_whole(void **state) {
    (void)state;
    static const char *docs[] = {
        BODY,
        "UNITED STATES\n\nSECURITIES AND EXCHANGE COMMISSION\n\nFORM 8-K\n\nCURRENT REPORT\n\n"
        "Item 5.02 Departure of Directors or Certain Officers.\n\n" PARA "\n\n" PARA "\n\n"
        "Item 9.01 Financial Statements and Exhibits.\n\n" PARA,
        "SCHEDULE 14A\n\nProxy Statement Pursuant to Section 14(a)\n\nNOTICE OF ANNUAL MEETING\n\n"
        "Proposal 1: Election of Directors\n\n" PARA "\n\nRisk Oversight\n\n" PARA PARA,
        "FORM 24F-2\nAnnual Notice of Securities Sold Pursuant to Rule 24f-2\n\n1. Name and address of issuer: "
        "Example Funds Trust, 100 Main Street, Boston, MA 02110\n\n2. Series: Example Growth Fund\n\n"
        "4(a). Last day of fiscal year for which this notice is filed: December 31, 2023\n\n" PARA,
        "<?xml version=\"1.0\"?><ownershipDocument><documentType>4</documentType><issuer><issuerName>Apple "
        "Inc.</issuerName></issuer><footnotes><footnote id=\"F1\">" PARA "</footnote></footnotes></ownershipDocument>",
        NULL};
    for (int i = 0; docs[i]; i++) {
        rfx_status st;
        rfx_register *r = parse(docs[i], &st);
        assert_non_null(r);
        if (r->section.found) fail_msg("document %d: found (%s)", i, r->section.how);
        assert_int_equal(st, RFX_ENOTFOUND);
        assert_null(strstr(r->section.how, "pre-2005")); /* no date says so */
        rfx_register_free(r);
    }
}

static void test_toc_then_heading(void **state) {
    (void)state;
    const char *doc = "TABLE OF CONTENTS\n\nItem 1. Business 3\n\nItem 1A. Risk Factors 10\n\n"
                      "Item 1B. Unresolved Staff Comments 20\n\nItem 2. Properties 21\n\n"
                      "PART I\n\nItem 1. Business\n\n" PARA "\n\n"
                      "Item 1A. Risk Factors\n\n" BODY
                      "Item 1B. Unresolved Staff Comments\n\nNone.\n\nItem 2. Properties\n\n" PARA;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_string_equal(r->section.how, "heading");
    assert_string_equal(r->section.title, "Item 1A. Risk Factors");
    assert_int_equal(r->section.start, off(doc, "Item 1A. Risk Factors\n\n"));
    assert_int_equal(r->section.end, off_n(doc, "Item 1B. Unresolved Staff Comments", 2));
    assert_true(rfx_risk_count(r) >= 1);
    rfx_register_free(r);
}

static void test_spellings(void **state) {
    (void)state;
    static const char *titles[] = {"ITEM 1A. RISK FACTORS", "Item 1A: Risk Factors",
                                   "Item 1A \xe2\x80\x94 Risk Factors", "Item 1A - Risk Factors",
                                   "Item 1A.Risk Factors", "ITEM 1A", "PART I, ITEM 1A. RISK FACTORS",
                                   "Item 1(a). Risk Factors", "1A. Risk Factors", NULL};
    for (int i = 0; titles[i]; i++) {
        char doc[8192];
        snprintf(doc, sizeof doc,
                 "Item 1. Business\n\n%s\n\n%s\n\n%s" BODY "Item 1B. Unresolved Staff Comments\n\n"
                 "None.\n\nItem 2. Properties\n\n%s",
                 PARA, titles[i], strcmp(titles[i], "ITEM 1A") ? "" : "RISK FACTORS\n\n", PARA);
        rfx_register *r = parse(doc, NULL);
        assert_non_null(r);
        if (!r->section.found || strcmp(r->section.how, "heading") != 0)
            fail_msg("title \"%s\": found %d how %s", titles[i], r->section.found, r->section.how);
        assert_int_equal(r->section.start, off(doc, titles[i]));
        assert_int_equal(r->section.end, off(doc, "Item 1B."));
        rfx_register_free(r);
    }
}

static void test_split_heading_html(void **state) {
    (void)state;
    const char *doc =
        "<html><body><div><b>Item 1.</b></div><div><b>Business</b></div><p>" PARA "</p>"
        "<div><b>Item 1A.</b></div><div><b>Risk Factors</b></div>"
        "<p>You should consider the following risks.</p>"
        "<p><b>We may not achieve our expected revenues.</b></p><p>" PARA PARA "</p>"
        "<p><b>Our indebtedness could limit our flexibility.</b></p><p>" PARA PARA "</p>"
        "<div><b>Item 1B.</b></div><div><b>Unresolved Staff Comments</b></div><p>None.</p>"
        "<div><b>Item 2.</b></div><div><b>Properties</b></div><p>" PARA "</p></body></html>";
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_string_equal(r->section.how, "heading");
    assert_string_equal(r->section.title, "Item 1A. Risk Factors");
    assert_int_equal(r->section.body_block, r->section.first_block + 2);
    /* design.md §3: the element carrying the heading, the element starting the next item */
    assert_int_equal(r->section.start, off(doc, "<div><b>Item 1A."));
    assert_int_equal(r->section.end, off(doc, "<div><b>Item 1B."));
    rfx_register_free(r);
}

static void test_linked_toc_html(void **state) {
    (void)state;
    const char *doc =
        "<html><body><table>"
        "<tr><td><a href=\"#i1\">Item 1.</a></td><td><a href=\"#i1\">Business</a></td><td>3</td></tr>"
        "<tr><td><a href=\"#i1a\">Item 1A.</a></td><td><a href=\"#i1a\">Risk Factors</a></td><td>9</td></tr>"
        "<tr><td><a href=\"#i1b\">Item 1B.</a></td><td><a href=\"#i1b\">Unresolved Staff Comments</a></td><td>20</td></tr>"
        "<tr><td><a href=\"#i2\">Item 2.</a></td><td><a href=\"#i2\">Properties</a></td><td>21</td></tr>"
        "</table>"
        "<div id=\"i1\"><b>Item 1. Business</b></div><p>" PARA "</p>"
        "<div id=\"i1a\"><b>ITEM 1A. RISK FACTORS</b></div>"
        "<p><b>We may not achieve our expected revenues.</b></p><p>" PARA PARA "</p>"
        "<p><b>Our indebtedness could limit our flexibility.</b></p><p>" PARA PARA "</p>"
        "<div id=\"i1b\"><b>ITEM 1B. UNRESOLVED STAFF COMMENTS</b></div><p>None.</p>"
        "<div id=\"i2\"><b>ITEM 2. PROPERTIES</b></div><p>" PARA "</p></body></html>";
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_string_equal(r->section.title, "ITEM 1A. RISK FACTORS");
    assert_int_equal(r->section.start, off(doc, "<div id=\"i1a\">"));
    assert_int_equal(r->section.end, off(doc, "<div id=\"i1b\">"));
    rfx_register_free(r);
}

static void test_end_at_item2_without_1b(void **state) {
    (void)state;
    const char *doc = "Item 1. Business\n\n" PARA "\n\nItem 1A. Risk Factors\n\n" BODY
                      "Item 2. Properties\n\n" PARA "\n\nItem 3. Legal Proceedings\n\nNone.\n";
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_int_equal(r->section.end, off(doc, "Item 2. Properties"));
    rfx_register_free(r);
}

static void test_end_at_1b_before_1c(void **state) {
    (void)state;
    const char *doc = "Item 1. Business\n\n" PARA "\n\nItem 1A. Risk Factors\n\n" BODY
                      "Item 1B. Unresolved Staff Comments\n\nNone.\n\nItem 1C. Cybersecurity\n\n" PARA
                      "\n\nItem 2. Properties\n\n" PARA;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_int_equal(r->section.end, off(doc, "Item 1B."));
    rfx_register_free(r);
}

static void test_10q_part2(void **state) {
    (void)state;
    const char *doc = "PART I. FINANCIAL INFORMATION\n\nItem 1. Financial Statements\n\n" PARA
                      "\n\nItem 2. Management's Discussion and Analysis\n\n" PARA
                      "\n\nPART II. OTHER INFORMATION\n\nItem 1. Legal Proceedings\n\nNone.\n\n"
                      "Item 1A. Risk Factors\n\n" BODY
                      "Item 2. Unregistered Sales of Equity Securities and Use of Proceeds\n\nNone.\n\n"
                      "Item 6. Exhibits\n\n" PARA;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_int_equal(r->section.start, off(doc, "Item 1A."));
    assert_int_equal(r->section.end, off(doc, "Item 2. Unregistered"));
    rfx_register_free(r);
}

static void test_20f_item_3d(void **state) {
    (void)state;
    const char *doc = "FORM 20-F\n\nItem 3. Key Information 5\n\nItem 4. Information on the Company 20\n\n"
                      "Item 3. Key Information\n\nA. Selected Financial Data\n\n" PARA
                      "\n\nD. Risk Factors\n\n" BODY
                      "Item 4. Information on the Company\n\n" PARA "\n\nItem 5. Operating and "
                      "Financial Review and Prospects\n\n" PARA;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_string_equal(r->section.how, "heading");
    assert_string_equal(r->section.title, "D. Risk Factors");
    assert_int_equal(r->section.start, off(doc, "D. Risk Factors"));
    assert_int_equal(r->section.end, off_n(doc, "Item 4. Information on the Company", 2));
    rfx_register_free(r);
}

static void test_20f_3d_spelling(void **state) {
    (void)state;
    const char *doc = "Item 3. Key Information\n\n" PARA "\n\n3.D Risk Factors\n\n" BODY
                      "Item 4. Information on the Company\n\n" PARA "\n\nItem 5. Operating and "
                      "Financial Review\n\n" PARA;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_string_equal(r->section.title, "3.D Risk Factors");
    assert_int_equal(r->section.end, off(doc, "Item 4."));
    rfx_register_free(r);
}

static void test_incorporated_by_reference(void **state) {
    (void)state;
    const char *doc = "Item 1. Business\n\n" PARA "\n\nItem 1A. Risk Factors\n\n"
                      "Information in response to this Item 1A can be found in the 2018 Annual Report on "
                      "pages 144 to 154 under the heading \"Risk Factors.\" That information is "
                      "incorporated into this report by reference.\n\n"
                      "Item 1B. Unresolved Staff Comments\n\nNone.\n\nItem 2. Properties\n\n" PARA;
    rfx_status st;
    rfx_register *r = parse(doc, &st);
    assert_non_null(r);
    assert_int_equal(st, RFX_OK);
    assert_true(r->section.found);
    assert_string_equal(r->section.how, "incorporated-by-reference");
    assert_non_null(r->section.reference);
    assert_non_null(strstr(r->section.reference, "2018 Annual Report on pages 144 to 154"));
    assert_int_equal(rfx_risk_count(r), 0);
    assert_int_equal(r->section.end, off(doc, "Item 1B."));
    rfx_register_free(r);
}

static void test_not_applicable(void **state) {
    (void)state;
    const char *doc = "ITEM 1: BUSINESS\n\n" PARA "\n\nITEM 1A: RISK FACTORS\n\nNOT APPLICABLE\n\n"
                      "ITEM 1B: UNRESOLVED STAFF COMMENTS\n\nNONE\n\nITEM 2: PROPERTIES\n\nNONE\n";
    rfx_status st;
    rfx_register *r = parse(doc, &st);
    assert_non_null(r);
    assert_int_equal(st, RFX_OK);
    assert_string_equal(r->section.how, "not-applicable");
    assert_int_equal(rfx_risk_count(r), 0);
    rfx_register_free(r);
}

static void test_no_item_1a(void **state) {
    (void)state;
    const char *doc = "Item 1. Business\n\n" PARA "\n\nItem 2. Properties\n\n" PARA
                      "\n\nItem 3. Legal Proceedings\n\nNone.\n\n"
                      "Item 7. Management's Discussion and Analysis\n\n" PARA
                      "\n\nFactors That May Affect Future Results\n\n" BODY
                      "Item 8. Financial Statements\n\n" PARA;
    rfx_status st;
    rfx_register *r = parse(doc, &st);
    assert_int_equal(st, RFX_ENOTFOUND);
    assert_non_null(r);
    assert_false(r->section.found);
    assert_non_null(strstr(r->section.how, "no Item 1A heading"));
    assert_non_null(strstr(r->section.how, "Factors That May Affect Future Results"));
    rfx_register_free(r);
}

static void test_cross_references_not_headings(void **state) {
    (void)state;
    /* references to Item 1A in body text, and a paragraph that opens with one */
    const char *doc = "Item 1. Business\n\nAs described in Item 1A. Risk Factors, we face risks. " PARA
                      "\n\nItem 1A of this report describes the risks we face. " PARA
                      "\n\nItem 1A. Risk Factors\n\n" BODY
                      "Item 1B. Unresolved Staff Comments\n\nNone.\n\nItem 2. Properties\n\n"
                      "See Item 1A, \"Risk Factors\" for more. " PARA;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_int_equal(r->section.start, off(doc, "Item 1A. Risk Factors\n"));
    assert_int_equal(r->section.end, off(doc, "Item 1B."));
    rfx_register_free(r);
}

static void test_running_header_text(void **state) {
    (void)state;
    /* PDF text repeats the item title at the top of each page */
    const char *doc = "Item 1. Business\n\n" PARA "\n\nItem 1A. Risk Factors\n\n" BODY
                      "Item 1A. Risk Factors\n\n" BODY "Item 1A. Risk Factors\n\n" BODY
                      "Item 1B. Unresolved Staff Comments\n\nNone.\n\nItem 2. Properties\n\n" PARA;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_int_equal(r->section.start, off(doc, "Item 1A."));
    assert_int_equal(r->section.end, off(doc, "Item 1B."));
    rfx_register_free(r);
}

static void test_page_header_html_skipped(void **state) {
    (void)state;
    /* a block the ingest marks as a running header is not the heading */
    const char *doc =
        "<html><body><div><b>Item 1. Business</b></div><p>" PARA "</p>"
        "<div><b>Item 1A. Risk Factors</b></div>"
        "<p><b>We may not achieve our expected revenues.</b></p><p>" PARA PARA "</p>"
        "<p><b>Our indebtedness could limit our flexibility.</b></p><p>" PARA PARA "</p>"
        "<div><b>Item 1B. Unresolved Staff Comments</b></div><p>None.</p>"
        "<div><b>Item 2. Properties</b></div><p>" PARA "</p></body></html>";
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    /* mark the heading block as a page header, as a buggy ingest might,
     * and rerun locate: then the heading must not come from it */
    size_t hb = r->section.first_block;
    r->blocks[hb].flags |= RFX_B_PAGEHDR;
    r->blocks[hb].font_size = 80;
    rfx_locate(r);
    assert_false(r->section.found && r->section.first_block == hb);
    rfx_register_free(r);
}

static void test_prospectus(void **state) {
    (void)state;
    const char *doc = "PROSPECTUS SUMMARY\n\n" PARA "\n\nRISK FACTORS\n\n" BODY
                      "USE OF PROCEEDS\n\nWe intend to use the net proceeds for general purposes.\n\n"
                      "DIVIDEND POLICY\n\nWe do not pay dividends.\n";
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_string_equal(r->section.title, "RISK FACTORS");
    assert_int_equal(r->section.start, off(doc, "RISK FACTORS"));
    assert_int_equal(r->section.end, off(doc, "USE OF PROCEEDS"));
    rfx_register_free(r);
}

static void test_flattened_title_run_in(void **state) {
    (void)state;
    /* extracted text: the title glued to the body in one paragraph */
    const char *doc = "ITEM 1A. RISK FACTORSOur business faces significant risks. " PARA PARA PARA PARA;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_string_equal(r->section.how, "heading");
    assert_string_equal(r->section.title, "ITEM 1A. RISK FACTORS");
    assert_int_equal(r->section.body_block, r->section.first_block);
    assert_int_equal(r->section.body_skip, strlen("ITEM 1A. RISK FACTORS"));
    rfx_register_free(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_ocr_title),
        cmocka_unit_test(test_whole_document),
        cmocka_unit_test(test_no_title_not_whole),
        cmocka_unit_test(test_toc_then_heading),
        cmocka_unit_test(test_spellings),
        cmocka_unit_test(test_split_heading_html),
        cmocka_unit_test(test_linked_toc_html),
        cmocka_unit_test(test_end_at_item2_without_1b),
        cmocka_unit_test(test_end_at_1b_before_1c),
        cmocka_unit_test(test_10q_part2),
        cmocka_unit_test(test_20f_item_3d),
        cmocka_unit_test(test_20f_3d_spelling),
        cmocka_unit_test(test_incorporated_by_reference),
        cmocka_unit_test(test_not_applicable),
        cmocka_unit_test(test_no_item_1a),
        cmocka_unit_test(test_cross_references_not_headings),
        cmocka_unit_test(test_running_header_text),
        cmocka_unit_test(test_page_header_html_skipped),
        cmocka_unit_test(test_prospectus),
        cmocka_unit_test(test_flattened_title_run_in),
    };
    return cmocka_run_group_tests_name("locate", tests, NULL, NULL);
}
