/*
 * test_forms.c — documents beyond the annual 10-K, written for each rule of
 * issue 10: the form, issuer and period read from a cover page; a 10-Q whose
 * Part II Item 1A refers to the annual report; a 10-Q that adds one risk
 * with a plain sentence before a page break; a prospectus whose summary has
 * a "Risk Factors" row pointing to a page; run-in headings under group
 * captions; labels inside a risk's body. Near-misses that must not change:
 * group captions followed by real styled headings, and a risk whose body
 * holds a bold list. Each runs the full pipeline (rfx_parse_memory).
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

#define PARA                                                                                       \
    "Our business depends on the continued demand for our services. If demand declines, our "    \
    "revenue could fall and our results of operations could be harmed. We face competition from " \
    "larger companies with more resources, and we may not be able to compete successfully."

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

static bool warned(const rfx_register *r, const char *code) {
    for (size_t i = 0; i < r->nwarnings; i++)
        if (!strcmp(r->warnings[i].code, code)) return true;
    return false;
}

/* ---------------- form, issuer, period ---------------- */

static void test_cover_6k(void **state) {
    (void)state;
    const char *doc = "<html><body><p style=\"text-align:center\"><b>UNITED STATES</b></p>"
                      "<p style=\"text-align:center\"><b>SECURITIES AND EXCHANGE COMMISSION</b></p>"
                      "<p style=\"text-align:center\"><b>FORM 6-K</b></p>"
                      "<p>REPORT OF FOREIGN PRIVATE ISSUER PURSUANT TO RULE 13a-16 OR 15d-16</p>"
                      "<p style=\"text-align:center\"><b>NORDIC FERRIES AG</b></p><p>(Registrant Name)</p>"
                      "<p>Indicate by check mark whether the registrant files annual reports under cover of "
                      "Form 20-F or Form 40-F.</p><p><b>EXHIBIT INDEX</b></p><p>99.1 Press release</p>"
                      "<p>" PARA "</p></body></html>";
    rfx_status st;
    rfx_register *r = parse(doc, &st);
    assert_non_null(r);
    assert_int_equal(st, RFX_ENOTFOUND); /* no risk section, no junk */
    assert_int_equal(rfx_risk_count(r), 0);
    assert_non_null(r->filing.form);
    assert_string_equal(r->filing.form, "6-K");
    assert_non_null(r->filing.company);
    assert_string_equal(r->filing.company, "NORDIC FERRIES AG");
    assert_non_null(strstr(r->section.how, "6-K")); /* the reason names what was seen */
    assert_null(strstr(r->section.how, "pre-2005"));
    rfx_register_free(r);
}

static void test_cover_prospectus(void **state) {
    (void)state;
    /* the 10-K it incorporates is named many times: the form is still the
     * supplement's, the period its own date, the issuer its cover line */
    const char *doc =
        "<html><body><p>Filed Pursuant to Rule 424(b)(3)<br>Registration No. 333-123456</p>"
        "<p style=\"text-align:center\"><b>PROSPECTUS SUPPLEMENT</b> (To Prospectus dated March 1, 2024)</p>"
        "<p style=\"text-align:center;font-size:18pt\"><b>Acme Widgets, Inc.</b></p>"
        "<p>The date of this prospectus supplement is March 5, 2024.</p>"
        "<p>We incorporate our Annual Report on Form 10-K for the fiscal year ended December 31, 2023, "
        "our Annual Report on Form 10-K/A and our Quarterly Report on Form 10-Q. Our annual report on "
        "Form 10-K for the fiscal year ended December 31, 2023 describes our business.</p>"
        "<p><b>RISK FACTORS</b></p><p>Investing involves risks described below.</p>"
        "<p><b><i>The market price of our common stock may be volatile.</i></b></p><p>" PARA "</p>"
        "<p><b><i>Future sales of our stock could lower its price.</i></b></p><p>" PARA "</p>"
        "<p><b><i>We may not pay dividends.</i></b></p><p>" PARA "</p>"
        "<p><b>USE OF PROCEEDS</b></p><p>" PARA "</p></body></html>";
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_string_equal(r->filing.form, "424B3");
    assert_string_equal(r->filing.company, "Acme Widgets, Inc.");
    assert_string_equal(r->filing.period, "2024-03-05");
    assert_int_equal(rfx_risk_count(r), 3);
    rfx_register_free(r);
}

static void test_sgml_type_without_header(void **state) {
    (void)state;
    const char *doc = "<DOCUMENT>\n<TYPE>S-3/A\n<SEQUENCE>1\n<TEXT>\n\n"
                      "                    SECURITIES AND EXCHANGE COMMISSION\n\n"
                      "                              FORM S-3\n\n"
                      "                       PAGE ONE HOLDINGS, INC.\n"
                      "     (Exact name of registrant as specified in its charter)\n\n"
                      "ITEM 14. OTHER EXPENSES OF ISSUANCE AND DISTRIBUTION\n\n" PARA "\n\n"
                      "ITEM 15. INDEMNIFICATION OF DIRECTORS AND OFFICERS\n\n" PARA "\n\n"
                      "ITEM 16. EXHIBITS\n\n" PARA "\n</TEXT>\n</DOCUMENT>\n";
    rfx_status st;
    rfx_register *r = parse(doc, &st);
    assert_non_null(r);
    assert_int_equal(st, RFX_ENOTFOUND);
    assert_string_equal(r->filing.form, "S-3/A");
    assert_string_equal(r->filing.company, "PAGE ONE HOLDINGS, INC.");
    rfx_register_free(r);
}

/* ---------------- 10-Q ---------------- */

#define TENQ_COVER                                                                                 \
    "UNITED STATES SECURITIES AND EXCHANGE COMMISSION\n\nFORM 10-Q\n\n"                           \
    "QUARTERLY REPORT PURSUANT TO SECTION 13 OR 15(d) For the quarterly period ended June 29, 2024\n\n" \
    "Apple Pie Inc.\n\n(Exact name of Registrant as specified in its charter)\n\n"                 \
    "PART I - FINANCIAL INFORMATION\n\nItem 1. Financial Statements\n\n"                          \
    "Our fiscal year ended September 30, 2023. " PARA "\n\n"                                      \
    "Item 2. Management's Discussion and Analysis\n\n" PARA "\n\n"                                \
    "Item 3. Quantitative and Qualitative Disclosures About Market Risk\n\n" PARA "\n\n"          \
    "Item 4. Controls and Procedures\n\n" PARA "\n\nPART II - OTHER INFORMATION\n\n"              \
    "Item 1. Legal Proceedings\n\n" PARA "\n\n"

static void test_10q_refers_to_annual_report(void **state) {
    (void)state;
    static const char *item[] = {
        /* its own heading, one paragraph */
        "Item 1A. Risk Factors\n\nIn addition to the other information set forth in this report, you "
        "should carefully consider the factors discussed in Part I, \"Item 1A. Risk Factors\" in our "
        "Annual Report on Form 10-K for the year ended December 31, 2023, which could materially affect "
        "our business, financial condition or future results. The risks described in our Annual Report on "
        "Form 10-K are not the only risks facing our Company. Additional risks and uncertainties not "
        "currently known to us, or that we currently deem to be immaterial, could also materially "
        "adversely affect our business, financial condition or future results.\n\n",
        /* the heading and the sentence in one paragraph */
        "Item 1A. Risk Factors. There have been no material changes to the Company's risk factors since "
        "the 2023 Form 10-K.\n\n",
        NULL};
    for (int i = 0; item[i]; i++) {
        char doc[16384];
        snprintf(doc, sizeof doc, "%s%sItem 2. Unregistered Sales of Equity Securities\n\nNone.\n\n"
                                  "Item 6. Exhibits\n\n31.1 Certification\n", TENQ_COVER, item[i]);
        rfx_status st;
        rfx_register *r = parse(doc, &st);
        assert_non_null(r);
        if (st != RFX_OK || !r->section.found) fail_msg("item %d: %s", i, r->section.how);
        assert_string_equal(r->section.how, "reference-to-annual-report");
        assert_non_null(r->section.reference);
        assert_int_equal(rfx_risk_count(r), 0);
        assert_string_equal(r->filing.form, "10-Q");
        assert_string_equal(r->filing.period, "2024-06-29"); /* the cover's quarter */
        rfx_register_free(r);
    }
}

static void test_10q_one_new_risk(void **state) {
    (void)state;
    /* one styled heading; a plain closing sentence, a page number and a
     * running header, then the body goes on: one risk, whole */
    const char *doc =
        "<html><body><p><b>FORM 10-Q</b></p><p><b>PART II. OTHER INFORMATION</b></p>"
        "<p><b>Item 1. Legal Proceedings</b></p><p>" PARA "</p>"
        "<p><b>Item 1A. Risk Factors</b></p>"
        "<p>The following risk updates the risk factors set forth in our Annual Report on Form 10-K.</p>"
        "<p><b><i>We derive a significant portion of our revenues from sales outside the United States.</i></b></p>"
        "<p>" PARA "</p><ul><li>changes in regulatory requirements;</li><li>tariffs and duties;</li></ul>"
        "<p>While the impact of these factors is difficult to predict, any one of them could adversely affect our operations.</p>"
        "<p style=\"text-align:center\">56</p>"
        "<p>The global trade environment remains highly dynamic and continues to evolve. " PARA "</p>"
        "<p><b>Item 2. Unregistered Sales of Equity Securities</b></p><p>None.</p>"
        "<p><b>Item 6. Exhibits</b></p><p>31.1 Certification</p></body></html>";
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_int_equal(rfx_risk_count(r), 1);
    assert_non_null(strstr(r->risks[0].body.s, "The global trade environment")); /* whole */
    assert_non_null(r->section.reference); /* and it updates the 10-K's */
    rfx_register_free(r);
}

/* A 10-Q's Part I may carry its own "Risk Factors" caption (an MD&A
 * subsection that points ahead, or a risk summary); Part II Item 1A is the
 * section, and only its styled headings are risks. */
static void test_10q_part1_caption_and_part2_item(void **state) {
    (void)state;
    const char *doc =
        "<html><body><p><b>FORM 10-Q</b></p>"
        "<p><b>PART I. FINANCIAL INFORMATION</b></p>"
        "<p><b>Item 1. Financial Statements</b></p><p>" PARA "</p>"
        "<p><b>Item 2. Management's Discussion and Analysis of Financial Condition and Results of "
        "Operations</b></p><p>" PARA "</p>"
        "<p><b>Risk Factors</b></p>"
        "<p>Our business is subject to risks. You should read the risk factors in Part II, Item 1A of "
        "this report and in our Annual Report on Form 10-K before investing in our securities.</p>"
        "<p><b>Item 4. Controls and Procedures</b></p><p>" PARA "</p>"
        "<p><b>PART II. OTHER INFORMATION</b></p>"
        "<p><b>Item 1. Legal Proceedings</b></p><p>" PARA "</p>"
        "<p><b>Item 1A. Risk Factors</b></p>"
        "<p>The risks below update the risk factors in our Annual Report on Form 10-K.</p>"
        "<p><b>New tariffs on imported components could increase our costs and reduce our margins.</b></p>"
        "<p>" PARA " " PARA "</p>"
        "<p><b>A breach of our information systems could disrupt our operations and harm our "
        "reputation.</b></p><p>" PARA " " PARA "</p>"
        "<p><b>Item 2. Unregistered Sales of Equity Securities</b></p><p>None.</p>"
        "<p><b>Item 6. Exhibits</b></p><p>31.1 Certification</p></body></html>";
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    const char *part2 = strstr(doc, "PART II.");
    assert_true(r->section.start > (size_t)(part2 - doc)); /* in Part II, not the MD&A caption */
    assert_int_equal(rfx_risk_count(r), 2);
    assert_non_null(strstr(r->risks[0].heading.s, "New tariffs"));
    assert_non_null(strstr(r->risks[1].heading.s, "A breach of our information systems"));
    rfx_register_free(r);
}

/* ---------------- prospectus ---------------- */

static void test_prospectus_summary_row(void **state) {
    (void)state;
    const char *doc =
        "<html><body><p>Filed Pursuant to Rule 424(b)(5)</p><p><b>PROSPECTUS SUPPLEMENT SUMMARY</b></p>"
        "<p>" PARA " " PARA "</p><p><b>The Offering</b></p><p>" PARA " " PARA "</p>"
        "<p><b>Risk Factors</b></p><p>Investing in our notes involves risks. See \"Risk Factors\" beginning "
        "on page S-4 of this prospectus supplement.</p>"
        "<p><b>Use of Proceeds</b></p><p>" PARA "</p>"
        "<p><b>Description of the Notes</b></p><p>" PARA " " PARA " " PARA " " PARA " " PARA " " PARA "</p>"
        "<p><b>Tax Matters</b></p><p>" PARA " " PARA " " PARA " " PARA " " PARA " " PARA "</p>"
        "<p><b>RISK FACTORS</b></p><p>You should consider the risks below and those incorporated by "
        "reference from our Annual Report on Form 10-K and the accompanying prospectus.</p>"
        "<p><b><i>We may not be able to generate sufficient cash to service our notes.</i></b></p><p>" PARA "</p>"
        "<p><b><i>The notes are effectively subordinated to our secured debt.</i></b></p><p>" PARA "</p>"
        "<p><b><i>An active trading market for the notes may not develop.</i></b></p><p>" PARA "</p>"
        "<p><b>USE OF PROCEEDS</b></p><p>" PARA "</p></body></html>";
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_true(r->section.found);
    assert_string_equal(r->section.title, "RISK FACTORS");
    assert_int_equal(rfx_risk_count(r), 3);
    assert_string_equal(r->risks[0].heading.s, "We may not be able to generate sufficient cash to service our notes.");
    /* its own risks, and the others it incorporates */
    assert_non_null(r->section.reference);
    assert_true(warned(r, "also-incorporated"));
    rfx_register_free(r);
}

/* ---------------- run-in headings, labels ---------------- */

#define TENK_HEAD "<html><body><p><b>FORM 10-K</b></p><p><b>Item 1. Business</b></p><p>" PARA "</p>" \
                  "<p><b>Item 1A. Risk Factors</b></p><p>Our business is subject to many risks.</p>"
#define TENK_TAIL "<p><b>Item 1B. Unresolved Staff Comments</b></p><p>None.</p>" \
                  "<p><b>Item 2. Properties</b></p><p>" PARA "</p></body></html>"

static void test_run_in_headings_under_captions(void **state) {
    (void)state;
    const char *doc = TENK_HEAD
        "<p><b>Strategic and Operational Risks</b></p>"
        "<p><b>We may not achieve our expected growth.</b> " PARA "</p>"
        "<p><b>Our indebtedness could limit our flexibility:</b> " PARA "</p>"
        "<p><b><i>We depend on key personnel</i></b> &#8212; " PARA "</p>"
        "<p><b>Legal and Regulatory Risks</b></p>"
        "<p><i>Litigation may be costly and distract management.</i> " PARA "</p>"
        "<p><u>Cyber attacks could disrupt our operations.</u> " PARA "</p>" TENK_TAIL;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_int_equal(rfx_risk_count(r), 5);
    static const char *want[] = {"We may not achieve our expected growth.", "Our indebtedness could limit our flexibility",
                                 "We depend on key personnel", "Litigation may be costly and distract management.",
                                 "Cyber attacks could disrupt our operations."};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(rfx_risk_heading(r, i), want[i]);
        assert_non_null(rfx_risk_group(r, i));
        assert_true(strncmp(r->risks[i].body.s, "Our business depends", 20) == 0);
    }
    assert_string_equal(rfx_risk_group(r, 0), "Strategic and Operational Risks");
    assert_string_equal(rfx_risk_group(r, 4), "Legal and Regulatory Risks");
    rfx_register_free(r);
}

static void test_labels_in_body_stay_body(void **state) {
    (void)state;
    const char *doc = TENK_HEAD
        "<p><b>The price of our notes may fall.</b></p><p>" PARA "</p>"
        "<p><i>U.S. interest rates.</i> We expect the market value of the notes to follow interest rates.</p>"
        "<p><i>Our credit rating.</i> Changes in our credit ratings may affect the value of the notes.</p>"
        "<p><i>Financial conditions and results.</i> Changes in our results may affect the value of the notes.</p>"
        "<p><b>Our business faces intense competition.</b></p><p>" PARA "</p>"
        "<ul><li><b>Competition from platforms</b> - larger platforms may copy our products.</li>"
        "<li><b>Data privacy and processing</b> - new laws may restrict our use of data.</li></ul>"
        "<p><b>We may be unable to protect our intellectual property.</b></p><p>" PARA "</p>" TENK_TAIL;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_int_equal(rfx_risk_count(r), 3);
    assert_non_null(strstr(r->risks[0].body.s, "Financial conditions and results."));
    assert_non_null(strstr(r->risks[1].body.s, "Data privacy and processing"));
    rfx_register_free(r);
}

/* near-miss: captions followed by real styled headings stay groups and
 * headings, and a bold list inside a body stays body */
static void test_captions_with_styled_headings(void **state) {
    (void)state;
    const char *doc = TENK_HEAD
        "<p><b>Risks Related to Our Business</b></p>"
        "<p><b><i>We may not achieve our expected growth.</i></b></p><p>" PARA "</p>"
        "<p><b><i>Our indebtedness could limit our flexibility.</i></b></p><p>" PARA "</p>"
        "<ul><li><b>Covenants.</b> Our credit agreement restricts new debt.</li>"
        "<li><b>Interest.</b> Higher rates raise our costs.</li></ul>"
        "<p><b>Risks Related to Our Industry</b></p>"
        "<p><b><i>Competition in our industry is intense.</i></b></p><p>" PARA "</p>"
        "<p><b><i>Regulation could increase our costs.</i></b></p><p>" PARA "</p>" TENK_TAIL;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_int_equal(rfx_risk_count(r), 4);
    assert_string_equal(rfx_risk_group(r, 0), "Risks Related to Our Business");
    assert_string_equal(rfx_risk_group(r, 3), "Risks Related to Our Industry");
    assert_string_equal(rfx_risk_heading(r, 1), "Our indebtedness could limit our flexibility.");
    assert_non_null(strstr(r->risks[1].body.s, "Covenants."));
    rfx_register_free(r);
}

/* A heading cut by a page break stays whole; its body is not its tail. */
static void test_heading_over_page_break(void **state) {
    (void)state;
    const char *doc = TENK_HEAD
        "<p><b><i>We may not achieve our expected growth.</i></b></p><p>" PARA "</p>"
        "<p><b><i>Interruptions in service from our data center providers could impair our ability to deliver our platform to our</i></b></p>"
        "<p style=\"text-align:center\">48</p><hr style=\"page-break-after:always\"/>"
        "<p><b><i>customers, resulting in customer dissatisfaction and loss of revenue.</i></b></p><p>" PARA "</p>"
        "<p><b><i>We depend on key personnel.</i></b></p><p>" PARA "</p>" TENK_TAIL;
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_int_equal(rfx_risk_count(r), 3);
    assert_string_equal(rfx_risk_heading(r, 1),
                        "Interruptions in service from our data center providers could impair our ability to deliver "
                        "our platform to our customers, resulting in customer dissatisfaction and loss of revenue.");
    assert_true(strncmp(r->risks[1].body.s, "Our business depends", 20) == 0);
    rfx_register_free(r);
}

/* Tag-stripped text, one paragraph a line, a page break mid-sentence: the
 * "Table of Contents" link is furniture, the cut sentence is body, and a
 * heading wrapped on a function word is whole. */
static void test_stripped_text_page_break(void **state) {
    (void)state;
    char doc[32768];
    size_t k = (size_t)snprintf(doc, sizeof doc, "FORM 10-K\n\nItem 1. Business\n\n%s\n\nItem 1A. Risk Factors\n", PARA);
    static const char *heads[] = {"The Company faces substantial inventory and other asset risk.",
                                  "The matters relating to the Company's past stock option practices and the\n"
                                  "Company's restated financial statements may result in additional litigation.",
                                  "The Company depends on the performance of carriers and other resellers.", NULL};
    for (int i = 0; heads[i]; i++) {
        k += (size_t)snprintf(doc + k, sizeof doc - k, "%s\n%s %s\n", heads[i], PARA, PARA);
        if (i == 0)
            k += (size_t)snprintf(doc + k, sizeof doc - k,
                                  "If the Company determines that impairment has occurred, it records a write-down "
                                  "equal to the amount by which the carrying\n16\nTable of Contents\n"
                                  "value of the assets exceeds its fair market value. %s\n", PARA);
    }
    for (int i = 0; i < 20; i++) k += (size_t)snprintf(doc + k, sizeof doc - k, "%s %s\n", PARA, PARA);
    k += (size_t)snprintf(doc + k, sizeof doc - k, "Item 1B. Unresolved Staff Comments\nNone.\nItem 2. Properties\n%s\n", PARA);
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_int_equal(rfx_risk_count(r), 3);
    assert_string_equal(rfx_risk_heading(r, 1), "The matters relating to the Company's past stock option practices "
                                                "and the Company's restated financial statements may result in "
                                                "additional litigation.");
    assert_non_null(strstr(r->risks[0].body.s, "equal to the amount by which the carrying"));
    assert_null(strstr(r->risks[0].body.s, "Table of Contents"));
    rfx_register_free(r);
}

/* ---------------- Markdown ---------------- */

static void test_markdown(void **state) {
    (void)state;
    const char *doc =
        "# ACME CORP\n\n## FORM 10-K\n\n| California | | 94-0000000 |\n|:--|:--|--:|\n| (State) | | (I.R.S. No.) |\n\n"
        "**ITEM 1A. RISK FACTORS**\n\n"
        "Our business is subject to many risks.&nbsp;The risks below are not the only ones.\n\n"
        "### Risks Related to Our Business\n\n"
        "**We may not achieve our expected growth.**\n\n" PARA "\n\n"
        "*Our indebtedness could limit our flexibility.*\n\n" PARA "\n\n"
        "- first item with **bold** words\n- second item\n\n"
        "| Year | Revenue |\n|:-----|--------:|\n| 2024 | $5 |\n\n"
        "**Competition could harm us.** " PARA "\n\n"
        "<div align='center'>Acme Corp | 2024 Form 10-K | 7</div>\n\n"
        "*We depend on key personnel.*\n\n" PARA " " PARA "\n\n"
        "**ITEM 1B. UNRESOLVED STAFF COMMENTS**\n\nNone.\n\n**ITEM 2. PROPERTIES**\n\n" PARA "\n";
    rfx_register *r = parse(doc, NULL);
    assert_non_null(r);
    assert_int_equal(r->format, RFX_FMT_MARKDOWN);
    assert_true(r->section.found);
    /* offsets are into the Markdown bytes: the title's text, past "**" */
    assert_int_equal(r->section.start, (uint32_t)(strstr(doc, "ITEM 1A.") - doc));
    assert_int_equal(rfx_risk_count(r), 4);
    static const char *want[] = {"We may not achieve our expected growth.", "Our indebtedness could limit our flexibility.",
                                 "Competition could harm us.", "We depend on key personnel."};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(rfx_risk_heading(r, i), want[i]);
        assert_string_equal(rfx_risk_group(r, i), "Risks Related to Our Business");
        assert_int_equal(r->risks[i].start, (uint32_t)(strstr(doc, want[i]) - doc));
    }
    /* emphasis markers and references are gone from the text */
    assert_null(strstr(r->risks[1].body.s, "**"));
    assert_non_null(strstr(r->risks[1].body.s, "first item with bold words"));
    assert_null(strstr(r->risks[2].body.s, "<div")); /* inline HTML tags dropped */
    assert_non_null(strstr(r->risks[0].body.s, "revenue could fall"));
    rfx_register_free(r);
}

/* Plain text with a "#" or a "|" here and there stays plain text. */
static void test_markdown_not_detected(void **state) {
    (void)state;
    const char *doc = "Item 1A. Risk Factors\n\nWe rank #1 in our market | and we may lose that rank.\n\n" PARA "\n";
    assert_false(rfx_looks_markdown((const unsigned char *)doc, strlen(doc)));
    const char *md = "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    assert_true(rfx_looks_markdown((const unsigned char *)md, strlen(md)));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cover_6k),
        cmocka_unit_test(test_cover_prospectus),
        cmocka_unit_test(test_sgml_type_without_header),
        cmocka_unit_test(test_10q_refers_to_annual_report),
        cmocka_unit_test(test_10q_one_new_risk),
        cmocka_unit_test(test_10q_part1_caption_and_part2_item),
        cmocka_unit_test(test_prospectus_summary_row),
        cmocka_unit_test(test_run_in_headings_under_captions),
        cmocka_unit_test(test_labels_in_body_stay_body),
        cmocka_unit_test(test_captions_with_styled_headings),
        cmocka_unit_test(test_heading_over_page_break),
        cmocka_unit_test(test_stripped_text_page_break),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_markdown_not_detected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
