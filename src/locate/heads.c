/*
 * heads.c — is this block a section heading, and of what?
 *
 * Filings label their parts in a handful of ways: "Item 1A. Risk Factors"
 * (with any of . : - — – or nothing after the number, any case, sometimes
 * "PART II, Item 1A"), a bare "1A. Risk Factors", a 20-F's "D. Risk Factors"
 * or "Item 3.D", a prospectus's "RISK FACTORS". One block is read at a time,
 * with no regex: a cursor walks the normalised text. What makes a match a
 * heading rather than a cross-reference is shape, not words: a heading is a
 * short block (or the bold lead-in of one, or a standard item title at the
 * start of flattened text); a reference sits inside a sentence, is quoted, or
 * continues in lower case ("Item 1A of this report", "Item 1A, “Risk…”").
 * Whether a heading is the real one or a table-of-contents entry is decided
 * later, in locate.c, from the text that follows it.
 */
#include "locate.h"

#include <ctype.h>
#include <string.h>

#define HEAD_MAX 160  /* longest block read as a heading on its own */
#define CAPTION_MAX 100

static int lc(char c) { return tolower((unsigned char)c); }

/* Length of the case-insensitive prefix match of word at s[i], or 0. */
static size_t match_ci(const char *s, size_t i, size_t n, const char *word) {
    size_t m = strlen(word);
    if (i + m > n || strncasecmp(s + i, word, m) != 0) return 0;
    return m;
}

const char *loc_find_ci(const char *s, size_t n, const char *needle) {
    size_t m = strlen(needle);
    if (m == 0 || m > n) return NULL;
    for (size_t i = 0; i + m <= n; i++)
        if (lc(s[i]) == lc(needle[0]) && strncasecmp(s + i, needle, m) == 0) return s + i;
    return NULL;
}

/* Bytes of a dash (– — ‒ −) at s[i], or 0. */
static size_t dash_len(const char *s, size_t i, size_t n) {
    if (i + 3 <= n && (unsigned char)s[i] == 0xE2) {
        unsigned char b1 = (unsigned char)s[i + 1], b2 = (unsigned char)s[i + 2];
        if (b1 == 0x80 && b2 >= 0x92 && b2 <= 0x95) return 3;
        if (b1 == 0x88 && b2 == 0x92) return 3;
    }
    return 0;
}

/* Skips the punctuation that separates an item number from its title. */
static size_t skip_sep(const char *s, size_t i, size_t n) {
    for (;;) {
        if (i < n && strchr(" \t.:-|", s[i])) { i++; continue; }
        size_t d = dash_len(s, i, n);
        if (d) { i += d; continue; }
        return i;
    }
}

static size_t skip_sp(const char *s, size_t i, size_t n) {
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    return i;
}

bool loc_starts_risk_factors(const char *s, size_t n) {
    size_t k = match_ci(s, 0, n, "risk");
    if (!k) return false;
    size_t j = skip_sp(s, k, n);
    if (j == k) return false;
    size_t f = match_ci(s, j, n, "factor");
    return f && (j + f == n || !isalpha((unsigned char)s[j + f]) || lc(s[j + f]) == 's');
}

/* "Risk" alone, or "Risk Fac…": a title cut by a line or element break. */
static bool risk_prefix(const char *s, size_t n) {
    while (n && strchr(" .:", s[n - 1])) n--;
    static const char full[] = "risk factors";
    if (n == 0 || n >= sizeof full - 1) return false;
    return strncasecmp(s, full, n) == 0;
}

/* Standard item titles (10-K, 10-Q, 20-F), lower case, matched as prefixes. */
static const char *const item_titles[] = {
    "business", "risk factor", "unresolved staff comment", "cybersecurity", "properties",
    "legal proceedings", "mine safety", "submission of matters", "market for",
    "selected financial data", "management's discussion", "managements discussion",
    "quantitative and qualitative", "financial statements", "changes in and disagreements",
    "controls and procedures", "other information", "disclosure regarding foreign",
    "directors", "executive compensation", "security ownership", "certain relationships",
    "principal account", "exhibits", "form 10-k summary", "[reserved]", "reserved",
    "(removed and reserved)", "unregistered sales", "defaults upon", "key information",
    "information on the company", "operating and financial review", "major shareholders",
    "financial information", "the offer and listing", "additional information",
    "description of securities", "material modifications", "identity of directors",
    "offer statistics", "mine safety disclosures", NULL};

/* Bytes of the standard title at s[i], or 0. */
static size_t standard_title(const char *s, size_t i, size_t n) {
    for (int k = 0; item_titles[k]; k++) {
        size_t m = match_ci(s, i, n, item_titles[k]);
        if (!m) continue;
        /* run to the end of the word the prefix stopped in */
        size_t e = i + m;
        while (e < n && islower((unsigned char)s[e]) == islower((unsigned char)s[e - 1]) &&
               isalpha((unsigned char)s[e]))
            e++;
        return e - i;
    }
    return 0;
}

/* Is the text after the title a "not applicable" note? */
static bool says_not_applicable(const char *s, size_t n) {
    size_t i = skip_sep(s, 0, n);
    return match_ci(s, i, n, "not applicable") || match_ci(s, i, n, "none") ||
           match_ci(s, i, n, "omitted") || match_ci(s, i, n, "not required");
}

/* Ends in a page reference after some title text: "Risk Factors 12",
 * "Risk Factors | 27-36", "Risk Factors.......8", "Financial Statements F-1". */
static bool ends_in_page(const char *s, size_t from, size_t n) {
    while (n > from && s[n - 1] == ' ') n--;
    size_t e = n, b = n;
    while (b > from && (isdigit((unsigned char)s[b - 1]) || s[b - 1] == '-' ||
                        strchr("ivxIVX", s[b - 1])))
        b--;
    if (b > from && (s[b - 1] == 'F' || s[b - 1] == 'f') && b + 1 < e && s[b] == '-') b--;
    if (b == e || e - b > 9) return false;
    bool digit = false;
    for (size_t i = b; i < e; i++) digit |= isdigit((unsigned char)s[i]) != 0;
    if (!digit && e - b > 5) return false;
    if (b == from || !strchr(" |.\t", s[b - 1])) return false;
    /* there must be words between the title start and the page number */
    for (size_t i = from; i < b; i++)
        if (isalpha((unsigned char)s[i])) return true;
    return false;
}

/* After "Risk Factors": does the text go on as a reference does?
 * 'Item 1A: Risk Factors" and in Exhibit 99.1', 'Item 1A. Risk Factors—Climate
 * change …' (a sub-heading named inside a sentence), '… Risk Factors, of this'. */
static bool refers_on(const char *r, size_t n) {
    const char *f = loc_find_ci(r, n, "factor");
    size_t e = (size_t)(f - r) + 6;
    if (e < n && lc(r[e]) == 's') e++;
    e = skip_sp(r, e, n);
    if (e >= n) return false;
    char c = r[e];
    if (c == '"' || c == ')' || c == ',' || c == ';') return true;
    size_t d = dash_len(r, e, n);
    if (d || c == '-') {
        size_t t = skip_sp(r, e + (d ? d : 1), n);
        return t < n && !says_not_applicable(r + t, n - t) && n - t > 20;
    }
    static const char *words[] = {"and ", "of ", "in ", "for ", "included", "section", "above",
                                  "below", "herein", "contained", "under ", "beginning", NULL};
    for (int k = 0; words[k]; k++)
        if (match_ci(r, e, n, words[k]) && islower((unsigned char)c)) return true;
    return false;
}

/* Parses "Item 1A", "PART II, ITEM 1A", "Item 3.D", "1A." at the start of s.
 * Returns the offset where the title starts, or 0 when s is not an item label. */
static size_t parse_item(const char *s, size_t n, int *key, int *sub, bool *bare) {
    size_t i = skip_sp(s, 0, n);
    *bare = false;
    size_t k = match_ci(s, i, n, "part");
    if (k && i + k < n && s[i + k] == ' ') {
        size_t j = skip_sp(s, i + k, n), r = j;
        while (r < n && strchr("ivxIVX", s[r])) r++;
        if (r > j && r - j <= 4) {
            size_t t = skip_sep(s, r, n);
            if (t < n && s[t] == ',') t = skip_sp(s, t + 1, n);
            if (match_ci(s, t, n, "item")) i = t;
        }
    }
    k = match_ci(s, i, n, "item");
    if (k) {
        i += k;
        if (i < n && (s[i] == 's' || s[i] == 'S')) return 0; /* "Items 1 and 2": combined, rare */
        i = skip_sp(s, i, n);
    } else {
        *bare = true;
    }
    size_t d = i;
    int num = 0;
    while (i < n && isdigit((unsigned char)s[i]) && i - d < 2) num = num * 10 + (s[i++] - '0');
    if (i == d || num == 0 || num > 20 || (i < n && isdigit((unsigned char)s[i]))) return 0;
    int letter = 0;
    *sub = 0;
    if (i < n && strchr("abcdABCD", s[i]) && (i + 1 == n || !isalpha((unsigned char)s[i + 1]))) {
        letter = lc(s[i]) - 'a' + 1;
        i++;
    } else if (i + 2 < n && s[i] == '(' && strchr("abcdABCD", s[i + 1]) && s[i + 2] == ')') {
        letter = lc(s[i + 1]) - 'a' + 1; /* "Item 1(a)" */
        i += 3;
    } else if (i + 1 < n && s[i] == '.') {
        /* 20-F "Item 3.D" / "Item 3. D." */
        size_t j = skip_sp(s, i + 1, n);
        if (j < n && strchr("abcdefghABCDEFGH", s[j]) && (j + 1 == n || !isalpha((unsigned char)s[j + 1])) &&
            (j + 1 == n || strchr(" .:-|)", s[j + 1]) || dash_len(s, j + 1, n))) {
            *sub = toupper((unsigned char)s[j]);
            i = j + 1;
        }
    }
    *key = num * 10 + letter;
    if (*bare && !(i < n && s[i] == '.')) return 0; /* "1A." needs its dot */
    /* a reference, not a label: "Item 1A, “Risk Factors”", "Item 7)" */
    if (i < n && (s[i] == ',' || s[i] == ';' || s[i] == ')' || isalnum((unsigned char)s[i]))) return 0;
    size_t t = skip_sep(s, i, n);
    if (t < n && islower((unsigned char)s[t])) return 0; /* "Item 1A of this report" */
    if (t < n && (s[t] == '"' || s[t] == '(' || s[t] == ',')) {
        /* 'Item 1A "Risk Factors" of …' reads as a reference unless it is short */
        if (n > 40) return 0;
    }
    return t ? t : n; /* never 0 for a match: the label takes at least "1." */
}

static bool equals_caption(const char *s, size_t n, const char *cap) {
    while (n && strchr(" .:", s[n - 1])) n--;
    return strlen(cap) == n && strncasecmp(s, cap, n) == 0;
}

/* Top-level captions that end a prospectus-style "Risk Factors" section.
 * Single words must match exactly: "Cybersecurity Risks" is a risk group. */
static bool top_caption(const char *s, size_t n) {
    static const char *exact[] = {"use of proceeds", "capitalization", "dilution", "business",
                                  "our business", "properties", "legal proceedings",
                                  "cybersecurity", "dividend policy", "the offering",
                                  "prospectus summary", "summary", "experts", "legal matters",
                                  "unresolved staff comments", "plan of distribution", NULL};
    static const char *prefix[] = {"cautionary note", "cautionary statement",
                                   "special note regarding forward", "note regarding forward",
                                   "forward-looking statements", "forward looking statements",
                                   "information regarding forward", "management's discussion and",
                                   "selected financial data", "quantitative and qualitative disclosure",
                                   "market for the registrant", "market for registrant",
                                   "description of capital stock", "where you can find", NULL};
    for (int k = 0; exact[k]; k++)
        if (equals_caption(s, n, exact[k])) return true;
    for (int k = 0; prefix[k]; k++)
        if (match_ci(s, 0, n, prefix[k])) return true;
    return false;
}

/* "risk factors" or "risk factor", as the text spells it. */
static const char *risk_caption(const char *s, size_t n) {
    while (n && strchr(" .:", s[n - 1])) n--;
    return n && lc(s[n - 1]) == 's' ? "risk factors" : "risk factor";
}

/* 20-F sub-item: "D. Risk Factors", "3.D Risk Factors", "3D. Risk Factor". */
static size_t parse_d_caption(const char *s, size_t n) {
    size_t i = skip_sp(s, 0, n);
    if (i < n && s[i] == '3') {
        i++;
        if (i < n && s[i] == '.') i++;
        i = skip_sp(s, i, n);
    }
    if (!(i < n && (s[i] == 'D' || s[i] == 'd'))) return 0;
    i++;
    if (i < n && isalpha((unsigned char)s[i])) return 0;
    size_t t = skip_sep(s, i, n);
    if (t == i) return 0;
    return loc_starts_risk_factors(s + t, n - t) ? t : 0;
}

bool loc_read_head(const rfx_block *b, loc_head *h) {
    memset(h, 0, sizeof *h);
    if (b->flags & (RFX_B_HIDDEN | RFX_B_PAGENUM)) return false;
    /* Running headers are small print; a 14pt+ "header" is a heading the
     * repeat detector caught because a header repeats its words (MA 2023:
     * 18pt "Item 1A. Risk factors" under the 8pt "ITEM 1A. RISK FACTORS"). */
    if ((b->flags & RFX_B_PAGEHDR) && !(b->level || b->font_size >= 140)) return false;
    const char *s = b->t.s;
    size_t n = b->t.len;
    while (n && s[n - 1] == ' ') n--;
    if (n == 0) return false;
    bool toc = (b->flags & (RFX_B_TOC | RFX_B_LINKED)) != 0;
    size_t lead = (b->flags & RFX_B_PARTBOLD) && b->lead_len && b->lead_len < n ? b->lead_len : 0;

    int key = 0, sub = 0;
    bool bare = false;
    size_t t = parse_item(s, n, &key, &sub, &bare);
    if (t) {
        size_t rest = n - (t < n ? t : n);
        const char *r = s + (t < n ? t : n);
        size_t std = standard_title(r, 0, rest);
        if (bare && (!std || n > 80)) return false; /* "2. We may…": a numbered risk, not an item */
        bool shortb = n <= HEAD_MAX;
        if (!shortb && !(lead && lead <= HEAD_MAX) && !std) return false;
        if (loc_starts_risk_factors(r, rest) && refers_on(r, rest)) return false;
        h->kind = H_ITEM;
        h->key = key;
        h->standard = std != 0;
        h->risk_title = loc_starts_risk_factors(r, rest);
        h->title_open = rest == 0 || risk_prefix(r, rest);
        h->tocish = toc || ends_in_page(s, t < n ? t : n, n);
        if (key == 30 && sub == 'D') h->kind = H_D;
        h->form20f = match_ci(r, 0, rest, "key information") ||
                     match_ci(r, 0, rest, "information on the company") ||
                     match_ci(r, 0, rest, "operating and financial review");
        if (std && rest > std) {
            size_t after = std;
            while (after < rest && strchr(" .:", r[after])) after++;
            if (says_not_applicable(r + after, rest - after)) h->not_applicable = true;
            else if (!shortb || rest - after > 40) h->head_len = (size_t)(r - s) + std;
        }
        if (lead && !h->head_len && !shortb) h->head_len = lead;
        if (h->head_len && h->risk_title) {
            /* end after "Factor(s)": flattened text glues the next word on
             * ("RISK FACTORSIn the normal course") */
            const char *f = loc_find_ci(r, rest, "factor");
            size_t e = (size_t)(f - s) + 6;
            if (e < n && lc(s[e]) == 's') e++;
            h->head_len = e;
        }
        return true;
    }
    size_t d = parse_d_caption(s, n);
    if (d && (n <= 80 || (lead && lead <= 80))) {
        h->kind = H_D;
        h->tocish = toc || ends_in_page(s, d, n);
        if (n > 80) h->head_len = lead;
        return true;
    }
    if (lead && lead <= 40 && loc_starts_risk_factors(s, lead) && equals_caption(s, lead, risk_caption(s, lead))) {
        /* "RISK FACTORS. The following discussion …" in one block (GE) */
        h->kind = H_RISK;
        h->head_len = lead;
        h->tocish = toc;
        return true;
    }
    if (lead && lead <= CAPTION_MAX && top_caption(s, lead)) {
        h->kind = H_CAPTION; /* "LEGAL PROCEEDINGS. Refer to …" */
        h->head_len = lead;
        h->tocish = toc;
        return true;
    }
    if (n <= 40 && loc_starts_risk_factors(s, n)) {
        /* exactly "Risk Factors" (plus punctuation / a page number in a TOC) */
        size_t e = 4;
        while (e < n && s[e] == ' ') e++;
        while (e < n && isalpha((unsigned char)s[e])) e++;
        bool page = ends_in_page(s, 0, n);
        size_t tail = e;
        while (tail < n && strchr(" .:", s[tail])) tail++;
        if (tail == n || page) {
            h->kind = H_RISK;
            h->tocish = toc || page;
            return true;
        }
    }
    if (n <= CAPTION_MAX && !(b->flags & RFX_B_LIST)) {
        if (match_ci(s, 0, n, "factors that may affect") ||
            match_ci(s, 0, n, "additional factors that may affect") ||
            match_ci(s, 0, n, "certain factors that may affect") ||
            match_ci(s, 0, n, "factors that could affect") ||
            match_ci(s, 0, n, "risk factors that may affect")) {
            h->kind = H_FACTORS;
            h->tocish = toc || ends_in_page(s, 0, n);
            return true;
        }
        if (top_caption(s, n)) {
            h->kind = H_CAPTION;
            h->tocish = toc || ends_in_page(s, 0, n);
            return true;
        }
    }
    return false;
}
