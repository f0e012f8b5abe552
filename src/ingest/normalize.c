/*
 * normalize.c — one paragraph of raw text → the normalised form every later
 * stage reads: NFKC (utf8proc), typographic quotes as ASCII, LaTeX escapes
 * from PDF/OCR conversions undone (\$ \% \& \_ \#, \cdot), whitespace runs
 * collapsed, and words hyphenated across a line break rejoined.
 *
 * The offset map survives: every output byte keeps the source offset of the
 * input character it came from.
 */
#include "../rfx_internal.h"

#include <ctype.h>
#include <string.h>
#include <utf8proc.h>

/* Prefixes whose hyphen is part of the word ("mid-\nterm" stays "mid-term"). */
static bool keeps_hyphen(const char *w, size_t n) {
    static const char *pre[] = {"mid", "long", "short", "non", "self", "well", "co", "pre",
                                "post", "cross", "multi", "anti", "sub", "semi", "high", "low",
                                "full", "part", "year", "end", "third", "one", "two", "re", NULL};
    for (int i = 0; pre[i]; i++)
        if (strlen(pre[i]) == n && strncasecmp(pre[i], w, n) == 0) return true;
    return false;
}

static void put_space(rfx_buf *out, uint32_t off) {
    if (out->len && out->data[out->len - 1] != ' ') rfx_buf_putc(out, ' ', off);
}

void rfx_normalize_append(rfx_buf *out, const char *s, size_t n, const uint32_t *src) {
    size_t start_len = out->len;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t off = src[i];
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ' || c == '\f') {
            /* a hyphen at a line end inside a word: "busi-\nness" → "business" */
            if (c == '\n' && out->len > start_len + 1 && out->data[out->len - 1] == '-' &&
                isalpha((unsigned char)out->data[out->len - 2])) {
                size_t j = i;
                while (j < n && (s[j] == ' ' || s[j] == '\n' || s[j] == '\r' || s[j] == '\t')) j++;
                if (j < n && islower((unsigned char)s[j])) {
                    /* only the last few letters matter (the longest kept prefix
                     * is 5): a bounded look back keeps long runs linear */
                    size_t w = out->len - 1, lim = w - start_len > 6 ? w - 6 : start_len;
                    while (w > lim && isalpha((unsigned char)out->data[w - 1])) w--;
                    bool whole = w == start_len || !isalpha((unsigned char)out->data[w - 1]);
                    if (!(whole && keeps_hyphen(out->data + w, out->len - 1 - w))) out->len--;
                    out->data[out->len] = 0;
                    i = j;
                    continue;
                }
                if (j < n) { i = j; continue; } /* "long-\nterm": keep the hyphen, no space */
            }
            if (out->len > start_len) put_space(out, off);
            i++;
            continue;
        }
        if (c == '\\' && i + 1 < n) {
            char e = s[i + 1];
            if (e == '$' || e == '%' || e == '&' || e == '_' || e == '#') {
                rfx_buf_putc(out, e, off);
                i += 2;
                continue;
            }
            if (n - i >= 5 && memcmp(s + i, "\\cdot", 5) == 0) {
                rfx_buf_put(out, "\xc2\xb7", 2, off, false);
                i += 5;
                continue;
            }
        }
        if (c < 0x80) {
            /* fast path: a run of plain ASCII is copied with its map in one go */
            size_t j = i + 1;
            while (j < n && (unsigned char)s[j] > ' ' && (unsigned char)s[j] < 0x80 && s[j] != '\\')
                j++;
            size_t at = out->len;
            rfx_buf_put(out, s + i, j - i, 0, false);
            if (out->track && !out->oom) memcpy(out->src + at, src + i, (j - i) * sizeof *src);
            i = j;
            continue;
        }
        int32_t cp;
        int k = rfx_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        i += (size_t)k;
        switch (cp) {
        case 0x2018: case 0x2019: case 0x201A: case 0x2032: rfx_buf_putc(out, '\'', off); continue;
        case 0x201C: case 0x201D: case 0x201E: case 0x2033: rfx_buf_putc(out, '"', off); continue;
        case 0x00A0: case 0x2002: case 0x2003: case 0x2009: case 0x3000:
            if (out->len > start_len) put_space(out, off);
            continue;
        case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0xFEFF: continue; /* invisible */
        default: break;
        }
        utf8proc_int32_t dec[32];
        utf8proc_ssize_t m = utf8proc_decompose_char(cp, dec, 32, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STABLE, NULL);
        if (m > 0 && m <= 32)
            m = utf8proc_normalize_utf32(dec, m, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
        if (m <= 0 || m > 32) {
            dec[0] = cp;
            m = 1;
        }
        for (utf8proc_ssize_t j = 0; j < m; j++) {
            char enc[4];
            if (dec[j] == ' ') {
                if (out->len > start_len) put_space(out, off);
                continue;
            }
            int e = rfx_utf8_encode(dec[j], enc);
            rfx_buf_put(out, enc, (size_t)e, off, false);
        }
    }
    while (out->len > start_len && out->data[out->len - 1] == ' ') out->len--;
    if (out->data) out->data[out->len] = 0;
}
