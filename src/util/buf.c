/*
 * buf.c — growable byte buffers on the heap, optionally with an offset map.
 *
 * Ingest builds normalised text byte by byte; keeping the source offset of
 * every output byte beside it is what lets any later span be traced back to
 * the original file. A failed allocation latches `oom` so callers check once.
 */
#include "../rfx_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rfx_buf_init(rfx_buf *b, bool track) {
    memset(b, 0, sizeof *b);
    b->track = track;
}

void rfx_buf_free(rfx_buf *b) {
    free(b->data);
    free(b->src);
    bool t = b->track;
    memset(b, 0, sizeof *b);
    b->track = t;
}

void rfx_buf_clear(rfx_buf *b) { b->len = 0; if (b->data) b->data[0] = 0; }

static bool reserve(rfx_buf *b, size_t extra) {
    if (b->oom) return false;
    if (b->len + extra + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 4) { b->oom = true; return false; }
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d) { b->oom = true; return false; }
    b->data = d;
    if (b->track) {
        uint32_t *s = realloc(b->src, cap * sizeof *s);
        if (!s) { b->oom = true; return false; }
        b->src = s;
    }
    b->cap = cap;
    return true;
}

void rfx_buf_put(rfx_buf *b, const char *s, size_t n, uint32_t off, bool step) {
    if (!reserve(b, n)) return;
    memcpy(b->data + b->len, s, n);
    if (b->track)
        for (size_t i = 0; i < n; i++) b->src[b->len + i] = step ? off + (uint32_t)i : off;
    b->len += n;
    b->data[b->len] = 0;
}

void rfx_buf_putc(rfx_buf *b, char c, uint32_t off) { rfx_buf_put(b, &c, 1, off, false); }

void rfx_buf_puts(rfx_buf *b, const char *s) { rfx_buf_put(b, s, strlen(s), 0, false); }

void rfx_buf_printf(rfx_buf *b, const char *fmt, ...) {
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0 && reserve(b, (size_t)n)) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, aq);
        if (b->track)
            for (int i = 0; i < n; i++) b->src[b->len + (size_t)i] = 0;
        b->len += (size_t)n;
    }
    va_end(aq);
}

void rfx_buf_put_html(rfx_buf *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '<': rfx_buf_puts(b, "&lt;"); break;
        case '>': rfx_buf_puts(b, "&gt;"); break;
        case '&': rfx_buf_puts(b, "&amp;"); break;
        case '"': rfx_buf_puts(b, "&quot;"); break;
        default: rfx_buf_put(b, s + i, 1, 0, false);
        }
    }
}

char *rfx_buf_steal(rfx_buf *b) {
    if (b->oom) { rfx_buf_free(b); return NULL; }
    if (!b->data && !reserve(b, 0)) return NULL;
    b->data[b->len] = 0;
    char *d = b->data;
    free(b->src);
    bool t = b->track;
    memset(b, 0, sizeof *b);
    b->track = t;
    return d;
}

bool rfx_text_from_buf(rfx_arena *a, const rfx_buf *b, rfx_text *out) {
    out->len = b->len;
    out->s = rfx_arena_strndup(a, b->data ? b->data : "", b->len);
    out->src = rfx_arena_alloc(a, (b->len + 1) * sizeof(uint32_t));
    if (!out->s || !out->src) return false;
    if (b->track && b->len) {
        memcpy(out->src, b->src, b->len * sizeof(uint32_t));
        out->src[b->len] = b->src[b->len - 1] + 1;
    }
    return true;
}

uint32_t rfx_text_end(const rfx_text *t, size_t j) {
    if (t->len == 0) return 0;
    if (j == 0) return rfx_text_off(t, 0);
    if (j >= t->len) return rfx_text_off(t, t->len);
    /* end is one past the last byte's source offset */
    return rfx_text_off(t, j - 1) + 1;
}
