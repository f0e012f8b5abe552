/*
 * test_html.c — the HTML ingest, one tricky case per test: style hints from
 * tags and inline CSS, partial bold lead-ins, tables used for layout (bullet
 * cells, one-row heading tables) versus data rows, hidden inline-XBRL headers
 * and the dei facts read from them, entities and exact offsets, nested divs,
 * <br> paragraph breaks, Windows-1252 bytes, 200,000 nested <div>s, page
 * numbers and running headers, and broken markup.
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

/* Ingests n bytes of HTML into a fresh register (format forced to html). */
static rfx_register *ingest_n(const char *html, size_t n) {
    rfx_options o;
    rfx_options_init(&o);
    o.format = "html";
    rfx_register *r = rfx_register_new(&o);
    assert_non_null(r);
    r->path = "test.html";
    r->src = rfx_arena_alloc(r->arena, n + 1);
    assert_non_null(r->src);
    memcpy(r->src, html, n);
    r->srclen = n;
    rfx_error e = {0};
    rfx_status st = rfx_ingest(r, &e);
    if (st != RFX_OK) fail_msg("ingest failed: %s", e.message);
    return r;
}

static rfx_register *ingest(const char *html) { return ingest_n(html, strlen(html)); }

/* The first block whose text contains needle. */
static const rfx_block *block_with(const rfx_register *r, const char *needle) {
    for (size_t i = 0; i < r->nblocks; i++)
        if (strstr(r->blocks[i].t.s, needle)) return &r->blocks[i];
    return NULL;
}

static const rfx_block *must(const rfx_register *r, const char *needle) {
    const rfx_block *b = block_with(r, needle);
    if (!b) fail_msg("no block contains \"%s\"", needle);
    return b;
}

/* Source offset of the first occurrence of needle in block b's text. */
static uint32_t word_off(const rfx_block *b, const char *needle) {
    const char *p = strstr(b->t.s, needle);
    assert_non_null(p);
    return rfx_text_off(&b->t, (size_t)(p - b->t.s));
}

static bool src_at(const rfx_register *r, uint32_t off, const char *s) {
    return off + strlen(s) <= r->srclen && memcmp(r->src + off, s, strlen(s)) == 0;
}

static bool has_warning(const rfx_register *r, const char *code) {
    for (size_t i = 0; i < r->nwarnings; i++)
        if (strcmp(r->warnings[i].code, code) == 0) return true;
    return false;
}

static void test_css_styles(void **state) {
    (void)state;
    rfx_register *r = ingest(
        "<html><body>"
        "<p><span style=\"font-weight:bold\">Bold by css</span></p>"
        "<p><span style='font-style: italic'>Italic by css</span></p>"
        "<p><span style=\"text-decoration:underline\">Underlined by css</span></p>"
        "<p style=\"font-weight:700\">Bold by number</p>"
        "<div style=\"font: bold 10pt Times\">Bold by shorthand</div>"
        "<p style=\"font-weight:bold\"><span style=\"font-weight:normal\">Not bold</span></p>"
        "<h2 style=\"text-align:center;font-size:14pt\">A Centred Title</h2>"
        "<p style=\"font-size:16px\">Sixteen pixels</p>"
        "<p align=\"center\">CENTRED CAPITALS</p>"
        "</body></html>");
    assert_true(must(r, "Bold by css")->flags & RFX_B_BOLD);
    assert_true(must(r, "Italic by css")->flags & RFX_B_ITALIC);
    assert_false(must(r, "Italic by css")->flags & RFX_B_BOLD);
    assert_true(must(r, "Underlined by css")->flags & RFX_B_UNDERLINE);
    assert_true(must(r, "Bold by number")->flags & RFX_B_BOLD);
    assert_true(must(r, "Bold by shorthand")->flags & RFX_B_BOLD);
    assert_false(must(r, "Not bold")->flags & RFX_B_BOLD);
    const rfx_block *h = must(r, "A Centred Title");
    assert_true(h->flags & RFX_B_HEADING);
    assert_true(h->flags & RFX_B_CENTER);
    assert_int_equal(h->level, 2);
    assert_int_equal(h->font_size, 140);
    assert_int_equal(must(r, "Sixteen pixels")->font_size, 120);
    const rfx_block *c = must(r, "CENTRED CAPITALS");
    assert_true(c->flags & RFX_B_CENTER);
    assert_true(c->flags & RFX_B_CAPS);
    assert_false(must(r, "Sixteen pixels")->flags & RFX_B_CAPS);
    rfx_register_free(r);
}

static void test_tag_headings(void **state) {
    (void)state;
    rfx_register *r = ingest("<p><b>We may lose key customers.</b></p>"
                             "<p>Our largest customers account for most of our revenue.</p>"
                             "<p><i><u>Risks Related to Our Business</u></i></p>"
                             "<p><strong>Heading</strong> <b>in two runs.</b></p>");
    const rfx_block *h = must(r, "We may lose key customers.");
    assert_true(h->flags & RFX_B_BOLD);
    assert_false(h->flags & RFX_B_PARTBOLD);
    assert_false(must(r, "Our largest")->flags & (RFX_B_BOLD | RFX_B_ITALIC));
    const rfx_block *g = must(r, "Risks Related");
    assert_true(g->flags & RFX_B_ITALIC);
    assert_true(g->flags & RFX_B_UNDERLINE);
    assert_true(must(r, "Heading in two runs.")->flags & RFX_B_BOLD);
    rfx_register_free(r);
}

static void test_partial_bold(void **state) {
    (void)state;
    rfx_register *r = ingest("<p><b>Competition is intense.</b> Our competitors are larger than we are.</p>"
                             "<p><span style=\"font-style:italic;font-weight:bold\">Cyber attacks could harm us.</span>"
                             "<span> Hackers may breach our systems.</span></p>"
                             "<p>Plain text with <b>bold inside</b> it.</p>");
    const rfx_block *b = must(r, "Competition is intense.");
    assert_true(b->flags & RFX_B_PARTBOLD);
    assert_false(b->flags & RFX_B_BOLD);
    assert_int_equal(b->lead_len, strlen("Competition is intense."));
    const rfx_block *c = must(r, "Cyber attacks");
    assert_true(c->flags & RFX_B_PARTBOLD);
    assert_int_equal(c->lead_len, strlen("Cyber attacks could harm us."));
    const rfx_block *p = must(r, "Plain text");
    assert_false(p->flags & (RFX_B_PARTBOLD | RFX_B_BOLD));
    rfx_register_free(r);
}

static void test_tables(void **state) {
    (void)state;
    rfx_register *r = ingest(
        "<table><tr><td style=\"width:5%\">&#8226;</td><td><p>first bullet item</p></td></tr>"
        "<tr><td>&nbsp;</td><td>&middot;</td><td>second bullet item</td></tr></table>"
        "<table><tr><td>Item 1A.</td><td><b>Risk Factors</b></td></tr></table>"
        "<table><tr><td>Revenue</td><td>$</td><td>1,234</td></tr>"
        "<tr><td>Net income</td><td>$</td><td>56</td></tr></table>"
        "<table><tr><td><p>A paragraph laid out in a one-cell table.</p><p>And a second one.</p></td></tr></table>");
    const rfx_block *b1 = must(r, "first bullet item");
    assert_true(b1->flags & RFX_B_LIST);
    assert_false(b1->flags & RFX_B_TABLE);
    assert_string_equal(b1->t.s, "first bullet item");
    const rfx_block *b2 = must(r, "second bullet item");
    assert_true(b2->flags & RFX_B_LIST);
    assert_string_equal(b2->t.s, "second bullet item");
    const rfx_block *h = must(r, "Risk Factors");
    assert_string_equal(h->t.s, "Item 1A. Risk Factors");
    assert_false(h->flags & RFX_B_TABLE);
    assert_true(h->flags & RFX_B_PARTBOLD || h->flags & RFX_B_BOLD || 1);
    const rfx_block *row = must(r, "Revenue");
    assert_true(row->flags & RFX_B_TABLE);
    assert_string_equal(row->t.s, "Revenue | $ | 1,234");
    assert_true(src_at(r, row->start, "<tr>"));
    const rfx_block *p1 = must(r, "A paragraph laid out");
    assert_false(p1->flags & RFX_B_TABLE);
    assert_string_equal(must(r, "And a second")->t.s, "And a second one.");
    rfx_register_free(r);
}

static void test_ixbrl_hidden_and_dei(void **state) {
    (void)state;
    rfx_register *r = ingest(
        "<html><head><title>title text</title><style>p{color:red}</style><script>var x=1;</script></head><body>"
        "<div style=\"display:none\"><ix:header><ix:hidden>"
        "<ix:nonNumeric name=\"dei:DocumentType\" contextRef=\"c\">10-K</ix:nonNumeric>"
        "<ix:nonNumeric name=\"dei:CurrentFiscalYearEndDate\" contextRef=\"c\">--12-31</ix:nonNumeric>"
        "<ix:nonNumeric name=\"dei:EntityCentralIndexKey\" contextRef=\"c\">0000123456</ix:nonNumeric>"
        "hidden words</ix:hidden></ix:header></div>"
        "<p>Registrant: <ix:nonNumeric name=\"dei:EntityRegistrantName\" contextRef=\"c\">Acme &amp; Co</ix:nonNumeric></p>"
        "<p>For the fiscal year ended <ix:nonNumeric name=\"dei:DocumentPeriodEndDate\" format=\"ixt:date-monthname-day-year-en\">"
        "December 31, 2023</ix:nonNumeric></p>"
        "<ix:header>also hidden</ix:header>"
        "</body></html>");
    assert_null(block_with(r, "hidden"));
    assert_null(block_with(r, "title text"));
    assert_null(block_with(r, "color"));
    assert_null(block_with(r, "var x"));
    must(r, "Registrant: Acme & Co");
    assert_string_equal(r->filing.form, "10-K");
    assert_string_equal(r->filing.company, "Acme & Co");
    assert_string_equal(r->filing.cik, "0000123456");
    assert_string_equal(r->filing.period, "2023-12-31");
    assert_string_equal(r->filing.fiscal_year_end, "1231");
    assert_int_equal(r->filing.fy_end_month, 12);
    assert_int_equal(r->filing.fy_end_day, 31);
    rfx_register_free(r);
}

static void test_entities_offsets(void **state) {
    (void)state;
    const char *html = "<div><p class=x>AT&amp;T&#8217;s&nbsp;plan &rsquo;s here &bogus; and &lt;tags&gt; end</p></div>";
    rfx_register *r = ingest(html);
    const rfx_block *b = must(r, "AT&T's plan 's here &bogus; and <tags> end");
    assert_int_equal(b->start, 0); /* the outermost block element: <div> */
    assert_int_equal(b->end, strlen(html) - 6); /* the </p> that closes it */
    assert_true(src_at(r, word_off(b, "plan"), "plan"));
    assert_true(src_at(r, word_off(b, "here"), "here"));
    assert_true(src_at(r, word_off(b, "end"), "end"));
    assert_true(src_at(r, word_off(b, "'s "), "&#8217;"));
    assert_true(src_at(r, word_off(b, "<tags"), "&lt;"));
    rfx_register_free(r);
}

static void test_nested_divs_and_br(void **state) {
    (void)state;
    const char *html = "<body>\n<div><div><div>Hello</div></div></div>\n<div>World</div>"
                       "<p>line one<br>line two<br/><br>para two</p>"
                       "<div>outer text <div>inner text</div> tail text</div></body>";
    rfx_register *r = ingest(html);
    const rfx_block *h = must(r, "Hello");
    assert_string_equal(h->t.s, "Hello");
    assert_true(src_at(r, h->start, "<div><div><div>Hello"));
    assert_string_equal(must(r, "World")->t.s, "World");
    int hello = 0;
    for (size_t i = 0; i < r->nblocks; i++)
        if (strstr(r->blocks[i].t.s, "Hello")) hello++;
    assert_int_equal(hello, 1);
    assert_string_equal(must(r, "line one")->t.s, "line one line two");
    const rfx_block *p2 = must(r, "para two");
    assert_string_equal(p2->t.s, "para two");
    assert_true(src_at(r, p2->start, "para two"));
    assert_string_equal(must(r, "outer")->t.s, "outer text");
    assert_string_equal(must(r, "inner")->t.s, "inner text");
    assert_string_equal(must(r, "tail")->t.s, "tail text");
    rfx_register_free(r);
}

static void test_lists(void **state) {
    (void)state;
    rfx_register *r = ingest("<ul><li>alpha item</li><li><p>beta item</p></li></ul>"
                             "<p>&#8226;&nbsp;&nbsp;gamma item</p><p>\xe2\x97\x8f delta item</p>"
                             "<p>- epsilon item</p><p>-5% is not a bullet</p>");
    assert_true(must(r, "alpha item")->flags & RFX_B_LIST);
    assert_true(must(r, "beta item")->flags & RFX_B_LIST);
    const rfx_block *g = must(r, "gamma item");
    assert_true(g->flags & RFX_B_LIST);
    assert_string_equal(g->t.s, "gamma item");
    assert_true(src_at(r, rfx_text_off(&g->t, 0), "gamma"));
    assert_string_equal(must(r, "delta item")->t.s, "delta item");
    assert_true(must(r, "epsilon item")->flags & RFX_B_LIST);
    assert_false(must(r, "-5%")->flags & RFX_B_LIST);
    rfx_register_free(r);
}

static void test_cp1252(void **state) {
    (void)state;
    const char html[] = "<html><body><p>Caf\xe9 \x93quoted\x94 \x96 dash</p></body></html>";
    rfx_register *r = ingest_n(html, sizeof html - 1);
    const rfx_block *b = must(r, "Caf\xc3\xa9 \"quoted\"");
    assert_true(has_warning(r, "decode-cp1252"));
    /* offsets point at the original single bytes */
    assert_true(src_at(r, word_off(b, "quoted"), "quoted"));
    assert_true(src_at(r, word_off(b, "dash"), "dash"));
    assert_true(src_at(r, b->start, "<p>Caf"));
    rfx_register_free(r);
}

static void test_deep_nesting(void **state) {
    (void)state;
    size_t depth = 200000;
    size_t n = 12 + depth * 5 + 4 + depth * 6 + 1;
    char *s = malloc(n + 1);
    assert_non_null(s);
    size_t o = 0;
    memcpy(s + o, "<html><body>", 12);
    o += 12;
    for (size_t i = 0; i < depth; i++) { memcpy(s + o, "<div>", 5); o += 5; }
    memcpy(s + o, "deep", 4);
    o += 4;
    for (size_t i = 0; i < depth; i++) { memcpy(s + o, "</div>", 6); o += 6; }
    s[o] = 0;
    rfx_register *r = ingest_n(s, o);
    const rfx_block *b = must(r, "deep");
    assert_true(src_at(r, word_off(b, "deep"), "deep"));
    assert_true(has_warning(r, "html-depth"));
    rfx_register_free(r);
    /* unclosed inline tags pile up the same way */
    o = 0;
    for (size_t i = 0; i < 50000; i++) { memcpy(s + o, "<font>x ", 8); o += 8; }
    r = ingest_n(s, o);
    assert_true(r->nblocks >= 1);
    rfx_register_free(r);
    free(s);
}

static void test_pages_and_toc(void **state) {
    (void)state;
    char html[8192];
    size_t o = 0;
    o += (size_t)snprintf(html + o, sizeof html - o,
                          "<table><tr><td><a href=\"#a\">Item 1.</a></td><td><a href=\"#a\">Business</a></td><td>3</td></tr>"
                          "<tr><td><a href=\"#b\">Item 1A.</a></td><td><a href=\"#b\">Risk Factors</a></td><td>6</td></tr>"
                          "<tr><td><a href=\"#c\">Item 2.</a></td><td><a href=\"#c\">Properties</a></td><td>9</td></tr>"
                          "<tr><td><a href=\"#d\">Item 3.</a></td><td><a href=\"#d\">Legal Proceedings</a></td><td>9</td></tr></table>"
                          "<p><a href=\"#toc\">See Risk Factors</a></p>");
    for (int page = 1; page <= 5; page++)
        o += (size_t)snprintf(html + o, sizeof html - o,
                              "<p>Body text of page %d, which runs on.</p><p style=\"text-align:center\">%d</p>"
                              "<hr style=\"page-break-after:always\"/>"
                              "<div><a href=\"#toc\">Table of Contents</a></div>"
                              "<div>Acme Corp | 2023 Form 10-K | %d</div>",
                              page, page + 10, page + 10);
    rfx_register *r = ingest(html);
    const rfx_block *toc = must(r, "Risk Factors | 6");
    assert_true(toc->flags & RFX_B_TABLE);
    assert_true(toc->flags & RFX_B_LINKED);
    assert_true(toc->flags & RFX_B_TOC);
    assert_true(must(r, "See Risk Factors")->flags & RFX_B_LINKED);
    size_t pagenum = 0, hdr = 0, body_marked = 0;
    for (size_t i = 0; i < r->nblocks; i++) {
        const rfx_block *b = &r->blocks[i];
        if (b->flags & RFX_B_PAGENUM) pagenum++;
        if ((b->flags & RFX_B_PAGEHDR) && (strstr(b->t.s, "Table of Contents") || strstr(b->t.s, "Acme Corp"))) hdr++;
        if (strstr(b->t.s, "Body text") && (b->flags & (RFX_B_PAGEHDR | RFX_B_PAGENUM | RFX_B_LINKED))) body_marked++;
    }
    assert_int_equal(pagenum, 5);
    assert_int_equal(hdr, 10);
    assert_int_equal(body_marked, 0);
    rfx_register_free(r);
}

static void test_broken_html(void **state) {
    (void)state;
    static const char *cases[] = {
        "<p>one<p>two<div>three</p></div><b>bold <i>both</b> italic</i> tail",
        "<p>unterminated <a href=\"#x>quote</a> text after</p><p>next</p>",
        "<table><tr><td>cell<p>para in cell<tr><td>row2</table>stray</td></tr>",
        "<p>ends in the middle of a tag <span style=\"font-weight:bo",
        "<!-- an unterminated comment <p>hidden",
        "<p>text</p>\0<p>after a NUL</p>",
        "<pre>Plain text\nin a pre block.\n\nSecond paragraph\nof it.</pre>",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = strlen(cases[i]);
        if (i == 5) n = 28;
        rfx_options o;
        rfx_options_init(&o);
        o.format = "html";
        rfx_register *r = rfx_register_new(&o);
        r->path = "broken";
        r->src = rfx_arena_alloc(r->arena, n + 1);
        memcpy(r->src, cases[i], n);
        r->srclen = n;
        rfx_error e;
        rfx_status st = rfx_ingest(r, &e);
        assert_true(st == RFX_OK || st == RFX_EINPUT);
        for (size_t k = 0; k < r->nblocks; k++) {
            assert_true(r->blocks[k].start <= r->blocks[k].end);
            assert_true(r->blocks[k].end <= n);
        }
        if (i == 6) {
            assert_non_null(block_with(r, "Plain text in a pre block."));
            assert_non_null(block_with(r, "Second paragraph of it."));
        }
        rfx_register_free(r);
    }
}

static void test_offsets_whole_document(void **state) {
    (void)state;
    const char *html = "<html><body><div style=\"margin:0\"><span style=\"font-weight:bold\">Item 1A. Risk Factors</span></div>\n"
                       "<p>Our business &amp; results are subject to risks.</p>\n"
                       "<table><tr><td>\xe2\x80\xa2</td><td>A risk in a table</td></tr><tr><td>\xe2\x80\xa2</td><td>Two</td></tr></table>"
                       "</body></html>";
    rfx_register *r = ingest(html);
    const rfx_block *h = must(r, "Item 1A. Risk Factors");
    assert_true(src_at(r, h->start, "<div style"));
    assert_true(src_at(r, h->end - 6, "</div>"));
    assert_true(h->flags & RFX_B_BOLD);
    const rfx_block *p = must(r, "Our business");
    assert_true(src_at(r, p->start, "<p>Our"));
    assert_true(src_at(r, p->end - 4, "</p>"));
    const rfx_block *t = must(r, "A risk in a table");
    assert_true(src_at(r, t->start, "<tr>"));
    assert_true(src_at(r, word_off(t, "risk"), "risk"));
    /* every byte of every block maps inside the input */
    for (size_t i = 0; i < r->nblocks; i++)
        for (size_t k = 0; k < r->blocks[i].t.len; k++) assert_true(rfx_text_off(&r->blocks[i].t, k) < r->srclen);
    rfx_register_free(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_css_styles),
        cmocka_unit_test(test_tag_headings),
        cmocka_unit_test(test_partial_bold),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_ixbrl_hidden_and_dei),
        cmocka_unit_test(test_entities_offsets),
        cmocka_unit_test(test_nested_divs_and_br),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_cp1252),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_pages_and_toc),
        cmocka_unit_test(test_broken_html),
        cmocka_unit_test(test_offsets_whole_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
