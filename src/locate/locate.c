/*
 * locate.c — find the risk-factor section among the blocks.
 *
 * The one idea: a heading is real when body text follows it. A table of
 * contents repeats every heading with nothing between the entries; running
 * headers and cross-references repeat "Item 1A" inside other sections. So
 * every block that reads as a heading (heads.c) becomes a candidate, and the
 * candidate with the most body text before the next different item wins.
 * The section then ends at the next item with a higher number (1B, 1C, 2 …;
 * Item 4 after a 20-F's 3.D), or at the next top-level caption for a
 * prospectus-style "Risk Factors".
 *
 * Order of preference, each tried only when the one before found nothing:
 *   1. 10-K / 10-Q "Item 1A. Risk Factors" (also split over two blocks);
 *      a short body that points elsewhere is "incorporated-by-reference",
 *      one that says "Not applicable" is "not-applicable";
 *   2. 20-F "D. Risk Factors" / "3.D" (or a bare "Risk Factors" in a 20-F);
 *   3. a bare "Risk Factors" caption — prospectuses, extracted text, and
 *      10-Ks whose only "Item 1A" is a cross-reference index row (GE, MCD);
 *   4. a document with no item structure that opens with a risk-factor
 *      title is the section itself ("whole-document"); any other document
 *      without a heading has none (8-Ks, proxies, 6-Ks, fund filings).
 * A filing with items but no Item 1A (10-Ks before fiscal 2005) is reported
 * not found, naming any "Factors That May Affect Future Results" caption.
 *
 * Everything is one pass to read heads plus a few passes over the heads:
 * linear in the number of blocks.
 */
#include "locate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_MIN 800    /* bytes of body text that make a heading real */
#define BODY_SMALL 3000 /* a shorter Item 1A may only point elsewhere */
#define RISK_KEY 11     /* Item 1A */
#define ITEM3_KEY 30

typedef struct head {
    size_t blk;       /* block index of the heading */
    size_t title_end; /* last block of the heading (split headings) */
    loc_head h;
} head;

typedef struct ctx {
    rfx_register *r;
    size_t n;       /* blocks */
    size_t *pre;    /* pre[i] = body bytes in blocks [0, i) */
    head *hs;
    size_t nh;
    bool has_items; /* the document has an item structure (a filing, not an extract) */
} ctx;

static bool content_block(const rfx_block *b) {
    return !(b->flags & (RFX_B_HIDDEN | RFX_B_PAGEHDR | RFX_B_PAGENUM | RFX_B_TOC | RFX_B_LINKED));
}

/* Next block at or after i that a reader would see, or n. */
static size_t next_visible(const ctx *c, size_t i) {
    while (i < c->n && !content_block(&c->r->blocks[i])) i++;
    return i;
}

/* Body bytes of head k up to block `to`. */
static size_t body_bytes(const ctx *c, const head *k, size_t to) {
    size_t from = k->title_end + 1;
    size_t extra = 0;
    if (k->h.head_len) {
        from = k->blk + 1;
        extra = c->r->blocks[k->blk].t.len - k->h.head_len;
    }
    if (to < from) return extra;
    return c->pre[to] - c->pre[from] + extra;
}

/* "Item 1A." + "Risk Factors", "Item 1A. Risk" + "Factors": join the title. */
static void join_split_titles(ctx *c) {
    for (size_t k = 0; k < c->nh; k++) {
        head *hd = &c->hs[k];
        hd->title_end = hd->blk;
        if (hd->h.kind != H_ITEM || hd->h.key != RISK_KEY || !hd->h.title_open) continue;
        size_t j = next_visible(c, hd->blk + 1);
        if (j >= c->n) continue;
        const rfx_block *nb = &c->r->blocks[j];
        if (nb->t.len > 60) continue;
        bool had_risk = hd->h.risk_title; /* "Risk" already on the first line */
        const char *s = nb->t.s;
        bool ok = had_risk ? strncasecmp(s, "factor", 6) == 0 || strncasecmp(s, "fac", 3) == 0
                           : loc_starts_risk_factors(s, nb->t.len);
        if (!ok) {
            /* "Item 1A. Risk" then "Factors" is only risk_prefix, not risk_title */
            const rfx_block *hb = &c->r->blocks[hd->blk];
            ok = loc_find_ci(hb->t.s, hb->t.len, "risk") && strncasecmp(s, "factor", 6) == 0;
        }
        if (!ok) continue;
        hd->title_end = j;
        hd->h.risk_title = true;
        /* the "Risk Factors" block is this heading's title, not a caption of its own */
        if (k + 1 < c->nh && c->hs[k + 1].blk == j) c->hs[k + 1].h.kind = H_NONE;
    }
}

/* Extracted text may open with the title glued to the body ("Risk Factors
 * Risk Factors The risks described below …"): only the document's first
 * block may do that, or any sentence starting "Risk factors" would. */
static void run_in_title(ctx *c) {
    size_t i = next_visible(c, 0);
    if (i >= c->n || (c->nh && c->hs[0].blk == i)) return;
    const rfx_block *b = &c->r->blocks[i];
    const char *s = b->t.s;
    size_t n = b->t.len;
    if (n < 40 || !loc_starts_risk_factors(s, n)) return;
    size_t e = (size_t)(loc_find_ci(s, n, "factor") - s) + 6;
    if (e < n && (s[e] == 's' || s[e] == 'S')) e++;
    while (e < n && strchr(" .:", s[e])) e++;
    if (e >= n || !isupper((unsigned char)s[e])) return;
    memmove(c->hs + 1, c->hs, c->nh * sizeof *c->hs);
    c->nh++;
    c->hs[0] = (head){.blk = i, .title_end = i, .h = {.kind = H_RISK, .head_len = e}};
}

static char *title_of(ctx *c, const head *k) {
    rfx_register *r = c->r;
    const rfx_block *b = &r->blocks[k->blk];
    if (k->h.head_len) {
        size_t e = k->h.head_len;
        while (e && strchr(" .:", b->t.s[e - 1])) e--;
        return rfx_arena_strndup(r->arena, b->t.s, e);
    }
    if (k->title_end == k->blk) return b->t.s;
    const rfx_block *t = &r->blocks[k->title_end];
    return rfx_arena_printf(r->arena, "%s %s", b->t.s, t->t.s);
}

/* Up to max bytes of the body text after head k, up to block `to`, joined. */
static char *body_text(ctx *c, const head *k, size_t to, size_t max, bool with_headers) {
    rfx_buf b;
    rfx_buf_init(&b, false);
    const rfx_block *hb = &c->r->blocks[k->blk];
    if (k->h.head_len) rfx_buf_puts(&b, hb->t.s + k->h.head_len);
    else if (k->h.not_applicable) rfx_buf_puts(&b, hb->t.s);
    for (size_t i = k->title_end + 1; i < to && b.len < max; i++) {
        const rfx_block *x = &c->r->blocks[i];
        if (!content_block(x) && !(with_headers && (x->flags & RFX_B_PAGEHDR))) continue;
        if (b.len) rfx_buf_putc(&b, ' ', 0);
        rfx_buf_put(&b, x->t.s, x->t.len, 0, false);
    }
    char *s = b.oom || !b.data ? NULL : rfx_arena_strndup(c->r->arena, b.data, b.len);
    rfx_buf_free(&b);
    return s ? s : "";
}

static bool has(const char *s, const char *w) { return loc_find_ci(s, strlen(s), w) != NULL; }

/* Does a short Item 1A only point elsewhere? */
static bool points_elsewhere(const char *s) {
    if (has(s, "incorporated") && has(s, "reference")) return true;
    if (has(s, "can be found") || has(s, "exhibit 13")) return true;
    if (has(s, "annual report") && (has(s, "page") || has(s, "under the heading") || has(s, "under the caption")))
        return true;
    return false;
}

/* A 10-Q's Part II Item 1A that only sends the reader to the annual
 * report: "you should carefully consider the factors discussed in Part I,
 * Item 1A. Risk Factors in our Annual Report on Form 10-K", "There have
 * been no material changes from the risk factors disclosed in our 2024
 * Form 10-K". */
static bool refers_to_annual(const char *s) {
    bool annual = has(s, "form 10-k") || has(s, "annual report") || has(s, "form 20-f");
    bool risks = has(s, "risk factors") || has(s, "item 1a") || has(s, "no material change");
    return annual && risks;
}

static bool says_not_applicable(const char *s) {
    return has(s, "not applicable") || has(s, "not required") || has(s, "smaller reporting compan") ||
           has(s, "omitted");
}

/* The sentence that names the target: "the 2018 Annual Report on pages 144
 * to 154 under the heading "Risk Factors"" — cut after "found in" and kin. */
static const char *reference_of(ctx *c, const char *body) {
    size_t n = strlen(body), b = 0;
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i <= n; i++) {
        bool end = i == n;
        /* "Item 1A. Risk Factors" is no sentence end */
        if (!end && body[i] == '.' && !(i >= 2 && isdigit((unsigned char)body[i - 2]) && isalpha((unsigned char)body[i - 1]))) {
            size_t j = i + 1;
            while (j < n && (body[j] == '"' || body[j] == '\'' || body[j] == ')')) j++;
            end = j >= n || (body[j] == ' ' && j + 1 < n && isupper((unsigned char)body[j + 1]));
            if (end) i = j;
        }
        if (!end) continue;
        const char *s = body + b;
        size_t len = i - b;
        char *sent = rfx_arena_strndup(c->r->arena, s, len);
        if (sent && (has(sent, "page") || has(sent, "annual report") || has(sent, "exhibit"))) {
            best = sent;
            best_len = len;
            break;
        }
        b = i + 1;
        while (b < n && body[b] == ' ') b++;
    }
    if (!best) best = body, best_len = n;
    static const char *cuts[] = {"can be found in ", "is included in ", "are included in ",
                                 "is set forth in ", "set forth in ", "is contained in ",
                                 "contained in ", "appears in ", "appear in ", "found in ",
                                 "included in ", "see ", NULL};
    for (int k = 0; cuts[k]; k++) {
        const char *p = loc_find_ci(best, best_len, cuts[k]);
        if (p) {
            best_len -= (size_t)(p + strlen(cuts[k]) - best);
            best = p + strlen(cuts[k]);
            break;
        }
    }
    while (best_len && strchr(" .", best[best_len - 1])) best_len--;
    if (best_len > 400) best_len = 400;
    return rfx_arena_strndup(c->r->arena, best, best_len);
}

static uint32_t doc_end(const ctx *c) {
    uint32_t e = 0;
    for (size_t i = c->n; i-- > 0;) {
        if (c->r->blocks[i].end > e) e = c->r->blocks[i].end;
        if (e) break;
    }
    return e;
}

/* Fills the section from head k, ending at block end_blk (n = document end). */
static void set_section(ctx *c, const head *k, size_t end_blk, const char *how, double conf) {
    rfx_section *s = &c->r->section;
    s->found = true;
    s->how = how;
    s->confidence = conf;
    s->first_block = k->blk;
    s->end_block = end_blk;
    s->title = title_of(c, k);
    s->body_block = k->h.head_len ? k->blk : k->title_end + 1;
    s->body_skip = k->h.head_len;
    if (s->body_block > end_blk) s->body_block = end_blk;
    s->start = c->r->blocks[k->blk].start;
    s->end = end_blk < c->n ? c->r->blocks[end_blk].start : doc_end(c);
}

/* First item heading after head index k with a key above `above`, as a
 * block index (n when there is none). */
static size_t end_after(const ctx *c, size_t k, int above) {
    for (size_t j = k + 1; j < c->nh; j++) {
        const head *x = &c->hs[j];
        if (x->blk <= c->hs[k].title_end) continue;
        if ((x->h.kind == H_ITEM && x->h.key > above) || (x->h.kind == H_D && above < ITEM3_KEY))
            return x->blk;
    }
    return c->n;
}

/* Does an emphasised statement (a risk heading: bold, italic or
 * underlined, four words or more, not a list item) sit in the body of head
 * k before block `to`? A 10-Q that adds one risk also mentions the annual
 * report; one that only refers to it has no heading of its own. */
static bool styled_heading_in(const ctx *c, const head *k, size_t to) {
    for (size_t i = k->title_end + 1; i < to && i < c->n; i++) {
        const rfx_block *b = &c->r->blocks[i];
        if (!content_block(b) || (b->flags & (RFX_B_LIST | RFX_B_TABLE))) continue;
        if (!(b->flags & (RFX_B_BOLD | RFX_B_ITALIC | RFX_B_UNDERLINE | RFX_B_PARTBOLD))) continue;
        size_t w = 1;
        for (size_t j = 0; j < b->t.len; j++) w += b->t.s[j] == ' ';
        if (w >= 4) return true;
    }
    return false;
}

/* 1. Item 1A. Returns true when it decided the section (found or not). */
static bool try_item_1a(ctx *c, bool *index_only) {
    rfx_register *r = c->r;
    *index_only = false;
    /* next_other[k]: block of the next item heading whose key is not 1A */
    size_t *next_other = malloc((c->nh + 1) * sizeof *next_other);
    if (!next_other) return false;
    size_t nxt = c->n;
    for (size_t k = c->nh; k-- > 0;) {
        next_other[k] = nxt;
        const head *x = &c->hs[k];
        if ((x->h.kind == H_ITEM && x->h.key != RISK_KEY) || x->h.kind == H_D) nxt = x->blk;
    }
    size_t best = (size_t)-1, best_body = 0, substantial = 0, tocs = 0, all = 0;
    for (size_t k = 0; k < c->nh; k++) {
        const head *x = &c->hs[k];
        if (x->h.kind != H_ITEM || x->h.key != RISK_KEY) continue;
        if (!x->h.tocish && !x->h.risk_title && !x->h.not_applicable) continue; /* "Item 1A. Executive Officers" (pre-2005) */
        all++;
        if (x->h.tocish) { tocs++; continue; }
        size_t body = body_bytes(c, x, next_other[k]);
        if (body >= BODY_MIN) substantial++;
        /* ties go to the later one: tables of contents come first */
        if (best == (size_t)-1 || body >= best_body) best = k, best_body = body;
    }
    if (best == (size_t)-1) {
        free(next_other);
        *index_only = all > 0;
        return false;
    }
    head *b = &c->hs[best];
    size_t end = end_after(c, best, RISK_KEY);
    /* running-header flags are unreliable on one-line notes ("NOT APPLICABLE"
     * repeated under every empty item), so the short-body tests read them too */
    char *txt = body_text(c, b, next_other[best] < end ? next_other[best] : end, 4000, true);
    free(next_other);
    size_t skipped = all - 1;
    bool quarterly = r->filing.form && !strncmp(r->filing.form, "10-Q", 4);
    bool elsewhere = points_elsewhere(txt), annual = refers_to_annual(txt) && !styled_heading_in(c, b, end);
    if (best_body < BODY_SMALL && (elsewhere || annual)) {
        /* a 10-K whose Item 1A is in its Exhibit 13 incorporates it; a 10-Q
         * (or any filing) that points to the annual report's risk factors
         * adds none of its own */
        const char *how = quarterly || !elsewhere ? "reference-to-annual-report" : "incorporated-by-reference";
        set_section(c, b, end, how, 0.85);
        r->section.reference = reference_of(c, txt);
        r->section.body_block = r->section.end_block;
        r->section.body_skip = 0;
        rfx_reg_warn(r, how, r->section.start, "Item 1A only refers to %s: %s",
                     *how == 'r' ? "the annual report" : "another document", r->section.reference);
        return true;
    }
    if (b->h.not_applicable || (best_body < 600 && says_not_applicable(txt))) {
        set_section(c, b, end, "not-applicable", 0.9);
        r->section.body_block = r->section.end_block;
        r->section.body_skip = 0;
        rfx_reg_warn(r, "not-applicable", r->section.start,
                     "Item 1A states that risk factors are not applicable (smaller reporting company?)");
        return true;
    }
    if (best_body < BODY_MIN) {
        *index_only = true;
        return false;
    }
    double conf = 0.95;
    if (substantial > 1) {
        conf = 0.8;
        rfx_reg_warn(r, "multiple-candidates", c->r->blocks[b->blk].start,
                     "%zu \"Item 1A\" headings are followed by body text; chose the longest", substantial);
    }
    if (end == c->n && c->has_items) conf -= 0.1; /* a filing without a next item: the end is a guess */
    set_section(c, b, end, "heading", conf);
    if (tocs || skipped)
        rfx_reg_warn(r, "toc-skipped", r->section.start,
                     "skipped %zu other \"Item 1A\" entries (table of contents, headers or references)",
                     skipped);
    return true;
}

#define STYLE_MASK (RFX_B_BOLD | RFX_B_ITALIC | RFX_B_UNDERLINE | RFX_B_CAPS | RFX_B_CENTER | \
                    RFX_B_HEADING | RFX_B_PARTBOLD)

/* A caption-only "Risk Factors" section ends, once it has some body, at
 * the next top-level caption ("Use of Proceeds", "LEGAL PROCEEDINGS.") or
 * at the next caption set like its own heading (same emphasis, size and
 * level): GE's 11pt "RISK FACTORS." lead-in is followed by an 11pt "LEGAL
 * PROCEEDINGS.", its risk groups are 9pt; INTC's 14pt "Risk Factors" by a
 * 14pt "Sales and Marketing". Captions that mention risks are groups inside
 * the section whatever their style. Style counts only where the source has
 * it (a font size or emphasis, not just capitals). The body minimum lets a
 * section open with its own notes (MCD: "RISK FACTORS", then "Cautionary
 * Statement Regarding Forward-Looking Statements", then the risks). */
static size_t caption_end(const ctx *c, size_t k, size_t bound) {
    const head *hd = &c->hs[k];
    const rfx_block *h = &c->r->blocks[hd->blk];
    uint32_t sig = h->flags & STYLE_MASK;
    bool styled = h->font_size || (sig & ~(uint32_t)(RFX_B_CAPS | RFX_B_CENTER));
    size_t body = 0, next = k + 1;
    for (size_t i = hd->title_end + 1; i < bound; i++) {
        const rfx_block *b = &c->r->blocks[i];
        while (next < c->nh && c->hs[next].blk < i) next++;
        bool caption = next < c->nh && c->hs[next].blk == i && c->hs[next].h.kind == H_CAPTION &&
                       !c->hs[next].h.tocish;
        if (body >= BODY_MIN && caption) return i;
        if (content_block(b)) body += b->t.len;
        if (!styled || body - b->t.len < BODY_MIN || !content_block(b) ||
            (b->flags & (RFX_B_TABLE | RFX_B_LIST)))
            continue;
        if ((b->flags & STYLE_MASK) != sig || b->font_size != h->font_size || b->level != h->level)
            continue;
        size_t len = (b->flags & RFX_B_PARTBOLD) && b->lead_len ? b->lead_len : b->t.len;
        if (len > 100 || loc_find_ci(b->t.s, len, "risk")) continue;
        return i;
    }
    return bound;
}

/* A prospectus summary's "Risk Factors" row: a caption whose own text, up
 * to the next caption of any kind, is a short pointer ("Investing in our
 * common stock involves risks. See "Risk Factors" beginning on page S-4").
 * The real section is chosen by what follows a caption, not by the caption. */
static bool summary_row(const ctx *c, size_t k) {
    const head *x = &c->hs[k];
    size_t to = k + 1 < c->nh ? c->hs[k + 1].blk : c->n;
    if (body_bytes(c, x, to) >= BODY_MIN) return false;
    char *t = body_text((ctx *)c, x, to, 1200, false);
    return has(t, "page") || has(t, "see ") || has(t, "described under") || has(t, "beginning on");
}

/* Picks, among heads of the given kinds, the one with the most body text up
 * to the next boundary head; returns its head index or -1. */
static size_t best_caption(const ctx *c, unsigned kinds, unsigned bound_kinds, size_t *body_out,
                           size_t *bound_out) {
    size_t best = (size_t)-1, best_body = 0, best_bound = c->n;
    size_t nxt = c->n;
    for (size_t k = c->nh; k-- > 0;) {
        const head *x = &c->hs[k];
        if ((kinds >> x->h.kind & 1u) && !x->h.tocish && !summary_row(c, k)) {
            size_t body = body_bytes(c, x, nxt);
            if (best == (size_t)-1 || body >= best_body) best = k, best_body = body, best_bound = nxt;
        }
        if (bound_kinds >> x->h.kind & 1u) nxt = x->blk;
    }
    *body_out = best_body;
    *bound_out = best_bound;
    return best;
}

/* The document's first visible block when it reads as a risk-factor title
 * ("ITEM 1A. RISK FACTORS.", "Risk Factors", "D. Risk Factor", with stray
 * markup left in front), else n. Only such a document may be read whole. */
static size_t opens_with_risk_title(const ctx *c) {
    size_t i = next_visible(c, 0);
    if (i >= c->n) return c->n;
    const rfx_block *b = &c->r->blocks[i];
    const char *s = b->t.s;
    size_t n = b->t.len;
    if (n > 200) n = 200;
    while (n && !isalnum((unsigned char)*s)) s++, n--;
    if (n > 5 && strncasecmp(s, "item", 4) == 0) {
        s += 4, n -= 4;
        while (n && (*s == ' ' || *s == '.' || isalnum((unsigned char)*s)) && !(n >= 4 && strncasecmp(s, "risk", 4) == 0))
            s++, n--;
    } else if (n > 3 && (s[0] == 'D' || s[0] == 'd') && s[1] == '.') {
        s += 2, n -= 2;
        while (n && *s == ' ') s++, n--;
    }
    return loc_starts_risk_factors(s, n) ? i : c->n;
}

void rfx_locate(rfx_register *r) {
    rfx_section *sec = &r->section;
    memset(sec, 0, sizeof *sec);
    ctx c = {.r = r, .n = r->nblocks};
    if (c.n == 0) {
        sec->how = "empty document";
        return;
    }
    c.pre = malloc((c.n + 1) * sizeof *c.pre);
    c.hs = malloc((c.n + 1) * sizeof *c.hs); /* + 1: run_in_title may add one */
    if (!c.pre || !c.hs) {
        free(c.pre);
        free(c.hs);
        sec->how = "out of memory";
        return;
    }
    c.pre[0] = 0;
    bool keys[210] = {false};
    size_t nkeys = 0;
    bool f20 = false;
    for (size_t i = 0; i < c.n; i++) {
        const rfx_block *b = &r->blocks[i];
        c.pre[i + 1] = c.pre[i] + (content_block(b) ? b->t.len : 0);
        loc_head h;
        if (!loc_read_head(b, &h)) continue;
        c.hs[c.nh++] = (head){.blk = i, .title_end = i, .h = h};
        if (h.kind == H_ITEM && h.key < 210 && !keys[h.key]) keys[h.key] = true, nkeys++;
        if (h.kind == H_D || (h.kind == H_ITEM && h.form20f)) f20 = true;
    }
    run_in_title(&c);
    join_split_titles(&c);
    bool has_items = nkeys >= 3; /* a filing's item structure, not one stray label */
    c.has_items = has_items;

    bool index_only = false;
    if (try_item_1a(&c, &index_only)) goto done;

    /* 2. 20-F "D. Risk Factors" (a bare "Risk Factors" counts in a 20-F) */
    {
        unsigned kinds = 1u << H_D | (f20 ? 1u << H_RISK : 0);
        unsigned bounds = 1u << H_ITEM | 1u << H_D | 1u << H_RISK;
        size_t body, bound;
        size_t k = best_caption(&c, kinds, bounds, &body, &bound);
        if (k != (size_t)-1 && (body >= 400 || !has_items)) {
            size_t end = end_after(&c, k, ITEM3_KEY);
            set_section(&c, &c.hs[k], end, "heading", end < c.n || !has_items ? 0.9 : 0.8);
            goto done;
        }
    }

    /* 3. a bare "Risk Factors" caption: prospectus, extracted text, or a 10-K
     * whose Item 1A is only a row of a cross-reference index */
    if (!has_items || index_only) {
        /* candidates are measured to the next item only: MCD sets the
         * section caption "RISK FACTORS" and, after a forward-looking note,
         * a sub-caption "Risk Factors"; the outer one (longer body) wins */
        unsigned bounds = 1u << H_ITEM | 1u << H_D;
        size_t body, bound;
        size_t k = best_caption(&c, 1u << H_RISK, bounds, &body, &bound);
        if (k != (size_t)-1 && (body >= 400 || !has_items)) {
            bound = caption_end(&c, k, bound);
            set_section(&c, &c.hs[k], bound, "heading", index_only ? 0.7 : 0.75);
            if (index_only)
                rfx_reg_warn(r, "cross-reference-index", sec->start,
                             "\"Item 1A\" appears only in a table of contents or cross-reference "
                             "index; used the \"Risk Factors\" caption");
            goto done;
        }
    }

    /* 4. a bare risk-factor text (an extract, the reference document): no
     * item structure, and it opens with a risk-factor title. Anything else
     * without a heading (an 8-K, a proxy, a 6-K, a fund filing) has no
     * section: taking such a document whole fills a corpus with cover
     * lines and table rows. One item heading that is not Item 1A (a peer's
     * "Item 1A. Executive Officers" extract of a pre-2005 filing) says the
     * text is some other part of a filing. */
    bool other_item = false;
    for (size_t k = 0; k < c.nh; k++)
        other_item |= c.hs[k].h.kind == H_ITEM && !c.hs[k].h.tocish && !c.hs[k].h.risk_title;
    size_t opener = opens_with_risk_title(&c);
    if (!has_items && !index_only && !other_item && opener < c.n) {
        sec->found = true;
        sec->how = "whole-document";
        sec->confidence = 0.6;
        sec->first_block = sec->body_block = 0;
        sec->end_block = c.n;
        sec->start = r->blocks[0].start;
        sec->end = doc_end(&c);
        sec->title = r->blocks[opener].t.s;
        rfx_reg_warn(r, "whole-document", r->blocks[opener].start,
                     "no section heading was recognised, but the document opens with a risk-factor "
                     "title (\"%.80s\") and has no item structure: read whole", r->blocks[opener].t.s);
        goto done;
    }

    /* not found: say why, naming what was seen */
    {
        const char *form = r->filing.form;
        const char *period = r->filing.period;
        /* Item 1A is required from fiscal years ending on 1 December 2005 */
        bool early = period && isdigit((unsigned char)period[0]) && strcmp(period, "2005-12-01") < 0;
        const char *why;
        if (index_only) why = "\"Item 1A\" appears only in a table of contents or index";
        else if (has_items && early)
            why = rfx_arena_printf(r->arena, "no Item 1A heading (pre-2005 filing: the period ends %s, "
                                              "before Item 1A was required)", period);
        else if (has_items && (!form || !strncmp(form, "10-", 3) || !strncmp(form, "20-F", 4)))
            why = rfx_arena_printf(r->arena, "no Item 1A heading among the %s's items", form ? form : "filing");
        else if (form) why = rfx_arena_printf(r->arena, "no Item 1A or \"Risk Factors\" heading in this %s, "
                                                         "which does not open with a risk-factor title", form);
        else why = "no Item 1A or \"Risk Factors\" heading, and the document does not open with a "
                   "risk-factor title";
        for (size_t k = 0; k < c.nh; k++) {
            const head *x = &c.hs[k];
            if (x->h.kind == H_FACTORS && !x->h.tocish) {
                why = rfx_arena_printf(r->arena, "%s; \"%s\" at byte %u", why,
                                       r->blocks[x->blk].t.s, r->blocks[x->blk].start);
                break;
            }
        }
        sec->found = false;
        sec->how = why;
        sec->confidence = 0;
    }
done:
    free(c.pre);
    free(c.hs);
}
