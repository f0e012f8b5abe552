/*
 * prefix.c — read only the front of a large HTML filing when that settles
 * where the risk section is.
 *
 * Why: a 10-K's Item 1A ends, in the median shared filing, 23% of the way
 * into the HTML (the financial statements, notes and exhibits come later),
 * and turning HTML into blocks is three quarters of a parse (bench/stages).
 * So with `--fast` (rfx_options.fast; the default reads everything) rfx first
 * reads a prefix, and keeps that answer only when a scan of the unread bytes
 * finds nothing that should change it; otherwise the whole document is read.
 * The rules, each conservative (a refusal costs time, never correctness):
 *   - HTML of at least PREFIX_MIN bytes; the prefix is PREFIX_SHARE of it
 *     (of what follows the hidden inline-XBRL header, when there is one),
 *     cut before a '<' so no tag or character is split;
 *   - the unread part holds no "Item 1A" label at the start of an element's
 *     text (the only place locate reads a label), so no other candidate, no
 *     table-of-contents entry and no running header could be weighed there;
 *     no <pre> (its lines would be blocks), no invalid UTF-8 (a Windows-1252
 *     decision), no dei fact for a field the front left empty;
 *   - in the prefix, locate found the section by its Item 1A heading with
 *     full confidence (one candidate with a body, ended by the next item's
 *     heading), and that end lies at least PREFIX_MARGIN bytes before the cut.
 * The scan reads bytes, not what a reading would make of them, so a label
 * spelled past it can make the readings differ (docs/ingest.md lists such
 * cases); hence opt-in.
 * The register says how much was read ("source.bytes_read").
 */
#define _GNU_SOURCE /* memmem */
#include "../rfx_internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define PREFIX_MIN ((size_t)768 << 10)
#define PREFIX_SHARE 0.3
#define PREFIX_MARGIN ((size_t)64 << 10)

/* Length of an entity for a space at s[i] ("&#160;", "&nbsp;", "&#xa0;"), or 0. */
static size_t space_entity(const unsigned char *s, size_t i, size_t n) {
    static const char *ents[] = {"&#160;", "&nbsp;", "&#xa0;", "&#32;", NULL};
    for (int k = 0; ents[k]; k++) {
        size_t m = strlen(ents[k]);
        if (i + m <= n && strncasecmp((const char *)s + i, ents[k], m) == 0) return m;
    }
    return 0;
}

/* Forward over white space, space entities and short tags ("1</b><b>A"). */
static size_t skip_fwd(const unsigned char *s, size_t i, size_t n) {
    for (;;) {
        if (i < n && isspace(s[i])) { i++; continue; }
        if (i < n && s[i] == '<') {
            size_t lim = n - i < 2048 ? n - i : 2048;
            const unsigned char *gt = memchr(s + i, '>', lim);
            if (gt) { i = (size_t)(gt - s) + 1; continue; }
        }
        size_t e = i < n && s[i] == '&' ? space_entity(s, i, n) : 0;
        if (!e) return i;
        i += e;
    }
}

/* Backward from s[i) over white space, space entities and, when tags is
 * set, whole tags. Returns the new end. */
static size_t skip_back(const unsigned char *s, size_t i, bool tags) {
    for (;;) {
        if (i > 0 && (isspace(s[i - 1]) || s[i - 1] == 0xA0 || s[i - 1] == 0xC2)) { i--; continue; }
        if (i > 0 && s[i - 1] == ';') {
            size_t a = i - 1, lim = i > 8 ? i - 8 : 0;
            while (a > lim && s[a] != '&') a--;
            if (s[a] == '&' && space_entity(s, a, i) == i - a) { i = a; continue; }
        }
        if (tags && i > 1 && s[i - 1] == '>') {
            size_t lim = i - 1 > 2048 ? i - 1 - 2048 : 0;
            const unsigned char *lt = memrchr(s + lim, '<', i - 1 - lim);
            if (lt) { i = (size_t)(lt - s); continue; }
        }
        return i;
    }
}

/* Does s hold an item label for 1A ("Item 1A", "ITEM&#160;1A.", "PART I,
 * ITEM 1(a)", a bare "1A.") at the start of an element's text? */
bool rfx_prefix_tail_has_label(const unsigned char *s, size_t n) {
    for (const unsigned char *p = memchr(s, '1', n); p; p = memchr(p + 1, '1', n - (size_t)(p + 1 - s))) {
        size_t i = (size_t)(p - s);
        /* "21A", "F1A" are no labels; "Item1A" is */
        if (i > 0 && (isdigit(s[i - 1]) || (isalpha(s[i - 1]) && (s[i - 1] | 0x20) != 'm'))) continue;
        size_t j = skip_fwd(s, i + 1, n);
        if (j < n && (s[j] == 'a' || s[j] == 'A')) j++;
        else if (j + 2 < n && s[j] == '(' && (s[j + 1] | 0x20) == 'a' && s[j + 2] == ')') j += 3;
        else continue;
        if (j < n && isalnum(s[j])) continue; /* "1am", "1A2" */
        /* "Item" may sit in its own element ("<b>Item</b> <b>1A</b>") */
        size_t b = skip_back(s, i, true);
        bool item = b >= 4 && strncasecmp((const char *)s + b - 4, "item", 4) == 0 &&
                    (b == 4 || !isalpha(s[b - 5]));
        if (item) {
            b -= 4;
            /* "PART I, ITEM 1A", "PART I - ITEM 1A", "PART I. ITEM 1A":
             * the label starts at "PART" */
            size_t c = skip_back(s, b, true), sep = c;
            while (sep > 0 && c - sep < 8 && (ispunct(s[sep - 1]) || s[sep - 1] >= 0x80)) sep--;
            if (sep < c) {
                size_t q = skip_back(s, sep, true);
                while (q > 0 && s[q - 1] && strchr("ivxIVX", s[q - 1])) q--; /* strchr finds the NUL too */
                q = skip_back(s, q, true);
                if (q >= 4 && strncasecmp((const char *)s + q - 4, "part", 4) == 0) b = q - 4;
            }
        } else {
            b = i;
            if (j >= n || s[j] != '.') continue; /* a bare label is "1A." */
        }
        /* the start of an element's text: only markup (or nothing) before
         * it; prose ("see Item 1A") has words there */
        b = skip_back(s, b, false);
        if (b == 0 || s[b - 1] == '>') return true;
    }
    return false;
}

size_t rfx_prefix_cut(const rfx_register *r) {
    if (!r->src || r->srclen < PREFIX_MIN || r->format != RFX_FMT_HTML) return 0;
    /* the share is of what a reader sees: inline XBRL opens with a hidden
     * header of facts that can be most of the front (IBM: 680 KB) */
    size_t from = 0;
    const char *tags[] = {"</ix:header>", "</IX:HEADER>", NULL};
    for (int k = 0; tags[k]; k++) {
        const unsigned char *h = memmem(r->src, r->srclen, tags[k], strlen(tags[k]));
        if (h) { from = (size_t)(h - r->src) + strlen(tags[k]); break; }
    }
    size_t cut = from + (size_t)((double)(r->srclen - from) * PREFIX_SHARE);
    const unsigned char *lt = memchr(r->src + cut, '<', r->srclen - cut);
    return lt ? (size_t)(lt - r->src) : 0;
}

bool rfx_prefix_parse(rfx_register *r) {
    if (!r->opt.fast || r->srclen < PREFIX_MIN) return false;
    if (r->opt.format && strcmp(r->opt.format, "html") != 0) return false;
    if (!r->opt.format && rfx_detect_format(r->src, r->srclen) != RFX_FMT_HTML) return false;
    r->format = RFX_FMT_HTML; /* rfx_prefix_cut reads it */
    size_t cut = rfx_prefix_cut(r);
    const unsigned char *tail = r->src + cut;
    size_t tn = r->srclen - cut;
    /* refused before any reading, so the driver need not start afresh */
    if (!cut || rfx_prefix_tail_has_label(tail, tn) ||
        /* what a whole reading would take from the tail: lines of
         * preformatted text as blocks, a Windows-1252 decision */
        memmem(tail, tn, "<pre", 4) || memmem(tail, tn, "<PRE", 4) ||
        !rfx_utf8_valid(tail, tn, NULL)) {
        r->format = 0;
        return false;
    }
    rfx_error e;
    if (rfx_ingest_html(r, r->src, cut, 0, &e) != RFX_OK || r->nblocks == 0 || rfx_arena_failed(r->arena))
        return false;
    /* a dei fact after the cut would fill a field the front left empty */
    const rfx_filing *f = &r->filing;
    const struct { const char *field, *name; } dei[] = {
        {f->form, "dei:DocumentType"},           {f->company, "dei:EntityRegistrantName"},
        {f->cik, "dei:EntityCentralIndexKey"},   {f->period, "dei:DocumentPeriodEndDate"},
        {f->fiscal_year_end, "dei:CurrentFiscalYearEndDate"}};
    for (size_t k = 0; k < sizeof dei / sizeof dei[0]; k++)
        if (!dei[k].field && memmem(tail, tn, dei[k].name, strlen(dei[k].name))) return false;
    rfx_filing_from_text(r);
    rfx_locate(r);
    const rfx_section *s = &r->section;
    if (rfx_arena_failed(r->arena) || !s->found || !s->how || strcmp(s->how, "heading") != 0 ||
        s->confidence < 0.95 || s->end_block >= r->nblocks || (size_t)s->end + PREFIX_MARGIN > cut)
        return false;
    r->bytes_read = cut;
    return true;
}
