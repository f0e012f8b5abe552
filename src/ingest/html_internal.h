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
    const unsigned char *src; /* the input slice the map points into */
    size_t srclen;
    bool transcoded; /* Windows-1252 read as UTF-8: the map is many to one */
    bool compacted;  /* unread attribute bytes were dropped from tags: the map has gaps */
} rfx_html_input;

/* Documents smaller than this are not compacted (the pass would not pay). */
#ifndef RFX_HTML_COMPACT_MIN
#define RFX_HTML_COMPACT_MIN 65536
#endif

/* Transcodes non-UTF-8 input (Windows-1252), blanks out tags nested deeper
 * than r->opt.max_html_depth (with spaces, so offsets do not move) and, in
 * documents of RFX_HTML_COMPACT_MIN bytes or more, drops from start tags the
 * attributes and style properties html.c never reads (the map keeps every
 * remaining byte's input offset). */
rfx_status rfx_html_prepare(rfx_register *r, const unsigned char *s, size_t n, uint32_t base,
                            rfx_html_input *in, rfx_error *err);
void rfx_html_input_free(rfx_html_input *in);

/* True when doc[off, off+len) is a one-to-one copy of consecutive input bytes
 * starting at map[off] (always true without a map). */
static inline bool rfx_html_contiguous(const rfx_html_input *in, size_t off, size_t len) {
    if (!in->map) return true;
    if (in->transcoded || off + len > in->len) return false;
    return in->map[off + len] - in->map[off] == len;
}

/* When compaction dropped bytes inside doc[off, off+len) (a text node whose
 * source slice runs over a tag gumbo ignored), fills out (cleared first) with
 * the bytes that stood there before compaction and their absolute source
 * offsets (base included) and returns true. Returns false when the range is
 * intact, or on allocation failure (out->oom set). */
bool rfx_html_original(const rfx_html_input *in, size_t off, size_t len, rfx_buf *out);

#endif
