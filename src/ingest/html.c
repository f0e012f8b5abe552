/*
 * html.c — EDGAR HTML (and inline XBRL) → blocks.
 *
 * The one idea: walk libgumbo's tree in document order with an explicit stack
 * (no recursion, so 200,000 nested tags cannot overflow the C stack), carry the
 * inherited style (bold, italic, underline, centred, hidden, linked, font size)
 * down the stack, and cut blocks at block-level elements. Every output byte
 * keeps the source offset of the input byte it came from: gumbo gives each
 * node its offset in the buffer it parsed, and text is re-aligned byte by byte
 * against the node's original source slice so offsets stay exact for plain
 * text and within the entity for decoded entities.
 *
 * Gumbo wants UTF-8: old EDGAR HTML in Windows-1252 is transcoded first with a
 * map from transcoded bytes back to original ones. Gumbo's tree builder is
 * quadratic in nesting depth (its scope checks scan the stack of open
 * elements), so a cheap pre-pass blanks out — with spaces, so offsets do not
 * move — tags nested deeper than opt.max_html_depth. Large documents also
 * lose the attribute bytes this file never reads (html_prep.c); offsets go
 * through the same map.
 *
 * Tables are the hard part of EDGAR HTML: a row with one non-empty cell is
 * layout (its content flows as ordinary paragraphs), a row of a bullet cell
 * and a text cell is a list item, anything else is a data row (one block,
 * cells joined by " | ", RFX_B_TABLE). Page numbers, running headers and
 * table-of-contents rows are marked after the walk, never dropped.
 */
#include "../rfx_internal.h"
#include "html_internal.h"

#include <ctype.h>
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Style carried down the tree                                         */
/* ------------------------------------------------------------------ */

typedef struct hstyle {
    unsigned bold : 1, italic : 1, under : 1, center : 1, hidden : 1, linked : 1, skip : 1;
    uint16_t font_size; /* tenths of a point, 0 unknown */
    uint8_t hlevel;
} hstyle;

enum { PB_BEFORE = 1, PB_AFTER = 2 };

/* Parses an inline CSS declaration list into st; returns PB_* page-break bits. */
static int parse_css(const char *css, hstyle *st) {
    int pb = 0;
    const char *p = css;
    while (*p) {
        while (*p == ';' || isspace((unsigned char)*p)) p++;
        const char *k = p;
        while (*p && *p != ':' && *p != ';') p++;
        if (*p != ':') continue;
        const char *ke = p;
        while (ke > k && isspace((unsigned char)ke[-1])) ke--;
        p++;
        while (isspace((unsigned char)*p)) p++;
        const char *v = p;
        while (*p && *p != ';') p++;
        const char *ve = p;
        while (ve > v && isspace((unsigned char)ve[-1])) ve--;
        size_t kn = (size_t)(ke - k), vn = (size_t)(ve - v);
        char val[64];
        if (vn >= sizeof val) vn = sizeof val - 1;
        for (size_t i = 0; i < vn; i++) val[i] = (char)tolower((unsigned char)v[i]);
        val[vn] = 0;
#define KEY(s) (kn == sizeof(s) - 1 && strncasecmp(k, s, kn) == 0)
        if (KEY("font-weight")) {
            int w = atoi(val);
            if (strstr(val, "bold") || w >= 600) st->bold = 1;
            else if (strstr(val, "normal") || strstr(val, "lighter") || (w > 0 && w < 600)) st->bold = 0;
        } else if (KEY("font-style")) {
            st->italic = strstr(val, "italic") || strstr(val, "oblique");
        } else if (KEY("text-decoration") || KEY("text-decoration-line")) {
            if (strstr(val, "underline")) st->under = 1;
            else if (strstr(val, "none")) st->under = 0;
        } else if (KEY("display")) {
            if (strcmp(val, "none") == 0) st->hidden = 1;
        } else if (KEY("text-align")) {
            st->center = strcmp(val, "center") == 0;
        } else if (KEY("font-size") || KEY("font")) {
            /* "font" shorthand: "bold italic 10pt Times New Roman" */
            if (KEY("font")) {
                if (strstr(val, "bold")) st->bold = 1;
                if (strstr(val, "italic")) st->italic = 1;
            }
            for (char *q = val; *q; q++) {
                if (!isdigit((unsigned char)*q) && *q != '.') continue;
                if (q > val && (isalnum((unsigned char)q[-1]) || q[-1] == '.')) continue;
                char *end;
                double x = strtod(q, &end);
                if (end == q) continue;
                if (strncmp(end, "pt", 2) == 0) st->font_size = (uint16_t)(x * 10 + 0.5);
                else if (strncmp(end, "px", 2) == 0) st->font_size = (uint16_t)(x * 7.5 + 0.5);
                else if (strncmp(end, "em", 2) == 0 && st->font_size) st->font_size = (uint16_t)(st->font_size * x + 0.5);
                else if (*end == '%' && st->font_size) st->font_size = (uint16_t)(st->font_size * x / 100 + 0.5);
                else { q = end - 1; continue; }
                break;
            }
        } else if (KEY("page-break-before") || KEY("break-before")) {
            if (strstr(val, "always") || strstr(val, "page")) pb |= PB_BEFORE;
        } else if (KEY("page-break-after") || KEY("break-after")) {
            if (strstr(val, "always") || strstr(val, "page")) pb |= PB_AFTER;
        }
#undef KEY
    }
    return pb;
}

/* ------------------------------------------------------------------ */
/* The walk state                                                      */
/* ------------------------------------------------------------------ */

enum {
    ROLE_NONE = 0,
    ROLE_BLOCK = 1,     /* flush the paragraph on exit */
    ROLE_ROW = 2,       /* a data row or bullet row: one block for the whole row */
    ROLE_CELL = 4,      /* a cell of a data row */
    ROLE_TABLE = 8,     /* a table: mark it as TOC on exit when it looks like one */
    ROLE_PRE = 16,      /* <pre>: hand its text to the plain-text ingest on exit */
    ROLE_IX = 32,       /* an ix:nonNumeric dei fact being captured */
    ROLE_PB_AFTER = 64  /* page-break-after */
};

typedef struct frame {
    GumboNode *n;
    unsigned next;
    hstyle st;
    uint8_t role;
    uint8_t row_list; /* ROLE_ROW: the row is a bullet + text list item */
    uint8_t row_single; /* ROLE_ROW: the only row of its table: cells joined by a space */
    uint32_t rows;    /* ROLE_TABLE: rows with text, counted up to 2 */
    uint32_t aux;     /* ROLE_TABLE: first block index; ROLE_ROW: cells seen */
} frame;

typedef struct hctx {
    rfx_register *r;
    const char *doc;      /* the buffer gumbo parsed (UTF-8) */
    size_t doclen;
    const uint32_t *tmap; /* transcoded offset → offset in s, or NULL (identity) */
    uint32_t base;
    const rfx_html_input *in;
    rfx_buf orig;         /* scratch: a text node's source bytes from before compaction */
    size_t first_block;

    /* the paragraph being built */
    rfx_buf raw;
    bool open;
    int64_t pending_start; /* start tag of the outermost block element since the last flush */
    uint32_t start, end;
    size_t n_alnum, n_bold, n_italic, n_under, n_linked_alpha, n_unlinked_alpha;
    int lead_state;       /* 0 none yet, 1 in an emphasised lead, 2 lead ended, 3 no lead */
    size_t lead_end_raw;  /* raw index where the lead ended */
    size_t lead_alnum;
    uint16_t font_size;
    bool center, list, row, row_list;
    uint8_t hlevel;
    int br_run;           /* <br>s since the last text */
    unsigned inline_depth;/* >0 inside a data/bullet row: block tags don't cut */

    /* <pre> capture */
    int pre_depth;
    rfx_buf pre;

    /* page breaks: break[i] = block index the break comes before */
    size_t *breaks;
    size_t nbreaks, cap_breaks;

    /* inline XBRL dei facts */
    int ix_field; /* -1 none */
    rfx_buf ix;

    bool oom;
} hctx;

static inline uint32_t src_off(const hctx *c, size_t off) {
    if (off > c->doclen) off = c->doclen;
    return c->base + (c->tmap ? c->tmap[off] : (uint32_t)off);
}

static void add_break(hctx *c) {
    size_t at = c->r->nblocks;
    if (c->nbreaks && c->breaks[c->nbreaks - 1] == at) return;
    if (c->nbreaks == c->cap_breaks) {
        size_t nc = c->cap_breaks ? c->cap_breaks * 2 : 64;
        size_t *nb = realloc(c->breaks, nc * sizeof *nb);
        if (!nb) { c->oom = true; return; }
        c->breaks = nb;
        c->cap_breaks = nc;
    }
    c->breaks[c->nbreaks++] = at;
}

/* ------------------------------------------------------------------ */
/* Bullets                                                             */
/* ------------------------------------------------------------------ */

/* Bytes of a bullet glyph at s (not counting spaces), or 0. */
static size_t bullet_at(const char *s, size_t n) {
    static const char *marks[] = {"\xe2\x80\xa2", "\xc2\xb7", "\xe2\x96\xaa", "\xe2\x97\x8f",
                                  "\xe2\x97\xa6", "\xe2\x96\xa0", "\xe2\x96\xa1", "\xef\x82\xb7",
                                  "\xef\x82\xa7", "\xe2\x81\x83", "\xe2\x9e\xa2", "\xef\x83\x98",
                                  "\xe2\x97\x86", "\xe2\x9d\x96", NULL};
    for (int k = 0; marks[k]; k++) {
        size_t m = strlen(marks[k]);
        if (n >= m && memcmp(s, marks[k], m) == 0) return m;
    }
    return 0;
}

static size_t skip_space(const char *s, size_t i, size_t n) {
    for (;;) {
        if (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f')) i++;
        else if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) i += 2;
        else if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
                 ((unsigned char)s[i + 2] == 0x83 || (unsigned char)s[i + 2] == 0x82 ||
                  (unsigned char)s[i + 2] == 0x89 || (unsigned char)s[i + 2] == 0x8B))
            i += 3;
        else return i;
    }
}

/* Is the whole of s (already trimmed) a bullet marker? Used for bullet cells. */
static bool only_bullet(const char *s, size_t n) {
    size_t i = skip_space(s, 0, n);
    if (i >= n) return false;
    size_t k = bullet_at(s + i, n - i);
    if (!k && (s[i] == '-' || s[i] == '*' || s[i] == 'o')) k = 1;
    if (!k && i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94))
        k = 3; /* en/em dash */
    if (!k) return false;
    return skip_space(s, i + k, n) >= n;
}

/* ------------------------------------------------------------------ */
/* Page numbers                                                        */
/* ------------------------------------------------------------------ */

/* "23", "- 23 -", "Page 23", "F-3", "ii", "A-12"; maxdig bounds the number. */
static bool is_page_number(const char *s, size_t n, size_t maxdig) {
    if (n == 0 || n > 16) return false;
    size_t b = 0;
    if (n > 5 && strncasecmp(s, "page ", 5) == 0) b = 5;
    size_t digits = 0, roman = 0, letters = 0, dash = 0;
    for (size_t i = b; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isdigit(ch)) digits++;
        else if (strchr("ivxlc", ch)) roman++;
        else if (isupper(ch)) letters++;
        else if (ch == '-' || ch == ' ' || ch == '|') dash++;
        else return false;
    }
    if (digits) {
        if (digits > maxdig) return false;
        if (letters > 1 || roman) return false;
        if (letters == 1 && !(isupper((unsigned char)s[b]) && dash)) return false; /* "F-3" */
        return true;
    }
    return roman > 0 && roman <= 5 && letters == 0 && dash == 0;
}

/* ------------------------------------------------------------------ */
/* Building a paragraph                                                */
/* ------------------------------------------------------------------ */

static void reset_para(hctx *c) {
    c->open = false;
    rfx_buf_clear(&c->raw);
    c->pending_start = -1;
    c->n_alnum = c->n_bold = c->n_italic = c->n_under = 0;
    c->n_linked_alpha = c->n_unlinked_alpha = 0;
    c->lead_state = 0;
    c->lead_end_raw = 0;
    c->lead_alnum = 0;
    c->font_size = 0;
    c->center = c->list = c->row = c->row_list = false;
    c->hlevel = 0;
    c->br_run = 0;
}

static bool caps_text(const char *s, size_t n) {
    size_t up = 0, low = 0;
    for (size_t i = 0; i < n; i++) {
        if (isupper((unsigned char)s[i])) up++;
        else if (islower((unsigned char)s[i])) low++;
    }
    return up >= 2 && low == 0;
}

/* Old EDGAR "HTML" is often a plain-text filing inside one <div> or <body>:
 * no <pre>, but blank lines between paragraphs and hard-wrapped lines. A
 * large run of text with several blank lines is read the way plain text is. */
static bool is_plain_text_run(const rfx_buf *raw) {
    if (raw->len < 1000) return false;
    size_t blanks = 0;
    for (size_t i = 0; i + 1 < raw->len && blanks < 3; i++) {
        if (raw->data[i] != '\n') continue;
        size_t j = i + 1;
        while (j < raw->len && (raw->data[j] == ' ' || raw->data[j] == '\t' || raw->data[j] == '\r')) j++;
        if (j < raw->len && raw->data[j] == '\n') { blanks++; i = j - 1; }
    }
    return blanks >= 3;
}

static void flush(hctx *c) {
    if (!c->open) { c->pending_start = -1; return; }
    rfx_buf *raw = &c->raw;
    if (!c->row && is_plain_text_run(raw)) {
        rfx_text t;
        rfx_error e2;
        if (!rfx_text_from_buf(c->r->arena, raw, &t) || rfx_ingest_text(c->r, &t, &e2) != RFX_OK) c->oom = true;
        reset_para(c);
        return;
    }
    size_t i = skip_space(raw->data, 0, raw->len);
    bool list = c->list || c->row_list;
    /* a paragraph that starts with a bullet glyph is a list item; strip it */
    for (int rounds = 0; rounds < 2 && i < raw->len; rounds++) {
        size_t k = bullet_at(raw->data + i, raw->len - i);
        if (!k && raw->data[i] == '-' && i + 1 < raw->len && raw->data[i + 1] == ' ' && !c->row) k = 1;
        if (!k) break;
        size_t j = skip_space(raw->data, i + k, raw->len);
        if (j >= raw->len) break; /* a lone bullet stays as text */
        i = j;
        list = true;
    }
    rfx_buf norm;
    rfx_buf_init(&norm, true);
    if (i < raw->len) rfx_normalize_append(&norm, raw->data + i, raw->len - i, raw->src + i);
    if (norm.oom) c->oom = true;
    if (!c->oom && norm.len) {
        rfx_block *bl = rfx_reg_add_block(c->r);
        if (!bl || !rfx_text_from_buf(c->r->arena, &norm, &bl->t)) {
            c->oom = true;
        } else {
            bl->start = c->start;
            uint32_t tend = norm.src[norm.len - 1] + 1;
            bl->end = c->end > tend ? c->end : tend;
            if (bl->end < bl->start) bl->end = bl->start;
            uint32_t f = 0;
            if (c->n_alnum) {
                if (c->n_bold == c->n_alnum) f |= RFX_B_BOLD;
                if (c->n_italic == c->n_alnum) f |= RFX_B_ITALIC;
                if (c->n_under == c->n_alnum) f |= RFX_B_UNDERLINE;
            }
            if (c->lead_state == 2 && c->lead_alnum >= 2 && !(f & (RFX_B_BOLD | RFX_B_ITALIC | RFX_B_UNDERLINE))) {
                uint32_t cut = c->lead_end_raw < raw->len ? raw->src[c->lead_end_raw] : UINT32_MAX;
                size_t L = 0;
                while (L < norm.len && norm.src[L] < cut) L++;
                while (L > 0 && norm.data[L - 1] == ' ') L--;
                if (L > 0 && L < norm.len) {
                    f |= RFX_B_PARTBOLD;
                    bl->lead_len = (uint32_t)L;
                }
            }
            if (caps_text(norm.data, norm.len)) f |= RFX_B_CAPS;
            if (c->center) f |= RFX_B_CENTER;
            if (list) f |= RFX_B_LIST;
            if (c->row && !c->row_list) f |= RFX_B_TABLE;
            if (c->hlevel) { f |= RFX_B_HEADING; bl->level = c->hlevel; }
            if (c->n_linked_alpha && (c->row ? c->n_unlinked_alpha <= c->n_linked_alpha : c->n_unlinked_alpha == 0))
                f |= RFX_B_LINKED;
            bl->flags = f;
            bl->font_size = c->font_size;
        }
    }
    rfx_buf_free(&norm);
    reset_para(c);
}

/* Opens a paragraph whose first visible text is at source offset off: it
 * starts at the outermost block element opened since the last paragraph. */
static void open_para(hctx *c, uint32_t off) {
    c->open = true;
    c->start = c->pending_start >= 0 ? (uint32_t)c->pending_start : off;
    c->end = c->start;
}

static bool is_alnum_byte(unsigned char ch) { return isalnum(ch) || ch >= 0xC3; }

/* Appends one text node's decoded text with exact per-byte offsets: the
 * decoded text is aligned against the node's original source slice, so plain
 * bytes map one to one and an entity's output maps to its '&'. */
static void append_aligned(hctx *c, rfx_buf *dst, const GumboText *t) {
    const char *o = t->original_text.data;
    size_t on = t->original_text.length;
    size_t o0 = t->start_pos.offset;
    const char *d = t->text;
    size_t dn = strlen(d);
    if (!o || on == 0) { /* synthesised text: map all of it to the node start */
        for (size_t j = 0; j < dn; j++) rfx_buf_putc(dst, d[j], src_off(c, o0));
        return;
    }
    if (on == dn && memcmp(o, d, dn) == 0 && rfx_html_contiguous(c->in, o0, on)) {
        rfx_buf_put(dst, d, dn, src_off(c, o0), true); /* the common case */
        return;
    }
    /* html_prep.c dropped attribute bytes from a tag inside this node's
     * source slice (one gumbo ignored, like a stray <td>): align against the
     * bytes that were there, with their own offsets */
    const uint32_t *osrc = NULL;
    if (c->in->compacted && rfx_html_original(c->in, o0, on, &c->orig)) {
        o = c->orig.data;
        on = c->orig.len;
        osrc = c->orig.src;
    } else if (c->orig.oom) {
        c->oom = true;
        return;
    }
#define OSRC(k) (osrc ? osrc[k] : src_off(c, o0 + (k)))
    size_t i = 0, j = 0;
    while (j < dn) {
        if (i >= on) {
            rfx_buf_putc(dst, d[j++], OSRC(on - 1));
            continue;
        }
        unsigned char dc = (unsigned char)d[j];
        if (o[i] == '&') {
            size_t k = i + 1;
            while (k < on && (isalnum((unsigned char)o[k]) || o[k] == '#')) k++;
            if (k < on && o[k] == ';') k++;
            /* a literal '&' (unknown entity) is followed by the same bytes */
            bool literal = dc == '&' && (k == i + 1 || (dn - j - 1 >= k - i - 1 && memcmp(d + j + 1, o + i + 1, k - i - 1) == 0));
            if (literal) {
                rfx_buf_putc(dst, d[j++], OSRC(i++));
                continue;
            }
            int32_t cp;
            int clen = rfx_utf8_decode((const unsigned char *)d + j, dn - j, &cp);
            rfx_buf_put(dst, d + j, (size_t)clen, OSRC(i), false);
            j += (size_t)clen;
            i = k;
            continue;
        }
        if (o[i] == '\r') {
            if (dc == '\n') rfx_buf_putc(dst, d[j++], OSRC(i));
            i++;
            if (i < on && o[i] == '\n' && dc == '\n') i++;
            continue;
        }
        if ((unsigned char)o[i] == dc) {
            rfx_buf_putc(dst, d[j++], OSRC(i++));
            continue;
        }
        /* mismatch (NUL → U+FFFD and the like): step one character on each side */
        int32_t cp;
        int clen = rfx_utf8_decode((const unsigned char *)d + j, dn - j, &cp);
        rfx_buf_put(dst, d + j, (size_t)clen, OSRC(i), false);
        j += (size_t)clen;
        int olen = rfx_utf8_decode((const unsigned char *)o + i, on - i, &cp);
        i += (size_t)olen;
    }
#undef OSRC
}

static void add_text(hctx *c, GumboNode *node, const hstyle *st) {
    const GumboText *t = &node->v.text;
    if (c->ix_field >= 0) append_aligned(c, &c->ix, t);
    if (st->hidden || st->skip) return;
    if (c->pre_depth) {
        append_aligned(c, &c->pre, t);
        return;
    }
    const char *d = t->text;
    size_t dn = strlen(d);
    size_t first = skip_space(d, 0, dn);
    if (first >= dn) { /* whitespace only */
        if (c->open) rfx_buf_putc(&c->raw, ' ', src_off(c, t->start_pos.offset));
        return;
    }
    bool was_open = c->open;
    size_t raw0 = c->raw.len;
    append_aligned(c, &c->raw, t);
    if (!was_open && c->raw.len > raw0) {
        size_t f0 = skip_space(c->raw.data, raw0, c->raw.len);
        open_para(c, c->raw.src[f0 < c->raw.len ? f0 : raw0]);
    }
    c->br_run = 0;
    /* style statistics on letters and digits only: punctuation and bullets
     * in a different weight must not stop a heading from being bold */
    bool emph = st->bold || st->italic || st->under;
    for (size_t j = 0; j < dn; j++) {
        unsigned char ch = (unsigned char)d[j];
        if ((ch & 0xC0) == 0x80 || !is_alnum_byte(ch)) continue;
        if (ch == 0xC2 || ch == 0xE2 || ch == 0xEF) continue; /* punctuation / symbols, roughly */
        c->n_alnum++;
        if (st->bold) c->n_bold++;
        if (st->italic) c->n_italic++;
        if (st->under) c->n_under++;
        if (isalpha(ch)) {
            if (st->linked) c->n_linked_alpha++;
            else c->n_unlinked_alpha++;
        }
        if (c->n_alnum == 1) c->font_size = st->font_size;
        if (c->lead_state == 0) c->lead_state = emph ? 1 : 3;
        if (c->lead_state == 1) {
            if (emph) c->lead_alnum++;
            else {
                c->lead_state = 2;
                c->lead_end_raw = raw0 + j; /* approximate when entities shifted bytes */
                if (c->lead_end_raw >= c->raw.len) c->lead_end_raw = c->raw.len - 1;
                /* exact: find the raw byte with this source offset */
            }
        }
    }
    if (c->raw.len) {
        uint32_t e = c->raw.src[c->raw.len - 1] + 1;
        if (e > c->end) c->end = e;
    }
    if (st->center) c->center = true;
    if (st->hlevel && !c->hlevel) c->hlevel = st->hlevel;
    if (c->raw.oom) c->oom = true;
}

/* ------------------------------------------------------------------ */
/* Elements                                                            */
/* ------------------------------------------------------------------ */

static bool is_block_tag(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_LI: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
    case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CENTER: case GUMBO_TAG_TABLE: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_MAIN: case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FORM: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_BODY: case GUMBO_TAG_HTML: case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
    case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
        return true;
    default:
        return false;
    }
}

static bool is_dropped_tag(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TITLE:
    case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OBJECT: case GUMBO_TAG_IFRAME: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
        return true;
    default:
        return false;
    }
}

/* Name of an element as written ("ix:header"), for tags gumbo does not know. */
static GumboStringPiece tag_name(const GumboElement *el) {
    GumboStringPiece p = el->original_tag;
    if (p.length) gumbo_tag_from_original_text(&p);
    return p;
}

static bool name_is(GumboStringPiece p, const char *s) {
    return p.length == strlen(s) && strncasecmp(p.data, s, p.length) == 0;
}

static const char *attr(const GumboElement *el, const char *name) {
    GumboAttribute *a = gumbo_get_attribute(&el->attributes, name);
    return a ? a->value : NULL;
}

/* dei facts worth reading from inline XBRL */
static const char *const ix_names[] = {"dei:DocumentType", "dei:EntityRegistrantName",
                                       "dei:EntityCentralIndexKey", "dei:DocumentPeriodEndDate",
                                       "dei:CurrentFiscalYearEndDate", NULL};

/* What one table row is: layout (cells flow as paragraphs), a bullet list
 * item (bullet cell + text cell) or a data row. Looks at a bounded amount of
 * text per cell so rows full of paragraphs cost nothing extra. */
enum { ROW_LAYOUT, ROW_BULLET, ROW_DATA };

static int classify_row(GumboNode *tr, int *nonempty_out) {
    GumboVector *cells = &tr->v.element.children;
    int nonempty = 0, first_bullet = -1;
    GumboNode *stack[64];
    for (unsigned ci = 0; ci < cells->length && nonempty < 3; ci++) {
        GumboNode *cell = cells->data[ci];
        if (cell->type != GUMBO_NODE_ELEMENT) continue;
        if (cell->v.element.tag != GUMBO_TAG_TD && cell->v.element.tag != GUMBO_TAG_TH) continue;
        char buf[16];
        size_t bl = 0, budget = 4096;
        bool big = false;
        int sp = 0;
        stack[sp++] = cell;
        while (sp && !big && budget--) {
            GumboNode *n = stack[--sp];
            if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
                const char *d = n->v.text.text;
                size_t dn = strlen(d);
                for (size_t i = skip_space(d, 0, dn); i < dn; i = skip_space(d, i, dn)) {
                    if (bl < sizeof buf - 1) buf[bl++] = d[i];
                    else { big = true; break; }
                    i++;
                }
            } else if (n->type == GUMBO_NODE_ELEMENT) {
                GumboElement *el = &n->v.element;
                if (is_dropped_tag(el->tag)) continue;
                if (el->tag == GUMBO_TAG_TABLE || el->tag == GUMBO_TAG_P || el->tag == GUMBO_TAG_DIV) {
                    /* cells holding paragraphs or tables are content, not bullets */
                    if (el->tag == GUMBO_TAG_TABLE) big = true;
                }
                const char *style = attr(el, "style");
                if (style && strstr(style, "none")) {
                    hstyle tmp = {0};
                    parse_css(style, &tmp);
                    if (tmp.hidden) continue;
                }
                for (unsigned k = el->children.length; k-- > 0 && sp < 64;) stack[sp++] = el->children.data[k];
            }
        }
        if (!bl && !big) continue;
        nonempty++;
        if (nonempty == 1 && !big && only_bullet(buf, bl)) first_bullet = (int)ci;
    }
    if (nonempty_out) *nonempty_out = nonempty;
    if (nonempty <= 1) return ROW_LAYOUT;
    if (nonempty == 2 && first_bullet >= 0) return ROW_BULLET;
    return ROW_DATA;
}

/* Rows of a table that hold any text (spacer rows do not count). */
static uint32_t text_rows(GumboNode *table) {
    uint32_t rows = 0;
    GumboVector *ch = &table->v.element.children;
    for (unsigned i = 0; i < ch->length && rows < 2; i++) {
        GumboNode *x = ch->data[i];
        if (x->type != GUMBO_NODE_ELEMENT) continue;
        if (x->v.element.tag == GUMBO_TAG_TR) {
            int ne = 0;
            classify_row(x, &ne);
            if (ne) rows++;
        } else if (x->v.element.tag == GUMBO_TAG_TBODY || x->v.element.tag == GUMBO_TAG_THEAD ||
                   x->v.element.tag == GUMBO_TAG_TFOOT) {
            GumboVector *rs = &x->v.element.children;
            for (unsigned k = 0; k < rs->length && rows < 2; k++) {
                GumboNode *tr = rs->data[k];
                if (tr->type != GUMBO_NODE_ELEMENT || tr->v.element.tag != GUMBO_TAG_TR) continue;
                int ne = 0;
                classify_row(tr, &ne);
                if (ne) rows++;
            }
        }
    }
    return rows;
}

/* Called on entering an element; returns false to skip its children. */
static bool enter(hctx *c, frame *f, frame *parent) {
    GumboElement *el = &f->n->v.element;
    GumboTag tag = el->tag;
    f->st = parent ? parent->st : (hstyle){0};
    f->role = ROLE_NONE;
    if (is_dropped_tag(tag)) return false;
    GumboStringPiece nm = {0};
    if (tag == GUMBO_TAG_UNKNOWN) {
        nm = tag_name(el);
        if (name_is(nm, "ix:header") || name_is(nm, "ix:hidden") || name_is(nm, "ix:references") ||
            name_is(nm, "ix:resources"))
            f->st.hidden = 1;
        if (name_is(nm, "ix:nonnumeric") && c->ix_field < 0) {
            const char *name = attr(el, "name");
            for (int k = 0; name && ix_names[k]; k++)
                if (strcasecmp(name, ix_names[k]) == 0) {
                    c->ix_field = k;
                    rfx_buf_clear(&c->ix);
                    f->role |= ROLE_IX;
                }
        }
    }
    int pb = 0;
    const char *style = attr(el, "style");
    if (style) pb = parse_css(style, &f->st);
    switch (tag) {
    case GUMBO_TAG_B: case GUMBO_TAG_STRONG: case GUMBO_TAG_TH: f->st.bold = 1; break;
    case GUMBO_TAG_I: case GUMBO_TAG_EM: case GUMBO_TAG_CITE: case GUMBO_TAG_DFN: case GUMBO_TAG_VAR: f->st.italic = 1; break;
    case GUMBO_TAG_U: case GUMBO_TAG_INS: f->st.under = 1; break;
    case GUMBO_TAG_CENTER: f->st.center = 1; break;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        f->st.hlevel = (uint8_t)(tag - GUMBO_TAG_H1 + 1);
        f->st.bold = 1;
        break;
    case GUMBO_TAG_A: {
        const char *href = attr(el, "href");
        if (href && strchr(href, '#')) f->st.linked = 1;
        break;
    }
    case GUMBO_TAG_FONT: {
        const char *sz = attr(el, "size");
        static const uint16_t pts[] = {0, 75, 100, 120, 135, 180, 240, 360};
        if (sz) {
            int v = atoi(sz);
            if (sz[0] == '+' || sz[0] == '-') v += 3;
            if (v < 1) v = 1;
            if (v > 7) v = 7;
            f->st.font_size = pts[v];
        }
        break;
    }
    default: break;
    }
    const char *align = attr(el, "align");
    if (align && (tag == GUMBO_TAG_P || tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH ||
                  tag == GUMBO_TAG_TR || (tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6)))
        f->st.center = strcasecmp(align, "center") == 0;
    if (f->st.hidden) {
        /* nothing visible below: walk only for dei facts, no block structure */
        return true;
    }
    if (pb & PB_BEFORE) {
        if (c->inline_depth == 0) flush(c);
        add_break(c);
    }
    if (pb & PB_AFTER) f->role |= ROLE_PB_AFTER;

    bool from_source = !(f->n->parse_flags & GUMBO_INSERTION_BY_PARSER) && el->original_tag.length;
    if (tag == GUMBO_TAG_BR) {
        if (c->pre_depth) {
            rfx_buf_putc(&c->pre, '\n', src_off(c, el->start_pos.offset));
        } else if (c->open) {
            if (c->br_run >= 1 && c->inline_depth == 0) flush(c);
            else rfx_buf_putc(&c->raw, '\n', src_off(c, el->start_pos.offset));
            c->br_run++;
        }
        return false;
    }
    if (tag == GUMBO_TAG_HR) {
        if (c->inline_depth == 0) flush(c);
        add_break(c);
        return false;
    }
    if (tag == GUMBO_TAG_PRE && c->inline_depth == 0 && !c->pre_depth) {
        flush(c);
        c->pre_depth = 1;
        rfx_buf_clear(&c->pre);
        f->role |= ROLE_PRE;
        return true;
    }
    if (c->pre_depth) return true;
    if (tag == GUMBO_TAG_TR && c->inline_depth == 0) {
        int kind = classify_row(f->n, NULL);
        /* the table this row belongs to: parent, or grandparent via tbody */
        frame *tf = parent && (parent->role & ROLE_TABLE) ? parent
                    : (parent && parent->n->parent && (parent - 1)->n == parent->n->parent && ((parent - 1)->role & ROLE_TABLE)) ? parent - 1
                    : NULL;
        if (kind != ROW_LAYOUT) {
            /* a one-row table of short cells is a heading laid out in cells
             * ("Item 1A." | "Risk Factors"): one paragraph, no TABLE flag */
            bool single = tf && tf->rows == 1 && kind == ROW_DATA;
            flush(c);
            f->role |= ROLE_ROW;
            f->row_list = kind == ROW_BULLET;
            c->inline_depth++;
            c->open = true;
            c->row = !single;
            c->row_list = f->row_list;
            f->row_single = single;
            c->start = src_off(c, el->start_pos.offset);
            c->end = c->start;
            f->aux = 0;
            return true;
        }
    }
    if ((tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) && c->inline_depth > 0 && parent &&
        (parent->role & ROLE_ROW)) {
        /* a cell of a data row: " | " between non-empty cells; the bullet
         * cell of a bullet row is skipped */
        frame *row = parent;
        if (row->row_list && row->aux == 0) {
            GumboNode *n = f->n;
            /* skip the first non-empty cell: it is the bullet */
            GumboVector *ch = &n->v.element.children;
            bool empty = true;
            for (unsigned k = 0; k < ch->length && empty; k++) {
                GumboNode *x = ch->data[k];
                if (x->type == GUMBO_NODE_TEXT || x->type == GUMBO_NODE_ELEMENT) empty = false;
            }
            if (!empty) {
                row->aux = 1;
                f->st.skip = 1;
                return true;
            }
            return true;
        }
        f->role |= ROLE_CELL;
        size_t len = c->raw.len;
        while (len && c->raw.data[len - 1] == ' ') len--;
        if (len && !row->row_list && !(len >= 1 && c->raw.data[len - 1] == '|')) {
            c->raw.len = len;
            if (row->row_single) rfx_buf_putc(&c->raw, ' ', src_off(c, el->start_pos.offset));
            else rfx_buf_put(&c->raw, " | ", 3, src_off(c, el->start_pos.offset), false);
        }
        return true;
    }
    if (c->inline_depth == 0 && is_block_tag(tag)) {
        /* an element that opens before any text keeps the outermost start */
        if (c->open) flush(c);
        if (from_source && c->pending_start < 0 && tag != GUMBO_TAG_BODY && tag != GUMBO_TAG_HTML &&
            tag != GUMBO_TAG_TABLE && tag != GUMBO_TAG_TBODY && tag != GUMBO_TAG_THEAD &&
            tag != GUMBO_TAG_TFOOT && tag != GUMBO_TAG_TR)
            c->pending_start = src_off(c, el->start_pos.offset);
        f->role |= ROLE_BLOCK;
        if (tag == GUMBO_TAG_LI) c->list = true; /* set after flush: belongs to this item */
        if (tag == GUMBO_TAG_TABLE) {
            f->role |= ROLE_TABLE;
            f->aux = (uint32_t)c->r->nblocks;
            f->rows = text_rows(f->n);
        }
    } else if (c->inline_depth > 0 && is_block_tag(tag) && c->open && c->raw.len &&
               c->raw.data[c->raw.len - 1] != ' ') {
        rfx_buf_putc(&c->raw, ' ', src_off(c, el->start_pos.offset));
    }
    return true;
}

/* A table of contents: most rows name an item and end in a page number
 * ("Item 1A. | Risk Factors | 14", "D. | Risk Factors | 4"), or are links. */
static void mark_toc_table(hctx *c, size_t first) {
    size_t rows = 0, tocish = 0, items = 0;
    for (size_t i = first; i < c->r->nblocks; i++) {
        rfx_block *b = &c->r->blocks[i];
        rows++;
        const char *s = b->t.s;
        size_t n = b->t.len;
        const char *last = s;
        for (const char *p = s; (p = strstr(p, " | ")) != NULL; p += 3) last = p + 3;
        bool page_end = (b->flags & RFX_B_TABLE) && last > s && is_page_number(last, n - (size_t)(last - s), 3);
        bool item = strncasecmp(s, "item", 4) == 0 || strncasecmp(s, "part", 4) == 0 ||
                    strstr(s, "Risk Factors") || strstr(s, "RISK FACTORS");
        if (item) items++;
        if ((b->flags & RFX_B_LINKED) || page_end) tocish++;
    }
    if (tocish >= 3 && tocish * 10 >= rows * 6 && items)
        for (size_t i = first; i < c->r->nblocks; i++) c->r->blocks[i].flags |= RFX_B_TOC;
}

static void dei_store(hctx *c, int field);

static void leave(hctx *c, frame *f) {
    GumboElement *el = &f->n->v.element;
    if (f->role & ROLE_IX) {
        dei_store(c, c->ix_field);
        c->ix_field = -1;
    }
    if (f->st.hidden) return;
    uint32_t end_off = src_off(c, el->end_pos.offset + el->original_end_tag.length);
    if (f->role & ROLE_PRE) {
        c->pre_depth = 0;
        if (c->pre.len) {
            rfx_text t;
            if (!rfx_text_from_buf(c->r->arena, &c->pre, &t)) { c->oom = true; return; }
            rfx_error e2;
            if (rfx_ingest_text(c->r, &t, &e2) != RFX_OK) c->oom = true;
        }
        rfx_buf_clear(&c->pre);
    }
    if (f->role & ROLE_ROW) {
        c->inline_depth--;
        if (el->original_end_tag.length && end_off > c->end) c->end = end_off;
        /* the row's block was opened eagerly: flush drops it when empty */
        if (c->raw.len == 0) c->open = false;
        flush(c);
    }
    if (f->role & ROLE_BLOCK) {
        if (c->open && el->original_end_tag.length && end_off > c->end) c->end = end_off;
        flush(c);
    }
    if (f->role & ROLE_TABLE) mark_toc_table(c, f->aux);
    if (f->role & ROLE_PB_AFTER) {
        if (c->inline_depth == 0) flush(c);
        add_break(c);
    }
}

/* ------------------------------------------------------------------ */
/* dei facts from inline XBRL                                          */
/* ------------------------------------------------------------------ */

static int month_of(const char *s) {
    static const char *m[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++)
        if (strncasecmp(s, m[i], 3) == 0) return i + 1;
    return 0;
}

/* "December 31, 2023", "2023-12-31", "12/31/2023" → y/m/d (y=0 if absent). */
static bool parse_date(const char *s, int *y, int *m, int *d) {
    *y = *m = *d = 0;
    while (*s == ' ' || *s == '-') s++;
    if (isdigit((unsigned char)s[0]) && strlen(s) >= 10 && s[4] == '-' && s[7] == '-') {
        *y = atoi(s);
        *m = atoi(s + 5);
        *d = atoi(s + 8);
    } else if (isdigit((unsigned char)s[0]) && strchr(s, '/')) {
        *m = atoi(s);
        const char *p = strchr(s, '/') + 1;
        *d = atoi(p);
        p = strchr(p, '/');
        if (p) *y = atoi(p + 1);
    } else if (isdigit((unsigned char)s[0]) && s[2] == '-' && isdigit((unsigned char)s[3])) {
        *m = atoi(s); /* "--12-31" with the dashes skipped */
        *d = atoi(s + 3);
    } else if ((*m = month_of(s)) != 0) {
        const char *p = s;
        while (*p && !isdigit((unsigned char)*p)) p++;
        *d = atoi(p);
        while (isdigit((unsigned char)*p)) p++;
        while (*p && !isdigit((unsigned char)*p)) p++;
        if (*p) *y = atoi(p);
    } else if (isdigit((unsigned char)s[0])) { /* "31 December 2023" */
        *d = atoi(s);
        const char *p = s;
        while (isdigit((unsigned char)*p) || *p == ' ') p++;
        *m = month_of(p);
        while (*p && !isdigit((unsigned char)*p)) p++;
        if (*p) *y = atoi(p);
    }
    return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

static void dei_store(hctx *c, int field) {
    if (field < 0 || c->ix.oom) return;
    rfx_buf norm;
    rfx_buf_init(&norm, true);
    if (c->ix.len) rfx_normalize_append(&norm, c->ix.data, c->ix.len, c->ix.src);
    if (norm.len && !norm.oom) {
        rfx_filing *fl = &c->r->filing;
        rfx_arena *a = c->r->arena;
        const char *v = norm.data;
        int y, m, d;
        switch (field) {
        case 0: if (!fl->form) fl->form = rfx_arena_strdup(a, v); break;
        case 1: if (!fl->company) fl->company = rfx_arena_strdup(a, v); break;
        case 2: if (!fl->cik) fl->cik = rfx_arena_strdup(a, v); break;
        case 3:
            if (!fl->period && parse_date(v, &y, &m, &d) && y)
                fl->period = rfx_arena_printf(a, "%04d-%02d-%02d", y, m, d);
            break;
        case 4:
            if (!fl->fiscal_year_end && parse_date(v, &y, &m, &d)) {
                fl->fiscal_year_end = rfx_arena_printf(a, "%02d%02d", m, d);
                fl->fy_end_month = m;
                fl->fy_end_day = d;
            }
            break;
        default: break;
        }
    }
    rfx_buf_free(&norm);
    rfx_buf_clear(&c->ix);
}

/* ------------------------------------------------------------------ */
/* Page numbers and running headers, after the walk                    */
/* ------------------------------------------------------------------ */

typedef struct hdr_slot {
    uint64_t h;
    uint32_t count, near;
} hdr_slot;

static uint64_t hdr_key(const rfx_block *b) {
    uint64_t h = 1469598103934665603ull;
    bool digit = false;
    for (size_t i = 0; i < b->t.len; i++) {
        unsigned char ch = (unsigned char)b->t.s[i];
        if (isdigit(ch)) {
            if (digit) continue;
            digit = true;
            ch = '#';
        } else {
            digit = false;
            ch = (unsigned char)tolower(ch);
        }
        h = (h ^ ch) * 1099511628211ull;
    }
    return h | 1; /* 0 marks an empty slot */
}

static bool near_break(const hctx *c, size_t i, size_t *cursor) {
    /* breaks are sorted: advance a cursor as i grows */
    while (*cursor < c->nbreaks && c->breaks[*cursor] + 2 < i) (*cursor)++;
    for (size_t k = *cursor; k < c->nbreaks && c->breaks[k] <= i + 2; k++)
        if (c->breaks[k] + 2 >= i && c->breaks[k] <= i + 2) return true;
    return false;
}

static void mark_pages(hctx *c) {
    rfx_register *r = c->r;
    size_t n = r->nblocks - c->first_block;
    if (!n) return;
    size_t cap = 1;
    while (cap < n * 2) cap <<= 1;
    hdr_slot *tab = calloc(cap, sizeof *tab);
    uint64_t *keys = calloc(n, sizeof *keys);
    bool *nearb = calloc(n, sizeof *nearb);
    if (!tab || !keys || !nearb) { free(tab); free(keys); free(nearb); return; }
    size_t cur = 0;
    for (size_t i = 0; i < n; i++) {
        rfx_block *b = &r->blocks[c->first_block + i];
        nearb[i] = c->nbreaks && near_break(c, c->first_block + i, &cur);
        if (is_page_number(b->t.s, b->t.len, nearb[i] ? 4 : 3)) b->flags |= RFX_B_PAGENUM;
        /* running headers are short and are not sentences */
        if (b->t.len > 100 || (b->flags & RFX_B_PAGENUM) || b->t.s[b->t.len - 1] == '.') continue;
        keys[i] = hdr_key(b);
        size_t s = keys[i] & (cap - 1);
        while (tab[s].h && tab[s].h != keys[i]) s = (s + 1) & (cap - 1);
        tab[s].h = keys[i];
        tab[s].count++;
        if (nearb[i]) tab[s].near++;
    }
    for (size_t i = 0; i < n; i++) {
        if (!keys[i]) continue;
        size_t s = keys[i] & (cap - 1);
        while (tab[s].h != keys[i]) s = (s + 1) & (cap - 1);
        rfx_block *b = &r->blocks[c->first_block + i];
        bool hdr;
        if (c->nbreaks >= 3) hdr = nearb[i] && tab[s].near >= 3 && tab[s].near * 2 >= tab[s].count;
        else {
            /* no page-break markup: only obvious running headers */
            bool toc = b->t.len >= 17 && strncasecmp(b->t.s, "table of contents", 17) == 0;
            hdr = tab[s].count >= 3 && (toc || ((b->flags & RFX_B_LINKED) && tab[s].count >= 5));
        }
        if (b->t.len <= 24 && strncasecmp(b->t.s, "table of contents", 17) == 0 && tab[s].count >= 3) hdr = true;
        if (hdr) b->flags |= RFX_B_PAGEHDR;
    }
    free(tab);
    free(keys);
    free(nearb);
}

/* ------------------------------------------------------------------ */
/* Driver                                                              */
/* ------------------------------------------------------------------ */

/* Broken HTML makes the parser move content (a table's stray text is
 * "foster-parented" before the table), so tree order can differ from source
 * order. Blocks are put back in source order — what a reader of the file
 * sees, and what keeps every later span increasing. A stable sort; a no-op
 * check first because well-formed filings are already in order. */
typedef struct keyed { uint32_t start; size_t idx; } keyed;

static int by_start(const void *a, const void *b) {
    const keyed *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void sort_blocks(rfx_register *r, size_t first) {
    size_t n = r->nblocks - first;
    bool sorted = true;
    for (size_t i = first + 1; i < r->nblocks && sorted; i++)
        sorted = r->blocks[i - 1].start <= r->blocks[i].start;
    if (sorted || n < 2) return;
    keyed *k = malloc(n * sizeof *k);
    rfx_block *copy = malloc(n * sizeof *copy);
    if (k && copy) {
        for (size_t i = 0; i < n; i++) k[i] = (keyed){r->blocks[first + i].start, i};
        qsort(k, n, sizeof *k, by_start);
        memcpy(copy, r->blocks + first, n * sizeof *copy);
        for (size_t i = 0; i < n; i++) r->blocks[first + i] = copy[k[i].idx];
        rfx_reg_warn(r, "html-reordered", -1,
                     "malformed HTML: blocks were put back in source order");
    }
    free(k);
    free(copy);
}

/* Gumbo allocates and frees a node, string or vector at a time; a bump
 * allocator over a scratch arena makes that nearly free, and the tree is
 * dropped at once with the arena. The arena's limit keeps a hostile document
 * within the per-document memory budget; past it, allocation returns NULL
 * and gumbo's own out-of-memory path aborts, so we check the budget first. */
static void *gumbo_bump(void *arena, size_t n) { return rfx_arena_alloc(arena, n); }
static void gumbo_nofree(void *arena, void *p) { (void)arena; (void)p; }

rfx_status rfx_ingest_html(rfx_register *r, const unsigned char *s, size_t n, uint32_t base,
                           rfx_error *err) {
    rfx_html_input in;
    rfx_status st = rfx_html_prepare(r, s, n, base, &in, err);
    if (st != RFX_OK) return st;

    GumboOptions opts = kGumboDefaultOptions;
    opts.max_errors = 0; /* errors are not reported; recording them costs time and memory */
    rfx_arena *tree = rfx_arena_new((size_t)-1 / 2);
    if (!tree) {
        rfx_html_input_free(&in);
        rfx_set_error(err, RFX_ENOMEM, "%s: out of memory parsing HTML", r->path);
        return RFX_ENOMEM;
    }
    opts.allocator = gumbo_bump;
    opts.deallocator = gumbo_nofree;
    opts.userdata = tree;
    GumboOutput *out = gumbo_parse_with_options(&opts, in.doc, in.len);
    if (!out) {
        rfx_arena_free(tree);
        rfx_html_input_free(&in);
        rfx_set_error(err, RFX_ENOMEM, "%s: out of memory parsing HTML", r->path);
        return RFX_ENOMEM;
    }

    hctx c;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.doc = in.doc;
    c.doclen = in.len;
    c.tmap = in.map;
    c.base = in.base;
    c.in = &in;
    c.first_block = r->nblocks;
    c.ix_field = -1;
    rfx_buf_init(&c.raw, true);
    rfx_buf_init(&c.pre, true);
    rfx_buf_init(&c.ix, true);
    rfx_buf_init(&c.orig, true);
    reset_para(&c);

    size_t cap = 256, sp = 0;
    frame *stk = malloc(cap * sizeof *stk);
    if (!stk) c.oom = true;
    else {
        memset(&stk[0], 0, sizeof stk[0]);
        stk[0].n = out->document;
        sp = 1;
    }
    while (sp && !c.oom) {
        frame *f = &stk[sp - 1];
        GumboVector *kids = NULL;
        if (f->n->type == GUMBO_NODE_DOCUMENT) kids = &f->n->v.document.children;
        else if (f->n->type == GUMBO_NODE_ELEMENT || f->n->type == GUMBO_NODE_TEMPLATE) kids = &f->n->v.element.children;
        if (!kids || f->next >= kids->length) {
            if (f->n->type == GUMBO_NODE_ELEMENT) leave(&c, f);
            sp--;
            continue;
        }
        GumboNode *child = kids->data[f->next++];
        switch (child->type) {
        case GUMBO_NODE_TEXT: case GUMBO_NODE_WHITESPACE: case GUMBO_NODE_CDATA:
            add_text(&c, child, &f->st);
            break;
        case GUMBO_NODE_ELEMENT: {
            if (sp == cap) {
                frame *ns = realloc(stk, cap * 2 * sizeof *stk);
                if (!ns) { c.oom = true; break; }
                stk = ns;
                cap *= 2;
                f = &stk[sp - 1];
            }
            frame *nf = &stk[sp];
            memset(nf, 0, sizeof *nf);
            nf->n = child;
            if (enter(&c, nf, f->n->type == GUMBO_NODE_DOCUMENT ? NULL : f)) sp++;
            break;
        }
        default: break;
        }
    }
    flush(&c);
    free(stk);
    if (!c.oom) sort_blocks(r, c.first_block);
    if (!c.oom) mark_pages(&c);
    rfx_buf_free(&c.raw);
    rfx_buf_free(&c.pre);
    rfx_buf_free(&c.ix);
    rfx_buf_free(&c.orig);
    free(c.breaks);
    rfx_arena_free(tree); /* the whole tree at once (gumbo_destroy_output would only no-op free) */
    rfx_html_input_free(&in);
    if (c.oom) {
        rfx_set_error(err, RFX_ENOMEM, "%s: over the memory limit building HTML blocks", r->path);
        return RFX_ENOMEM;
    }
    return RFX_OK;
}
