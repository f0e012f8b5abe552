/*
 * test_sgml.c — EDGAR full-submission ingest: the header's filing facts, the
 * choice of the main document (exhibits, XBRL and uuencoded graphics
 * skipped), HTML and 1990s plain-text documents with offsets into the whole
 * submission, tag-stripped copies, and a submission that is mostly uuencoded
 * data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rfx_internal.h"
#include "ingest_helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rfx_register *ingest_n(const char *s, size_t n) {
    rfx_register *r = th_ingest(s, n, NULL, "test.txt");
    assert_int_equal(r->format, RFX_FMT_SGML);
    return r;
}

static rfx_register *ingest(const char *s) { return ingest_n(s, strlen(s)); }

#define HEADER(form)                                                                           \
    "<SEC-DOCUMENT>0000950123-24-000001.txt : 20240201\n"                                      \
    "<SEC-HEADER>0000950123-24-000001.hdr.sgml : 20240201\n"                                   \
    "ACCESSION NUMBER:\t\t0000950123-24-000001\n"                                              \
    "CONFORMED SUBMISSION TYPE:\t" form "\n"                                                   \
    "PUBLIC DOCUMENT COUNT:\t\t4\n"                                                            \
    "CONFORMED PERIOD OF REPORT:\t20231231\n"                                                  \
    "FILER:\n\n\tCOMPANY DATA:\t\n"                                                            \
    "\t\tCOMPANY CONFORMED NAME:\t\t\tACME WIDGETS INC\n"                                      \
    "\t\tCENTRAL INDEX KEY:\t\t\t0000999999\n"                                                 \
    "\t\tFISCAL YEAR END:\t\t\t1231\n"                                                         \
    "\tFORMER COMPANY:\t\n\t\tFORMER CONFORMED NAME:\tACME OLD NAME\n"                         \
    "</SEC-HEADER>\n"

static void test_tagged_html(void **state) {
    (void)state;
    const char *s =
        HEADER("10-K")
        "<DOCUMENT>\n<TYPE>10-K\n<SEQUENCE>1\n<FILENAME>acme-10k.htm\n<DESCRIPTION>10-K\n<TEXT>\n"
        "<html><body><p><b>Item 1A. Risk Factors</b></p><p>Our widgets may fail.</p></body></html>\n"
        "</TEXT>\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>EX-21\n<SEQUENCE>2\n<FILENAME>ex21.htm\n<TEXT>\n"
        "<html><body><p>Subsidiaries exhibit text</p></body></html>\n</TEXT>\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>EX-101.INS\n<SEQUENCE>3\n<FILENAME>acme.xml\n<TEXT>\n<XBRL>xbrl facts</XBRL>\n</TEXT>\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>GRAPHIC\n<SEQUENCE>4\n<FILENAME>g1.jpg\n<TEXT>\nbegin 644 g1.jpg\n"
        "M_]C_X``02D9)1@`!`0$!KP&O``#__@`Y1$E32S$R-SI;,#=:1%`Q+C`W6D10\nend\n</TEXT>\n</DOCUMENT>\n"
        "</SEC-DOCUMENT>\n";
    rfx_register *r = ingest(s);
    assert_string_equal(r->filing.form, "10-K");
    assert_string_equal(r->filing.company, "ACME WIDGETS INC");
    assert_string_equal(r->filing.cik, "0000999999");
    assert_string_equal(r->filing.period, "2023-12-31");
    assert_string_equal(r->filing.fiscal_year_end, "1231");
    assert_int_equal(r->filing.fy_end_month, 12);
    assert_int_equal(r->filing.fy_end_day, 31);
    const rfx_block *h = th_must(r, "Item 1A. Risk Factors");
    assert_true(h->flags & RFX_B_BOLD);
    assert_true(th_src_at(r, h->start, "<p><b>Item 1A."));
    const rfx_block *b = th_must(r, "Our widgets may fail.");
    assert_true(th_src_at(r, rfx_text_off(&b->t, 0), "Our widgets"));
    assert_null(th_block_with(r, "Subsidiaries"));
    assert_null(th_block_with(r, "xbrl facts"));
    assert_null(th_block_with(r, "M_]C"));
    rfx_register_free(r);
}

static void test_plain_1990s(void **state) {
    (void)state;
    const char *s =
        HEADER("10-K405")
        "<DOCUMENT>\n<TYPE>EX-27\n<SEQUENCE>9\n<TEXT>\nfinancial data schedule\n</TEXT>\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>10-K405\n<SEQUENCE>1\n<TEXT>\n"
        "                          UNITED STATES\n"
        "               SECURITIES AND EXCHANGE COMMISSION\n\n"
        "ITEM 1.  BUSINESS\n\n"
        "     The Company makes widgets and sells them to customers in\n"
        "many countries around the world through its own sales force.\n\n"
        "                                  12\n\n"
        "<PAGE>\n\n"
        "FACTORS THAT MAY AFFECT FUTURE RESULTS\n\n"
        "     Competition in the widget industry is intense.\n"
        "</TEXT>\n</DOCUMENT>\n";
    rfx_register *r = ingest(s);
    assert_string_equal(r->filing.form, "10-K405");
    const rfx_block *b = th_must(r, "The Company makes widgets");
    assert_string_equal(b->t.s, "The Company makes widgets and sells them to customers in many countries around the world through its own sales force.");
    assert_true(th_src_at(r, b->start, "The Company"));
    assert_true(th_must(r, "<PAGE>")->flags & RFX_B_PAGENUM);
    assert_true(th_must(r, "12")->flags & RFX_B_PAGENUM);
    th_must(r, "FACTORS THAT MAY AFFECT");
    assert_null(th_block_with(r, "financial data schedule"));
    rfx_register_free(r);
}

static void test_tag_stripped(void **state) {
    (void)state;
    const char *s =
        "-----BEGIN PRIVACY-ENHANCED MESSAGE-----\n"
        "0000320193-19-000119.txt : 20191031\n"
        "ACCESSION NUMBER:\t\t0000320193-19-000119\n"
        "CONFORMED SUBMISSION TYPE:\t10-K\n"
        "CONFORMED PERIOD OF REPORT:\t20190928\n"
        "FILER:\n\n\tCOMPANY DATA:\t\n"
        "\t\tCOMPANY CONFORMED NAME:\t\t\tApple Inc.\n"
        "\t\tCENTRAL INDEX KEY:\t\t\t0000320193\n"
        "\t\tFISCAL YEAR END:\t\t\t0928\n"
        "10-K\n1\na10-k20199282019.htm\n"
        "Item 1A.\nRisk Factors\n\nThe Company's business can be affected by many factors.\n\n"
        "Apple Inc. | 2019 Form 10-K |\n64\n"
        "EX-4.1\n2\na10-kexhibit412019.htm\n"
        "EXHIBIT 4.1 exhibit words\n"
        "GRAPHIC\n9\ng1.jpg\nG1.JPG\nbegin 644 g1.jpg\n"
        "M_]C_X``02D9)1@`!`0$!KP&O``#__@`Y1$E32S$R-SI;,#=:1%`Q+C`W6D10\nend\n";
    rfx_register *r = ingest(s);
    assert_string_equal(r->filing.form, "10-K");
    assert_string_equal(r->filing.company, "Apple Inc.");
    assert_string_equal(r->filing.period, "2019-09-28");
    assert_string_equal(r->filing.fiscal_year_end, "0928");
    assert_int_equal(r->filing.fy_end_month, 9);
    th_must(r, "Risk Factors");
    const rfx_block *b = th_must(r, "can be affected");
    assert_true(th_src_at(r, b->start, "The Company"));
    assert_null(th_block_with(r, "exhibit words"));
    assert_null(th_block_with(r, "M_]C"));
    assert_null(th_block_with(r, "CONFORMED"));
    rfx_register_free(r);
}

static void test_uuencode_inside_main(void **state) {
    (void)state;
    const char *s =
        HEADER("10-K")
        "<DOCUMENT>\n<TYPE>10-K\n<SEQUENCE>1\n<TEXT>\nBefore the picture.\n\n"
        "begin 644 chart.gif\nM1TE&.#EA`0`!`(```````/___R'Y!`$`````+``````!``$```!1`$`.S\n`\nend\n\n"
        "After the picture.\n</TEXT>\n</DOCUMENT>\n";
    rfx_register *r = ingest(s);
    th_must(r, "Before the picture.");
    const rfx_block *a = th_must(r, "After the picture.");
    assert_true(th_src_at(r, a->start, "After"));
    assert_null(th_block_with(r, "M1TE"));
    assert_true(th_has_warning(r, "uuencoded"));
    rfx_register_free(r);
}

/* A submission of 20 MB of uuencoded graphics around a small 10-K: one
 * linear pass, no quadratic rescans, memory bounded by the input. */
static void test_mostly_uuencoded(void **state) {
    (void)state;
    const char *head = HEADER("10-K")
        "<DOCUMENT>\n<TYPE>10-K\n<SEQUENCE>1\n<TEXT>\n<html><body><p>Item 1A. Risk Factors</p></body></html>\n</TEXT>\n</DOCUMENT>\n";
    const char *line = "M_]C_X``02D9)1@`!`0$!KP&O``#__@`Y1$E32S$R-SI;,#=:1%`Q+C`W6D10\n";
    size_t hl = strlen(head), ll = strlen(line), lines = 20u << 20 >> 6;
    size_t cap = hl + lines * ll + 4096;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t o = 0;
    memcpy(s, head, hl);
    o = hl;
    for (int d = 0; d < 8; d++) {
        o += (size_t)snprintf(s + o, cap - o, "<DOCUMENT>\n<TYPE>GRAPHIC\n<SEQUENCE>%d\n<TEXT>\nbegin 644 g%d.jpg\n", d + 2, d);
        for (size_t k = 0; k < lines / 8; k++) { memcpy(s + o, line, ll); o += ll; }
        o += (size_t)snprintf(s + o, cap - o, "end\n</TEXT>\n</DOCUMENT>\n");
    }
    rfx_register *r = ingest_n(s, o);
    th_must(r, "Item 1A. Risk Factors");
    assert_int_equal(r->nblocks, 1);
    rfx_register_free(r);
    free(s);
}

static void test_no_documents(void **state) {
    (void)state;
    rfx_register *r = ingest(HEADER("10-K") "Just some text after the header.\n");
    th_must(r, "Just some text");
    assert_true(th_has_warning(r, "sgml-no-documents"));
    rfx_register_free(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tagged_html),
        cmocka_unit_test(test_plain_1990s),
        cmocka_unit_test(test_tag_stripped),
        cmocka_unit_test(test_uuencode_inside_main),
        cmocka_unit_test(test_mostly_uuencoded),
        cmocka_unit_test(test_no_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
