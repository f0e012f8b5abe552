/*
 * ingest.c — format detection and dispatch: every input becomes blocks.
 *
 * Detection reads the first bytes only: an EDGAR full submission starts with
 * <SEC-DOCUMENT>/<SEC-HEADER> (or, tags stripped, "ACCESSION NUMBER:" lines);
 * HTML has a doctype, <html>, or early block tags; %PDF is PDF; the rest is
 * plain text.
 */
#include "../rfx_internal.h"

#include <ctype.h>
#include <string.h>

static bool has_ci(const unsigned char *s, size_t n, const char *needle) {
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (strncasecmp((const char *)s + i, needle, m) == 0) return true;
    return false;
}

int rfx_detect_format(const unsigned char *s, size_t n) {
    size_t look = n < 4096 ? n : 4096;
    if (n >= 5 && memcmp(s, "%PDF-", 5) == 0) return RFX_FMT_PDF;
    if (has_ci(s, look, "<SEC-DOCUMENT>") || has_ci(s, look, "<SEC-HEADER>") ||
        has_ci(s, look, "<IMS-HEADER>") || has_ci(s, look, "ACCESSION NUMBER:"))
        return RFX_FMT_SGML;
    bool html = has_ci(s, look, "<!DOCTYPE html") || has_ci(s, look, "<html") ||
                has_ci(s, look, "<?xml") || has_ci(s, look, "<body") || has_ci(s, look, "<div") ||
                has_ci(s, look, "<p>") || has_ci(s, look, "<p ") || has_ci(s, look, "<table") ||
                has_ci(s, look, "<font");
    /* a submission's text documents without its header: "<DOCUMENT>\n<TYPE>S-3/A"
     * (an HTML document so wrapped stays HTML: same blocks, and the prefix
     * parse applies) */
    if (!html) {
        size_t i = 0;
        while (i < look && (s[i] == ' ' || s[i] == '\r' || s[i] == '\n' || s[i] == '\t')) i++;
        if (look - i >= 10 && strncasecmp((const char *)s + i, "<DOCUMENT>", 10) == 0 &&
            has_ci(s + i, look - i < 200 ? look - i : 200, "<TYPE>"))
            return RFX_FMT_SGML;
    }
    /* Markdown may carry a few inline tags (<div align='center'>), never a
     * document's structure */
    bool structure = has_ci(s, look, "<!DOCTYPE html") || has_ci(s, look, "<html") ||
                     has_ci(s, look, "<body") || has_ci(s, look, "<p>") || has_ci(s, look, "<p ") ||
                     has_ci(s, look, "<table") || has_ci(s, look, "<font") || has_ci(s, look, "<?xml");
    if (!structure && rfx_looks_markdown(s, n)) return RFX_FMT_MARKDOWN;
    if (html) return RFX_FMT_HTML;
    return RFX_FMT_TEXT;
}

rfx_status rfx_ingest(rfx_register *r, rfx_error *err) {
    int fmt = rfx_detect_format(r->src, r->srclen);
    if (r->opt.format) {
        if (!strcmp(r->opt.format, "text")) fmt = RFX_FMT_TEXT;
        else if (!strcmp(r->opt.format, "html")) fmt = RFX_FMT_HTML;
        else if (!strcmp(r->opt.format, "sgml")) fmt = RFX_FMT_SGML;
        else if (!strcmp(r->opt.format, "pdf")) fmt = RFX_FMT_PDF;
        else if (!strcmp(r->opt.format, "markdown") || !strcmp(r->opt.format, "md")) fmt = RFX_FMT_MARKDOWN;
        else {
            rfx_set_error(err, RFX_EUSAGE, "unknown format '%s' (text, html, sgml, markdown or pdf)", r->opt.format);
            return RFX_EUSAGE;
        }
    }
    r->format = fmt;
    rfx_status st;
    switch (fmt) {
    case RFX_FMT_HTML:
        st = rfx_ingest_html(r, r->src, r->srclen, 0, err);
        break;
    case RFX_FMT_SGML:
        st = rfx_ingest_sgml(r, err);
        break;
    case RFX_FMT_MARKDOWN:
        st = rfx_ingest_markdown(r, err);
        break;
    case RFX_FMT_PDF:
        st = rfx_ingest_pdf(r, err); /* offsets index the extracted text (pdf.c) */
        break;
    default:
        st = rfx_decode(r, r->src, r->srclen, 0, &r->decoded, err);
        if (st == RFX_OK) st = rfx_ingest_text(r, &r->decoded, err);
        break;
    }
    if (st != RFX_OK) return st;
    if (r->nblocks == 0) {
        rfx_set_error(err, RFX_EINPUT, "%s: no text found in the input", r->path);
        return RFX_EINPUT;
    }
    rfx_filing_from_text(r);
    return RFX_OK;
}
