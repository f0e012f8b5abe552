/*
 * pdf.c — a PDF → the extracted text and its blocks.
 *
 * What offsets index: a PDF's bytes are compressed content streams, so no
 * span of risk text has an offset in them. rfx writes the text it extracts
 * into r->decoded — pages in order, each paragraph's lines one a line, a
 * blank line after each paragraph, a form feed where the text moves to
 * another page — and every offset in the register (blocks, risks, facts, entities, warnings) indexes
 * that text. The JSON says so ("source.offsets": "extracted-text"),
 * rfx_source_text() returns it, and r->pdf keeps each word's page and box so
 * any span can be put back on its page (rfx_pdf_span_box).
 *
 * Reading a page:
 *  - text layer (poppler): poppler_page_get_text gives the page in reading
 *    order (columns read one after the other), get_text_layout a box per
 *    character, get_text_attributes the font name and size per run. Lines
 *    become words with boxes; a gap of several ems inside a line splits table
 *    cells.
 *  - no text layer (or opt.ocr == 1): pdf_ocr.c renders and recognises it.
 * Paragraphs come from geometry: a vertical gap, a move up (next column), a
 * change of font size or weight, a bullet, an indented first line, or a short
 * line ending a sentence. Lines in the top and bottom margins are page
 * furniture: page numbers are marked PAGENUM, and a margin line that recurs
 * on three pages or more (digits aside) PAGEHDR, as the text and HTML paths
 * do. Hyphenation at line ends is undone by rfx_normalize_append. Emphasis:
 * a bold or italic font name marks the block (or its lead-in), a font
 * clearly larger than the page's body text marks a heading.
 */
#include "pdf_internal.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_PAGES 2000
#define LOW_CONF 50.0f      /* OCR words below this are reported */
#define MAX_CONF_WARNINGS 50

/* ---------------- lines and words ---------------- */

void pdf_page_free(pdf_page *p) {
    for (size_t i = 0; i < p->n; i++) {
        free(p->lines[i].text);
        free(p->lines[i].words);
    }
    free(p->lines);
    p->lines = NULL;
    p->n = p->cap = 0;
}

pdf_line *pdf_page_add_line(pdf_page *p) {
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 64;
        pdf_line *nl = realloc(p->lines, nc * sizeof *nl);
        if (!nl) return NULL;
        p->lines = nl;
        p->cap = nc;
    }
    pdf_line *l = &p->lines[p->n++];
    memset(l, 0, sizeof *l);
    l->x0 = l->y0 = FLT_MAX;
    l->x1 = l->y1 = -FLT_MAX;
    return l;
}

bool pdf_line_add_word(pdf_line *l, const char *s, size_t n, const float box[4], float conf, char sep) {
    if (l->len + n + 2 > l->cap) {
        size_t nc = (l->cap ? l->cap * 2 : 128) + n;
        char *t = realloc(l->text, nc);
        if (!t) return false;
        l->text = t;
        l->cap = nc;
    }
    if (l->nwords == l->capw) {
        size_t nc = l->capw ? l->capw * 2 : 16;
        pdf_word *w = realloc(l->words, nc * sizeof *w);
        if (!w) return false;
        l->words = w;
        l->capw = nc;
    }
    if (l->nwords) l->text[l->len++] = sep;
    pdf_word *w = &l->words[l->nwords++];
    w->off = l->len;
    w->len = n;
    w->x0 = box[0]; w->y0 = box[1]; w->x1 = box[2]; w->y1 = box[3];
    w->conf = conf;
    memcpy(l->text + l->len, s, n);
    l->len += n;
    l->text[l->len] = 0;
    if (box[0] < l->x0) l->x0 = box[0];
    if (box[1] < l->y0) l->y0 = box[1];
    if (box[2] > l->x1) l->x1 = box[2];
    if (box[3] > l->y1) l->y1 = box[3];
    return true;
}

/* ---------------- the text layer ---------------- */

static bool has_ci(const char *s, const char *needle) {
    size_t m = strlen(needle);
    for (; s && *s; s++)
        if (strncasecmp(s, needle, m) == 0) return true;
    return false;
}

static bool bold_font(const char *f) {
    return has_ci(f, "bold") || has_ci(f, "black") || has_ci(f, "heavy") || has_ci(f, "semibold") ||
           has_ci(f, "demi");
}

static bool italic_font(const char *f) { return has_ci(f, "italic") || has_ci(f, "oblique"); }

typedef struct word_acc {
    size_t b, e;        /* bytes in the page text */
    float box[4];
    size_t chars, bold, italic;
    double size;
} word_acc;

/* Ends the word being gathered into line l. */
static bool flush_word(pdf_line *l, const char *text, word_acc *w, bool *lead_open) {
    if (w->e <= w->b) return true;
    float em = w->chars ? (float)(w->size / (double)w->chars) : 10.0f;
    if (em < 1) em = 1;
    char sep = ' ';
    if (l->nwords && w->box[0] - l->x1 > 2.2f * em && w->box[0] > l->x1) sep = '\t';
    bool ok = pdf_line_add_word(l, text + w->b, w->e - w->b, w->box, -1.0f, sep);
    bool bold = w->bold * 2 > w->chars, italic = w->italic * 2 > w->chars;
    if (ok) {
        if (*lead_open && bold) l->bold_bytes = l->len;
        else *lead_open = false;
        l->bold = l->nwords == 1 ? bold : l->bold && bold;
        l->italic = l->nwords == 1 ? italic : l->italic && italic;
        /* the line's size: a running mean weighted by bytes (the words
         * before this one hold l->len minus this word and the separators) */
        size_t before = l->len - (w->e - w->b) - (l->nwords - 1);
        l->size = (float)((l->size * (double)before + (double)em * (double)(w->e - w->b)) /
                          (double)(before + (w->e - w->b)));
    }
    memset(w, 0, sizeof *w);
    return ok;
}

/* The page's text layer as lines; false on allocation failure. *boxes says
 * whether poppler gave one box per character (it always should). */
static bool read_text_layer(PopplerPage *page, pdf_page *out, bool *boxes) {
    char *text = poppler_page_get_text(page);
    *boxes = false;
    if (!text) return true;
    size_t n = strlen(text);
    if (!g_utf8_validate(text, (gssize)n, NULL)) { g_free(text); return true; }
    PopplerRectangle *rects = NULL;
    guint nr = 0;
    if (!poppler_page_get_text_layout(page, &rects, &nr)) nr = 0;
    size_t nchars = (size_t)g_utf8_strlen(text, (gssize)n);
    *boxes = nr == nchars && nchars > 0;
    GList *attrs = *boxes ? poppler_page_get_text_attributes(page) : NULL;
    const PopplerTextAttributes **ca = *boxes ? calloc(nchars, sizeof *ca) : NULL;
    if (ca)
        for (GList *g = attrs; g; g = g->next) {
            const PopplerTextAttributes *a = g->data;
            if (a->start_index < 0) continue;
            for (size_t i = (size_t)a->start_index; i <= (size_t)(a->end_index < 0 ? 0 : a->end_index) && i < nchars; i++)
                ca[i] = a;
        }
    bool ok = true;
    pdf_line *line = NULL;
    word_acc w = {0};
    bool lead_open = true;
    size_t ci = 0;
    for (size_t i = 0; i <= n && ok;) {
        unsigned char c = i < n ? (unsigned char)text[i] : '\n';
        size_t k = i < n ? (size_t)(g_utf8_next_char(text + i) - (text + i)) : 1;
        bool space = c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\n' || (c < 0x20);
        /* U+00A0 no-break space separates words too */
        if (k == 2 && c == 0xC2 && (unsigned char)text[i + 1] == 0xA0) space = true;
        if (space) {
            if (w.e > w.b) {
                if (!line && !(line = pdf_page_add_line(out))) { ok = false; break; }
                ok = flush_word(line, text, &w, &lead_open);
            }
            if (c == '\n' && line) {
                if (!line->nwords) out->n--; /* an empty line is no line */
                line = NULL;
                lead_open = true;
            }
        } else {
            if (*boxes && w.e > w.b) {
                /* poppler writes no space between two columns' lines that it
                 * joins: a jump in x splits the word */
                const PopplerRectangle *rc = &rects[ci];
                float x0 = (float)fmin(rc->x1, rc->x2);
                float em = (float)(w.size / (double)(w.chars ? w.chars : 1));
                if (x0 > w.box[2] + (em > 1 ? em : 1) || x0 < w.box[0] - 1) {
                    if (!line && !(line = pdf_page_add_line(out))) { ok = false; break; }
                    ok = flush_word(line, text, &w, &lead_open);
                    if (!ok) break;
                }
            }
            if (w.e <= w.b) {
                w.b = i;
                w.box[0] = w.box[1] = FLT_MAX;
                w.box[2] = w.box[3] = -FLT_MAX;
            }
            w.e = i + k;
            if (*boxes) {
                const PopplerRectangle *rc = &rects[ci];
                float x0 = (float)fmin(rc->x1, rc->x2), x1 = (float)fmax(rc->x1, rc->x2);
                float y0 = (float)fmin(rc->y1, rc->y2), y1 = (float)fmax(rc->y1, rc->y2);
                if (x0 < w.box[0]) w.box[0] = x0;
                if (y0 < w.box[1]) w.box[1] = y0;
                if (x1 > w.box[2]) w.box[2] = x1;
                if (y1 > w.box[3]) w.box[3] = y1;
                const PopplerTextAttributes *a = ca ? ca[ci] : NULL;
                w.size += a && a->font_size > 0 && a->font_size < 1000 ? a->font_size : (double)(y1 - y0);
                if (a && bold_font(a->font_name)) w.bold++;
                if (a && italic_font(a->font_name)) w.italic++;
            } else {
                w.box[0] = w.box[1] = w.box[2] = w.box[3] = 0;
                w.size += 10;
            }
            w.chars++;
        }
        i += k;
        ci++;
    }
    if (line && !line->nwords) out->n--;
    free(ca);
    if (attrs) poppler_page_free_text_attributes(attrs);
    g_free(rects);
    g_free(text);
    return ok;
}

/* ---------------- columns ---------------- */

/* poppler_page_get_text reads straight across a page and joins the lines of
 * two columns that sit at the same height ("...of ATMs.  If we fail..."), so
 * a text-layer page is checked for a gutter: an x in the middle of the page
 * that almost no word covers, with many lines on either side. Lines that
 * cross it are cut in two there, and the page is reordered band by band: a
 * band ends at a line spanning the gutter (a full-width title), and inside a
 * band the left column is read before the right one. */

static bool line_from_words(pdf_page *out, const pdf_line *src, size_t w0, size_t w1) {
    pdf_line *l = pdf_page_add_line(out);
    if (!l) return false;
    l->size = src->size;
    l->bold = src->bold;
    l->italic = src->italic;
    for (size_t k = w0; k < w1; k++) {
        const pdf_word *w = &src->words[k];
        float box[4] = {w->x0, w->y0, w->x1, w->y1};
        char sep = k > w0 ? src->text[w->off - 1] : ' ';
        if (!pdf_line_add_word(l, src->text + w->off, w->len, box, w->conf, sep)) return false;
        if (w0 == 0 && src->bold_bytes >= w->off + w->len) l->bold_bytes = l->len;
    }
    return true;
}

typedef struct yl { float y0, x0; size_t i; int side; } yl; /* side: 0 left, 1 right, 2 spans */

static int cmp_yl(const void *a, const void *b) {
    const yl *x = a, *y = b;
    if (fabsf(x->y0 - y->y0) > 2) return x->y0 < y->y0 ? -1 : 1;
    if (x->x0 != y->x0) return x->x0 < y->x0 ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Returns false on allocation failure only. */
static bool order_columns(pdf_page *pg) {
    /* wider than A0 (2384 pt): no report layout, and the coverage count
     * below is linear in the page width */
    if (pg->n < 10 || !(pg->w > 0) || pg->w > 3000) return true;
    int lo = (int)(pg->w * 0.3), hi = (int)(pg->w * 0.7), span = hi - lo + 1;
    if (span <= 0) return true;
    size_t *cover = calloc((size_t)span, sizeof *cover);
    if (!cover) return false;
    for (size_t i = 0; i < pg->n; i++)
        for (size_t k = 0; k < pg->lines[i].nwords; k++) {
            const pdf_word *w = &pg->lines[i].words[k];
            int a = (int)floorf(w->x0) - lo, b = (int)ceilf(w->x1) - lo;
            if (a < 0) a = 0;
            if (b >= span) b = span - 1;
            for (int x = a; x <= b; x++) cover[x]++;
        }
    /* the gutter: the middle of the widest run of x that fewest words cover */
    size_t best = SIZE_MAX;
    int gx = -1, run = 0, bestrun = 0;
    for (int x = 0; x < span; x++) if (cover[x] < best) best = cover[x];
    for (int x = 0; x <= span; x++) {
        if (x < span && cover[x] == best) { run++; continue; }
        if (run > bestrun) { bestrun = run; gx = x - run / 2 - 1; }
        run = 0;
    }
    free(cover);
    if (gx < 0 || bestrun < 6 || best * 20 > pg->n) return true;
    float g = (float)(gx + lo);
    size_t left = 0, right = 0;
    for (size_t i = 0; i < pg->n; i++) {
        left += pg->lines[i].x0 < g && pg->lines[i].words[0].x1 < g;
        right += pg->lines[i].x1 > g && pg->lines[i].words[pg->lines[i].nwords - 1].x0 > g;
    }
    if (left < 5 || right < 5) return true;
    /* cut lines at the gutter, then read band by band */
    pdf_page cut = {0};
    cut.w = pg->w;
    cut.h = pg->h;
    bool ok = true;
    for (size_t i = 0; i < pg->n && ok; i++) {
        const pdf_line *l = &pg->lines[i];
        size_t k = 0;
        while (k < l->nwords && l->words[k].x1 < g) k++;
        bool crosses = k < l->nwords && l->words[k].x0 < g; /* a word covers the gutter */
        if (crosses || k == 0 || k == l->nwords) ok = line_from_words(&cut, l, 0, l->nwords);
        else ok = line_from_words(&cut, l, 0, k) && line_from_words(&cut, l, k, l->nwords);
    }
    yl *v = ok ? malloc(cut.n * sizeof *v) : NULL;
    pdf_line *sorted = ok ? malloc(cut.n * sizeof *sorted) : NULL;
    if (!v || !sorted) {
        free(v);
        free(sorted);
        pdf_page_free(&cut);
        return false;
    }
    for (size_t i = 0; i < cut.n; i++) {
        const pdf_line *l = &cut.lines[i];
        int side = l->x1 <= g ? 0 : l->x0 >= g ? 1 : 2;
        v[i] = (yl){l->y0, l->x0, i, side};
    }
    qsort(v, cut.n, sizeof *v, cmp_yl);
    size_t m = 0;
    for (size_t b = 0; b < cut.n;) {
        size_t e = b;
        while (e < cut.n && v[e].side != 2) e++;
        for (int side = 0; side < 2; side++)
            for (size_t k = b; k < e; k++)
                if (v[k].side == side) sorted[m++] = cut.lines[v[k].i];
        if (e < cut.n) sorted[m++] = cut.lines[v[e].i];
        b = e + 1;
    }
    free(v);
    free(cut.lines);
    pdf_page_free(pg);
    pg->lines = sorted;
    pg->n = pg->cap = m;
    return true;
}

/* ---------------- paragraphs ---------------- */

typedef struct furn {
    uint64_t key;
    size_t block;
    uint32_t page;
} furn;

typedef struct builder {
    rfx_register *r;
    rfx_buf ex;             /* the extracted text */
    rfx_pdf_word *words;
    size_t nwords, capw;
    furn *furn;
    size_t nfurn, capf;
    size_t conf_warned, conf_more, ocr_bullets;
    uint32_t last_page;     /* page of the last line written to ex */
    bool failed;
} builder;

/* A line of the document with its page: paragraphs may run across pages. */
typedef struct gline {
    const pdf_line *l;
    const pdf_page *pg;
    uint32_t page;      /* 1-based */
    float body;         /* the page's body font size */
    double left;        /* the page's left text edge */
    bool boxes;         /* the page has real boxes */
    size_t idx;         /* the line's place on its page */
    float pitch;        /* the page's usual distance from one line's top to the next */
    uint32_t furniture; /* RFX_B_PAGENUM or RFX_B_PAGEHDR, or 0 */
} gline;

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* The median top-to-top distance of consecutive lines: a scanned page is
 * slightly rotated, so its line boxes overlap and only the pitch shows a
 * blank line between paragraphs. 0 when the page has too few lines. */
static float line_pitch(const pdf_page *pg) {
    if (pg->n < 4) return 0;
    float *d = malloc(pg->n * sizeof *d);
    if (!d) return 0;
    size_t m = 0;
    for (size_t i = 1; i < pg->n; i++) {
        float v = pg->lines[i].y0 - pg->lines[i - 1].y0, sz = pg->lines[i].size > 1 ? pg->lines[i].size : 1;
        if (v > 0 && v < 3 * sz) d[m++] = v;
    }
    float r = 0;
    if (m >= 3) {
        qsort(d, m, sizeof *d, cmp_float);
        r = d[m / 2];
    }
    free(d);
    return r;
}

static const char *const bullets[] = {"\xe2\x80\xa2", "\xc2\xb7", "\xe2\x96\xaa", "\xe2\x97\x8f",
                                      "\xe2\x97\xa6", "\xe2\x96\xa0", "\xe2\x96\xa1", "\xef\x82\xb7",
                                      "\xef\x82\xa7", "\xe2\x80\x93", "\xe2\x80\x94", "\\cdot", "-", "*", "o", NULL};
/* what OCR makes of a bullet glyph: repaired to a list marker, and counted */
static const char *const ocr_bullets[] = {"e", "\xc2\xa9", "\xc2\xbb", "\xc2\xab", "+", "\xc2\xa2", NULL};

/* Bytes of the bullet markers starting the line ("- \xc2\xb7 text" has two), or 0.
 * "o", "-" and "*" are ordinary characters too: they mark an item before a
 * capital, or anywhere a list can go on (ctx). */
static size_t bullet_len(const pdf_line *l, bool ocr, bool ctx, bool *repaired) {
    *repaired = false;
    size_t k = 0;
    while (k + 1 < l->nwords) {
        const pdf_word *w = &l->words[k];
        const char *s = l->text + w->off;
        const char *next = l->text + l->words[k + 1].off;
        bool mark = false;
        for (int m = 0; bullets[m] && !mark; m++)
            if (w->len == strlen(bullets[m]) && !memcmp(s, bullets[m], w->len)) {
                mark = true;
                if (w->len == 1 && !isupper((unsigned char)next[0]) && !(k > 0 || (ctx && s[0] != 'o')))
                    mark = false;
            }
        if (!mark && ocr) {
            for (int m = 0; ocr_bullets[m] && !mark; m++)
                if (k == 0 && w->len == strlen(ocr_bullets[m]) && !memcmp(s, ocr_bullets[m], w->len) &&
                    isupper((unsigned char)next[0]))
                    mark = *repaired = true;
            /* a short run of symbols ("~", "—~", "-»") is a bullet OCR misread */
            bool symbols = w->len <= 6;
            for (size_t j = 0; j < w->len && symbols; j++)
                if (isalnum((unsigned char)s[j]) || strchr("$%(\"'", s[j])) symbols = false;
            if (symbols && !mark && (k > 0 || ctx || isupper((unsigned char)next[0]))) mark = *repaired = true;
        }
        if (!mark) break;
        k++;
    }
    return k ? l->words[k].off : 0;
}

static bool is_page_number(const char *s, size_t n) {
    while (n && (*s == ' ' || *s == '-')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '-')) n--;
    if (n > 5 && strncasecmp(s, "page ", 5) == 0) { s += 5; n -= 5; }
    if (!n || n > 12) return false;
    size_t digits = 0, letters = 0;
    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)s[i])) digits++;
        else if (strchr("ivxlc", s[i])) letters++;
        else if (!strchr(" -/of", s[i])) return false;
    }
    return digits ? digits <= 8 : letters == n && letters <= 5;
}

static uint64_t line_key(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c)) {
            while (i + 1 < n && isdigit((unsigned char)s[i + 1])) i++;
            c = '#';
        }
        h = (h ^ c) * 1099511628211ull;
    }
    return h;
}

static bool add_word_box(builder *B, uint32_t start, uint32_t end, uint32_t page, const pdf_word *w) {
    if (B->nwords == B->capw) {
        size_t nc = B->capw ? B->capw * 2 : 1024;
        rfx_pdf_word *nw = realloc(B->words, nc * sizeof *nw);
        if (!nw) return false;
        B->words = nw;
        B->capw = nc;
    }
    B->words[B->nwords++] = (rfx_pdf_word){start, end, page, w->x0, w->y0, w->x1, w->y1, w->conf};
    return true;
}

static void count_case(const char *s, size_t n, size_t *up, size_t *low) {
    *up = *low = 0;
    for (size_t j = 0; j < n; j++) {
        if (isupper((unsigned char)s[j])) (*up)++;
        else if (islower((unsigned char)s[j])) (*low)++;
    }
}

static void add_block(builder *B, const rfx_buf *norm, uint32_t start, uint32_t flags, float size,
                      uint32_t lead_len) {
    if (norm->oom || !norm->len) return;
    rfx_register *r = B->r;
    rfx_block *bl = rfx_reg_add_block(r);
    if (!bl || !rfx_text_from_buf(r->arena, norm, &bl->t)) {
        if (bl) r->nblocks--;
        B->failed = true;
        return;
    }
    bl->start = start;
    bl->end = (uint32_t)B->ex.len - 2; /* before the line's newline and the blank line */
    bl->flags = flags;
    bl->lead_len = lead_len;
    if (size > 0 && size < 6500) bl->font_size = (uint16_t)lround(size * 10);
}

/* Writes lines [a, b) of page pg as one block: their text into the extracted
 * text, their words into the word table, the normalised text into a block. */
static void emit(builder *B, const gline *G, size_t a, size_t b, uint32_t flags) {
    if (B->failed) return;
    rfx_register *r = B->r;
    const pdf_line *first = G[a].l;
    const pdf_page *pg = G[a].pg;
    float body_size = G[a].body;
    double left = G[a].left;
    bool repaired = false;
    size_t skip = (flags & RFX_B_LIST) ? bullet_len(first, pg->ocr, true, &repaired) : 0;
    if (repaired) B->ocr_bullets++;
    bool table = flags & RFX_B_TABLE;
    rfx_buf raw, norm;
    rfx_buf_init(&raw, true);
    rfx_buf_init(&norm, true);
    if (B->last_page && G[a].page != B->last_page) rfx_buf_putc(&B->ex, '\f', 0); /* a new page */
    B->last_page = G[a].page;
    uint32_t start = (uint32_t)B->ex.len;
    bool all_bold = true, all_italic = true;
    size_t words = 0;
    for (size_t i = a; i < b; i++) {
        if (G[i].furniture && !(flags & (RFX_B_PAGENUM | RFX_B_PAGEHDR))) continue; /* written already */
        const pdf_line *l = G[i].l;
        uint32_t pageno = G[i].page;
        if (pageno != B->last_page) { rfx_buf_putc(&B->ex, '\f', 0); B->last_page = pageno; }
        uint32_t at = (uint32_t)B->ex.len;
        rfx_buf_put(&B->ex, l->text, l->len, 0, false);
        rfx_buf_putc(&B->ex, '\n', 0);
        size_t from = i == a ? skip : 0;
        if (raw.len) rfx_buf_putc(&raw, '\n', at - 1);
        rfx_buf_put(&raw, l->text + from, l->len - from, at + (uint32_t)from, true);
        all_bold &= l->bold;
        all_italic &= l->italic;
        words += l->nwords;
        for (size_t k = 0; k < l->nwords; k++) {
            const pdf_word *w = &l->words[k];
            uint32_t ws = at + (uint32_t)w->off, we = ws + (uint32_t)w->len;
            if (!add_word_box(B, ws, we, pageno, w)) { B->failed = true; break; }
            if (w->conf >= 0 && w->conf < LOW_CONF) {
                if (B->conf_warned < MAX_CONF_WARNINGS) {
                    B->conf_warned++;
                    rfx_reg_warn(r, "ocr-low-confidence", ws,
                                 "page %u, box [%.0f %.0f %.0f %.0f] pt: '%.*s' read with %.0f%% confidence",
                                 pageno, w->x0, w->y0, w->x1, w->y1, (int)(w->len > 60 ? 60 : w->len),
                                 l->text + w->off, w->conf);
                } else B->conf_more++;
            }
        }
    }
    rfx_buf_putc(&B->ex, '\n', 0); /* a blank line ends the paragraph */
    if (table) {
        /* cells joined by " | " as for HTML table rows; the bar maps to the gap */
        size_t c0 = 0;
        for (size_t i = 0; i <= raw.len && !raw.oom; i++) {
            if (i < raw.len && raw.data[i] != '\t' && raw.data[i] != '\n') continue;
            if (norm.len) rfx_buf_put(&norm, " | ", 3, raw.src[i < raw.len ? i : raw.len - 1], false);
            size_t before = norm.len;
            rfx_normalize_append(&norm, raw.data + c0, i - c0, raw.src + c0);
            if (norm.len == before && before >= 3) norm.len -= 3; /* an empty cell */
            c0 = i + 1;
        }
        add_block(B, &norm, start, flags, first->size, 0);
    } else {
        size_t lead = first->bold_bytes > skip ? first->bold_bytes - skip : 0;
        uint32_t lead_len = 0;
        if (!all_bold && lead && lead < raw.len && b - a >= 1) {
            rfx_normalize_append(&norm, raw.data, lead, raw.src);
            lead_len = (uint32_t)norm.len;
            size_t j = lead;
            while (j < raw.len && (raw.data[j] == ' ' || raw.data[j] == '\n')) j++;
            if (norm.len && j < raw.len) rfx_buf_putc(&norm, ' ', raw.src[lead]);
            rfx_normalize_append(&norm, raw.data + j, raw.len - j, raw.src + j);
        } else {
            rfx_normalize_append(&norm, raw.data, raw.len, raw.src);
        }
        if (lead_len && lead_len < norm.len) flags |= RFX_B_PARTBOLD;
        if (all_bold) flags |= RFX_B_BOLD;
        if (all_italic) flags |= RFX_B_ITALIC;
        if (body_size > 0 && first->size >= body_size * 1.18f && words <= 40 &&
            !(flags & (RFX_B_PAGENUM | RFX_B_PAGEHDR)))
            flags |= RFX_B_HEADING; /* clearly larger than the page's body text */
        if (b - a == 1 && pg->w > 0 && G[a].boxes) {
            double mid = (first->x0 + first->x1) / 2;
            if (fabs(mid - pg->w / 2) < pg->w * 0.04 && first->x0 > left + pg->w * 0.08) flags |= RFX_B_CENTER;
        }
        size_t up, low;
        count_case(norm.data, norm.len, &up, &low);
        if (up >= 2 && low == 0) flags |= RFX_B_CAPS;
        if (!(flags & RFX_B_PARTBOLD)) lead_len = 0;
        add_block(B, &norm, start, flags, first->size, lead_len);
    }
    if (raw.oom || norm.oom) B->failed = true;
    rfx_buf_free(&raw);
    rfx_buf_free(&norm);
}

static bool ends_sentence(const pdf_line *l) {
    size_t n = l->len;
    while (n && (l->text[n - 1] == '"' || l->text[n - 1] == ')' || l->text[n - 1] == '\'')) n--;
    return n && strchr(".:?!", l->text[n - 1]);
}

static bool starts_upper(const pdf_line *l) {
    unsigned char c = (unsigned char)l->text[0];
    return isupper(c) || isdigit(c) || c == '(' || c == '"' || c >= 0x80;
}

static bool is_table_row(const pdf_line *l) {
    if (!memchr(l->text, '\t', l->len)) return false;
    for (size_t i = 0; i < l->len; i++)
        if (isdigit((unsigned char)l->text[i])) return true;
    return false;
}

static int cmp_furn(const void *x, const void *y) {
    const furn *a = x, *b = y;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    return a->page < b->page ? -1 : a->page > b->page;
}

/* Page furniture: a page number in the top or bottom margin, or a margin
 * line (the first two or last two of a page) that recurs, digits aside, on
 * three pages or more (both pages of a two-page document). */
static bool mark_furniture(gline *G, size_t n, uint32_t pages) {
    furn *f = malloc((n + 1) * sizeof *f);
    if (!f) return false;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const pdf_line *l = G[i].l;
        const pdf_page *pg = G[i].pg;
        bool margin = G[i].boxes && pg->h > 0 && (l->y1 <= pg->h * 0.1 || l->y0 >= pg->h * 0.9);
        /* or the first or last line of a page (a page's end drawn mid-sheet) */
        bool edge = G[i].idx == 0 || G[i].idx + 1 == pg->n;
        if ((!margin && !edge) || l->len > 120) continue;
        if (is_page_number(l->text, l->len)) G[i].furniture = RFX_B_PAGENUM;
        else f[m++] = (furn){line_key(l->text, l->len), i, G[i].page};
    }
    qsort(f, m, sizeof *f, cmp_furn);
    size_t need = pages >= 3 ? 3 : 2;
    for (size_t g = 0; g < m;) {
        size_t e = g + 1, distinct = 1;
        while (e < m && f[e].key == f[g].key) {
            distinct += f[e].page != f[e - 1].page;
            e++;
        }
        if (distinct >= need)
            for (size_t k = g; k < e; k++) G[f[k].block].furniture = RFX_B_PAGEHDR;
        g = e;
    }
    free(f);
    return true;
}

/* The document's lines → blocks. */
static void build(builder *B, const gline *G, size_t n) {
    size_t a = 0, prev = 0; /* the open paragraph: lines [a, i), its last line prev */
    size_t pend[16], npend = 0; /* furniture met while it was open */
    bool open = false, list = false;
    float right = 0;
    for (size_t i = 0; i <= n && !B->failed; i++) {
        const pdf_line *l = i < n ? G[i].l : NULL;
        bool table = l && !G[i].furniture && is_table_row(l), repaired = false;
        const pdf_line *p = open ? G[prev].l : NULL;
        /* OCR: a mark at a line start is a bullet (no dashes wrap in a scan's lines) */
        bool ctx = !open || (l && G[i].pg->ocr) || list || (p && p->len && p->text[p->len - 1] == ':');
        bool bullet = l && !G[i].furniture && !table && bullet_len(l, G[i].pg->ocr, ctx, &repaired) > 0;
        bool brk = !open || !l || G[i].furniture || table;
        if (!brk) {
            float lh = p->y1 - p->y0;
            if (lh < p->size) lh = p->size;
            float em = l->size > 0 ? l->size : 10;
            bool boxes = G[i].boxes;
            if (bullet) brk = true;
            else if (G[i].page != G[prev].page) /* a paragraph runs on over a page break */
                brk = ends_sentence(p) || !islower((unsigned char)l->text[0]);
            else if (boxes && l->y0 < p->y0 - 0.5f * lh) /* the next column: runs on in lower case */
                brk = ends_sentence(p) || !islower((unsigned char)l->text[0]);
            else if (G[i].pg->ocr && G[i].pitch > 0 && l->y0 - p->y0 > 1.45f * G[i].pitch) brk = true;
            else if (!G[i].pg->ocr && boxes && l->y0 - p->y1 > 0.6f * lh) brk = true; /* a gap */
            else if (fabsf(l->size - p->size) > (G[i].pg->ocr ? 0.3f : 0.12f) * fmaxf(l->size, p->size))
                brk = true; /* OCR sizes are letter heights: only a clear change counts */
            else if (p->bold != l->bold && (p->bold ? p->bold_bytes == p->len : true)) brk = true;
            else if (boxes && !list && l->x0 > p->x0 + 1.2f * em && starts_upper(l)) brk = true; /* indent */
            else if (boxes && i - a >= 2 && ends_sentence(p) && p->x1 < right - 0.15f * (right - G[a].l->x0) &&
                     starts_upper(l))
                brk = true; /* a short last line */
        }
        if (!l) {
            if (open) emit(B, G, a, i, list ? RFX_B_LIST : 0);
            for (size_t k = 0; k < npend; k++) emit(B, G, pend[k], pend[k] + 1, G[pend[k]].furniture);
            break;
        }
        if (G[i].furniture && open && npend < sizeof pend / sizeof *pend) {
            /* the paragraph may run on over the page break: the break's
             * furniture is written after it */
            pend[npend++] = i;
            continue;
        }
        if (G[i].furniture || table || (brk && open)) {
            if (open) emit(B, G, a, i, list ? RFX_B_LIST : 0);
            open = false;
            for (size_t k = 0; k < npend; k++) emit(B, G, pend[k], pend[k] + 1, G[pend[k]].furniture);
            npend = 0;
        }
        if (G[i].furniture || table) {
            emit(B, G, i, i + 1, table ? RFX_B_TABLE : G[i].furniture);
            continue;
        }
        if (!open) {
            open = true;
            a = i;
            list = bullet;
            right = l->x1;
        } else if (l->x1 > right) right = l->x1;
        prev = i;
    }
}

/* ---------------- the document ---------------- */

/* poppler-glib sets up its global state on first use without a lock; open a
 * document once, on one thread, before batch threads race for it. */
static pthread_once_t poppler_once = PTHREAD_ONCE_INIT;
static void poppler_warm(void) {
    static const char tiny[] = "%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                               "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    GBytes *bytes = g_bytes_new_static(tiny, sizeof tiny - 1);
    GError *e = NULL;
    PopplerDocument *d = poppler_document_new_from_bytes(bytes, NULL, &e);
    if (d) g_object_unref(d);
    if (e) g_error_free(e);
    g_bytes_unref(bytes);
}

/* A page has a text layer when poppler finds any word on it (a page number
 * alone counts: that page is not a scan). */
static bool has_text_layer(const pdf_page *pg) { return pg->n > 0; }

rfx_status rfx_ingest_pdf(rfx_register *r, rfx_error *err) {
    pthread_once(&poppler_once, poppler_warm);
    double t0 = pdf_now();
    GBytes *bytes = g_bytes_new_static(r->src, r->srclen);
    GError *gerr = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    if (!doc) {
        bool enc = gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED;
        if (enc)
            rfx_set_error(err, RFX_EINPUT, "%s: the PDF is encrypted (a password is needed to read it); "
                          "rfx does not decrypt: save an unencrypted copy", r->path);
        else
            rfx_set_error(err, RFX_EINPUT, "%s: not a readable PDF (%s)", r->path,
                          gerr && gerr->message ? gerr->message : "poppler could not open it");
        if (gerr) g_error_free(gerr);
        g_bytes_unref(bytes);
        return RFX_EINPUT;
    }
    rfx_pdf_layout *lay = rfx_arena_alloc(r->arena, sizeof *lay);
    if (!lay) {
        g_object_unref(doc);
        g_bytes_unref(bytes);
        rfx_set_error(err, RFX_ENOMEM, "%s: over the memory limit", r->path);
        return RFX_ENOMEM;
    }
    lay->sec_open = pdf_now() - t0;
    int np = poppler_document_get_n_pages(doc);
    uint32_t pages = np > 0 ? (uint32_t)np : 0;
    uint32_t maxp = r->opt.max_pages ? r->opt.max_pages : DEFAULT_MAX_PAGES;
    uint32_t nread = pages < maxp ? pages : maxp;
    if (pages > maxp)
        rfx_reg_warn(r, "pdf-page-limit", -1, "the PDF has %u pages; only the first %u were read (--max-pages)",
                     pages, maxp);
    lay->pages = pages;
    lay->pages_read = nread;
    builder B = {.r = r};
    rfx_buf_init(&B.ex, false);
    pdf_ocr *ocr = NULL;
    bool ocr_unavailable = false;
    char msg[256];
    size_t no_layer = 0, held = 0;
    /* all pages are read before paragraphs are built: running heads are
     * known only once every page's margins are, and paragraphs run on over
     * page breaks */
    pdf_page *pgs = calloc(nread ? nread : 1, sizeof *pgs);
    bool *boxed = calloc(nread ? nread : 1, sizeof *boxed);
    if (!pgs || !boxed) B.failed = true;
    for (uint32_t p = 0; p < nread && !B.failed; p++) {
        PopplerPage *page = poppler_document_get_page(doc, (int)p);
        if (!page) {
            rfx_reg_warn(r, "pdf-page-unreadable", -1, "page %u could not be read; skipped", p + 1);
            continue;
        }
        pdf_page *pg = &pgs[p];
        poppler_page_get_size(page, &pg->w, &pg->h);
        bool want_ocr = r->opt.ocr > 0;
        double tt = pdf_now();
        if (!want_ocr) {
            if (!read_text_layer(page, pg, &boxed[p]) || (boxed[p] && !order_columns(pg))) B.failed = true;
            else if (!has_text_layer(pg)) {
                no_layer++;
                want_ocr = r->opt.ocr >= 0;
            }
        }
        lay->sec_text += pdf_now() - tt;
        if (want_ocr && !B.failed) {
            if (!ocr && !ocr_unavailable) {
                ocr = pdf_ocr_new(r->opt.ocr_lang, msg, sizeof msg);
                if (!ocr) {
                    ocr_unavailable = true;
                    rfx_reg_warn(r, "ocr-unavailable", -1, "pages without a text layer were not read: %s", msg);
                }
            }
            if (ocr) {
                pdf_page op = {0};
                unsigned dpi = 0;
                double tr = 0, to = pdf_now();
                int rc = pdf_ocr_page(ocr, page, &r->opt, &op, &dpi, &tr, msg, sizeof msg);
                lay->sec_render += tr;
                lay->sec_ocr += pdf_now() - to - tr;
                if (rc < 0) {
                    rfx_reg_warn(r, "ocr-failed", -1, "page %u: OCR failed: %s", p + 1, msg);
                    pdf_page_free(&op);
                } else {
                    if (rc == 1)
                        rfx_reg_warn(r, "ocr-time-limit", -1,
                                     "page %u: OCR stopped at the time limit; the page may be incomplete", p + 1);
                    unsigned want = r->opt.ocr_dpi ? r->opt.ocr_dpi : 300;
                    if (rc != 2 && dpi + 1 < want)
                        rfx_reg_warn(r, "ocr-pixel-limit", -1,
                                     "page %u rendered at %u dpi, not %u, to stay within the pixel limit", p + 1,
                                     dpi, want);
                    pdf_page_free(pg);
                    *pg = op;
                    boxed[p] = true;
                    lay->ocr_pages += rc != 2;
                }
            }
        }
        g_object_unref(page);
        for (size_t i = 0; i < pg->n; i++) held += pg->lines[i].cap + pg->lines[i].capw * sizeof(pdf_word);
        held += pg->cap * sizeof(pdf_line);
        /* what poppler gave is held until the end: it counts against the memory limit */
        if (held + rfx_arena_used(r->arena) > r->opt.max_memory_bytes) B.failed = true;
    }
    double tb = pdf_now();
    size_t nl = 0;
    for (uint32_t p = 0; p < nread && pgs; p++) nl += pgs[p].n;
    gline *G = B.failed ? NULL : calloc(nl + 1, sizeof *G);
    if (!G) B.failed = true;
    if (!B.failed) {
        size_t k = 0;
        for (uint32_t p = 0; p < nread; p++) {
            /* the body size: the font size carrying the most text */
            size_t hist[401] = {0};
            double left = pgs[p].w;
            for (size_t i = 0; i < pgs[p].n; i++) {
                const pdf_line *l = &pgs[p].lines[i];
                int q = (int)lround(l->size * 2);
                if (q >= 0 && q <= 400) hist[q] += l->len;
                if (l->x0 < left) left = l->x0;
            }
            size_t best = 0;
            for (int q = 1; q <= 400; q++)
                if (hist[q] > hist[best]) best = (size_t)q;
            for (size_t i = 0; i < pgs[p].n; i++)
                G[k++] = (gline){&pgs[p].lines[i], &pgs[p], p + 1, (float)best / 2.0f, left, boxed[p], i,
                                 line_pitch(&pgs[p]), 0};
        }
        if (!mark_furniture(G, nl, nread)) B.failed = true;
    }
    if (!B.failed) {
        /* emit puts a form feed wherever the next line written is on
         * another page than the last */
        build(&B, G, nl);
    }
    free(G);
    lay->sec_build = pdf_now() - tb;
    for (uint32_t p = 0; p < nread && pgs; p++) pdf_page_free(&pgs[p]);
    free(pgs);
    free(boxed);
    if (B.ex.oom || rfx_arena_failed(r->arena) || B.ex.len >= UINT32_MAX / 2) B.failed = true;
    if (ocr && lay->ocr_pages) lay->ocr_lang = rfx_arena_strdup(r->arena, pdf_ocr_lang(ocr));
    pdf_ocr_free(ocr);
    g_object_unref(doc);
    g_bytes_unref(bytes);
    if (no_layer && r->opt.ocr < 0)
        rfx_reg_warn(r, "pdf-no-text-layer", -1, "%zu page(s) have no text layer and OCR is off (--no-ocr)", no_layer);
    if (B.conf_more)
        rfx_reg_warn(r, "ocr-low-confidence", -1, "%zu more words read with under %.0f%% confidence", B.conf_more,
                     LOW_CONF);
    if (B.ocr_bullets)
        rfx_reg_warn(r, "ocr-repair", -1,
                     "%zu OCR-damaged bullet glyphs ('e', '\xc2\xa9', '\xc2\xbb', ...) read as list markers",
                     B.ocr_bullets);
    if (lay->ocr_pages)
        rfx_reg_warn(r, "ocr", -1,
                     "%u of %u pages read by OCR (Tesseract, %s); OCR-damage repairs apply (currency signs: "
                     "facts say \"repaired\"; bullets)",
                     lay->ocr_pages, nread, lay->ocr_lang ? lay->ocr_lang : "?");
    if (!B.failed) {
        r->decoded.len = B.ex.len;
        r->decoded.s = rfx_arena_strndup(r->arena, B.ex.data ? B.ex.data : "", B.ex.len);
        r->decoded.src = NULL;
        r->decoded.base = 0;
        lay->words = B.nwords ? rfx_arena_alloc(r->arena, B.nwords * sizeof *B.words) : NULL;
        if (!r->decoded.s || (B.nwords && !lay->words)) B.failed = true;
        else if (B.nwords) memcpy(lay->words, B.words, B.nwords * sizeof *B.words);
        lay->nwords = B.nwords;
    }
    free(B.words);
    free(B.furn);
    rfx_buf_free(&B.ex);
    if (B.failed) {
        rfx_set_error(err, RFX_ENOMEM, "%s: over the memory limit extracting the PDF's text", r->path);
        return RFX_ENOMEM;
    }
    r->pdf = lay;
    if (r->nblocks == 0) {
        rfx_set_error(err, RFX_EINPUT, "%s: no text found in the PDF (%u pages%s)", r->path, nread,
                      ocr_unavailable ? "; OCR unavailable" : r->opt.ocr < 0 && no_layer ? "; OCR off" : "");
        return RFX_EINPUT;
    }
    return RFX_OK;
}

bool rfx_pdf_span_box(const rfx_register *r, uint32_t start, uint32_t end, uint32_t *page, float box[4]) {
    const rfx_pdf_layout *L = r->pdf;
    if (!L || !L->nwords || end <= start) return false;
    size_t lo = 0, hi = L->nwords; /* first word ending after start */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (L->words[mid].end <= start) lo = mid + 1;
        else hi = mid;
    }
    if (lo >= L->nwords || L->words[lo].start >= end) return false;
    *page = L->words[lo].page;
    box[0] = box[1] = FLT_MAX;
    box[2] = box[3] = -FLT_MAX;
    for (size_t i = lo; i < L->nwords && L->words[i].start < end; i++) {
        const rfx_pdf_word *w = &L->words[i];
        if (w->page != *page) continue;
        if (w->x0 < box[0]) box[0] = w->x0;
        if (w->y0 < box[1]) box[1] = w->y0;
        if (w->x1 > box[2]) box[2] = w->x1;
        if (w->y1 > box[3]) box[3] = w->y1;
    }
    return true;
}

uint32_t rfx_pdf_page_at(const rfx_register *r, uint32_t off) {
    const rfx_pdf_layout *L = r->pdf;
    if (!L || !L->nwords) return 0;
    size_t lo = 0, hi = L->nwords; /* the first word starting at or after off */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (L->words[mid].start < off) lo = mid + 1;
        else hi = mid;
    }
    if (lo < L->nwords && L->words[lo].start == off) return L->words[lo].page;
    return lo ? L->words[lo - 1].page : L->words[0].page;
}
