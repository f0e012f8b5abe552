/*
 * markdown.c — filings converted to Markdown (by peer tools and LLM
 * pipelines) → blocks, with offsets into the Markdown bytes.
 *
 * The Markdown is not rendered; it is cleaned line by line into plain text
 * whose offset map still points at the source, and that text goes through
 * the plain-text reader (text.c: paragraphs, bullets, running footers).
 * What the syntax said about style is kept aside, one byte of marks per
 * source byte, and put back on the blocks afterwards:
 *  - "# Title" … "###### Title" → a heading block (HEADING, level);
 *  - "**bold**" / "__bold__" → BOLD, "*italic*" / "_italic_" → ITALIC,
 *    when they cover the whole paragraph; an emphasised lead-in followed by
 *    body text → PARTBOLD with its length ("**Heading.** Body …");
 *  - pipe-table rows → one TABLE block each, cells joined by " | "; the
 *    "|---|:-|" separator rows and rules ("---") are dropped;
 *  - inline HTML tags (<div align='center'>, <br>) are dropped, character
 *    references (&nbsp; &amp; &#8217;) decoded, backslash escapes undone,
 *    links reduced to their text.
 * An emphasis marker with no closing partner on its line is literal text
 * ("4.1**" in an exhibit table). Everything is one pass over the lines.
 */
#include "../rfx_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { M_BOLD = 1, M_ITALIC = 2, M_TABLE = 4, M_LEVEL_SHIFT = 3 /* bits 3-5: heading level */ };

typedef struct md {
    rfx_register *r;
    const rfx_text *t;
    rfx_buf out;          /* cleaned text; src = source offsets */
    unsigned char *mark;  /* per source byte */
    size_t nmark;
} md;

static void emit(md *m, const char *s, size_t n, uint32_t off, unsigned char mk) {
    rfx_buf_put(&m->out, s, n, off, false);
    if (off < m->nmark) m->mark[off] |= mk;
}

/* A paragraph break (a blank line) unless the output already ends in one. */
static void para_break(md *m, uint32_t off) {
    size_t n = m->out.len;
    if (n == 0 || (n >= 2 && m->out.data[n - 1] == '\n' && m->out.data[n - 2] == '\n')) return;
    if (m->out.data[n - 1] != '\n') rfx_buf_putc(&m->out, '\n', off);
    rfx_buf_putc(&m->out, '\n', off);
}

/* Is there a closing delimiter d (length dl) on the line after i, with
 * something in between? */
static bool closes_later(const char *s, size_t i, size_t e, const char *d, size_t dl) {
    for (size_t j = i + dl + 1; j + dl <= e; j++)
        if (memcmp(s + j, d, dl) == 0 && s[j - 1] != ' ') return true;
    return false;
}

/* Decodes a character reference at s[i] ("&nbsp;", "&#8217;", "&#x2019;");
 * returns its length and writes UTF-8 to u (*ul bytes), or 0. */
static size_t char_ref(const char *s, size_t i, size_t e, char u[4], size_t *ul) {
    static const struct { const char *e; int32_t cp; } named[] = {
        {"&nbsp;", ' '}, {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''},
        {"&#160;", ' '}, {"&rsquo;", 0x2019}, {"&lsquo;", 0x2018}, {"&ldquo;", 0x201C}, {"&rdquo;", 0x201D},
        {"&mdash;", 0x2014}, {"&ndash;", 0x2013}, {NULL, 0}};
    for (int k = 0; named[k].e; k++) {
        size_t l = strlen(named[k].e);
        if (i + l <= e && strncasecmp(s + i, named[k].e, l) == 0) {
            *ul = (size_t)rfx_utf8_encode(named[k].cp, u);
            return l;
        }
    }
    if (i + 3 < e && s[i + 1] == '#') {
        size_t j = i + 2;
        bool hex = s[j] == 'x' || s[j] == 'X';
        j += hex;
        int32_t v = 0;
        size_t d = j;
        while (j < e && j - d < 7 && (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j]))) {
            int c = (unsigned char)s[j];
            v = v * (hex ? 16 : 10) + (isdigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
            j++;
        }
        if (j > d && j < e && s[j] == ';' && v > 0 && v < 0x110000) {
            if (v == 0xA0) v = ' ';
            *ul = (size_t)rfx_utf8_encode(v, u);
            return j + 1 - i;
        }
    }
    return 0;
}

/* Inline text of s[i, e): emphasis toggles style, tags and link targets
 * vanish, references and escapes decode. `base` marks go on every byte. */
static void inline_text(md *m, size_t i, size_t e, unsigned char base) {
    const char *s = m->t->s;
    bool bold = false, ital = false;
    while (i < e) {
        char c = s[i];
        uint32_t off = rfx_text_off(m->t, i);
        if (c == '\\' && i + 1 < e && ispunct((unsigned char)s[i + 1])) {
            emit(m, s + i + 1, 1, rfx_text_off(m->t, i + 1), base | (bold ? M_BOLD : 0) | (ital ? M_ITALIC : 0));
            i += 2;
            continue;
        }
        if ((c == '*' || c == '_') && i + 1 < e && s[i + 1] == c) {
            char d[2] = {c, c};
            bool word_inside = c == '_' && i > 0 && isalnum((unsigned char)s[i - 1]);
            if (!word_inside && (bold || closes_later(s, i, e, d, 2))) {
                bold = !bold;
                i += 2;
                continue;
            }
        } else if (c == '*' || c == '_') {
            char d[1] = {c};
            bool word_inside = c == '_' && i > 0 && isalnum((unsigned char)s[i - 1]);
            bool opens = !ital && i + 1 < e && s[i + 1] != ' ' && closes_later(s, i, e, d, 1);
            if (!word_inside && (opens || (ital && i > 0 && s[i - 1] != ' '))) {
                ital = !ital;
                i++;
                continue;
            }
        }
        if (c == '<' && i + 1 < e && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '/')) {
            const char *gt = memchr(s + i, '>', e - i);
            if (gt) { /* an inline HTML tag: <br> separates words */
                if ((size_t)(gt - (s + i)) >= 3 && strncasecmp(s + i, "<br", 3) == 0) emit(m, " ", 1, off, base);
                i = (size_t)(gt - s) + 1;
                continue;
            }
        }
        if (c == '!' && i + 1 < e && s[i + 1] == '[') { /* an image: nothing to read */
            const char *cb = memchr(s + i, ']', e - i);
            if (cb && (size_t)(cb - s) + 1 < e && cb[1] == '(') {
                const char *cp = memchr(cb, ')', e - (size_t)(cb - s));
                if (cp) { i = (size_t)(cp - s) + 1; continue; }
            }
        }
        if (c == ']' && i + 1 < e && s[i + 1] == '(') { /* end of a link text: drop the target */
            const char *cp = memchr(s + i, ')', e - i);
            if (cp) { i = (size_t)(cp - s) + 1; continue; }
        }
        if (c == '[' && memchr(s + i, ']', e - i)) { i++; continue; }
        if (c == '&') {
            char u[4];
            size_t ul = 0, l = char_ref(s, i, e, u, &ul);
            if (l) {
                emit(m, u, ul, off, base | (bold ? M_BOLD : 0) | (ital ? M_ITALIC : 0));
                i += l;
                continue;
            }
        }
        emit(m, s + i, 1, off, base | (bold ? M_BOLD : 0) | (ital ? M_ITALIC : 0));
        i++;
    }
}

static bool only_chars(const char *s, size_t b, size_t e, const char *set) {
    for (size_t i = b; i < e; i++)
        if (!strchr(set, s[i])) return false;
    return true;
}

/* A table row "| a | b |": trimmed, non-empty cells joined by " | ". */
static void table_row(md *m, size_t b, size_t e) {
    const char *s = m->t->s;
    size_t i = b + 1, ncell = 0;
    while (i < e) {
        size_t j = i;
        while (j < e && !(s[j] == '|' && s[j - 1] != '\\')) j++;
        size_t cb = i, ce = j;
        while (cb < ce && (s[cb] == ' ' || s[cb] == '\t')) cb++;
        while (ce > cb && (s[ce - 1] == ' ' || s[ce - 1] == '\t')) ce--;
        if (ce > cb) {
            if (ncell++) emit(m, " | ", 3, rfx_text_off(m->t, cb), M_TABLE);
            inline_text(m, cb, ce, M_TABLE);
        }
        i = j + 1;
    }
}

/* Marks of the block's letters → its style flags. */
static void style_block(const md *m, rfx_block *bl) {
    const rfx_text *t = &bl->t;
    size_t letters = 0, bold = 0, ital = 0, lead = 0;
    bool in_lead = true;
    unsigned level = 0;
    for (size_t i = 0; i < t->len; i++) {
        uint32_t o = rfx_text_off(t, i);
        unsigned char mk = o < m->nmark ? m->mark[o] : 0;
        if (i == 0 || !level) level = (mk >> M_LEVEL_SHIFT) & 7;
        if (mk & M_TABLE) bl->flags |= RFX_B_TABLE;
        if (!isalnum((unsigned char)t->s[i])) {
            if (in_lead && (mk & (M_BOLD | M_ITALIC))) lead = i + 1;
            continue;
        }
        letters++;
        bold += (mk & M_BOLD) != 0;
        ital += (mk & M_ITALIC) != 0;
        if (in_lead && (mk & (M_BOLD | M_ITALIC))) lead = i + 1;
        else in_lead = false;
    }
    if (level) {
        bl->flags |= RFX_B_HEADING;
        bl->level = (uint16_t)level;
    }
    if (!letters || (bl->flags & RFX_B_TABLE)) return;
    if (bold == letters) bl->flags |= RFX_B_BOLD;
    if (ital == letters) bl->flags |= RFX_B_ITALIC;
    if (bold < letters && ital < letters && lead) {
        /* "**Heading**. Body": the punctuation right after the run is the lead's */
        while (lead < t->len && strchr(".:;?!", t->s[lead])) lead++;
        if (lead < t->len) {
            bl->flags |= RFX_B_PARTBOLD;
            bl->lead_len = (uint32_t)lead;
        }
    }
}

rfx_status rfx_ingest_markdown(rfx_register *r, rfx_error *err) {
    rfx_status st = rfx_decode(r, r->src, r->srclen, 0, &r->decoded, err);
    if (st != RFX_OK) return st;
    const rfx_text *t = &r->decoded;
    md m = {.r = r, .t = t, .nmark = r->srclen + 1};
    m.mark = calloc(m.nmark, 1);
    rfx_buf_init(&m.out, true);
    if (!m.mark) goto oom;
    const char *s = t->s;
    for (size_t b = 0; b < t->len;) {
        const char *nl = memchr(s + b, '\n', t->len - b);
        size_t e = nl ? (size_t)(nl - s) : t->len, next = nl ? e + 1 : t->len;
        uint32_t eoff = rfx_text_off(t, e < t->len ? e : t->len);
        while (e > b && (s[e - 1] == '\r' || s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
        size_t i = b;
        while (i < e && (s[i] == ' ' || s[i] == '\t') && i - b < 4) i++;
        size_t h = 0;
        while (i + h < e && s[i + h] == '#' && h < 7) h++;
        if (i == e) {
            para_break(&m, eoff);
        } else if (h >= 1 && h <= 6 && (i + h == e || s[i + h] == ' ')) { /* "## Title" */
            size_t ce = e;
            while (ce > i + h && (s[ce - 1] == '#' || s[ce - 1] == ' ')) ce--;
            para_break(&m, rfx_text_off(t, i));
            inline_text(&m, i + h, ce, (unsigned char)(h << M_LEVEL_SHIFT));
            para_break(&m, eoff);
        } else if (s[i] == '|') {
            para_break(&m, rfx_text_off(t, i));
            if (!only_chars(s, i, e, "|-: \t")) table_row(&m, i, e);
            para_break(&m, eoff);
        } else if (e - i >= 3 && (only_chars(s, i, e, "- ") || only_chars(s, i, e, "* ") || only_chars(s, i, e, "_ "))) {
            para_break(&m, eoff); /* a rule */
        } else {
            size_t k = i;
            if ((s[k] == '*' || s[k] == '+') && k + 1 < e && s[k + 1] == ' ') { /* bullets read as "- " */
                emit(&m, "-", 1, rfx_text_off(t, k), 0);
                k++;
            }
            size_t before = m.out.len;
            inline_text(&m, k, e, 0);
            /* a line emphasised whole is a paragraph of its own */
            bool whole = m.out.len > before;
            size_t letters = 0;
            for (size_t q = before; q < m.out.len && whole; q++) {
                if (!isalnum((unsigned char)m.out.data[q])) continue;
                letters++;
                uint32_t o = m.out.src[q];
                if (o >= m.nmark || !(m.mark[o] & (M_BOLD | M_ITALIC))) whole = false;
            }
            if (m.out.oom) goto oom;
            if (whole && letters) {
                para_break(&m, eoff);
            } else {
                rfx_buf_putc(&m.out, '\n', eoff);
            }
        }
        if (m.out.oom) goto oom;
        b = next;
    }
    rfx_text clean;
    if (!rfx_text_from_buf(r->arena, &m.out, &clean)) goto oom;
    size_t first = r->nblocks;
    st = rfx_ingest_text(r, &clean, err);
    if (st == RFX_OK)
        for (size_t k = first; k < r->nblocks; k++) style_block(&m, &r->blocks[k]);
    rfx_buf_free(&m.out);
    free(m.mark);
    return st;
oom:
    rfx_buf_free(&m.out);
    free(m.mark);
    rfx_set_error(err, RFX_ENOMEM, "%s: out of memory reading Markdown", r->path);
    return RFX_ENOMEM;
}

/* Markdown rather than plain text: headings, pipe-table rows and
 * separators, lines emphasised whole, in the first 64 KB. HTML structure wins (a filing's
 * HTML may hold a "|" or "#"); the caller has ruled out SGML. */
bool rfx_looks_markdown(const unsigned char *s, size_t n) {
    size_t look = n < 65536 ? n : 65536, score = 0;
    for (size_t b = 0; b < look && score < 6;) {
        const unsigned char *nl = memchr(s + b, '\n', look - b);
        size_t e = nl ? (size_t)(nl - s) : look;
        size_t i = b;
        while (i < e && s[i] == ' ') i++;
        size_t h = 0;
        while (i + h < e && s[i + h] == '#' && h < 7) h++;
        if (h >= 1 && h <= 6 && i + h + 1 < e && s[i + h] == ' ') score += 2;
        else if (i < e && s[i] == '|') {
            bool sep = true, dash = false;
            for (size_t k = i; k < e && sep; k++) {
                if (s[k] == '-') dash = true;
                else if (!strchr("|: \t\r", s[k])) sep = false;
            }
            size_t k = e, pipes = 0;
            while (k > i && (s[k - 1] == '\r' || s[k - 1] == ' ')) k--;
            for (size_t q = i; q < k; q++) pipes += s[q] == '|';
            if (sep && dash) score += 3;
            else if (k > i + 1 && s[k - 1] == '|' && pipes >= 3) score += 1; /* "| a | b |" */
        } else if (e - i > 4 && s[i] == '*' && s[i + 1] == '*' && isalnum(s[i + 2])) {
            size_t k = e;
            while (k > i && (s[k - 1] == '\r' || s[k - 1] == ' ')) k--;
            if (k - i > 4 && s[k - 1] == '*' && s[k - 2] == '*') score += 2;
        }
        b = e + 1;
    }
    return score >= 3;
}
