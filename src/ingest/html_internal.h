/*
 * html_internal.h — what html.c and html_prep.c share: the UTF-8 buffer gumbo
 * parses and the map from its offsets back to the original input.
 */
#ifndef RFX_HTML_INTERNAL_H
#define RFX_HTML_INTERNAL_H

#include "../rfx_internal.h"

typedef struct rfx_html_input {
    const char *doc; /* UTF-8, what gumbo parses */
    size_t len;
    uint32_t *map;   /* len + 1 entries: doc offset → offset in the input slice; NULL = identity */
    uint32_t base;   /* added to every mapped offset (slice start within r->src, BOM skipped) */
    char *owned;     /* heap copy when doc had to be changed, else NULL */
} rfx_html_input;

/* Transcodes non-UTF-8 input (Windows-1252) and blanks out tags nested deeper
 * than r->opt.max_html_depth (with spaces, so offsets do not move). */
rfx_status rfx_html_prepare(rfx_register *r, const unsigned char *s, size_t n, uint32_t base,
                            rfx_html_input *in, rfx_error *err);
void rfx_html_input_free(rfx_html_input *in);

#endif
