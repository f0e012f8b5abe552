/*
 * fuzz_edgar.c — libFuzzer target for the EDGAR readers of `rfx fetch`
 * (src/fetch/edgar.c): what the network answers is untrusted. The first byte
 * picks the reader — company_tickers.json, a submissions document, an
 * older-filings page, a full-index form.idx/company.idx — and the rest is
 * given on an exact-length copy (no NUL terminator, so an over-read shows).
 *
 * Invariants (a violation traps): a failure appends nothing and explains
 * itself; every filing read has a CIK of digits, an accession of the form
 * NNNNNNNNNN-NN-NNNNNN, a YYYY-MM-DD filing date, a form the filter wants,
 * and a primary document that cannot leave its folder; every older page
 * name is safe to put in a URL.
 */
#include "fetch/edgar.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) \
    do { if (!(c)) __builtin_trap(); } while (0)

static void check_filing(const rfx_edgar_filter *f, const rfx_edgar_filing *x) {
    size_t n = strlen(x->cik);
    CHECK(n >= 1 && n <= 10 && x->cik[0] != '0');
    for (size_t i = 0; i < n; i++) CHECK(isdigit((unsigned char)x->cik[i]));
    CHECK(strlen(x->accession) == 20 && x->accession[10] == '-' && x->accession[13] == '-');
    CHECK(strlen(x->filing_date) == 10 && x->filing_date[4] == '-');
    CHECK(rfx_edgar_form_wanted(f, x->form));
    CHECK(rfx_edgar_date_wanted(f, x->filing_date));
    CHECK(!x->primary_doc || rfx_edgar_safe_doc(x->primary_doc));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    int which = data[0] % 4;
    char *copy = malloc(size - 1 ? size - 1 : 1);
    if (!copy) return 0;
    if (size > 1) memcpy(copy, data + 1, size - 1);
    size_t len = size - 1;
    static const char *const forms[] = {"10-K", "20-F", "SC 13G"};
    rfx_edgar_filter f = {.forms = (which & 1) ? forms : NULL, .nforms = 3, .amendments = which >> 1};
    if (which == 3) {
        strcpy(f.since, "2000-01-01");
        strcpy(f.until, "2024-12-31");
    }
    rfx_edgar_list l = {0};
    rfx_error e;
    rfx_status st;
    if (which == 0) {
        rfx_edgar_tickers *t = NULL;
        st = rfx_edgar_tickers_parse(copy, len, &t, &e);
        CHECK((st == RFX_OK) == (t != NULL));
        if (t) {
            CHECK(rfx_edgar_tickers_count(t) > 0);
            const char *c = rfx_edgar_tickers_find(t, "AAPL", NULL);
            CHECK(!c || (strlen(c) <= 10 && c[0] != '0'));
        } else {
            CHECK(e.message[0]);
        }
        rfx_edgar_tickers_free(t);
        /* the same bytes as a full-index file */
        size_t bad = 0;
        st = rfx_edgar_parse_index(copy, len, &f, &l, &bad, &e);
        CHECK(st == RFX_OK || st == RFX_ENOMEM || (l.n == 0 && e.message[0]));
    } else {
        char **pages = NULL, *company = NULL;
        int page = which == 2;
        st = rfx_edgar_parse_submissions(copy, len, page, "320193", &f, &l, page ? NULL : &pages,
                                         page ? NULL : &company, &e);
        if (st != RFX_OK) CHECK(!pages && !company && l.n == 0 && e.message[0]);
        for (char **p = pages; p && *p; p++) {
            CHECK(strlen(*p) <= 100 && !strchr(*p, '/') && (*p)[0] != '.');
        }
        rfx_edgar_pages_free(pages);
        free(company);
        if (which == 3) { /* and as an index, on its own list */
            rfx_edgar_list l2 = {0};
            size_t bad = 0;
            rfx_status st2 = rfx_edgar_parse_index(copy, len, &f, &l2, &bad, &e);
            CHECK(st2 == RFX_OK || st2 == RFX_ENOMEM || (l2.n == 0 && e.message[0]));
            for (size_t i = 0; i < l2.n; i++) check_filing(&f, &l2.v[i]);
            rfx_edgar_list_free(&l2);
        }
    }
    for (size_t i = 0; i < l.n; i++) check_filing(&f, &l.v[i]);
    rfx_edgar_list_free(&l);
    free(copy);
    return 0;
}
