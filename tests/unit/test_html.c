/*
 * test_html.c — the HTML ingest, one tricky case per test: style hints from
 * tags and inline CSS, partial bold lead-ins, tables used for layout (bullet
 * cells, one-row heading tables) versus data rows, hidden inline-XBRL headers
 * and the dei facts read from them, entities and exact offsets, nested divs,
 * <br> paragraph breaks, Windows-1252 bytes, 200,000 nested <div>s, page
 * numbers and running headers, and broken markup; and the compaction of
 * large documents (html_prep.c), which must change nothing but speed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rfx_internal.h"
#include "ingest/html_internal.h"
#include "ingest_helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ingests n bytes of HTML into a fresh register (format forced to html). */
static rfx_register *ingest_n(const char *html, size_t n) { return th_ingest(html, n, "html", "test.html"); }

static rfx_register *ingest(const char *html) { return ingest_n(html, strlen(html)); }

/* Source offset of the first occurrence of needle in block b's text. */
static uint32_t word_off(const rfx_block *b, const char *needle) {
    const char *p = strstr(b->t.s, needle);
    assert_non_null(p);
    return rfx_text_off(&b->t, (size_t)(p - b->t.s));
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
    assert_true(th_must(r, "Bold by css")->flags & RFX_B_BOLD);
    assert_true(th_must(r, "Italic by css")->flags & RFX_B_ITALIC);
    assert_false(th_must(r, "Italic by css")->flags & RFX_B_BOLD);
    assert_true(th_must(r, "Underlined by css")->flags & RFX_B_UNDERLINE);
    assert_true(th_must(r, "Bold by number")->flags & RFX_B_BOLD);
    assert_true(th_must(r, "Bold by shorthand")->flags & RFX_B_BOLD);
    assert_false(th_must(r, "Not bold")->flags & RFX_B_BOLD);
    const rfx_block *h = th_must(r, "A Centred Title");
    assert_true(h->flags & RFX_B_HEADING);
    assert_true(h->flags & RFX_B_CENTER);
    assert_int_equal(h->level, 2);
    assert_int_equal(h->font_size, 140);
    assert_int_equal(th_must(r, "Sixteen pixels")->font_size, 120);
    const rfx_block *c = th_must(r, "CENTRED CAPITALS");
    assert_true(c->flags & RFX_B_CENTER);
    assert_true(c->flags & RFX_B_CAPS);
    assert_false(th_must(r, "Sixteen pixels")->flags & RFX_B_CAPS);
    rfx_register_free(r);
}

static void test_tag_headings(void **state) {
    (void)state;
    rfx_register *r = ingest("<p><b>We may lose key customers.</b></p>"
                             "<p>Our largest customers account for most of our revenue.</p>"
                             "<p><i><u>Risks Related to Our Business</u></i></p>"
                             "<p><strong>Heading</strong> <b>in two runs.</b></p>");
    const rfx_block *h = th_must(r, "We may lose key customers.");
    assert_true(h->flags & RFX_B_BOLD);
    assert_false(h->flags & RFX_B_PARTBOLD);
    assert_false(th_must(r, "Our largest")->flags & (RFX_B_BOLD | RFX_B_ITALIC));
    const rfx_block *g = th_must(r, "Risks Related");
    assert_true(g->flags & RFX_B_ITALIC);
    assert_true(g->flags & RFX_B_UNDERLINE);
    assert_true(th_must(r, "Heading in two runs.")->flags & RFX_B_BOLD);
    rfx_register_free(r);
}

static void test_partial_bold(void **state) {
    (void)state;
    rfx_register *r = ingest("<p><b>Competition is intense.</b> Our competitors are larger than we are.</p>"
                             "<p><span style=\"font-style:italic;font-weight:bold\">Cyber attacks could harm us.</span>"
                             "<span> Hackers may breach our systems.</span></p>"
                             "<p>Plain text with <b>bold inside</b> it.</p>");
    const rfx_block *b = th_must(r, "Competition is intense.");
    assert_true(b->flags & RFX_B_PARTBOLD);
    assert_false(b->flags & RFX_B_BOLD);
    assert_int_equal(b->lead_len, strlen("Competition is intense."));
    const rfx_block *c = th_must(r, "Cyber attacks");
    assert_true(c->flags & RFX_B_PARTBOLD);
    assert_int_equal(c->lead_len, strlen("Cyber attacks could harm us."));
    const rfx_block *p = th_must(r, "Plain text");
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
    const rfx_block *b1 = th_must(r, "first bullet item");
    assert_true(b1->flags & RFX_B_LIST);
    assert_false(b1->flags & RFX_B_TABLE);
    assert_string_equal(b1->t.s, "first bullet item");
    const rfx_block *b2 = th_must(r, "second bullet item");
    assert_true(b2->flags & RFX_B_LIST);
    assert_string_equal(b2->t.s, "second bullet item");
    const rfx_block *h = th_must(r, "Risk Factors");
    assert_string_equal(h->t.s, "Item 1A. Risk Factors");
    assert_false(h->flags & RFX_B_TABLE);
    assert_true(h->flags & RFX_B_PARTBOLD || h->flags & RFX_B_BOLD || 1);
    const rfx_block *row = th_must(r, "Revenue");
    assert_true(row->flags & RFX_B_TABLE);
    assert_string_equal(row->t.s, "Revenue | $ | 1,234");
    assert_true(th_src_at(r, row->start, "<tr>"));
    const rfx_block *p1 = th_must(r, "A paragraph laid out");
    assert_false(p1->flags & RFX_B_TABLE);
    assert_string_equal(th_must(r, "And a second")->t.s, "And a second one.");
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
    assert_null(th_block_with(r, "hidden"));
    assert_null(th_block_with(r, "title text"));
    assert_null(th_block_with(r, "color"));
    assert_null(th_block_with(r, "var x"));
    th_must(r, "Registrant: Acme & Co");
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
    const rfx_block *b = th_must(r, "AT&T's plan 's here &bogus; and <tags> end");
    assert_int_equal(b->start, 0); /* the outermost block element: <div> */
    assert_int_equal(b->end, strlen(html) - 6); /* the </p> that closes it */
    assert_true(th_src_at(r, word_off(b, "plan"), "plan"));
    assert_true(th_src_at(r, word_off(b, "here"), "here"));
    assert_true(th_src_at(r, word_off(b, "end"), "end"));
    assert_true(th_src_at(r, word_off(b, "'s "), "&#8217;"));
    assert_true(th_src_at(r, word_off(b, "<tags"), "&lt;"));
    rfx_register_free(r);
}

static void test_nested_divs_and_br(void **state) {
    (void)state;
    const char *html = "<body>\n<div><div><div>Hello</div></div></div>\n<div>World</div>"
                       "<p>line one<br>line two<br/><br>para two</p>"
                       "<div>outer text <div>inner text</div> tail text</div></body>";
    rfx_register *r = ingest(html);
    const rfx_block *h = th_must(r, "Hello");
    assert_string_equal(h->t.s, "Hello");
    assert_true(th_src_at(r, h->start, "<div><div><div>Hello"));
    assert_string_equal(th_must(r, "World")->t.s, "World");
    int hello = 0;
    for (size_t i = 0; i < r->nblocks; i++)
        if (strstr(r->blocks[i].t.s, "Hello")) hello++;
    assert_int_equal(hello, 1);
    assert_string_equal(th_must(r, "line one")->t.s, "line one line two");
    const rfx_block *p2 = th_must(r, "para two");
    assert_string_equal(p2->t.s, "para two");
    assert_true(th_src_at(r, p2->start, "para two"));
    assert_string_equal(th_must(r, "outer")->t.s, "outer text");
    assert_string_equal(th_must(r, "inner")->t.s, "inner text");
    assert_string_equal(th_must(r, "tail")->t.s, "tail text");
    rfx_register_free(r);
}

static void test_lists(void **state) {
    (void)state;
    rfx_register *r = ingest("<ul><li>alpha item</li><li><p>beta item</p></li></ul>"
                             "<p>&#8226;&nbsp;&nbsp;gamma item</p><p>\xe2\x97\x8f delta item</p>"
                             "<p>- epsilon item</p><p>-5% is not a bullet</p>");
    assert_true(th_must(r, "alpha item")->flags & RFX_B_LIST);
    assert_true(th_must(r, "beta item")->flags & RFX_B_LIST);
    const rfx_block *g = th_must(r, "gamma item");
    assert_true(g->flags & RFX_B_LIST);
    assert_string_equal(g->t.s, "gamma item");
    assert_true(th_src_at(r, rfx_text_off(&g->t, 0), "gamma"));
    assert_string_equal(th_must(r, "delta item")->t.s, "delta item");
    assert_true(th_must(r, "epsilon item")->flags & RFX_B_LIST);
    assert_false(th_must(r, "-5%")->flags & RFX_B_LIST);
    rfx_register_free(r);
}

static void test_cp1252(void **state) {
    (void)state;
    const char html[] = "<html><body><p>Caf\xe9 \x93quoted\x94 \x96 dash</p></body></html>";
    rfx_register *r = ingest_n(html, sizeof html - 1);
    const rfx_block *b = th_must(r, "Caf\xc3\xa9 \"quoted\"");
    assert_true(th_has_warning(r, "decode-cp1252"));
    /* offsets point at the original single bytes */
    assert_true(th_src_at(r, word_off(b, "quoted"), "quoted"));
    assert_true(th_src_at(r, word_off(b, "dash"), "dash"));
    assert_true(th_src_at(r, b->start, "<p>Caf"));
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
    const rfx_block *b = th_must(r, "deep");
    assert_true(th_src_at(r, word_off(b, "deep"), "deep"));
    assert_true(th_has_warning(r, "html-depth"));
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
    const rfx_block *toc = th_must(r, "Risk Factors | 6");
    assert_true(toc->flags & RFX_B_TABLE);
    assert_true(toc->flags & RFX_B_LINKED);
    assert_true(toc->flags & RFX_B_TOC);
    assert_true(th_must(r, "See Risk Factors")->flags & RFX_B_LINKED);
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
            assert_non_null(th_block_with(r, "Plain text in a pre block."));
            assert_non_null(th_block_with(r, "Second paragraph of it."));
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
    const rfx_block *h = th_must(r, "Item 1A. Risk Factors");
    assert_true(th_src_at(r, h->start, "<div style"));
    assert_true(th_src_at(r, h->end - 6, "</div>"));
    assert_true(h->flags & RFX_B_BOLD);
    const rfx_block *p = th_must(r, "Our business");
    assert_true(th_src_at(r, p->start, "<p>Our"));
    assert_true(th_src_at(r, p->end - 4, "</p>"));
    const rfx_block *t = th_must(r, "A risk in a table");
    assert_true(th_src_at(r, t->start, "<tr>"));
    assert_true(th_src_at(r, word_off(t, "risk"), "risk"));
    /* every byte of every block maps inside the input */
    for (size_t i = 0; i < r->nblocks; i++)
        for (size_t k = 0; k < r->blocks[i].t.len; k++) assert_true(rfx_text_off(&r->blocks[i].t, k) < r->srclen);
    rfx_register_free(r);
}

/* ------------------------------------------------------------------ */
/* Compaction (html_prep.c): documents of RFX_HTML_COMPACT_MIN bytes   */
/* or more lose the attribute bytes html.c never reads                 */
/* ------------------------------------------------------------------ */

#define PAD_LEN (RFX_HTML_COMPACT_MIN + 16)

/* html with a comment of PAD_LEN bytes before (lead) or after it, so that
 * it is compacted; *shift = bytes added before html. Caller frees. */
static char *padded(const char *html, size_t n, bool lead, size_t *len, uint32_t *shift) {
    char *s = malloc(n + PAD_LEN + 1);
    assert_non_null(s);
    char *pad = lead ? s : s + n;
    memcpy(pad, "<!--", 4);
    memset(pad + 4, 'x', PAD_LEN - 7);
    memcpy(pad + PAD_LEN - 3, "-->", 3);
    memcpy(lead ? s + PAD_LEN : s, html, n);
    s[n + PAD_LEN] = 0;
    *len = n + PAD_LEN;
    *shift = lead ? PAD_LEN : 0;
    return s;
}

/* The compacted document gumbo would parse (doc, len, map). */
static void prepare(const char *s, size_t n, rfx_html_input *in) {
    rfx_options o;
    rfx_options_init(&o);
    rfx_register *r = rfx_register_new(&o);
    assert_non_null(r);
    r->path = "test.html";
    rfx_error e = {0};
    assert_int_equal(rfx_html_prepare(r, (const unsigned char *)s, n, 0, in, &e), RFX_OK);
    rfx_register_free(r);
}

/* Ingesting html padded (compacted) gives the very blocks, offsets, flags
 * and facts of html alone (not compacted), offsets moved by the padding. */
static void assert_same_compacted(const char *html, size_t n, bool lead) {
    size_t pn;
    uint32_t sh;
    char *p = padded(html, n, lead, &pn, &sh);
    rfx_html_input in;
    prepare(p, pn, &in);
    assert_true(in.compacted || in.len == pn);
    rfx_html_input_free(&in);
    rfx_register *a = ingest_n(html, n), *b = ingest_n(p, pn);
    assert_int_equal(a->nblocks, b->nblocks);
    for (size_t i = 0; i < a->nblocks; i++) {
        const rfx_block *x = &a->blocks[i], *y = &b->blocks[i];
        assert_string_equal(x->t.s, y->t.s);
        assert_int_equal(x->flags, y->flags);
        assert_int_equal(x->level, y->level);
        assert_int_equal(x->font_size, y->font_size);
        assert_int_equal(x->lead_len, y->lead_len);
        assert_int_equal(x->start + sh, y->start);
        assert_int_equal(x->end + sh, y->end);
        for (size_t k = 0; k <= x->t.len; k++)
            assert_int_equal(rfx_text_off(&x->t, k) + sh, rfx_text_off(&y->t, k));
    }
    const char *fa[] = {a->filing.form, a->filing.company, a->filing.cik, a->filing.period, a->filing.fiscal_year_end};
    const char *fb[] = {b->filing.form, b->filing.company, b->filing.cik, b->filing.period, b->filing.fiscal_year_end};
    for (int k = 0; k < 5; k++) {
        if (!fa[k]) assert_null(fb[k]);
        else assert_string_equal(fa[k], fb[k]);
    }
    rfx_register_free(a);
    rfx_register_free(b);
    free(p);
}

static void test_compact_drops_and_keeps(void **state) {
    (void)state;
    const char *html =
        "<html><body>"
        "<div id=\"d1\" class=\"c\" style=\"margin:0;font-family:'Times New Roman',serif;text-align:center;color:#000\">"
        "<span style=\"color:#000000;font-weight:700;line-height:120%\">Item 1A. Risk Factors</span></div>"
        "<ix:nonNumeric contextRef=\"c-1\" name=\"dei:DocumentType\" id=\"f-1\">10-K</ix:nonNumeric>"
        "<ix:nonFraction unitRef=\"usd\" contextRef=\"c-5\" decimals=\"-6\" scale=\"6\">965</ix:nonFraction>"
        "<p align=\"center\" class=\"x\">Centred</p><font size=\"4\" face=\"Arial\">Big</font>"
        "<a href=\"#i1a\" id=\"x\">Linked</a><input type=\"hidden\" name=\"q\">"
        "</body></html>";
    size_t pn;
    uint32_t sh;
    char *p = padded(html, strlen(html), false, &pn, &sh);
    rfx_html_input in;
    prepare(p, pn, &in);
    assert_true(in.compacted);
    assert_true(in.len < pn);
    char *doc = malloc(in.len + 1);
    assert_non_null(doc);
    memcpy(doc, in.doc, in.len);
    doc[in.len] = 0;
    /* read attributes and properties stay, the rest goes */
    assert_non_null(strstr(doc, "<div style=\"text-align:center;\">"));
    assert_non_null(strstr(doc, "<span style=\"font-weight:700;\">"));
    assert_non_null(strstr(doc, "<ix:nonNumeric name=\"dei:DocumentType\">"));
    assert_non_null(strstr(doc, "<ix:nonFraction>965"));
    assert_non_null(strstr(doc, "<p align=\"center\">"));
    assert_non_null(strstr(doc, "<font size=\"4\" face=\"Arial\">")); /* formatting elements stay whole */
    assert_non_null(strstr(doc, "<a href=\"#i1a\" id=\"x\">"));
    assert_non_null(strstr(doc, "<input type=\"hidden\">"));
    /* every byte outside the rewritten tags maps to the same input byte */
    for (size_t i = 0; i < in.len; i++) {
        assert_true(in.map[i] < pn);
        if (i && in.map[i] != in.map[i - 1] + 1) assert_true(doc[i - 1] != '>' || doc[i] == '>' || doc[i] == '/');
    }
    for (const char *w = doc; (w = strstr(w, "Risk")) != NULL; w++)
        assert_memory_equal(p + in.map[w - doc], "Risk", 4);
    assert_int_equal(in.map[in.len], pn);
    free(doc);
    rfx_html_input_free(&in);
    /* the blocks see the same styles and offsets */
    rfx_register *r = ingest_n(p, pn);
    const rfx_block *b = th_must(r, "Item 1A. Risk Factors");
    assert_true(th_src_at(r, b->start, "<div id=\"d1\""));
    assert_true(th_src_at(r, b->end - 6, "</div>"));
    assert_true(b->flags & RFX_B_BOLD);
    assert_true(b->flags & RFX_B_CENTER);
    assert_true(th_src_at(r, word_off(b, "Risk"), "Risk Factors</span>"));
    assert_string_equal(r->filing.form, "10-K");
    b = th_must(r, "Centred");
    assert_true(th_src_at(r, b->start, "<p align=\"center\" class"));
    assert_true(b->flags & RFX_B_CENTER);
    rfx_register_free(r);
    free(p);
    assert_same_compacted(html, strlen(html), false);
}

static void test_compact_tricky_tags(void **state) {
    (void)state;
    static const char *const docs[] = {
        /* quoted '>' in values, dropped and kept */
        "<p title=\"a>b\" style=\"font-weight:bold\" data-x='1>2'>Bold after quoted gt</p><p>Next</p>",
        "<p style=\"font-style:italic\" alt=\">\">Italic</p>",
        /* unquoted values, one ending in '/'; values without blanks around */
        "<p class=x/ style=font-weight:bold>Unquoted bold</p><div a=1 b=\"2\"/>after<p a=\"1\"b=\"2\"c>x</p>",
        "<p x=1 /y>not self-closing</p><p x=\"1\"/y>z</p><br clear=all/><hr size=2 noshade>",
        /* attributes without values, upper case, odd names */
        "<P CLASS STYLE=\"FONT-WEIGHT:BOLD\" ALIGN=CENTER>Upper</P><p =x \"q\" 'r' <s>odd</p>",
        /* duplicates: gumbo keeps the first; a bare duplicate glues names */
        "<p style=\"font-weight:bold\" style=\"font-weight:normal\">First wins</p>"
        "<p class x class align=center>Glued</p><p id=a style=\"font-style:italic\" id style=\"x\">G2</p>",
        "<html style=\"\"><body class=a><html style=\"font-weight:bold\"><body style=\"text-align:center\">Merged",
        /* comments, doctype, processing instructions, CDATA outside svg */
        "<!DOCTYPE html><?xml a=\"b\"?><!-- <p style=\"font-weight:bold\">not a tag --><p>After comment</p>"
        "<!--><p class=x>A</p><!---><p class=y>B</p><!-- a --!><p class=z>C</p><![CDATA[ <p class=q> ]]>D",
        /* raw text: script and style contents are not touched */
        "<script type=\"t\">var s = '<p class=\"x\">';</script><style media=x>p{color:red}</style><p>Body</p>"
        "<textarea rows=2><b class=x>t</b></textarea><title id=t><i class=y>x</i></title><xmp a=b><u c=d></xmp>E",
        "<script><!-- <script> </script> --></script><p class=x style=\"font-weight:bold\">After escaped script</p>",
        /* stray tags gumbo ignores, inside one text node */
        "<p>Before<td style=\"x\" class=\"y\">middle</td>after</span id=z>end</p>",
        "<div>Risk<tr class=q>factor<td align=center>text<body id=b>more</div>",
        /* foreign content stops compaction */
        "<p class=a>x</p><svg class=b><font color=red>y</font></svg><p class=c>z</p>",
        /* whitespace: CR, tabs, form feeds, vertical tab inside tags */
        "<p\r\nclass=\"a\"\r\nstyle=\"font-weight:bold\"\r\n>CRLF</p><p\tclass=a\fstyle=font-style:italic>Tabs</p><p\vclass=x>VT</p>",
        /* styles parse_css reads piece by piece */
        "<p style=\"color:red;;font-weight : bold ; x ;font:italic 9pt A;display:block\">Pieces</p>"
        "<p style=\"font-weight:bold&#59;display:none\">Entity kept whole</p><p style=\"\">Empty</p>"
        "<div style=\"page-break-before:always;margin:0\">Page</div><p style=\"display:none;color:red\">Hidden</p>",
        /* tables (classify_row reads style for display:none) */
        "<table class=t><tr style=\"height:1pt\"><td style=\"width:5%;border:none\">\xe2\x80\xa2</td>"
        "<td style=\"width:95%\">A risk in a row</td></tr></table>",
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        assert_same_compacted(docs[i], strlen(docs[i]), false);
        assert_same_compacted(docs[i], strlen(docs[i]), true);
    }
}

static void test_compact_cut_off(void **state) {
    (void)state;
    /* a tag cut off by the end of the input (unterminated quote, no '>'):
     * copied as it is, the rest keeps its offsets; the padding goes first */
    static const char *const docs[] = {
        "<p class=\"a\" style=\"font-weight:bold\">Bold text</p><p title=\"never closed>tail text",
        "<p class=a>Some text</p><div class=b style=\"x\"",
        "<p class=a>Text</p><p class=",
        "<p class=a>Text</p><p class=x/",
        "<p class=a>Text</p><script class=s>no end <p class=z>",
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) assert_same_compacted(docs[i], strlen(docs[i]), true);
    size_t pn;
    uint32_t sh;
    char *p = padded(docs[0], strlen(docs[0]), true, &pn, &sh);
    rfx_html_input in;
    prepare(p, pn, &in);
    assert_true(in.compacted);
    const char *tail = "<p title=\"never closed>tail text";
    assert_true(in.len >= strlen(tail));
    assert_memory_equal(in.doc + in.len - strlen(tail), tail, strlen(tail));
    rfx_html_input_free(&in);
    rfx_register *r = ingest_n(p, pn);
    const rfx_block *b = th_must(r, "Bold text");
    assert_true(b->flags & RFX_B_BOLD);
    assert_true(th_src_at(r, b->start, "<p class=\"a\""));
    assert_true(th_src_at(r, word_off(b, "text"), "text</p>"));
    rfx_register_free(r);
    free(p);
}

static void test_compact_cp1252(void **state) {
    (void)state;
    /* transcoded and compacted in place: offsets still reach the single bytes */
    const char html[] = "<p class=\"caf\xe9\" style=\"font-weight:bold;color:\x93red\x94\">Caf\xe9 \x93quoted\x94</p>"
                        "<p>x<td class=\"\x96\">stray \x96 dash</p>";
    assert_same_compacted(html, sizeof html - 1, false);
    assert_same_compacted(html, sizeof html - 1, true);
    size_t pn;
    uint32_t sh;
    char *p = padded(html, sizeof html - 1, false, &pn, &sh);
    rfx_register *r = ingest_n(p, pn);
    const rfx_block *b = th_must(r, "Caf\xc3\xa9 \"quoted\"");
    assert_true(b->flags & RFX_B_BOLD);
    assert_true(th_src_at(r, word_off(b, "quoted"), "quoted"));
    assert_true(th_src_at(r, b->start, "<p class"));
    rfx_register_free(r);
    free(p);
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
        cmocka_unit_test(test_compact_drops_and_keeps),
        cmocka_unit_test(test_compact_tricky_tags),
        cmocka_unit_test(test_compact_cut_off),
        cmocka_unit_test(test_compact_cp1252),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
