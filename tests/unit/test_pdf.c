/*
 * test_pdf.c — the PDF ingest path (src/ingest/pdf.c) on small PDFs written
 * here by hand: three pages of a text layer in Helvetica and Helvetica-Bold,
 * with a running head, page numbers, a heading, a hyphenated line end and a
 * list. Checks what the blocks say (bold, furniture, list), that offsets
 * index the extracted text, that page and box come back for a span, and
 * that damaged or truncated PDFs fail cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rfx_internal.h"
#include "ingest_helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pbuf { char *s; size_t n, cap; } pbuf;

static void put(pbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char tmp[4096];
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(k >= 0 && (size_t)k < sizeof tmp);
    if (b->n + (size_t)k + 1 > b->cap) {
        b->cap = (b->n + (size_t)k + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    memcpy(b->s + b->n, tmp, (size_t)k + 1);
    b->n += (size_t)k;
}

/* One text line: font F1 (regular) or F2 (bold), size, x, y from the bottom. */
typedef struct tline { int font; int size; int x, y; const char *text; } tline;

static const tline page1[] = {
    {1, 9, 72, 760, "Acme Corp 2024 Annual Report"},
    {2, 14, 72, 700, "Item 1A. Risk Factors"},
    {1, 10, 72, 670, "You should consider the risks below before investing in our"},
    {1, 10, 72, 658, "shares. Our results could suffer for many reasons."},
    {2, 10, 72, 630, "We depend on a small number of customers for most of our revenue."},
    {1, 10, 72, 606, "Our three largest customers accounted for 61% of net sales, or $12.5"},
    {1, 10, 72, 594, "million, in fiscal 2024. The loss of any of them would harm our busi-"},
    {1, 10, 72, 582, "ness and results of operations. Our customers may reduce orders at short notice,"},
    {1, 10, 72, 570, "move their purchases to our competitors, or ask for lower prices when their own"},
    {1, 10, 72, 558, "markets weaken, and we may not be able to replace the revenue we would lose."},
    {1, 10, 300, 40, "1"},
};
static const tline page2[] = {
    {1, 9, 72, 760, "Acme Corp 2024 Annual Report"},
    {2, 10, 72, 700, "Our supply chain is exposed to disruptions we cannot control."},
    {1, 10, 72, 676, "We buy components from suppliers in several countries, including:"},
    {1, 10, 72, 660, "- Taiwan, where most of our chips are made;"},
    {1, 10, 72, 646, "- Germany, where our sensors are assembled."},
    {1, 10, 72, 622, "A fire, a flood, a strike or new export controls at any of these places could stop"},
    {1, 10, 72, 610, "our production for weeks, and we hold only a few weeks of inventory of the parts."},
    {1, 10, 300, 40, "2"},
};
static const tline page3[] = {
    {1, 9, 72, 760, "Acme Corp 2024 Annual Report"},
    {2, 10, 72, 700, "Changes in tax law could reduce our earnings."},
    {1, 10, 72, 676, "New rules could raise our effective tax rate above 25% in 2025 and later, and"},
    {1, 10, 72, 664, "audits of past years in the countries where we operate could end in payments."},
    {2, 14, 72, 620, "Item 1B. Unresolved Staff Comments"},
    {1, 10, 72, 596, "None."},
    {1, 10, 300, 40, "3"},
};

static char *make_pdf(size_t *len) {
    const tline *pages[3] = {page1, page2, page3};
    size_t counts[3] = {sizeof page1 / sizeof *page1, sizeof page2 / sizeof *page2,
                        sizeof page3 / sizeof *page3};
    pbuf b = {0};
    size_t off[32];
    int nobj = 0;
    put(&b, "%%PDF-1.4\n");
    /* 1 catalog, 2 pages, 3 F1, 4 F2, then per page: page, content */
    off[++nobj] = b.n;
    put(&b, "1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n");
    off[++nobj] = b.n;
    put(&b, "2 0 obj <</Type/Pages/Kids[5 0 R 7 0 R 9 0 R]/Count 3>> endobj\n");
    off[++nobj] = b.n;
    put(&b, "3 0 obj <</Type/Font/Subtype/Type1/BaseFont/Helvetica>> endobj\n");
    off[++nobj] = b.n;
    put(&b, "4 0 obj <</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold>> endobj\n");
    for (int p = 0; p < 3; p++) {
        pbuf c = {0};
        for (size_t i = 0; i < counts[p]; i++) {
            const tline *l = &pages[p][i];
            put(&c, "BT /F%d %d Tf %d %d Td (%s) Tj ET\n", l->font, l->size, l->x, l->y, l->text);
        }
        off[++nobj] = b.n;
        put(&b, "%d 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 3 0 R/F2 4 0 R>>>>/Contents %d 0 R>> endobj\n",
            nobj, nobj + 1);
        off[++nobj] = b.n;
        put(&b, "%d 0 obj <</Length %zu>> stream\n", nobj, c.n);
        put(&b, "%s", c.s);
        put(&b, "endstream endobj\n");
        free(c.s);
    }
    size_t xref = b.n;
    put(&b, "xref\n0 %d\n0000000000 65535 f \n", nobj + 1);
    for (int i = 1; i <= nobj; i++) put(&b, "%010zu 00000 n \n", off[i]);
    put(&b, "trailer <</Size %d/Root 1 0 R>>\nstartxref\n%zu\n%%%%EOF\n", nobj + 1, xref);
    *len = b.n;
    return b.s;
}

static void test_blocks_and_offsets(void **state) {
    (void)state;
    size_t n;
    char *pdf = make_pdf(&n);
    rfx_register *r = th_ingest(pdf, n, NULL, "hand.pdf");
    assert_int_equal(r->format, RFX_FMT_PDF);
    assert_non_null(r->pdf);
    assert_int_equal(r->pdf->pages, 3);
    assert_int_equal(r->pdf->ocr_pages, 0);
    /* the heading is bold, and larger than the body */
    const rfx_block *h = th_must(r, "We depend on a small number of customers");
    assert_true(h->flags & RFX_B_BOLD);
    const rfx_block *item = th_must(r, "Item 1A. Risk Factors");
    assert_true(item->flags & RFX_B_HEADING);
    /* "busi-" + "ness" rejoined; the two lines are one paragraph */
    const rfx_block *body = th_must(r, "harm our business and results");
    assert_false(body->flags & RFX_B_BOLD);
    /* list items lose their dash */
    const rfx_block *li = th_must(r, "Taiwan, where");
    assert_true(li->flags & RFX_B_LIST);
    assert_int_equal(li->t.s[0], 'T');
    /* running head on three pages and page numbers are furniture */
    size_t hdr = 0, num = 0;
    for (size_t i = 0; i < r->nblocks; i++) {
        if (strstr(r->blocks[i].t.s, "Acme Corp 2024")) {
            assert_true(r->blocks[i].flags & RFX_B_PAGEHDR);
            hdr++;
        }
        if (r->blocks[i].flags & RFX_B_PAGENUM) num++;
    }
    assert_int_equal(hdr, 3);
    assert_int_equal(num, 3);
    /* offsets index the extracted text: the block's bytes are there */
    size_t tl = 0;
    const char *text = rfx_source_text(r, &tl);
    assert_non_null(text);
    assert_int_equal(tl, r->decoded.len);
    assert_true(h->end <= tl);
    assert_memory_equal(text + h->start, "We depend", 9);
    uint32_t s = rfx_text_start(&body->t, 0);
    assert_memory_equal(text + s, "Our three largest", 17);
    /* a span's page and box: "$12.5" sits on page 1, in the body line at y 606 from the bottom */
    const char *amt = strstr(body->t.s, "$12.5");
    assert_non_null(amt);
    size_t i0 = (size_t)(amt - body->t.s);
    uint32_t page = 0;
    float box[4];
    assert_true(rfx_pdf_span_box(r, rfx_text_start(&body->t, i0), rfx_text_end(&body->t, i0 + 5), &page, box));
    assert_int_equal(page, 1);
    assert_true(box[0] > 300 && box[2] < 612);      /* right half of the line */
    assert_true(box[1] > 792 - 606 - 12 && box[3] < 792 - 606 + 4); /* top-left origin */
    /* a span on page 2 */
    const rfx_block *sup = th_must(r, "Our supply chain");
    assert_true(rfx_pdf_span_box(r, sup->start, sup->end, &page, box));
    assert_int_equal(page, 2);
    rfx_register_free(r);
    free(pdf);
}

static void test_whole_parse(void **state) {
    (void)state;
    size_t n;
    char *pdf = make_pdf(&n);
    rfx_options o;
    rfx_options_init(&o);
    o.no_classify = 1;
    rfx_register *r = NULL;
    rfx_error e;
    assert_int_equal(rfx_parse_memory(pdf, n, "hand.pdf", &o, &r, &e), RFX_OK);
    assert_int_equal(rfx_risk_count(r), 3);
    assert_string_equal(rfx_risk_heading(r, 1), "Our supply chain is exposed to disruptions we cannot control.");
    char *json = rfx_register_json(r, 0);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"offsets\":\"extracted-text\""));
    assert_non_null(strstr(json, "\"page\":2"));
    assert_null(strstr(json, "Acme Corp 2024")); /* the running head is in no body */
    free(json);
    rfx_register_free(r);
    free(pdf);
}

static void test_damaged(void **state) {
    (void)state;
    size_t n;
    char *pdf = make_pdf(&n);
    rfx_options o;
    rfx_options_init(&o);
    o.ocr = -1;
    rfx_error e;
    /* every truncation: a clean status, never a crash; a register only with OK/ENOTFOUND */
    for (size_t cut = 8; cut < n; cut += 97) {
        rfx_register *r = NULL;
        rfx_status st = rfx_parse_memory(pdf, cut, "cut.pdf", &o, &r, &e);
        assert_true(st == RFX_OK || st == RFX_ENOTFOUND || st == RFX_EINPUT);
        assert_true((r != NULL) == (st == RFX_OK || st == RFX_ENOTFOUND));
        if (st == RFX_EINPUT) assert_non_null(strstr(e.message, "cut.pdf"));
        rfx_register_free(r);
    }
    /* forced --format pdf on text */
    rfx_register *r = NULL;
    o.format = "pdf";
    assert_int_equal(rfx_parse_memory("Item 1A. Risk Factors\n", 22, "t.txt", &o, &r, &e), RFX_EINPUT);
    assert_non_null(strstr(e.message, "not a readable PDF"));
    /* the page limit */
    o.format = NULL;
    o.max_pages = 1;
    rfx_status st = rfx_parse_memory(pdf, n, "one.pdf", &o, &r, &e);
    assert_true(st == RFX_OK || st == RFX_ENOTFOUND);
    assert_non_null(r);
    assert_int_equal(r->pdf->pages_read, 1);
    assert_null(th_block_with(r, "Our supply chain")); /* page 2 was not read */
    assert_true(th_has_warning(r, "pdf-page-limit"));
    rfx_register_free(r);
    free(pdf);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_and_offsets),
        cmocka_unit_test(test_whole_parse),
        cmocka_unit_test(test_damaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
