/*
 * decode.c — input bytes → UTF-8 text with an offset map.
 *
 * Filings are UTF-8, ASCII or Windows-1252 (older EDGAR text and HTML). Valid
 * UTF-8 is kept as is; anything else is read as Windows-1252, which is a
 * superset of Latin-1 for printable bytes, and a warning says so. NUL and
 * other C0 control bytes become spaces so no later stage trips on them.
 */
#include "../rfx_internal.h"

#include <string.h>

rfx_status rfx_decode(rfx_register *r, const unsigned char *s, size_t n, uint32_t base,
                      rfx_text *out, rfx_error *err) {
    size_t bad = 0;
    size_t skip = (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) ? 3 : 0; /* BOM */
    bool utf8 = rfx_utf8_valid(s + skip, n - skip, &bad);
    if (!utf8)
        rfx_reg_warn(r, "decode-cp1252", (int64_t)(base + skip + bad),
                     "input is not valid UTF-8 (first bad byte at offset %zu); read as "
                     "Windows-1252",
                     (size_t)base + skip + bad);
    /* The common case — valid UTF-8 without control bytes — is a verbatim
     * copy, so the offset map is implicit (base + i). */
    bool verbatim = utf8;
    for (size_t i = skip; verbatim && i < n; i++)
        if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r' && s[i] != '\f') verbatim = false;
    if (verbatim) {
        out->s = rfx_arena_strndup(r->arena, (const char *)s + skip, n - skip);
        if (!out->s) {
            rfx_set_error(err, RFX_ENOMEM, "%s: over the memory limit decoding the input", r->path);
            return RFX_ENOMEM;
        }
        out->len = n - skip;
        out->src = NULL;
        out->base = base + (uint32_t)skip;
        return RFX_OK;
    }
    /* worst case cp1252 → UTF-8 triples a byte */
    size_t cap = utf8 ? n - skip : (n - skip) * 3;
    char *d = rfx_arena_alloc(r->arena, cap + 1);
    uint32_t *m = rfx_arena_alloc(r->arena, (cap + 1) * sizeof *m);
    if (!d || !m) {
        rfx_set_error(err, RFX_ENOMEM, "%s: over the memory limit decoding the input", r->path);
        return RFX_ENOMEM;
    }
    size_t o = 0;
    size_t nul = 0;
    for (size_t i = skip; i < n;) {
        unsigned char c = s[i];
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r' && c != '\f') {
            if (c == 0) nul++;
            d[o] = ' ';
            m[o++] = base + (uint32_t)i++;
            continue;
        }
        if (utf8 || c < 0x80) {
            d[o] = (char)c;
            m[o++] = base + (uint32_t)i++;
            continue;
        }
        int32_t cp = rfx_cp1252(c);
        if (!cp) cp = 0xFFFD;
        char enc[4];
        int k = rfx_utf8_encode(cp, enc);
        for (int j = 0; j < k; j++) {
            d[o] = enc[j];
            m[o++] = base + (uint32_t)i;
        }
        i++;
    }
    d[o] = 0;
    m[o] = base + (uint32_t)n;
    out->s = d;
    out->len = o;
    out->src = m;
    if (nul) rfx_reg_warn(r, "nul-bytes", -1, "%zu NUL bytes replaced by spaces", nul);
    return RFX_OK;
}
