/*
 * edgar.h — what rfx knows about SEC EDGAR: where things live (URLs), and
 * readers for the three documents a fetch lists filings from:
 * company_tickers.json, the submissions API's JSON (main document and its
 * older-filings pages) and the quarterly full-index form.idx / company.idx.
 * Every reader takes untrusted bytes of a given length (no NUL needed), and
 * answers with a status and a one-line message; none of them does I/O.
 */
#ifndef RFX_FETCH_EDGAR_H
#define RFX_FETCH_EDGAR_H

#include "rfx.h"

#include <stddef.h>

/* One filing to fetch. cik is digits without leading zeros; accession is
 * NNNNNNNNNN-NN-NNNNNN. primary_doc is the primary document's path inside the
 * filing folder, or NULL when only the full-submission .txt is known (old
 * text filings, and filings listed from a full-index file). */
typedef struct rfx_edgar_filing {
    char cik[11];
    char accession[21];
    char form[24];
    char filing_date[11];  /* YYYY-MM-DD */
    char report_date[11];  /* YYYY-MM-DD or "" */
    char *company;         /* malloc'd or NULL */
    char *primary_doc;     /* malloc'd or NULL */
} rfx_edgar_filing;

typedef struct rfx_edgar_list {
    rfx_edgar_filing *v;
    size_t n, cap;
} rfx_edgar_list;

void rfx_edgar_list_free(rfx_edgar_list *l);
/* Moves src's filings to the end of dst (src is left empty). 0 or -1 (memory). */
int rfx_edgar_list_take(rfx_edgar_list *dst, rfx_edgar_list *src);

/* Which filings a run wants. forms == NULL means every form. An amendment
 * ("10-K/A") is kept only with amendments set, and then when its base form is
 * wanted. since/until are inclusive YYYY-MM-DD bounds ("" = open). ciks, when
 * set, restricts a full-index listing to those companies. */
typedef struct rfx_edgar_filter {
    const char *const *forms;
    size_t nforms;
    int amendments;
    char since[11], until[11];
    const char *const *ciks;
    size_t nciks;
} rfx_edgar_filter;

int rfx_edgar_form_wanted(const rfx_edgar_filter *f, const char *form);
int rfx_edgar_date_wanted(const rfx_edgar_filter *f, const char *date);

/* "2024", "2024-03" or "2024-03-31" → an inclusive bound: the first day of
 * the period (upper = 0) or its last (upper = 1). */
rfx_status rfx_edgar_date_bound(const char *s, int upper, char out[11], rfx_error *err);
/* "320193", "0000320193" → "320193"; 0 if s is not a CIK. */
int rfx_edgar_cik_norm(const char *s, char out[11]);
/* "2024Q1" → 2024, 1; 0 if s is not a quarter. */
int rfx_edgar_quarter(const char *s, int *year, int *q);
/* A document path from the network is used on disk only if it cannot leave
 * the filing folder ([A-Za-z0-9._-] segments, no "..", no leading '/' or '.')
 * nor take the name of rfx fetch's own files (rfx-fetch.json, *.part). */
int rfx_edgar_safe_doc(const char *path);
/* The file name a document is saved under (its last path segment). */
const char *rfx_edgar_doc_name(const char *path);

/* The two SEC hosts, or one mirror root serving both hosts' paths. */
typedef struct rfx_edgar_hosts {
    char www[512];   /* /files/..., /Archives/edgar/... */
    char data[512];  /* /submissions/... */
} rfx_edgar_hosts;

/* base NULL = https://www.sec.gov and https://data.sec.gov. A trailing '/' is
 * dropped. Returns 0 or -1 (not http(s)://, or too long). */
int rfx_edgar_hosts_init(rfx_edgar_hosts *h, const char *base);

/* URL builders; each returns malloc'd or NULL. */
char *rfx_edgar_url_tickers(const rfx_edgar_hosts *h);
char *rfx_edgar_url_submissions(const rfx_edgar_hosts *h, const char *cik);
char *rfx_edgar_url_submissions_page(const rfx_edgar_hosts *h, const char *page_name);
char *rfx_edgar_url_doc(const rfx_edgar_hosts *h, const rfx_edgar_filing *f, const char *doc);
char *rfx_edgar_url_full(const rfx_edgar_hosts *h, const rfx_edgar_filing *f);
char *rfx_edgar_url_index(const rfx_edgar_hosts *h, int year, int q, const char *which);

/* company_tickers.json: {"0":{"cik_str":320193,"ticker":"AAPL","title":"Apple Inc."},...} */
typedef struct rfx_edgar_tickers rfx_edgar_tickers;
rfx_status rfx_edgar_tickers_parse(const char *json, size_t len, rfx_edgar_tickers **out,
                                   rfx_error *err);
/* Case-insensitive; returns the CIK (owned by t) or NULL, and the title. */
const char *rfx_edgar_tickers_find(const rfx_edgar_tickers *t, const char *ticker,
                                   const char **title);
size_t rfx_edgar_tickers_count(const rfx_edgar_tickers *t);
void rfx_edgar_tickers_free(rfx_edgar_tickers *t);

/* A submissions document (/submissions/CIK##########.json; page = 0) or one
 * of its older-filings pages (page = 1, a bare "recent"-shaped object). The
 * filings the filter keeps are appended to out, with cik and company. For a
 * main document, *pages receives the malloc'd names of the older pages whose
 * filingFrom..filingTo overlaps the filter's dates (NULL-terminated array),
 * *company the company name ("name") when company is not NULL. */
rfx_status rfx_edgar_parse_submissions(const char *json, size_t len, int page, const char *cik,
                                       const rfx_edgar_filter *f, rfx_edgar_list *out,
                                       char ***pages, char **company, rfx_error *err);
void rfx_edgar_pages_free(char **pages);

/* A quarterly full-index form.idx or company.idx: the filings the filter
 * keeps are appended to out (primary_doc NULL: the index names the
 * full-submission .txt). *bad counts rows that could not be read. */
rfx_status rfx_edgar_parse_index(const char *text, size_t len, const rfx_edgar_filter *f,
                                 rfx_edgar_list *out, size_t *bad, rfx_error *err);

#endif
