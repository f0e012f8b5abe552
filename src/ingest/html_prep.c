/*
 * html_prep.c — gets HTML bytes ready for gumbo without losing offsets.
 *
 * Two jobs. (1) Gumbo reads UTF-8 only; old EDGAR HTML is Windows-1252, so
 * invalid UTF-8 is transcoded byte by byte (valid multi-byte sequences are
 * kept, in case a file mixes both) with a map back to the input offsets.
 * (2) Gumbo's tree builder checks element scope by scanning the stack of open
 * elements, so every start tag costs O(depth): 200,000 nested <div>s take two
 * minutes. A linear pre-pass tracks nesting roughly (void elements, implied
 * end tags of p/li/td/tr, end tags popping to their match) and overwrites the
 * tags nested deeper than max_html_depth with spaces: the text stays, the
 * nesting is flattened, and no offset moves.
 */
#include "html_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rfx_html_input_free(rfx_html_input *in) {
    free(in->owned);
    free(in->map);
    memset(in, 0, sizeof *in);
}

/* Decodes invalid UTF-8 as Windows-1252; valid sequences pass through. */
static bool transcode(const unsigned char *s, size_t n, rfx_html_input *in) {
    char *d = malloc(n * 3 + 1);
    uint32_t *m = malloc((n * 3 + 1) * sizeof *m);
    if (!d || !m) { free(d); free(m); return false; }
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c < 0x80) { d[o] = (char)c; m[o++] = (uint32_t)i++; continue; }
        size_t bad = 0;
        size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        if (k && i + k <= n && rfx_utf8_valid(s + i, k, &bad)) {
            for (size_t j = 0; j < k; j++) { d[o] = (char)s[i + j]; m[o++] = (uint32_t)i; }
            i += k;
            continue;
        }
        int32_t cp = rfx_cp1252(c);
        if (!cp) cp = 0xFFFD;
        char enc[4];
        int e = rfx_utf8_encode(cp, enc);
        for (int j = 0; j < e; j++) { d[o] = enc[j]; m[o++] = (uint32_t)i; }
        i++;
    }
    d[o] = 0;
    m[o] = (uint32_t)n;
    in->owned = d;
    in->doc = d;
    in->len = o;
    in->map = m;
    return true;
}

static uint32_t name_hash(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint32_t)tolower((unsigned char)s[i])) * 16777619u;
    return h;
}

static bool name_in(const char *s, size_t n, const char *const *list) {
    for (int i = 0; list[i]; i++)
        if (strlen(list[i]) == n && strncasecmp(s, list[i], n) == 0) return true;
    return false;
}

static const char *const void_tags[] = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base",
                                        "wbr", "embed", "param", "source", "track", "keygen", "html",
                                        "head", "body", "tbody", "thead", "tfoot", NULL};
static const char *const raw_tags[] = {"script", "style", "textarea", "title", "xmp", "iframe",
                                       "noembed", "noframes", NULL};
static const char *const self_closing_peers[] = {"p", "li", "dt", "dd", "tr", "td", "th", "option", NULL};
static const char *const closes_p[] = {"div", "p", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5",
                                       "h6", "blockquote", "pre", "center", "section", "hr", NULL};

static const void *memmem_ci(const char *h, size_t hn, const char *nd, size_t nn) {
    if (nn == 0 || hn < nn) return NULL;
    for (size_t i = 0; i + nn <= hn; i++) {
        const char *p = memchr(h + i, '<', hn - i - nn + 1);
        if (!p) return NULL;
        i = (size_t)(p - h);
        if (strncasecmp(p, nd, nn) == 0) return p;
    }
    return NULL;
}

/* Returns the number of tags blanked, or (size_t)-1 on allocation failure. */
static size_t depth_guard(rfx_html_input *in, unsigned limit) {
    const char *s = in->doc;
    size_t n = in->len;
    uint32_t *stk = malloc((size_t)(limit + 1) * sizeof *stk);
    if (!stk) return (size_t)-1;
    uint32_t h_p = name_hash("p", 1), h_li = name_hash("li", 2), h_td = name_hash("td", 2),
             h_th = name_hash("th", 2), h_tr = name_hash("tr", 2);
    size_t sp = 0, blank_depth = 0, blanked = 0;
    char *w = NULL; /* writable copy, made on first use */
    size_t i = 0;
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt) break;
        i = (size_t)(lt - s);
        if (i + 1 >= n) break;
        if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
            const char *e = NULL;
            for (size_t k = i + 4; k + 3 <= n; k++) {
                const char *p = memchr(s + k, '-', n - k);
                if (!p) break;
                k = (size_t)(p - s);
                if (k + 3 <= n && p[1] == '-' && p[2] == '>') { e = p; break; }
            }
            i = e ? (size_t)(e - s) + 3 : n;
            continue;
        }
        bool close = s[i + 1] == '/';
        size_t nb = i + 1 + close;
        if (nb >= n || !isalpha((unsigned char)s[nb])) {
            i++;
            continue;
        }
        size_t ne = nb;
        while (ne < n && (isalnum((unsigned char)s[ne]) || s[ne] == ':' || s[ne] == '-' || s[ne] == '_')) ne++;
        /* find the tag's '>' outside quotes */
        size_t k = ne;
        char q = 0;
        while (k < n) {
            if (q) { if (s[k] == q) q = 0; }
            else if (s[k] == '"' || s[k] == '\'') { if (s[k - 1] == '=' || isspace((unsigned char)s[k - 1])) q = s[k]; }
            else if (s[k] == '>') break;
            k++;
        }
        if (k >= n) break;
        size_t tag_end = k + 1;
        const char *name = s + nb;
        size_t nl = ne - nb;
        uint32_t h = name_hash(name, nl);
        bool blank = false;
        if (close) {
            if (blank_depth) {
                blank = true;
                blank_depth--;
            } else {
                for (size_t j = sp; j-- > 0;)
                    if (stk[j] == h) { sp = j; break; }
            }
        } else if (!name_in(name, nl, void_tags) && s[k - 1] != '/') {
            if (name_in(name, nl, self_closing_peers)) {
                /* implied end tags: a new <li> closes the open <li>, etc. */
                if (h == h_td || h == h_th) { while (sp && (stk[sp - 1] == h_td || stk[sp - 1] == h_th || stk[sp - 1] == h_p)) sp--; }
                else if (h == h_tr) { while (sp && (stk[sp - 1] == h_td || stk[sp - 1] == h_th || stk[sp - 1] == h_tr || stk[sp - 1] == h_p)) sp--; }
                else if (h == h_li) { while (sp && (stk[sp - 1] == h_li || stk[sp - 1] == h_p)) sp--; }
                else if (sp && stk[sp - 1] == h) sp--;
            }
            if (sp && stk[sp - 1] == h_p && name_in(name, nl, closes_p)) sp--;
            if (sp >= limit) {
                blank = true;
                blank_depth++;
            } else {
                stk[sp++] = h;
            }
        }
        if (blank) {
            if (!w) {
                w = malloc(n + 1);
                if (!w) { free(stk); return (size_t)-1; }
                memcpy(w, s, n);
                w[n] = 0;
            }
            memset(w + i, ' ', tag_end - i);
            blanked++;
        }
        if (!close && name_in(name, nl, raw_tags)) {
            /* skip raw text up to the end tag */
            char endtag[16];
            int m = snprintf(endtag, sizeof endtag, "</%.*s", (int)(nl < 10 ? nl : 10), name);
            const char *e = memmem_ci(s + tag_end, n - tag_end, endtag, (size_t)m);
            i = e ? (size_t)(e - s) : n;
            continue;
        }
        i = tag_end;
    }
    free(stk);
    if (w) {
        free(in->owned);
        in->owned = w;
        in->doc = w;
    }
    return blanked;
}

rfx_status rfx_html_prepare(rfx_register *r, const unsigned char *s, size_t n, uint32_t base,
                            rfx_html_input *in, rfx_error *err) {
    memset(in, 0, sizeof *in);
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) { s += 3; n -= 3; base += 3; }
    in->base = base;
    in->doc = (const char *)s;
    in->len = n;
    size_t bad = 0;
    if (!rfx_utf8_valid(s, n, &bad)) {
        rfx_reg_warn(r, "decode-cp1252", (int64_t)base + (int64_t)bad,
                     "HTML is not valid UTF-8 (first bad byte at offset %zu); read as Windows-1252",
                     (size_t)base + bad);
        if (!transcode(s, n, in)) goto oom;
    }
    size_t blanked = depth_guard(in, r->opt.max_html_depth ? r->opt.max_html_depth : 400);
    if (blanked == (size_t)-1) goto oom;
    if (blanked)
        rfx_reg_warn(r, "html-depth", -1,
                     "HTML nested deeper than %u elements: %zu tags below that depth were flattened",
                     r->opt.max_html_depth, blanked);
    return RFX_OK;
oom:
    rfx_html_input_free(in);
    rfx_set_error(err, RFX_ENOMEM, "%s: out of memory preparing HTML", r->path);
    return RFX_ENOMEM;
}
