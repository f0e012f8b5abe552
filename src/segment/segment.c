/*
 * segment.c — the located section's blocks → risk factors (heading + body),
 * with group captions ("Risks Related to Our Business").
 *
 * Two ways to find headings, chosen per document:
 *  - style: where the source marks headings (bold, italic, underline, <hN>,
 *    a bold lead-in run), emphasised short blocks are headings;
 *  - language: where it does not (plain text, OCR, flattened text), a heading
 *    is a short standalone statement of a risk — one sentence, not a list
 *    introduction, not a cross-reference, not a connective continuation —
 *    that is followed by body text elaborating it.
 * Both then apply the same structural rules: a heading needs a body after it
 * (of two candidates in a row, the first is the previous risk's closing
 * sentence), and a sentence after a list that restates the current risk's
 * heading closes that risk rather than opening a new one.
 */
#define _GNU_SOURCE /* strcasestr */
#include "../rfx_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum role { R_SKIP, R_BODY, R_HEAD, R_GROUP, R_LEAD /* PARTBOLD: heading + body in one block */,
            R_HEADMORE /* the rest of a heading cut by a page break */ };

/* ---------------- language features ---------------- */

static size_t count_words(const char *s, size_t n) {
    size_t w = 0;
    bool in = false;
    for (size_t i = 0; i < n; i++) {
        bool ch = !isspace((unsigned char)s[i]);
        if (ch && !in) w++;
        in = ch;
    }
    return w;
}

static bool is_abbrev_before(const char *s, size_t dot) {
    /* the word that ends at s[dot] == '.' */
    size_t b = dot;
    while (b > 0 && (isalpha((unsigned char)s[b - 1]) || s[b - 1] == '.')) b--;
    size_t n = dot - b;
    if (n == 0) return isdigit((unsigned char)(dot ? s[dot - 1] : 0)) != 0; /* "4." in "Item 4." */
    if (n == 1) return true; /* an initial: "J. Smith", "U.S." pieces */
    static const char *ab[] = {"mr", "ms", "mrs", "dr", "inc", "corp", "co", "ltd", "no", "u.s",
                               "e.g", "i.e", "vs", "etc", "jr", "sr", "st", "approx", "u.k",
                               "n.v", "s.a", "plc", "llc", "l.p", "jan", "feb", "mar", "apr",
                               "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig",
                               "p.r.c", "d.c", "a.g", "s.e", NULL};
    for (int i = 0; ab[i]; i++)
        if (strlen(ab[i]) == n && strncasecmp(s + b, ab[i], n) == 0) return true;
    return false;
}

/* Sentences: a terminal mark followed by a space and an upper-case letter,
 * a digit or a quote, unless it closes an abbreviation. */
static size_t count_sentences(const char *s, size_t n) {
    size_t k = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (!isspace((unsigned char)s[i])) any = true;
        if (s[i] != '.' && s[i] != '?' && s[i] != '!') continue;
        size_t j = i + 1;
        while (j < n && (s[j] == '"' || s[j] == '\'' || s[j] == ')')) j++;
        if (j >= n) continue;
        if (s[j] != ' ') continue;
        while (j < n && s[j] == ' ') j++;
        if (j >= n) continue;
        unsigned char c = (unsigned char)s[j];
        if (!(isupper(c) || isdigit(c) || c == '"' || c == '(')) continue;
        if (s[i] == '.' && is_abbrev_before(s, i)) continue;
        k++;
    }
    return k + (any ? 1 : 0);
}

/* Length of the first sentence of s (through its closing mark), or 0 when
 * s is a single sentence. Same boundary rule as count_sentences. */
static size_t first_sentence_len(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '.' && s[i] != '?' && s[i] != '!') continue;
        size_t j = i + 1;
        while (j < n && (s[j] == '"' || s[j] == '\'' || s[j] == ')')) j++;
        if (j >= n || s[j] != ' ') continue;
        size_t e = j;
        while (j < n && s[j] == ' ') j++;
        if (j >= n) continue;
        unsigned char c = (unsigned char)s[j];
        if (!(isupper(c) || isdigit(c) || c == '"' || c == '(')) continue;
        if (s[i] == '.' && is_abbrev_before(s, i)) continue;
        return e;
    }
    return 0;
}

static bool starts_with_word(const char *s, const char *w) {
    size_t n = strlen(w);
    return strncasecmp(s, w, n) == 0 && !isalpha((unsigned char)s[n]);
}

/* Is the word just before p (in s) a modal verb ("may also")? */
static bool has_modal_before(const char *s, const char *p) {
    const char *e = p;
    while (e > s && e[-1] == ' ') e--;
    const char *b = e;
    while (b > s && isalpha((unsigned char)b[-1])) b--;
    static const char *m[] = {"may", "could", "might", "can", "will", "would", "should", "must", NULL};
    for (int i = 0; m[i]; i++)
        if ((size_t)(e - b) == strlen(m[i]) && !strncasecmp(b, m[i], (size_t)(e - b))) return true;
    return false;
}

/* Does s say what may happen (a modal verb)? Risk headings do. */
static bool states_possibility(const char *s) {
    static const char *m[] = {" may ", " could ", " might ", " can ", " cannot ", " will ", " would ", NULL};
    for (int i = 0; m[i]; i++)
        if (strcasestr(s, m[i])) return true;
    return false;
}

/* Openers that continue the previous text rather than state a new risk. */
static bool continuation_opener(const char *s) {
    static const char *w[] = {"However", "In addition", "Additionally", "Also", "Furthermore",
                              "Moreover", "As a result", "Accordingly", "For example",
                              "For instance", "Therefore", "Thus", "Consequently", "Similarly",
                              "Likewise", "Finally", "In particular", "Other than", "Generally",
                              "Please", "See", "For more", "For further", "For additional",
                              "For a", "Refer", "This", "These", "Those", "Such", "It", "They",
                              "Should", "In the past", "Currently",
                              "The realization", "The foregoing", "Any of these", "Any or all",
                              "All of these", "Each of these", "Including", "And", "Or", "But",
                              "Then", "Otherwise", "In short", "In sum",
                              "In summary", "To date", "Notwithstanding", "Nevertheless",
                              "As an example", "As a consequence", "For these reasons", NULL};
    for (int i = 0; w[i]; i++)
        if (starts_with_word(s, w[i])) return true;
    /* "Although malicious attacks affect many companies, the Company is at
     * greater risk …" elaborates; "Although we expect synergies, we may not
     * realize them" states a risk: a concession heads a risk only with a
     * modal verb */
    if (starts_with_word(s, "Although") || starts_with_word(s, "Even though") || starts_with_word(s, "Despite")) {
        static const char *modal[] = {" may ", " could ", " might ", " cannot ", " can ", " will ", NULL};
        bool m = false;
        for (int i = 0; modal[i] && !m; i++) m = strstr(s, modal[i]) != NULL;
        if (!m) return true;
    }
    /* "The Company also produces …" adds to the risk before it ("Our
     * lending also exposes us to the risk of …" names a risk of its own) */
    {
        const char *p = s;
        for (int k = 0; k < 4 && *p; k++) {
            while (*p && *p != ' ') p++;
            while (*p == ' ') p++;
            /* "may also be subject to …" still states a risk */
            if (starts_with_word(p, "also") && !has_modal_before(s, p) && !strcasestr(s, "risk")) return true;
        }
    }
    /* narrative dated openers ("In September 2011, the Bureau…") report
     * events; risk headings state exposures */
    static const char *pre[] = {"In ", "On ", "During ", "Since ", "As of ", "Through ", NULL};
    static const char *mon[] = {"January", "February", "March", "April", "May", "June", "July",
                                "August", "September", "October", "November", "December",
                                "fiscal", "the first", "the second", "the third", "the fourth",
                                "the fiscal", "the year", "the quarter", NULL};
    for (int i = 0; pre[i]; i++) {
        size_t k = strlen(pre[i]);
        if (strncmp(s, pre[i], k) != 0) continue;
        if (isdigit((unsigned char)s[k])) return true;
        for (int j = 0; mon[j]; j++)
            if (starts_with_word(s + k, mon[j])) return true;
    }
    return false;
}

static bool ends_with(const char *s, size_t n, char c) {
    while (n && (s[n - 1] == ' ' || s[n - 1] == '"' || s[n - 1] == '\'')) n--;
    return n && s[n - 1] == c;
}

static bool has_letters(const char *s, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isalpha((unsigned char)s[i])) k++;
    return k >= 3;
}

/* Does the caption contain a verb? Captions are noun phrases ("Business and
 * Industry Risks"); a heading states something ("Our International
 * Operations Expose Us to a Number of Risks"). */
static bool has_verb(const char *s) {
    static const char *v[] = {"may", "could", "might", "can", "will", "would", "should", "must",
                              "is", "are", "was", "were", "expose", "exposes", "face", "faces",
                              "subject", "subjects", "depend", "depends", "affect", "affects",
                              "impact", "impacts", "harm", "harms", "involve", "involves",
                              "include", "includes", "create", "creates", "pose", "poses",
                              "have", "has", NULL};
    for (const char *p = s; *p;) {
        while (*p && !isalpha((unsigned char)*p)) p++;
        const char *w = p;
        while (isalpha((unsigned char)*p)) p++;
        size_t n = (size_t)(p - w);
        for (int i = 0; v[i] && n; i++)
            if (strlen(v[i]) == n && strncasecmp(w, v[i], n) == 0) return true;
    }
    return false;
}

/* A caption for a group of risks: short, no sentence end, about risks.
 * Returns 2 for an unmistakable caption ("Risks Related to …"), 1 for a
 * likely one that style must confirm ("Operational Risks"), 0 otherwise. */
static int group_caption(const rfx_block *b) {
    const char *s = b->t.s;
    size_t n = b->t.len, w = count_words(s, n);
    if (w == 0 || w > 14 || ends_with(s, n, '.') || ends_with(s, n, ':')) return 0;
    if (b->flags & RFX_B_LIST) return 0;
    bool verb = has_verb(s);
    /* a subtitle some 10-Ks put under Item 1A */
    if (strncasecmp(s, "Factors That May Affect", 23) == 0 || strncasecmp(s, "Certain Factors", 15) == 0)
        return 2;
    for (size_t i = 0; i + 6 <= n; i++)
        if (strncasecmp(s + i, "risks ", 6) == 0 && (i == 0 || s[i - 1] == ' ')) {
            const char *q = s + i + 6;
            if (starts_with_word(q, "related") || starts_with_word(q, "relating") ||
                starts_with_word(q, "associated") || starts_with_word(q, "regarding") ||
                starts_with_word(q, "relevant") || starts_with_word(q, "pertaining") ||
                starts_with_word(q, "concerning") || starts_with_word(q, "specific") ||
                starts_with_word(q, "relative"))
                return verb ? 1 : 2;
        }
    if (starts_with_word(s, "Risk Factors Relat")) return 2;
    if (verb) return 0;
    if (starts_with_word(s, "Risks")) return 1;
    /* "General Risks", "Legal and Regulatory Risks", "Industry Risk Factors" */
    const char *p = s + n;
    while (p > s && !isalpha((unsigned char)p[-1])) p--;
    size_t tail = (size_t)(p - s);
    if (tail >= 4 && strncasecmp(p - 4, "risk", 4) == 0) return 1;
    if (tail >= 5 && strncasecmp(p - 5, "risks", 5) == 0) return 1;
    if (tail >= 7 && strncasecmp(p - 7, "factors", 7) == 0 && w <= 6) return 1;
    return 0;
}

static bool summary_caption(const rfx_block *b) {
    static const char *t[] = {"Risk Factors Summary", "Risk Factor Summary", "Summary of Risk Factors",
                              "Summary Risk Factors", "Summary of Risks", "Summary of Material Risks",
                              "Summary of Principal Risks", "Summary of Risk", NULL};
    if (b->t.len > 80) return false;
    for (int i = 0; t[i]; i++)
        if (strncasecmp(b->t.s, t[i], strlen(t[i])) == 0) return true;
    return false;
}

/* A block that can only be body, whatever its style. */
static bool never_heading(const rfx_block *b) {
    const char *s = b->t.s;
    size_t n = b->t.len;
    if (!has_letters(s, n)) return true;
    if (ends_with(s, n, ':') || ends_with(s, n, ';') || ends_with(s, n, ',')) return true;
    unsigned char c = (unsigned char)s[0];
    if (islower(c)) return true;
    if (starts_with_word(s, "Please") || starts_with_word(s, "See") || starts_with_word(s, "Refer"))
        return true;
    /* the section's own introduction talks about the risks "below" */
    static const char *intro[] = {"described below", "set forth below", "discussed below",
                                  "listed below", "outlined below", "following risk factors",
                                  "following factors", "following risks", "carefully consider",
                                  "consider carefully", "should be considered", "not the only",
                                  "in evaluating", NULL};
    for (int i = 0; intro[i]; i++)
        if (strcasestr(s, intro[i])) return true;
    return false;
}

/* Plain text: does this block read like a risk heading on its own? */
static bool language_heading(const rfx_block *b) {
    if (b->flags & (RFX_B_LIST | RFX_B_TABLE)) return false;
    if (never_heading(b)) return false;
    const char *s = b->t.s;
    size_t n = b->t.len, w = count_words(s, n);
    if (w < 4 || w > 80) return false;
    /* one sentence: two-sentence headings exist, but so do two-sentence
     * bodies, and only style can tell them apart */
    if (count_sentences(s, n) != 1) return false;
    if (continuation_opener(s)) return false;
    return true;
}

/* ---------------- word overlap (closing sentences) ---------------- */

static bool stop_word(const char *w, size_t n) {
    static const char *sw[] = {"the", "and", "our", "may", "could", "would", "will", "can",
                               "that", "which", "with", "for", "from", "this", "these", "such",
                               "are", "was", "were", "have", "has", "had", "not", "any", "all",
                               "its", "their", "they", "other", "more", "than", "into", "been",
                               "being", "also", "only", "including", "adversely", "affect",
                               "material", "business", "results", "operations", "financial",
                               "condition", "we", "us", "of", "to", "in", "or", "on", "be",
                               "as", "by", "an", "a", "if", "is", "it", NULL};
    if (n < 3) return true;
    for (int i = 0; sw[i]; i++)
        if (strlen(sw[i]) == n && strncasecmp(w, sw[i], n) == 0) return true;
    return false;
}

/* Content-word stems (first 5 letters, lower case) of s, as a small set. */
typedef struct stemset {
    char (*v)[6];
    size_t n, cap;
} stemset;

static void stems(const char *s, size_t n, stemset *out) {
    out->n = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && !isalpha((unsigned char)s[i])) i++;
        size_t b = i;
        while (i < n && isalpha((unsigned char)s[i])) i++;
        if (i == b || stop_word(s + b, i - b)) continue;
        char st[6] = {0};
        for (size_t k = 0; k < 5 && b + k < i; k++) st[k] = (char)tolower((unsigned char)s[b + k]);
        bool dup = false;
        for (size_t k = 0; k < out->n && !dup; k++) dup = !strcmp(out->v[k], st);
        if (dup) continue;
        if (out->n == out->cap) {
            size_t nc = out->cap ? out->cap * 2 : 32;
            void *p = realloc(out->v, nc * sizeof *out->v);
            if (!p) return;
            out->v = p;
            out->cap = nc;
        }
        memcpy(out->v[out->n++], st, 6);
    }
}

/* Share of the heading's content words that the candidate repeats. */
static double restates(const rfx_block *heading, const rfx_block *cand) {
    stemset h = {0}, c = {0};
    stems(heading->t.s, heading->t.len, &h);
    stems(cand->t.s, cand->t.len, &c);
    size_t common = 0;
    for (size_t i = 0; i < h.n; i++)
        for (size_t j = 0; j < c.n; j++)
            if (!strcmp(h.v[i], c.v[j])) { common++; break; }
    double r = h.n ? (double)common / (double)h.n : 0;
    free(h.v);
    free(c.v);
    return r;
}

/* ---------------- style features ---------------- */

#define EMPH (RFX_B_BOLD | RFX_B_ITALIC | RFX_B_UNDERLINE | RFX_B_HEADING)

static bool style_heading(const rfx_block *b) {
    if (!(b->flags & EMPH)) return false;
    if (b->flags & RFX_B_TABLE) return false;
    if (never_heading(b)) return false;
    size_t w = count_words(b->t.s, b->t.len);
    return w >= 3 && w <= 120;
}

/* What a block looks like, for comparing headings with captions. */
static uint32_t signature(const rfx_block *b) {
    return (b->flags & (EMPH | RFX_B_CAPS | RFX_B_CENTER)) | ((uint32_t)b->level << 16) |
           ((uint32_t)(b->font_size / 5) << 20);
}

/* Bytes of a dash that follows a run-in heading ("We depend on key
 * personnel — Our …"), after spaces from i; 0 when none. */
static size_t dash_at(const char *s, size_t n, size_t i) {
    while (i < n && s[i] == ' ') i++;
    if (i + 3 <= n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x94 || (unsigned char)s[i + 2] == 0x93))
        return i + 3;
    if (i + 1 < n && s[i] == '-' && s[i + 1] == ' ') return i + 1;
    return 0;
}

static bool lead_heading(const rfx_block *b) {
    if (!(b->flags & RFX_B_PARTBOLD) || b->lead_len == 0 || b->lead_len >= b->t.len) return false;
    const char *s = b->t.s;
    size_t n = b->lead_len, w = count_words(s, n);
    if (w < 4 || w > 120 || islower((unsigned char)s[0])) return false;
    /* the lead-in must end a sentence: "Heading text. Body…", or be
     * followed by a dash: "Heading text — body…" */
    size_t e = n;
    while (e && s[e - 1] == ' ') e--;
    if (e && (s[e - 1] == '.' || s[e - 1] == '?' || s[e - 1] == '!' || s[e - 1] == ':')) return true;
    if (!(b->flags & RFX_B_LIST) && e &&
        (s[e - 1] == '-' || (e >= 3 && (unsigned char)s[e - 3] == 0xE2 && (unsigned char)s[e - 2] == 0x80)))
        return true; /* the dash inside the emphasis */
    return !(b->flags & RFX_B_LIST) && dash_at(s, b->t.len, n) != 0; /* "Label - text" items of a list */
}

/* Where the body of a run-in heading starts: after the lead-in and any
 * dash that separates them. */
static size_t lead_body(const rfx_block *b, size_t from) {
    size_t d = dash_at(b->t.s, b->t.len, from);
    return d ? d : from;
}

/* A bold or italic label inside a body ("Competition:", "U.S. interest
 * rates.", "Financial conditions and results."): a noun phrase, not a
 * statement of a risk. */
static bool label_lead(const rfx_block *b) {
    size_t n = b->lead_len;
    char buf[256];
    if (n >= sizeof buf) return false;
    memcpy(buf, b->t.s, n);
    buf[n] = 0;
    return count_words(buf, n) <= 8 && !has_verb(buf);
}

static bool skipped(const rfx_block *b) {
    return b->flags & (RFX_B_PAGENUM | RFX_B_PAGEHDR | RFX_B_TOC | RFX_B_HIDDEN);
}

/* ---------------- building risks ---------------- */

static bool slice(rfx_register *r, const rfx_text *t, size_t i, size_t j, rfx_text *out) {
    while (i < j && t->s[i] == ' ') i++;
    while (j > i && t->s[j - 1] == ' ') j--;
    out->len = j - i;
    out->s = rfx_arena_strndup(r->arena, t->s + i, j - i);
    out->src = rfx_arena_alloc(r->arena, (j - i + 1) * sizeof(uint32_t));
    if (!out->s || !out->src) return false;
    if (j > i) memcpy(out->src, t->src + i, (j - i) * sizeof(uint32_t));
    out->src[j - i] = rfx_text_end(t, j);
    return true;
}

typedef struct builder {
    rfx_register *r;
    rfx_risk *cur;
    rfx_buf body;
    size_t last_block;
} builder;

/* A paragraph cut by a page break resumes in lower case: it continues the
 * text before it rather than starting a new paragraph. */
static bool resumes(const rfx_buf *o, const rfx_block *b, size_t from) {
    return o->len && !(b->flags & RFX_B_LIST) && islower((unsigned char)b->t.s[from]) &&
           !strchr(".:;!?", o->data[o->len - 1]);
}

static void preamble_add(rfx_buf *pre, const rfx_block *b) {
    if (resumes(pre, b, 0)) rfx_buf_puts(pre, " ");
    else if (pre->len) rfx_buf_puts(pre, "\n\n");
    if (b->flags & RFX_B_LIST) rfx_buf_puts(pre, "- ");
    rfx_buf_put(pre, b->t.s, b->t.len, 0, false);
}

static void body_add(builder *bd, const rfx_block *b, size_t from) {
    rfx_buf *o = &bd->body;
    uint32_t at = rfx_text_start(&b->t, from);
    if (resumes(o, b, from)) rfx_buf_put(o, " ", 1, at, false);
    else if (o->len) rfx_buf_put(o, "\n\n", 2, at, false);
    if (b->flags & RFX_B_LIST) rfx_buf_put(o, "- ", 2, at, false);
    size_t i = from;
    while (i < b->t.len && b->t.s[i] == ' ') i++;
    rfx_buf_put(o, b->t.s + i, b->t.len - i, 0, false);
    if (o->track && !o->oom)
        memcpy(o->src + o->len - (b->t.len - i), b->t.src + i, (b->t.len - i) * sizeof(uint32_t));
}

static void finish(builder *bd) {
    rfx_risk *k = bd->cur;
    if (!k) return;
    if (!rfx_text_from_buf(bd->r->arena, &bd->body, &k->body)) {
        k->body.s = "";
        k->body.len = 0;
    } else if (k->body.len) {
        k->body.src[k->body.len] = bd->r->blocks[bd->last_block].end;
        k->end = k->body.src[k->body.len];
    }
    if (!k->body.len) {
        k->end = rfx_text_end(&k->heading, k->heading.len);
        rfx_reg_warn(bd->r, "empty-body", k->start, "risk %zu \"%.60s\" has no body text",
                     k->index, k->heading.s);
    }
    /* the span reaches the furthest byte of any of its blocks */
    for (size_t i = k->first_block; i <= bd->last_block && i < bd->r->nblocks; i++) {
        const rfx_block *b = &bd->r->blocks[i];
        if (b->end > k->end) k->end = b->end;
    }
    k->nblocks = bd->last_block + 1 - k->first_block;
    rfx_buf_clear(&bd->body);
    bd->cur = NULL;
}

/* Appends block b's text to the current risk's heading, offsets kept. */
static void extend_heading(builder *bd, const rfx_block *b, size_t bi) {
    rfx_risk *k = bd->cur;
    rfx_buf h;
    rfx_buf_init(&h, true);
    rfx_buf_put(&h, k->heading.s, k->heading.len, 0, false);
    if (h.track && !h.oom) memcpy(h.src, k->heading.src, k->heading.len * sizeof(uint32_t));
    rfx_buf_put(&h, " ", 1, rfx_text_start(&b->t, 0), false);
    size_t at = h.len;
    rfx_buf_put(&h, b->t.s, b->t.len, 0, false);
    if (h.track && !h.oom) memcpy(h.src + at, b->t.src, b->t.len * sizeof(uint32_t));
    rfx_text joined;
    if (!h.oom && rfx_text_from_buf(bd->r->arena, &h, &joined)) {
        joined.src[joined.len] = rfx_text_end(&b->t, b->t.len);
        k->heading = joined;
        bd->last_block = bi;
    }
    rfx_buf_free(&h);
}

static void start_risk(builder *bd, const char *group, const rfx_block *b, size_t bi, size_t hlen) {
    finish(bd);
    rfx_risk *k = rfx_reg_add_risk(bd->r);
    if (!k) return;
    k->index = bd->r->nrisks;
    k->group = group;
    if (!slice(bd->r, &b->t, 0, hlen, &k->heading)) return;
    /* a heading's trailing ':' or bullet residue is not part of it */
    k->start = b->start;
    k->first_block = bi;
    bd->cur = k;
    bd->last_block = bi;
}

/* A section with risks of its own that also points to risk factors in
 * other documents (a prospectus supplement: "and those risk factors
 * incorporated by reference … the accompanying prospectus"; a 10-Q: "update
 * the risk factors set forth in … our Annual Report on Form 10-K") reports
 * both: its risks, and in section.reference the sentence that names the
 * others. The preamble says so; "this Annual Report" is the document itself. */
static void also_incorporated(rfx_register *r) {
    const char *p = r->preamble, *form = r->filing.form;
    /* an annual report's own section is the one the others point to */
    if (!p || !form || !(!strncmp(form, "10-Q", 4) || !strncmp(form, "424", 3) || !strncmp(form, "S-", 2) ||
                         !strncmp(form, "F-", 2)))
        return;
    static const char *marks[] = {"accompanying prospectus", "incorporated by reference", "annual report",
                                  "form 10-k", "form 20-f", "base prospectus", NULL};
    const char *end = p + strlen(p);
    while (p < end) {
        const char *e = p;
        while (e < end && !((*e == '.' || *e == '\n') && (e + 1 >= end || e[1] == ' ' || e[1] == '\n') &&
                            !(*e == '.' && e - p >= 2 && isdigit((unsigned char)e[-2]) && isalpha((unsigned char)e[-1]))))
            e++; /* "Item 1A. Risk Factors" goes on */
        size_t n = (size_t)(e - p);
        char *sent = rfx_arena_strndup(r->arena, p, n);
        if (sent && strcasestr(sent, "risk") && !strcasestr(sent, "this annual report") &&
            !strcasestr(sent, "this report on form")) {
            for (int k = 0; marks[k]; k++)
                if (strcasestr(sent, marks[k])) {
                    r->section.reference = sent;
                    rfx_reg_warn(r, "also-incorporated", r->section.start,
                                 "besides its %zu risks, the section refers to risk factors elsewhere: %.200s",
                                 r->nrisks, sent);
                    return;
                }
        }
        p = e + 1;
        while (p < end && (*p == ' ' || *p == '\n')) p++;
    }
}

void rfx_segment(rfx_register *r) {
    rfx_section *sec = &r->section;
    if (!sec->found || sec->reference) return;
    /* locate says where the body starts: after a title that may span two
     * blocks, or share its block with the first words of the body */
    size_t first = sec->body_block, end = sec->end_block;
    if (end > r->nblocks) end = r->nblocks;
    if (first < sec->first_block) first = sec->first_block;
    size_t skip = sec->body_skip;
    if (skip && first < end && skip >= r->blocks[first].t.len) { /* the whole block was title */
        first++;
        skip = 0;
    }
    if (first >= end) return;
    size_t n = end - first;
    enum role *role = calloc(n, sizeof *role);
    const rfx_block **bp = calloc(n, sizeof *bp);
    if (!role || !bp) {
        free(role);
        free(bp);
        rfx_reg_warn(r, "oom", -1, "out of memory segmenting");
        return;
    }
    size_t *lead = NULL; /* language mode: heading = a paragraph's first sentence */
    for (size_t i = 0; i < n; i++) bp[i] = &r->blocks[first + i];
    if (skip) {
        rfx_block *rest = rfx_arena_alloc(r->arena, sizeof *rest);
        if (rest && slice(r, &bp[0]->t, skip, bp[0]->t.len, &rest->t)) {
            rest->flags = bp[0]->flags & ~(RFX_B_PARTBOLD | RFX_B_BOLD | RFX_B_ITALIC |
                                           RFX_B_UNDERLINE | RFX_B_HEADING | RFX_B_CAPS);
            rest->start = rfx_text_start(&rest->t, 0);
            rest->end = bp[0]->end;
            bp[0] = rest;
        }
    }

    /* Style or language? Style when emphasis marks enough short blocks. */
    size_t styled = 0, leads = 0, body_like = 0;
    for (size_t i = 0; i < n; i++) {
        const rfx_block *b = bp[i];
        if (skipped(b)) continue;
        if (style_heading(b)) styled++;
        else if (lead_heading(b)) leads++;
        else body_like++;
    }
    /* A short section (a 10-Q adding one risk) may have a single styled
     * heading: where the source marks emphasis, that is still style, and
     * its plain paragraphs stay body (a sentence before a page break is no
     * heading). */
    bool style = r->format != RFX_FMT_TEXT &&
                 ((styled + leads >= 3 && body_like + leads >= 2) || (styled + leads >= 1 && body_like >= 2 * (styled + leads)));

    /* The dominant look of headings: a weak caption in that same look is a
     * heading that happens to end in "Risks". */
    uint32_t dominant = 0;
    if (style) {
        uint32_t sig[16];
        size_t cnt[16] = {0}, ns = 0, best = 0;
        for (size_t i = 0; i < n; i++) {
            const rfx_block *b = bp[i];
            if (skipped(b) || !style_heading(b) || group_caption(b) == 2) continue;
            uint32_t g = signature(b);
            size_t k = 0;
            while (k < ns && sig[k] != g) k++;
            if (k == ns && ns < 16) sig[ns++] = g;
            if (k < ns && ++cnt[k] > best) { best = cnt[k]; dominant = g; }
        }
    }
    for (size_t i = 0; i < n; i++) {
        const rfx_block *b = bp[i];
        int cap = skipped(b) ? 0 : group_caption(b);
        bool looks = b->flags & (EMPH | RFX_B_CAPS | RFX_B_CENTER);
        if (skipped(b)) role[i] = R_SKIP;
        else if (cap == 2 && (!style || looks)) role[i] = R_GROUP;
        /* where the risks are run-in headings, the emphasised captions
         * between them are their groups ("Strategic and Operational Risks") */
        else if (cap == 1 && (!style || (looks && (signature(b) != dominant || leads > styled)))) role[i] = R_GROUP;
        else if (style ? style_heading(b) : language_heading(b)) role[i] = R_HEAD;
        else if (style && lead_heading(b)) role[i] = R_LEAD;
        else role[i] = R_BODY;
    }

    /* A heading cut by a page break ("… impair our ability to deliver our
     * platform to our" / page number / "customers, resulting in …") goes on
     * in the next block that is set the same way and starts in lower case. */
    for (size_t i = 0; i < n; i++) {
        if (role[i] != R_HEAD || !(bp[i]->flags & EMPH)) continue;
        const char *hs = bp[i]->t.s;
        size_t hl = bp[i]->t.len;
        if (!hl || (!isalpha((unsigned char)hs[hl - 1]) && hs[hl - 1] != ',')) continue;
        size_t j = i + 1;
        while (j < n && role[j] == R_SKIP) j++;
        if (j < n && (bp[j]->flags & EMPH) == (bp[i]->flags & EMPH) && islower((unsigned char)bp[j]->t.s[0]) &&
            !(bp[j]->flags & (RFX_B_LIST | RFX_B_TABLE)))
            role[j] = R_HEADMORE;
    }

    /* Where the risks have headings of their own, a run-in label inside a
     * body is body: a list of "U.S. interest rates." / "Our credit rating."
     * items under one risk, not risks of their own. */
    if (style) {
        size_t heads = 0;
        for (size_t i = 0; i < n; i++) heads += role[i] == R_HEAD;
        for (size_t i = 0; i < n && heads >= 3 && heads > leads; i++)
            if (role[i] == R_LEAD && ((bp[i]->flags & RFX_B_LIST) || label_lead(bp[i]))) role[i] = R_BODY;
    }

    /* A heading needs a body: of two headings in a row, the first is really
     * the closing sentence of the risk before (language mode), or a
     * sub-heading (style mode keeps both: emphasis is explicit). */
    if (!style) {
        /* right to left, so the roles after i are settled when i is judged:
         * of H H H H B only every other one keeps a body (B H B H B) */
        for (size_t i = n; i-- > 0;) {
            if (role[i] != R_HEAD) continue;
            size_t j = i + 1;
            while (j < n && role[j] == R_SKIP) j++;
            if (j >= n || role[j] == R_GROUP) {
                role[i] = R_BODY; /* nothing follows it: a closing sentence */
            } else if (role[j] == R_HEAD && restates(bp[i], bp[j]) >= 0.6 && bp[j]->t.len > bp[i]->t.len) {
                /* a longer sentence that restates this one elaborates it:
                 * "X can be impacted by political events, …" then
                 * "Political events, … can have a material adverse effect" */
                role[j] = R_BODY;
            } else if (role[j] == R_HEAD) {
                /* the later one wins only if it has a body itself */
                size_t k = j + 1;
                while (k < n && role[k] == R_SKIP) k++;
                if (k < n && role[k] == R_BODY) role[i] = R_BODY;
            }
        }
        /* A candidate cut by a page break ("… equal to the amount by which
         * the carrying" / 16 / "value of the assets …") is a piece of body
         * when the next text goes on in lower case — unless it states what
         * may happen, as a long heading cut by the break does ("… may be
         * interrupted, or shut in, … as a result of w" / "access, …"). */
        for (size_t i = 0; i < n; i++) {
            if (role[i] != R_HEAD) continue;
            size_t j = i + 1;
            while (j < n && role[j] == R_SKIP) j++;
            const char *hs = bp[i]->t.s;
            size_t hl = bp[i]->t.len;
            if (j < n && j > i + 1 && islower((unsigned char)bp[j]->t.s[0]) && hl && !strchr(".?!", hs[hl - 1]) &&
                !states_possibility(hs))
                role[i] = R_BODY;
        }
        /* A sentence right after a list that restates the current heading
         * closes the risk ("... we may lose customers." after a list). */
        size_t cur = (size_t)-1;
        for (size_t i = 0; i < n; i++) {
            if (role[i] == R_HEAD) {
                size_t p = i;
                while (p > 0 && role[p - 1] == R_SKIP) p--;
                bool after_list = p > 0 && (bp[p - 1]->flags & RFX_B_LIST);
                if (after_list && cur != (size_t)-1 &&
                    restates(bp[cur], bp[i]) >= 0.5) {
                    role[i] = R_BODY;
                    continue;
                }
                cur = i;
            }
        }
        /* Flattened text often keeps paragraphs but glues each heading to
         * its body ("X may harm us. Body…"). When no paragraph stands alone
         * as a heading, a paragraph whose first sentence reads as one opens
         * a risk with that sentence. */
        size_t heads = 0, multi = 0;
        for (size_t i = 0; i < n; i++) {
            heads += role[i] == R_HEAD;
            multi += role[i] == R_BODY && !(bp[i]->flags & RFX_B_LIST) &&
                     first_sentence_len(bp[i]->t.s, bp[i]->t.len) > 0;
        }
        if (heads < 2 && multi >= 3 && (lead = calloc(n, sizeof *lead))) {
            size_t found = 0;
            for (size_t i = 0; i < n; i++) {
                if (role[i] != R_BODY || (bp[i]->flags & RFX_B_LIST)) continue;
                size_t fl = first_sentence_len(bp[i]->t.s, bp[i]->t.len);
                if (!fl || fl > 1000) continue;
                rfx_block pseudo = *bp[i];
                char *sent = rfx_arena_strndup(r->arena, bp[i]->t.s, fl);
                if (!sent) break;
                pseudo.t.s = sent;
                pseudo.t.len = fl;
                if (language_heading(&pseudo)) lead[i] = fl;
                found += lead[i] != 0;
            }
            if (found >= 2) {
                for (size_t i = 0; i < n; i++)
                    if (lead[i]) role[i] = R_LEAD;
                rfx_reg_warn(r, "lead-sentence-headings", sec->start,
                             "no paragraph is a heading on its own; %zu risks start at a "
                             "paragraph's first sentence", found);
            }
        }
    }

    builder bd = {.r = r};
    rfx_buf_init(&bd.body, true);
    rfx_buf pre;
    rfx_buf_init(&pre, false);
    const char *group = NULL;
    bool in_summary = false;
    for (size_t i = 0; i < n; i++) {
        size_t bi = first + i;
        const rfx_block *b = bp[i];
        /* A "Risk Factors Summary" lists the headings as bullets before the
         * risks themselves: it belongs to the preamble, and ends at the first
         * real heading (its own group captions are repeated before it). */
        if (role[i] != R_SKIP && !bd.cur && summary_caption(b)) {
            in_summary = true;
            continue;
        }
        if (in_summary) {
            if (role[i] == R_GROUP) {
                group = b->t.s;
                continue;
            }
            if ((role[i] == R_HEAD || role[i] == R_LEAD) && !(b->flags & RFX_B_LIST)) {
                in_summary = false;
            } else {
                if (role[i] != R_SKIP) preamble_add(&pre, b);
                continue;
            }
        }
        switch (role[i]) {
        case R_SKIP: break;
        case R_GROUP:
            finish(&bd);
            group = b->t.s;
            break;
        case R_HEAD: start_risk(&bd, group, b, bi, b->t.len); break;
        case R_HEADMORE:
            if (bd.cur && !bd.body.len) extend_heading(&bd, b, bi);
            else if (bd.cur) body_add(&bd, b, 0);
            break;
        case R_LEAD: {
            /* "Heading Text: body…" — the colon introduces the body, not the heading */
            size_t hl = lead && lead[i] ? lead[i] : b->lead_len;
            while (hl && (b->t.s[hl - 1] == ' ' || b->t.s[hl - 1] == ':')) hl--;
            /* "Heading — body": the dash belongs to neither */
            while (hl && (b->t.s[hl - 1] == ' ' || b->t.s[hl - 1] == '-')) hl--;
            if (hl >= 3 && (unsigned char)b->t.s[hl - 3] == 0xE2 && (unsigned char)b->t.s[hl - 2] == 0x80 &&
                ((unsigned char)b->t.s[hl - 1] == 0x94 || (unsigned char)b->t.s[hl - 1] == 0x93))
                hl -= 3;
            while (hl && b->t.s[hl - 1] == ' ') hl--;
            start_risk(&bd, group, b, bi, hl);
            if (bd.cur) body_add(&bd, b, lead && lead[i] ? lead[i] : lead_body(b, b->lead_len));
            break;
        }
        case R_BODY:
            if (bd.cur) {
                body_add(&bd, b, 0);
                bd.last_block = bi;
            } else {
                preamble_add(&pre, b);
            }
            break;
        }
    }
    finish(&bd);
    if (pre.len) r->preamble = rfx_arena_strndup(r->arena, pre.data, pre.len);
    rfx_buf_free(&pre);
    rfx_buf_free(&bd.body);
    free(role);
    free(bp);
    free(lead);
    if (r->nrisks == 0)
        rfx_reg_warn(r, "no-risks", sec->start, "the section has no recognisable risk headings");
    else
        also_incorporated(r);
}
