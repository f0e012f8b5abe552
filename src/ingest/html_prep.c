/*
 * html_prep.c — gets HTML bytes ready for gumbo without losing offsets.
 *
 * Three jobs. (1) Gumbo reads UTF-8 only; old EDGAR HTML is Windows-1252, so
 * invalid UTF-8 is transcoded byte by byte (valid multi-byte sequences are
 * kept, in case a file mixes both) with a map back to the input offsets.
 * (2) Gumbo's tree builder checks element scope by scanning the stack of open
 * elements, so every start tag costs O(depth): 200,000 nested <div>s take two
 * minutes. A linear pre-pass tracks nesting roughly (void elements, implied
 * end tags of p/li/td/tr, end tags popping to their match) and overwrites the
 * tags nested deeper than max_html_depth with spaces: the text stays, the
 * nesting is flattened, and no offset moves. (3) Gumbo lexes every attribute
 * byte and EDGAR HTML is about half attributes html.c never reads: documents
 * of 64 KB or more are compacted (see "Compaction" below), the map keeping
 * every remaining byte's input offset.
 *
 * Order: transcode, depth guard (it must see the tags as written), compact
 * (only when the guard changed nothing, so that any range can be rebuilt from
 * the input alone: rfx_html_original). Each pass is linear; a transcoded
 * document is compacted in place, over its own map, else one buffer and one
 * map are allocated.
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

/* One input character at s[i] (i < n) as UTF-8: a valid sequence is kept,
 * anything else is read as Windows-1252. Writes 1-4 bytes to out, sets *olen
 * and returns the input bytes consumed. */
static size_t tc_char(const unsigned char *s, size_t n, size_t i, char out[4], int *olen) {
    unsigned char c = s[i];
    if (c < 0x80) { out[0] = (char)c; *olen = 1; return 1; }
    size_t bad = 0;
    size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (k && i + k <= n && rfx_utf8_valid(s + i, k, &bad)) {
        memcpy(out, s + i, k);
        *olen = (int)k;
        return k;
    }
    int32_t cp = rfx_cp1252(c);
    if (!cp) cp = 0xFFFD;
    *olen = rfx_utf8_encode(cp, out);
    return 1;
}

/* Decodes invalid UTF-8 as Windows-1252; valid sequences pass through. */
static bool transcode(const unsigned char *s, size_t n, rfx_html_input *in) {
    char *d = malloc(n * 3 + 1);
    uint32_t *m = malloc((n * 3 + 1) * sizeof *m);
    if (!d || !m) { free(d); free(m); return false; }
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) { d[o] = (char)s[i]; m[o++] = (uint32_t)i++; continue; }
        char enc[4];
        int e;
        size_t k = tc_char(s, n, i, enc, &e);
        for (int j = 0; j < e; j++) { d[o] = enc[j]; m[o++] = (uint32_t)i; }
        i += k;
    }
    d[o] = 0;
    m[o] = (uint32_t)n;
    in->owned = d;
    in->doc = d;
    in->len = o;
    in->map = m;
    in->transcoded = true;
    return true;
}

static uint32_t name_hash(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint32_t)tolower((unsigned char)s[i])) * 16777619u;
    return h;
}

/* ASCII case-insensitive equality of s[0,n) with a lower-case literal. */
static bool eq_ci(const char *s, size_t n, const char *lit) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') c |= 0x20;
        if (!lit[i] || c != (unsigned char)lit[i]) return false;
    }
    return lit[n] == 0;
}

/* Is s[0,n) one of list (lower-case names of at most 10 bytes)? */
static bool name_in(const char *s, size_t n, const char *const *list) {
    if (n > 10) return false;
    for (int i = 0; list[i]; i++)
        if (eq_ci(s, n, list[i])) return true;
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
            if (q) {
                const char *e = memchr(s + k, q, n - k);
                if (!e) { k = n; break; }
                k = (size_t)(e - s) + 1;
                q = 0;
                continue;
            }
            if (s[k] == '>') break;
            if ((s[k] == '"' || s[k] == '\'') && (s[k - 1] == '=' || isspace((unsigned char)s[k - 1]))) q = s[k];
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

/* ------------------------------------------------------------------ */
/* Compaction: drop the attribute bytes html.c never reads              */
/* ------------------------------------------------------------------ */

/* EDGAR HTML is about half attribute bytes (long inline styles, inline XBRL
 * contextRef/unitRef/format/scale, ids) and gumbo lexes each one. This pass
 * rewrites start tags to keep only what html.c reads:
 *   style   on every element, keeping only the declarations parse_css reads
 *           (a value with '&' or unquoted is kept whole; an empty one goes,
 *           except on <html> and <body>)
 *   align   on p div td th tr h1-h6       name   on <ix:nonNumeric>
 *   type    on <input> (gumbo's tree builder reads it)
 * Formatting elements (<a href> and <font size> among them) and <isindex> are
 * copied whole, and so is a tag with a duplicate attribute without a value
 * (see tag_kind and MAX_ATTRS).
 * It follows gumbo's tokenizer (HTML5 tag, attribute, comment, bogus comment
 * and raw-text states) so it sees exactly the tags gumbo sees: comments,
 * <!DOCTYPE>, <?..>, end tags and the raw text of script, style, textarea,
 * title, xmp, iframe, noembed and noframes are copied unchanged. Where the
 * tree builder could change how later bytes are tokenized in ways a byte
 * scan cannot follow (<svg>, <math>, <select>, <frameset>, <plaintext>, a
 * script holding "<!--"), and at a tag cut off by the end of the input, the
 * rest of the document is copied verbatim. Only bytes inside start tags are
 * dropped, so every text byte, every '<' and the byte after every '>' keep
 * their own input offsets through the map. */

typedef struct cpass {
    const char *s;       /* source: doc before compaction */
    size_t n;
    const uint32_t *sm;  /* source map, NULL = identity */
    char *d;             /* destination (may be s: compaction only shrinks) */
    uint32_t *dm;        /* destination map (may be sm) */
    size_t o;            /* bytes written */
} cpass;

static inline void c_emit(cpass *x, size_t from, size_t to) {
    size_t k = to - from;
    if (!k) return;
    if (x->d + x->o != x->s + from) memmove(x->d + x->o, x->s + from, k);
    if (x->sm) {
        if (x->dm + x->o != x->sm + from) memmove(x->dm + x->o, x->sm + from, k * sizeof *x->dm);
    } else {
        uint32_t *m = x->dm + x->o;
        for (size_t j = 0; j < k; j++) m[j] = (uint32_t)(from + j);
    }
    x->o += k;
}

/* HTML whitespace; CR counts because gumbo reads it as LF. Not isspace(): a
 * vertical tab is not whitespace to the tokenizer. */
enum { C_WS = 1, C_SL = 2, C_GT = 4, C_EQ = 8 };
static const unsigned char ccls[256] = {[' '] = C_WS, ['\n'] = C_WS, ['\t'] = C_WS, ['\f'] = C_WS, ['\r'] = C_WS,
                                        ['/'] = C_SL, ['>'] = C_GT, ['='] = C_EQ};
static inline bool h_ws(unsigned char c) { return ccls[c] & C_WS; }
static inline bool h_alpha(unsigned char c) { return (unsigned)((c | 0x20) - 'a') < 26; }

/* ASCII case-insensitive equality of a[0,n) and b[0,n). */
static bool same_ci(const char *a, const char *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z') x |= 0x20;
        if (y >= 'A' && y <= 'Z') y |= 0x20;
        if (x != y) return false;
    }
    return true;
}

enum { T_OTHER, T_ALIGN, T_IXNN, T_INPUT, T_ROOT, T_RAW, T_SCRIPT, T_WHOLE, T_BAIL };

/* How compaction treats a start tag, by name. T_WHOLE tags are copied as
 * they are: gumbo compares the attributes of formatting elements (a b big
 * code em font i nobr s small strike strong tt u) to limit how many
 * identical ones it reopens, and turns isindex's prompt into text. */
static int tag_kind(const char *nm, size_t nl) {
    switch (nl) {
    case 1: if (eq_ci(nm, 1, "p")) return T_ALIGN;
            if (eq_ci(nm, 1, "a") || eq_ci(nm, 1, "b") || eq_ci(nm, 1, "i") || eq_ci(nm, 1, "s") ||
                eq_ci(nm, 1, "u"))
                return T_WHOLE;
            break;
    case 2: if (eq_ci(nm, 2, "td") || eq_ci(nm, 2, "th") || eq_ci(nm, 2, "tr")) return T_ALIGN;
            if ((nm[0] | 0x20) == 'h' && nm[1] >= '1' && nm[1] <= '6') return T_ALIGN;
            if (eq_ci(nm, 2, "em") || eq_ci(nm, 2, "tt")) return T_WHOLE;
            break;
    case 3: if (eq_ci(nm, 3, "div")) return T_ALIGN;
            if (eq_ci(nm, 3, "xmp")) return T_RAW;
            if (eq_ci(nm, 3, "big")) return T_WHOLE;
            if (eq_ci(nm, 3, "svg")) return T_BAIL;
            break;
    case 4: if (eq_ci(nm, 4, "html") || eq_ci(nm, 4, "body")) return T_ROOT;
            if (eq_ci(nm, 4, "font") || eq_ci(nm, 4, "code") || eq_ci(nm, 4, "nobr")) return T_WHOLE;
            if (eq_ci(nm, 4, "math")) return T_BAIL;
            break;
    case 5: if (eq_ci(nm, 5, "style") || eq_ci(nm, 5, "title")) return T_RAW;
            if (eq_ci(nm, 5, "input")) return T_INPUT;
            if (eq_ci(nm, 5, "small")) return T_WHOLE;
            break;
    case 6: if (eq_ci(nm, 6, "script")) return T_SCRIPT;
            if (eq_ci(nm, 6, "iframe")) return T_RAW;
            if (eq_ci(nm, 6, "strike") || eq_ci(nm, 6, "strong")) return T_WHOLE;
            if (eq_ci(nm, 6, "select")) return T_BAIL;
            break;
    case 7: if (eq_ci(nm, 7, "noembed")) return T_RAW;
            if (eq_ci(nm, 7, "isindex")) return T_WHOLE;
            break;
    case 8: if (eq_ci(nm, 8, "textarea") || eq_ci(nm, 8, "noframes")) return T_RAW;
            if (eq_ci(nm, 8, "frameset")) return T_BAIL;
            break;
    case 9: if (eq_ci(nm, 9, "plaintext")) return T_BAIL;
            break;
    case 13: if (eq_ci(nm, 13, "ix:nonnumeric")) return T_IXNN;
            break;
    default: break;
    }
    return T_OTHER;
}

/* Does html.c (or gumbo's tree builder) read attribute nm on an element of
 * this kind? (style aside) */
static bool attr_read(int kind, const char *nm, size_t nl) {
    switch (kind) {
    case T_ALIGN: return eq_ci(nm, nl, "align");
    case T_IXNN: return eq_ci(nm, nl, "name");
    case T_INPUT: return eq_ci(nm, nl, "type");
    default: return false;
    }
}

/* The CSS properties parse_css (html.c) reads. */
static bool css_read(const char *k, size_t kn) {
    switch (kn) {
    case 4: return eq_ci(k, kn, "font");
    case 7: return eq_ci(k, kn, "display");
    case 9: return eq_ci(k, kn, "font-size");
    case 10: return eq_ci(k, kn, "font-style") || eq_ci(k, kn, "text-align");
    case 11: return eq_ci(k, kn, "font-weight") || eq_ci(k, kn, "break-after");
    case 12: return eq_ci(k, kn, "break-before");
    case 15: return eq_ci(k, kn, "text-decoration");
    case 16: return eq_ci(k, kn, "page-break-after");
    case 17: return eq_ci(k, kn, "page-break-before");
    case 20: return eq_ci(k, kn, "text-decoration-line");
    default: return false;
    }
}

/* Writes the declarations of the style value s[vs, ve) that parse_css reads.
 * parse_css splits at every ';' and reads each piece on its own (key up to
 * the first ':', blanks trimmed), so keeping whole pieces, in order and each
 * with its ';', reads the same. */
static void emit_style(cpass *x, size_t vs, size_t ve) {
    const char *s = x->s;
    for (size_t p = vs; p < ve;) {
        const char *semi = memchr(s + p, ';', ve - p);
        size_t e = semi ? (size_t)(semi - s) + 1 : ve; /* piece with its ';' */
        size_t k = p;
        while (k < e && isspace((unsigned char)s[k])) k++;
        const char *colon = memchr(s + k, ':', e - k);
        bool keep = false;
        if (colon) {
            size_t ke = (size_t)(colon - s);
            while (ke > k && isspace((unsigned char)s[ke - 1])) ke--;
            keep = css_read(s + k, ke - k);
        }
        if (keep) c_emit(x, p, e);
        p = e;
    }
}

/* Gumbo (max_errors = 0) quirk: a duplicate attribute without a value leaves
 * its name in the tokenizer's buffer, and the next attribute's name is
 * appended to it (<p x x align=center> has attributes "x" and "xalign").
 * Which names are duplicates depends on attributes compaction would drop, so
 * such a tag, a name with a NUL, or over MAX_ATTRS attributes is kept whole. */
#define MAX_ATTRS 64

/* Scans the tag at s[i] ('<' then a letter, or "</" then a letter) through
 * gumbo's tag and attribute states and returns its end (after the '>'), or 0
 * when the input ends inside it (gumbo drops such a tag). When rewrite, writes
 * the tag without the attributes html.c does not read. When check, sets
 * *whole if the tag must be copied as it is (see MAX_ATTRS). */
static size_t scan_tag(cpass *x, size_t i, int kind, bool rewrite, bool check, bool *whole) {
    const char *s = x->s;
    size_t n = x->n;
    size_t p = i + 1 + (s[i + 1] == '/');
    while (p < n && !(ccls[(unsigned char)s[p]] & (C_WS | C_SL | C_GT))) p++;
    if (p >= n) return 0;
    if (rewrite) c_emit(x, i, p);
    size_t keep_end = x->o;    /* output end of the name or of the last attribute kept */
    bool last_dropped = false; /* the attribute before the current separator was dropped */
    bool style_seen = false;
    uint32_t nm_at[MAX_ATTRS], nm_len[MAX_ATTRS];
    size_t na = 0;
    *whole = false;
    for (;;) {
        /* separator: blanks, and '/' not followed by '>' */
        size_t sep = p;
        while (p < n) {
            unsigned char ch = (unsigned char)s[p];
            if (ccls[ch] & C_WS) { p++; continue; }
            if (ch == '/' && !(p + 1 < n && s[p + 1] == '>')) { p++; continue; }
            break;
        }
        if (p >= n) return 0;
        if (s[p] == '>' || s[p] == '/') { /* "/>" or ">" ends the tag */
            size_t end = p + (s[p] == '/' ? 2 : 1);
            if (rewrite) {
                /* after a dropped last attribute that ran up to '>', the kept
                 * separator before it could end in '/' and make "/>": cut it
                 * (before "/>" it stays: it keeps an unquoted value off '/') */
                if (last_dropped && sep == p && s[p] == '>') x->o = keep_end;
                c_emit(x, sep, end);
            }
            return end;
        }
        if (rewrite && !last_dropped) c_emit(x, sep, p);
        /* attribute name: the first character whatever it is, then up to a
         * blank, '/', '=' or '>' */
        size_t a = p++;
        while (p < n && !(ccls[(unsigned char)s[p]] & (C_WS | C_SL | C_GT | C_EQ))) p++;
        size_t ane = p;
        size_t q = p;
        while (q < n && (ccls[(unsigned char)s[q]] & C_WS)) q++;
        if (q >= n) return 0;
        size_t vs = 0, ve = 0, ae = ane;
        bool quoted = false, bare = s[q] != '=';
        if (!bare) {
            q++;
            while (q < n && (ccls[(unsigned char)s[q]] & C_WS)) q++;
            if (q >= n) return 0;
            if (s[q] == '"' || s[q] == '\'') {
                const char *e = memchr(s + q + 1, s[q], n - q - 1);
                if (!e) return 0;
                vs = q + 1;
                ve = (size_t)(e - s);
                ae = ve + 1;
                quoted = true;
            } else {
                vs = q;
                while (q < n && !(ccls[(unsigned char)s[q]] & (C_WS | C_GT))) q++;
                if (q >= n) return 0;
                ve = ae = q;
            }
        } /* else the blanks after a bare name belong to the next separator */
        p = ae;
        size_t nl = ane - a;
        if (check && !*whole) {
            if (na == MAX_ATTRS || memchr(s + a, 0, nl)) *whole = true;
            else {
                if (bare)
                    for (size_t k = 0; k < na && !*whole; k++)
                        if (nm_len[k] == nl && same_ci(s + i + nm_at[k], s + a, nl)) *whole = true;
                nm_at[na] = (uint32_t)(a - i);
                nm_len[na++] = (uint32_t)nl;
            }
            if (*whole) rewrite = false; /* the caller copies the tag */
        }
        if (!rewrite) continue;
        bool keep = false;
        if (nl == 5 && eq_ci(s + a, 5, "style")) {
            /* gumbo keeps the first of duplicate attributes (one with a value
             * here); an empty style reads as no style, except on <html> and
             * <body>, whose attributes merge into the element when absent */
            if (!style_seen && quoted && !memchr(s + vs, '&', ve - vs) && !memchr(s + vs, 0, ve - vs)) {
                size_t o1 = x->o;
                c_emit(x, a, vs);
                size_t o2 = x->o;
                emit_style(x, vs, ve);
                if (x->o > o2 || kind == T_ROOT) {
                    c_emit(x, ve, ae);
                    keep = true;
                } else {
                    x->o = o1;
                }
            } else if (!style_seen) {
                c_emit(x, a, ae);
                keep = true;
            }
            style_seen = true;
        } else if (attr_read(kind, s + a, nl)) {
            c_emit(x, a, ae);
            keep = true;
        }
        if (keep) {
            last_dropped = false;
            keep_end = x->o;
        } else {
            last_dropped = true;
        }
    }
}

/* Copies the start tag at s[i] without the attributes html.c does not read,
 * or whole when it must be; returns its end, or 0 when it is cut off by the
 * end of the input (then nothing was written). */
static size_t do_tag(cpass *x, size_t i, int kind) {
    bool whole;
    size_t o0 = x->o;
    if (x->d == x->s) {
        /* in place, bytes written over cannot be restored: decide first */
        size_t e = scan_tag(x, i, kind, false, true, &whole);
        if (!e || whole) {
            if (e) c_emit(x, i, e);
            return e;
        }
    }
    size_t e = scan_tag(x, i, kind, true, true, &whole);
    if (!e) {
        x->o = o0;
        return 0;
    }
    if (whole) {
        x->o = o0;
        c_emit(x, i, e);
    }
    return e;
}

/* The end of the tag at s[i], or 0 when it is cut off (nothing written). */
static size_t tag_end(cpass *x, size_t i) {
    bool whole;
    return scan_tag(x, i, T_OTHER, false, false, &whole);
}

/* Offset of the end tag closing raw text that starts at p ("</name" then a
 * blank, '/' or '>', any case), or n. */
static size_t raw_end(const char *s, size_t n, size_t p, const char *nm, size_t nl) {
    while (p < n) {
        const char *lt = memchr(s + p, '<', n - p);
        if (!lt) return n;
        size_t k = (size_t)(lt - s);
        if (k + 2 + nl < n && s[k + 1] == '/' && same_ci(s + k + 2, nm, nl)) {
            unsigned char c = (unsigned char)s[k + 2 + nl];
            if (h_ws(c) || c == '/' || c == '>') return k;
        }
        p = k + 1;
    }
    return n;
}

/* Does s[from, to) contain "<!--"? */
static bool has_comment_open(const char *s, size_t from, size_t to) {
    while (from + 4 <= to) {
        const char *lt = memchr(s + from, '<', to - from - 3);
        if (!lt) return false;
        if (lt[1] == '!' && lt[2] == '-' && lt[3] == '-') return true;
        from = (size_t)(lt - s) + 1;
    }
    return false;
}

/* End of the comment that starts at s[i] = "<!--" (gumbo: "<!-->", "<!--->",
 * else the first "-->" or "--!>"), or n. */
static size_t comment_end(const char *s, size_t n, size_t i) {
    size_t k = i + 4;
    if (k < n && s[k] == '>') return k + 1;
    if (k + 1 < n && s[k] == '-' && s[k + 1] == '>') return k + 2;
    while (k < n) {
        const char *d = memchr(s + k, '-', n - k);
        if (!d) return n;
        k = (size_t)(d - s);
        if (k + 2 < n && s[k + 1] == '-') {
            if (s[k + 2] == '>') return k + 3;
            if (s[k + 2] == '!' && k + 3 < n && s[k + 3] == '>') return k + 4;
        }
        k++;
    }
    return n;
}

/* Compacts x->s into x->d. */
static void compact(cpass *x) {
    const char *s = x->s;
    size_t n = x->n, i = 0;
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt) break;
        size_t t = (size_t)(lt - s);
        c_emit(x, i, t);
        i = t;
        if (t + 1 >= n) break;
        unsigned char c1 = (unsigned char)s[t + 1];
        size_t e;
        if (c1 == '!') {
            if (t + 3 < n && s[t + 2] == '-' && s[t + 3] == '-') e = comment_end(s, n, t);
            else {
                const char *gt = memchr(s + t + 2, '>', n - t - 2);
                e = gt ? (size_t)(gt - s) + 1 : n; /* doctype, bogus comment */
            }
        } else if (c1 == '?' || (c1 == '/' && t + 2 < n && !h_alpha((unsigned char)s[t + 2]))) {
            const char *gt = memchr(s + t + 2, '>', n - t - 2);
            e = gt ? (size_t)(gt - s) + 1 : n; /* bogus comment; "</>" too */
        } else if (c1 == '/' && t + 2 < n) {
            e = tag_end(x, t); /* end tag: copied as it is */
            if (!e) break;
        } else if (h_alpha(c1)) {
            size_t ne = t + 1;
            while (ne < n && !(ccls[(unsigned char)s[ne]] & (C_WS | C_SL | C_GT))) ne++;
            int kind = tag_kind(s + t + 1, ne - t - 1);
            if (kind == T_BAIL) break;
            if (kind == T_WHOLE) {
                e = tag_end(x, t);
                if (!e) break;
            } else {
                e = do_tag(x, t, kind);
                if (!e) break;
                i = e;
                if (kind == T_RAW || kind == T_SCRIPT) {
                    size_t re = raw_end(s, n, e, s + t + 1, ne - t - 1);
                    /* "<!--" in a script opens gumbo's escaped states, which
                     * move where it ends: stop compacting there */
                    if (kind == T_SCRIPT && has_comment_open(s, e, re)) break;
                    c_emit(x, e, re);
                    i = re;
                }
                continue;
            }
        } else {
            e = t + 1; /* '<' as text; "</" at the very end too */
        }
        c_emit(x, t, e);
        i = e;
    }
    c_emit(x, i, n);
}

/* Compacts in->doc when it is worth it: in place over a transcoded copy,
 * else into one new buffer and one map. Returns false on allocation failure. */
static bool compact_doc(rfx_html_input *in) {
    size_t n = in->len;
    if (n < RFX_HTML_COMPACT_MIN || n >= UINT32_MAX) return true;
    cpass x = {in->doc, n, in->map, NULL, NULL, 0};
    if (in->map) {
        /* transcoded: in->owned and in->map are ours to overwrite */
        x.d = in->owned;
        x.dm = in->map;
        uint32_t last = in->map[n];
        compact(&x);
        x.d[x.o] = 0;
        x.dm[x.o] = last;
        in->compacted = x.o < n;
        in->len = x.o;
        uint32_t *m = realloc(in->map, (x.o + 1) * sizeof *m); /* shrinking */
        if (m) in->map = m;
        return true;
    }
    x.d = malloc(n + 1);
    x.dm = malloc((n + 1) * sizeof *x.dm);
    if (!x.d || !x.dm) { free(x.d); free(x.dm); return false; }
    compact(&x);
    if (x.o == n) { /* nothing to drop: no map needed */
        free(x.d);
        free(x.dm);
        return true;
    }
    x.d[x.o] = 0;
    x.dm[x.o] = (uint32_t)n;
    uint32_t *m = realloc(x.dm, (x.o + 1) * sizeof *m); /* shrinking */
    if (m) x.dm = m;
    free(in->owned);
    in->owned = x.d;
    in->doc = x.d;
    in->map = x.dm;
    in->len = x.o;
    in->compacted = true;
    return true;
}

bool rfx_html_original(const rfx_html_input *in, size_t off, size_t len, rfx_buf *out) {
    if (!in->compacted || !len || off + len > in->len) return false;
    uint32_t a = in->map[off], b = in->map[off + len];
    if (b < a || b > in->srclen) return false;
    if (!in->transcoded) {
        if (b - a == len) return false;
        rfx_buf_clear(out);
        rfx_buf_put(out, (const char *)in->src + a, b - a, in->base + a, true);
        return !out->oom;
    }
    size_t tl = 0;
    char enc[4];
    int e;
    for (size_t i = a; i < b;) {
        i += tc_char(in->src, in->srclen, i, enc, &e);
        tl += (size_t)e;
    }
    if (tl == len) return false;
    rfx_buf_clear(out);
    for (size_t i = a; i < b;) {
        size_t k = tc_char(in->src, in->srclen, i, enc, &e);
        rfx_buf_put(out, enc, (size_t)e, in->base + (uint32_t)i, false);
        i += k;
    }
    return !out->oom;
}

rfx_status rfx_html_prepare(rfx_register *r, const unsigned char *s, size_t n, uint32_t base,
                            rfx_html_input *in, rfx_error *err) {
    memset(in, 0, sizeof *in);
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) { s += 3; n -= 3; base += 3; }
    in->base = base;
    in->doc = (const char *)s;
    in->len = n;
    in->src = s;
    in->srclen = n;
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
    /* after the depth guard, which must see the tags as written; and only
     * when it changed nothing, so that rfx_html_original can rebuild any
     * range from the input alone */
    if (!blanked && !compact_doc(in)) goto oom;
    return RFX_OK;
oom:
    rfx_html_input_free(in);
    rfx_set_error(err, RFX_ENOMEM, "%s: out of memory preparing HTML", r->path);
    return RFX_ENOMEM;
}
