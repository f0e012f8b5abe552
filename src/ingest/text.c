/*
 * text.c — plain text (including PDF-extracted and OCR text) → blocks.
 *
 * Plain text has no markup, so paragraphs come from layout:
 *  - a blank line ends a paragraph;
 *  - a line that starts with a bullet (- * • · ▪ o \cdot …) starts a list item;
 *  - a line is joined to the one before when that one was hard-wrapped (it
 *    reaches the document's wrap width) or when it starts in lower case;
 *  - text whose whitespace was flattened (long lines with runs of 3+ spaces
 *    where paragraph breaks were) is split at those runs.
 * Lines that are only a page number become PAGENUM blocks, so they can be
 * left out of bodies without being silently dropped.
 */
#include "../rfx_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static size_t count_ws(const rfx_block *b) {
    size_t w = 0;
    for (size_t i = 0; i < b->t.len; i++) w += b->t.s[i] == ' ';
    return w + 1;
}

typedef struct line {
    size_t b, e; /* byte range in the decoded text, without the newline */
} line;

static bool blank(const char *s, size_t b, size_t e) {
    for (size_t i = b; i < e; i++)
        if (!isspace((unsigned char)s[i])) return false;
    return true;
}

/* Length in bytes of a bullet marker (plus following spaces) at s[i], or 0. */
static size_t bullet_len(const char *s, size_t i, size_t e) {
    static const char *marks[] = {"\xe2\x80\xa2", "\xc2\xb7", "\xe2\x96\xaa", "\xe2\x97\x8f",
                                  "\xe2\x97\xa6", "\xe2\x96\xa0", "\xe2\x96\xa1", "\xef\x82\xb7",
                                  "\xe2\x80\x93", "\xe2\x80\x94", "\\cdot", "-", "*", "o", NULL};
    for (int k = 0; marks[k]; k++) {
        size_t m = strlen(marks[k]);
        if (i + m < e && memcmp(s + i, marks[k], m) == 0 && (s[i + m] == ' ' || s[i + m] == '\t')) {
            size_t j = i + m;
            while (j < e && (s[j] == ' ' || s[j] == '\t')) j++;
            /* "o" is a bullet only when a word follows, "-" only before text */
            if (j >= e) return 0;
            return j - i;
        }
    }
    return 0;
}

/* A line drawn with -, =, _ or * (three or more of them, spaces allowed). */
static bool rule_line(const char *s, size_t b, size_t e) {
    size_t marks = 0;
    for (size_t i = b; i < e; i++) {
        char c = s[i];
        if (c == '-' || c == '=' || c == '_' || c == '*') marks++;
        else if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return marks >= 3;
}

/* A line that is only a bullet glyph. */
static bool bare_bullet(const char *s, size_t b, size_t e) {
    static const char *marks[] = {"\xe2\x80\xa2", "\xc2\xb7", "\xe2\x96\xaa", "\xe2\x97\x8f",
                                  "\xe2\x97\xa6", "\xe2\x96\xa0", "\xef\x82\xb7", "\\cdot",
                                  /* Wingdings bullets as they come out of old filings: Ø § */
                                  "\xc3\x98", "\xc2\xa7", NULL};
    while (b < e && isspace((unsigned char)s[b])) b++;
    while (e > b && isspace((unsigned char)s[e - 1])) e--;
    for (int k = 0; marks[k]; k++)
        if (e - b == strlen(marks[k]) && memcmp(s + b, marks[k], e - b) == 0) return true;
    return false;
}

static size_t skip_ws(const char *s, size_t i, size_t e) {
    while (i < e && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f' || s[i] == '\r')) i++;
    return i;
}

static bool is_page_number(const char *s, size_t b, size_t e) {
    b = skip_ws(s, b, e);
    while (e > b && isspace((unsigned char)s[e - 1])) e--;
    if (e <= b || e - b > 12) return false;
    /* "12", "- 12 -", "Page 12", "F-3", "ii" */
    if (e - b > 5 && strncasecmp(s + b, "page ", 5) == 0) b += 5;
    size_t digits = 0, letters = 0;
    for (size_t i = b; i < e; i++) {
        if (isdigit((unsigned char)s[i])) digits++;
        else if (strchr("ivxlc", s[i])) letters++;
        else if (!strchr(" -", s[i])) return false;
    }
    return digits > 0 ? digits <= 4 : (letters > 0 && letters <= 5 && e - b == letters);
}

typedef struct para_builder {
    rfx_register *r;
    const rfx_text *t;
    rfx_buf raw;   /* raw bytes of the paragraph being built, '\n' between lines */
    bool list;
    uint32_t start, end;
    bool open;
    bool split_warned;
    bool failed; /* an allocation failed: the caller reports RFX_ENOMEM */
} para_builder;

static bool flush(para_builder *pb) {
    if (!pb->open) return true;
    pb->open = false;
    rfx_buf norm;
    rfx_buf_init(&norm, true);
    size_t i = 0;
    /* list items may carry two markers ("- · text"): strip them all */
    if (pb->list) {
        size_t k;
        while ((k = bullet_len(pb->raw.data, i, pb->raw.len)) > 0) i += k;
    }
    rfx_normalize_append(&norm, pb->raw.data + i, pb->raw.len - i, pb->raw.src + i);
    bool ok = !norm.oom;
    if (ok && norm.len) {
        rfx_block *bl = rfx_reg_add_block(pb->r);
        ok = bl && rfx_text_from_buf(pb->r->arena, &norm, &bl->t);
        if (bl && !ok) pb->r->nblocks--; /* never leave a block without text behind */
        if (ok) {
            bl->start = pb->start;
            bl->end = pb->end;
            if (pb->list) bl->flags |= RFX_B_LIST;
            size_t up = 0, low = 0;
            for (size_t j = 0; j < norm.len; j++) {
                if (isupper((unsigned char)norm.data[j])) up++;
                else if (islower((unsigned char)norm.data[j])) low++;
            }
            if (up >= 2 && low == 0) bl->flags |= RFX_B_CAPS;
        }
    }
    rfx_buf_free(&norm);
    rfx_buf_clear(&pb->raw);
    if (!ok) pb->failed = true;
    return ok;
}

static void open_para(para_builder *pb, uint32_t start, bool list) {
    pb->open = true;
    pb->list = list;
    pb->start = start;
    rfx_buf_clear(&pb->raw);
}

/* Paragraphs longer than this are split (at a space) into several blocks,
 * with a warning: no real paragraph is this long, and the cap bounds the
 * scratch memory a single giant line can take. */
#define MAX_PARA ((size_t)1 << 20)

static void add_raw_piece(para_builder *pb, size_t b, size_t e);
static bool flush(para_builder *pb);
static void open_para(para_builder *pb, uint32_t start, bool list);

static void add_raw(para_builder *pb, size_t b, size_t e) {
    while (pb->raw.len + (e - b) > MAX_PARA && !pb->raw.oom) {
        size_t room = MAX_PARA > pb->raw.len ? MAX_PARA - pb->raw.len : 0;
        size_t cut = b + room;
        while (cut > b && pb->t->s[cut] != ' ') cut--;
        if (cut == b) { /* no space: cut at a UTF-8 character boundary */
            cut = b + room;
            while (cut > b && ((unsigned char)pb->t->s[cut] & 0xC0) == 0x80) cut--;
        }
        if (cut > b) add_raw_piece(pb, b, cut);
        if (!pb->split_warned) {
            rfx_reg_warn(pb->r, "long-paragraph", (int64_t)rfx_text_off(pb->t, b),
                         "a paragraph over %zu bytes was split into several blocks", MAX_PARA);
            pb->split_warned = true;
        }
        bool list = pb->list;
        if (!flush(pb)) return;
        b = cut;
        while (b < e && pb->t->s[b] == ' ') b++;
        open_para(pb, rfx_text_off(pb->t, b < e ? b : e - 1), list);
        if (b >= e) return;
    }
    add_raw_piece(pb, b, e);
}

static void add_raw_piece(para_builder *pb, size_t b, size_t e) {
    if (pb->raw.len) rfx_buf_putc(&pb->raw, '\n', rfx_text_off(pb->t, b));
    rfx_buf_put(&pb->raw, pb->t->s + b, e - b, 0, false);
    if (pb->raw.oom) return; /* the caller sees raw.oom */
    for (size_t i = 0; i < e - b; i++) pb->raw.src[pb->raw.len - (e - b) + i] = rfx_text_off(pb->t, b + i);
    pb->end = rfx_text_off(pb->t, e > b ? e - 1 : b) + 1;
}

/* Flattened text: paragraphs were replaced by runs of spaces. Split each long
 * line at runs of 3+ spaces, treating each piece as its own line. */
static bool is_flattened(const rfx_text *t, const line *ls, size_t nl) {
    size_t longest = 0, runs = 0;
    for (size_t k = 0; k < nl; k++) {
        size_t len = ls[k].e - ls[k].b;
        if (len > longest) longest = len;
    }
    if (longest < 4000) return false;
    for (size_t i = 0; i + 3 < t->len; i++)
        if (t->s[i] == ' ' && t->s[i + 1] == ' ' && t->s[i + 2] == ' ' && t->s[i + 3] != ' ') runs++;
    return runs * 2000 > t->len; /* one run every 2000 bytes or more */
}

/* Glued text: paragraph breaks were deleted outright, so a sentence end is
 * followed directly by the next paragraph's capital ("results.Developments").
 * Inside a paragraph a space always follows, so that seam marks a break. */
static bool glue_at(const char *s, size_t i, size_t n) {
    char c = s[i];
    if (i == 0 || i + 2 >= n || !(c == '.' || c == '?' || c == '!' || c == ':')) return false;
    unsigned char p = (unsigned char)s[i - 1], a = (unsigned char)s[i + 1], b = (unsigned char)s[i + 2];
    if (!(islower(p) || isdigit(p) || p == ')' || p == '"' || p == '\'')) return false;
    return isupper(a) && islower(b);
}

static bool is_glued(const rfx_text *t, const line *ls, size_t nl) {
    size_t longest = 0, seams = 0;
    for (size_t k = 0; k < nl; k++)
        if (ls[k].e - ls[k].b > longest) longest = ls[k].e - ls[k].b;
    if (longest < 4000) return false;
    for (size_t i = 0; i < t->len; i++) seams += glue_at(t->s, i, t->len);
    return seams * 3000 > t->len;
}

static line *split_lines(const rfx_text *t, size_t *nl_out, bool flat, bool glued) {
    size_t cap = 1024, nl = 0;
    line *ls = malloc(cap * sizeof *ls);
    if (!ls) return NULL;
    size_t b = 0;
    for (size_t i = 0; i <= t->len; i++) {
        bool cut = i == t->len || t->s[i] == '\n';
        size_t next = i + 1;
        if (!cut && glued && glue_at(t->s, i, t->len)) {
            /* keep the punctuation on this line; the seam acts as a blank line */
            if (nl + 3 >= cap) {
                cap *= 2;
                line *n2 = realloc(ls, cap * sizeof *ls);
                if (!n2) { free(ls); return NULL; }
                ls = n2;
            }
            ls[nl++] = (line){b, i + 1};
            ls[nl++] = (line){i + 1, i + 1};
            b = i + 1;
            continue;
        }
        if (!cut && flat && t->s[i] == ' ' && i + 2 < t->len && t->s[i + 1] == ' ' && t->s[i + 2] == ' ') {
            cut = true;
            next = i;
            while (next < t->len && t->s[next] == ' ') next++;
        }
        if (!cut) continue;
        if (nl + 2 >= cap) {
            cap *= 2;
            line *n2 = realloc(ls, cap * sizeof *ls);
            if (!n2) { free(ls); return NULL; }
            ls = n2;
        }
        size_t e = i;
        while (e > b && t->s[e - 1] == '\r') e--;
        ls[nl++] = (line){b, e};
        if (flat && next != i + 1) ls[nl++] = (line){i, i}; /* a run acts as a blank line */
        b = next;
        if (next > i + 1) i = next - 1;
    }
    *nl_out = nl;
    return ls;
}

static int cmp_size(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The width lines were wrapped at: the 90th percentile of non-blank line
 * lengths, when most lines are short enough to have been wrapped. */
static size_t wrap_width(const rfx_text *t, const line *ls, size_t nl) {
    size_t n = 0;
    size_t *len = malloc((nl + 1) * sizeof *len);
    if (!len) return 0;
    for (size_t k = 0; k < nl; k++)
        if (!blank(t->s, ls[k].b, ls[k].e)) len[n++] = ls[k].e - ls[k].b;
    size_t w = 0;
    if (n >= 8) {
        qsort(len, n, sizeof *len, cmp_size);
        w = len[n * 9 / 10];
        if (w > 160 || w < 30) w = 0; /* paragraphs are whole lines: no wrapping */
    }
    free(len);
    return w;
}

/* Running headers and footers of paginated text ("Apple Inc. | 2018 Form
 * 10-K | 8") repeat on every page: a short line that recurs three or more
 * times, pages apart, digits aside, is marked PAGEHDR so bodies leave it
 * out. Lines that end a sentence ("None.", "Not applicable.") are content,
 * and repeated item titles are left for locate, which knows about them. */
static uint64_t line_key(const rfx_text *t) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < t->len; i++) {
        unsigned char c = (unsigned char)t->s[i];
        if (isdigit(c)) {
            while (i + 1 < t->len && isdigit((unsigned char)t->s[i + 1])) i++;
            c = '#';
        }
        h = (h ^ c) * 1099511628211ull;
    }
    return h;
}

typedef struct keyed_line { uint64_t key; size_t idx; } keyed_line;

static int cmp_keyed(const void *a, const void *b) {
    const keyed_line *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static size_t count_letters(const rfx_block *b) {
    size_t k = 0;
    for (size_t i = 0; i < b->t.len; i++) k += isalpha((unsigned char)b->t.s[i]) != 0;
    return k;
}

static void mark_running_lines(rfx_register *r, size_t first) {
    size_t n = r->nblocks - first, m = 0;
    keyed_line *kl = malloc((n + 1) * sizeof *kl);
    if (!kl) return;
    for (size_t i = 0; i < n; i++) {
        const rfx_block *b = &r->blocks[first + i];
        if (!(b->flags & (RFX_B_LIST | RFX_B_PAGENUM)) && b->t.len <= 100 && count_letters(b) >= 4 &&
            b->t.s[b->t.len - 1] != '.' && count_ws(b) <= 12 &&
            /* item titles repeated at the top of pages are locate's to judge */
            strncasecmp(b->t.s, "item ", 5) != 0 && strncasecmp(b->t.s, "part ", 5) != 0)
            kl[m++] = (keyed_line){line_key(&b->t), first + i};
    }
    qsort(kl, m, sizeof *kl, cmp_keyed);
    /* a group of equal lines is furniture when it recurs 3+ times, each
     * time pages apart (a list of similar lines sits together instead) */
    for (size_t g = 0; g < m;) {
        size_t e = g + 1, close = 0;
        while (e < m && kl[e].key == kl[g].key) {
            if (kl[e].idx - kl[e - 1].idx < 4) close++;
            e++;
        }
        /* a short page (a cover, a blank page) may put two footers close */
        bool spread = close == 0 || (e - g >= 8 && close * 8 <= e - g);
        if (e - g >= 3 && spread)
            for (size_t k = g; k < e; k++) r->blocks[kl[k].idx].flags |= RFX_B_PAGEHDR;
        g = e;
    }
    free(kl);
}

/* A line that is only EDGAR's running "Table of Contents" link. */
static bool page_link(const char *s, size_t b, size_t e) {
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\r' || s[e - 1] == '\t')) e--;
    return e - b == 17 && strncasecmp(s + b, "table of contents", 17) == 0;
}

/* Does the paragraph so far end where no paragraph can: on a comma or on a
 * word that needs one after it ("… maintained for the")? */
static bool ends_mid_sentence(const rfx_buf *raw) {
    size_t n = raw->len;
    while (n && (raw->data[n - 1] == ' ' || raw->data[n - 1] == '\r')) n--;
    if (!n) return false;
    if (raw->data[n - 1] == ',') return true;
    size_t b = n;
    while (b && isalpha((unsigned char)raw->data[b - 1])) b--;
    static const char *w[] = {"the", "a", "an", "of", "to", "for", "and", "or", "in", "on", "with", "by",
                              "its", "our", "their", "that", "from", "as", "at", "which", NULL};
    for (int k = 0; w[k]; k++)
        if (strlen(w[k]) == n - b && strncmp(raw->data + b, w[k], n - b) == 0 && (!b || raw->data[b - 1] == ' '))
            return true;
    return false;
}

rfx_status rfx_ingest_text(rfx_register *r, const rfx_text *t, rfx_error *err) {
    size_t first_block = r->nblocks;
    size_t nl = 0;
    bool flat = false;
    line *ls = split_lines(t, &nl, false, false);
    if (!ls) goto oom;
    bool glued = is_glued(t, ls, nl);
    if (is_flattened(t, ls, nl) || glued) {
        flat = is_flattened(t, ls, nl);
        free(ls);
        ls = split_lines(t, &nl, flat, glued);
        if (!ls) goto oom;
        rfx_reg_warn(r, "flattened-text", -1,
                     glued ? "paragraph breaks were deleted; paragraphs split where a sentence "
                             "end runs into the next capital"
                           : "line breaks were flattened into spaces; paragraphs split at runs "
                             "of spaces");
    }
    size_t width = flat ? 0 : wrap_width(t, ls, nl);
    /* Tag-stripped filings put one paragraph on a line among many short
     * table lines: dozens of lines over twice the wrap width that end a
     * sentence say no line was wrapped at a sentence end. */
    bool per_line = false;
    if (width) {
        size_t longs = 0;
        for (size_t k = 0; k < nl && longs < 20; k++) {
            size_t q = ls[k].e;
            while (q > ls[k].b && strchr(" \t\r", t->s[q - 1])) q--;
            longs += q - ls[k].b > 2 * width && strchr(".?!", t->s[q - 1]) != NULL;
        }
        per_line = longs >= 20;
    }
    para_builder pb = {.r = r, .t = t};
    rfx_buf_init(&pb.raw, true);
    size_t prev_len = 0;
    bool prev_blank = true, pending_bullet = false, prev_ends_sentence = false;
    uint32_t bullet_at = 0;
    for (size_t k = 0; k < nl; k++) {
        size_t b = ls[k].b, e = ls[k].e;
        if (blank(t->s, b, e)) {
            if (!flush(&pb)) goto oom_pb;
            prev_blank = true;
            continue;
        }
        size_t fb = skip_ws(t->s, b, e);
        /* EDGAR's "Table of Contents" link repeated at the top of every page
         * is furniture like a page number, not the start of a paragraph the
         * next page's first words join ("Table of Contents infringe on …") */
        bool toc_link = page_link(t->s, fb, e);
        if (toc_link || (is_page_number(t->s, b, e) &&
                         (prev_blank || (k + 1 < nl && (blank(t->s, ls[k + 1].b, ls[k + 1].e) ||
                                                        page_link(t->s, skip_ws(t->s, ls[k + 1].b, ls[k + 1].e), ls[k + 1].e)))))) {
            if (!flush(&pb)) goto oom_pb;
            rfx_block *bl = rfx_reg_add_block(r);
            if (!bl) goto oom_pb;
            rfx_buf one;
            rfx_buf_init(&one, true);
            uint32_t map[24];
            for (size_t q = 0; q < e - fb && q < 24; q++) map[q] = rfx_text_off(t, fb + q);
            rfx_normalize_append(&one, t->s + fb, e - fb < 24 ? e - fb : 24, map);
            bool ok = rfx_text_from_buf(r->arena, &one, &bl->t);
            rfx_buf_free(&one);
            if (!ok) goto oom_pb;
            bl->flags = toc_link ? RFX_B_PAGEHDR : RFX_B_PAGENUM;
            bl->start = rfx_text_off(t, fb);
            bl->end = rfx_text_off(t, e - 1) + 1;
            prev_blank = true;
            continue;
        }
        /* a rule line ("-----", "=====", "- ------" under a title in old text
         * filings) separates; it is neither text nor a bullet */
        if (rule_line(t->s, fb, e)) {
            if (!flush(&pb)) goto oom_pb;
            prev_blank = true;
            continue;
        }
        /* a bullet alone on its line (PDF and flattened text) marks the next line */
        if (bare_bullet(t->s, fb, e)) {
            if (!flush(&pb)) goto oom_pb;
            pending_bullet = true;
            bullet_at = rfx_text_off(t, fb);
            prev_blank = true;
            continue;
        }
        bool bullet = bullet_len(t->s, fb, e) > 0, dash_clause = false;
        /* "o", "-" and "*" are also ordinary characters: they mark an item
         * only where a list can start or go on — after a blank line, after
         * another item, after a line ending in ':' — or before a capital or
         * a digit; otherwise "- particularly in Europe -" is a wrapped clause */
        if (bullet && (t->s[fb] == 'o' || t->s[fb] == '-' || t->s[fb] == '*')) {
            size_t j = fb + bullet_len(t->s, fb, e);
            unsigned char nc = j < e ? (unsigned char)t->s[j] : 0;
            bool strong = isupper(nc) || isdigit(nc);
            bool list_context = prev_blank || (pb.open && pb.list) ||
                                (pb.raw.len && pb.raw.data[pb.raw.len - 1] == ':');
            if (t->s[fb] == 'o' && !isalpha(nc)) bullet = false;
            else if (!strong && !list_context) {
                bullet = false;
                dash_clause = t->s[fb] != 'o';
            }
        }
        bool join = false;
        if (pb.open && !prev_blank && !bullet) {
            unsigned char c0 = (unsigned char)t->s[fb];
            if (islower(c0) || dash_clause) join = true;      /* a sentence runs on */
            /* previous line was wrapped: it reaches the wrap width (in text
             * written one paragraph a line, a line that ends a sentence ends
             * its paragraph) */
            else if (width && prev_len * 10 >= width * 8 && !(per_line && prev_ends_sentence))
                join = true;
            else if (pb.list && fb > b) join = true;          /* indented continuation of an item */
            else if (pb.raw.len && strchr(",;-", pb.raw.data[pb.raw.len - 1])) join = true;
        }
        if (pending_bullet) {
            bullet = true;
            join = false;
        }
        /* a long line cut before its end ("… maintained for the" / "Company's
         * hardware products, …") goes on in the next line */
        if (!join && pb.open && !prev_blank && !bullet && prev_len >= 40 && ends_mid_sentence(&pb.raw))
            join = true;
        if (!join) {
            if (!flush(&pb)) goto oom_pb;
            open_para(&pb, pending_bullet ? bullet_at : rfx_text_off(t, fb), bullet);
            pending_bullet = false;
        }
        add_raw(&pb, fb, e);
        if (pb.raw.oom || pb.failed) goto oom_pb;
        prev_len = e - b;
        {
            size_t q = e;
            for (;;) {
                if (q > fb && strchr(" \t\r\"')", t->s[q - 1])) q--;
                else if (q >= fb + 3 && (unsigned char)t->s[q - 3] == 0xE2 && (unsigned char)t->s[q - 2] == 0x80 &&
                         ((unsigned char)t->s[q - 1] == 0x9D || (unsigned char)t->s[q - 1] == 0x99))
                    q -= 3; /* ” ’ */
                else break;
            }
            prev_ends_sentence = q > fb && strchr(".?!:", t->s[q - 1]);
        }
        prev_blank = false;
    }
    if (!flush(&pb)) goto oom_pb;
    rfx_buf_free(&pb.raw);
    free(ls);
    mark_running_lines(r, first_block);
    return RFX_OK;
oom_pb:
    rfx_buf_free(&pb.raw);
oom:
    free(ls);
    rfx_set_error(err, RFX_ENOMEM, "%s: over the memory limit splitting paragraphs", r->path);
    return RFX_ENOMEM;
}
