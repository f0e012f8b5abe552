/*
 * entities.c — named things: companies, regulators, laws, defined terms
 * and people, deduplicated across the document.
 *
 * One linear pass over tokens. Capitalised words (with the connectors "of",
 * "and", "the", "&"… between them) form runs; a run becomes an entity when
 *  - it ends in a corporate suffix (Corporation, Inc., Limited, LLC, Co.,
 *    Ltd., Group, …) → org;
 *  - it ends in Act / Law / Code / Directive / Ordinance → law;
 *  - it ends in Commission / Agency / Authority / Bureau / Administration, or
 *    starts with "Ministry of" / "Department of" / "Office of" → regulator;
 *  - it is followed by a definition `("Alias")` → the kind by the rules
 *    above, else a known regulator acronym → regulator, else term.
 * Runs lose leading function words ("The", "If", "such as" never joins:
 * lower-case words end a run), so `such as NTT Communications Corporation
 * ("NTT Communications")` gives "NTT Communications Corporation" while
 * `Nippon Telegraph and Telephone East Corporation` keeps its inner "and".
 * Lower-case defined terms are found by their acronym: `automated teller
 * machines ("ATMs")`; and `SMEs (Small and Medium Enterprises)` reads the
 * other way round. A title (Mr., Ms., Mrs., Dr., Prof., Miss) followed by
 * capitalised words is a person; "Mr. Suzuki" after "Mr. Koichi Suzuki" is
 * the same person (same surname), and a later full name upgrades an earlier
 * surname-only mention.
 *
 * start/end of an entity are the source offsets of its name at its first
 * mention.
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { T_CAP = 1, T_LOW, T_NUM, T_PUNCT };

typedef struct tok {
    uint32_t b, e;
    uint8_t kind;
} tok;

/* ---------------- the document-wide table ---------------- */

typedef struct slot {
    uint64_t h;
    size_t idx; /* entity index + 1; 0 = empty */
} slot;

typedef struct pending {
    const char *acro;
    uint32_t start, end;
    bool seen;
} pending;

static const char *const known_regulators[] = {
    "SEC", "FTC", "FCC", "MIC", "METI", "FSA", "JFTC", "PCAOB", "FINRA", "CFTC", "EPA", "DOJ",
    "IRS", "FCA", "OFAC", "CMA", "FDA", "FERC", "OCC", "FDIC", "CFPB", "MOF", "BIS", "NLRB",
    "FAA", "NHTSA", "DEA", NULL};

struct xents {
    rfx_register *r;
    slot *names, *aliases, *surnames; /* open addressing, capacity cap */
    size_t cap, used;
    pending acr[32];
    bool oom;
};

static uint64_t hash_ci(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint64_t)x_lower((unsigned char)s[i])) * 1099511628211ull;
    return h | 1;
}

static bool eq_ci(const char *a, const char *b, size_t n) {
    if (strlen(a) != n) return false;
    for (size_t i = 0; i < n; i++)
        if (x_lower((unsigned char)a[i]) != x_lower((unsigned char)b[i])) return false;
    return true;
}

static const char *ent_key(const rfx_entity *e, int which) {
    if (which == 1) return e->alias;
    if (which == 2) {
        const char *sp = e->name ? strrchr(e->name, ' ') : NULL;
        return sp ? sp + 1 : e->name;
    }
    return e->name;
}

static slot *table(xents *E, int which) {
    return which == 0 ? E->names : which == 1 ? E->aliases : E->surnames;
}

/* Index+1 of the entity whose key (name, alias or surname) is s[0,n), or 0. */
static size_t lookup(xents *E, int which, const char *s, size_t n) {
    if (!E->cap) return 0;
    slot *t = table(E, which);
    uint64_t h = hash_ci(s, n);
    for (size_t i = h & (E->cap - 1);; i = (i + 1) & (E->cap - 1)) {
        if (!t[i].idx) return 0;
        if (t[i].h == h) {
            const rfx_entity *e = &E->r->entities[t[i].idx - 1];
            const char *k = ent_key(e, which);
            if (k && eq_ci(k, s, n) && (which != 2 || e->kind == RFX_E_PERSON)) return t[i].idx;
        }
    }
}

static void put(slot *t, size_t cap, uint64_t h, size_t idx) {
    size_t i = h & (cap - 1);
    while (t[i].idx) i = (i + 1) & (cap - 1);
    t[i].h = h;
    t[i].idx = idx;
}

static void index_entity(xents *E, size_t idx);

static bool grow(xents *E) {
    size_t nc = E->cap ? E->cap * 2 : 64;
    slot *a = calloc(nc, sizeof *a), *b = calloc(nc, sizeof *b), *c = calloc(nc, sizeof *c);
    if (!a || !b || !c) {
        free(a); free(b); free(c);
        E->oom = true;
        return false;
    }
    free(E->names); free(E->aliases); free(E->surnames);
    E->names = a; E->aliases = b; E->surnames = c;
    E->cap = nc;
    for (size_t i = 0; i < E->r->nentities; i++) index_entity(E, i + 1);
    return true;
}

static void index_entity(xents *E, size_t idx) {
    const rfx_entity *e = &E->r->entities[idx - 1];
    for (int w = 0; w < 3; w++) {
        if (w == 2 && e->kind != RFX_E_PERSON) continue;
        const char *k = ent_key(e, w);
        if (k) put(table(E, w), E->cap, hash_ci(k, strlen(k)), idx);
    }
}

/* Adds an entity unless one with that name exists; returns its index+1. */
static size_t add(xents *E, const rfx_text *t, size_t b, size_t e, int kind, const char *alias,
                  const char *title) {
    const char *s = t->s;
    if (e <= b || e - b > 200 || E->oom) return 0;
    size_t idx = lookup(E, 0, s + b, e - b);
    if (!idx && kind != RFX_E_PERSON) idx = lookup(E, 1, s + b, e - b); /* "NTT" named again */
    if (idx) {
        rfx_entity *x = &E->r->entities[idx - 1];
        if (alias && !x->alias) {
            x->alias = rfx_arena_strdup(E->r->arena, alias);
            if ((E->used + 1) * 2 > E->cap) grow(E);
            if (!E->oom) put(E->aliases, E->cap, hash_ci(alias, strlen(alias)), idx);
        }
        if (x->kind == RFX_E_TERM && kind != RFX_E_TERM) x->kind = kind;
        return idx;
    }
    if ((E->used + 1) * 2 > E->cap && !grow(E)) return 0;
    rfx_entity *x = rfx_reg_add_entity(E->r);
    if (!x) { E->oom = true; return 0; }
    x->name = rfx_arena_strndup(E->r->arena, s + b, e - b);
    x->alias = alias ? rfx_arena_strdup(E->r->arena, alias) : NULL;
    x->kind = kind;
    x->title = title;
    x->start = rfx_text_start(t, b);
    x->end = rfx_text_end(t, e);
    E->used++;
    idx = E->r->nentities;
    index_entity(E, idx);
    return idx;
}

xents *x_ents_new(rfx_register *r) {
    xents *E = calloc(1, sizeof *E);
    if (!E) return NULL;
    E->r = r;
    for (int k = 0; known_regulators[k] && k < 32; k++) E->acr[k].acro = known_regulators[k];
    /* entities already present (a second call) stay deduplicated */
    if (r->nentities && grow(E)) E->used = r->nentities;
    return E;
}

void x_ents_finish(xents *E) {
    if (!E) return;
    for (int k = 0; k < 32 && E->acr[k].acro; k++) {
        pending *p = &E->acr[k];
        if (!p->seen || E->oom) continue;
        size_t n = strlen(p->acro);
        if (lookup(E, 1, p->acro, n) || lookup(E, 0, p->acro, n)) continue;
        rfx_entity *x = rfx_reg_add_entity(E->r);
        if (!x) break;
        x->name = p->acro;
        x->kind = RFX_E_REGULATOR;
        x->start = p->start;
        x->end = p->end;
    }
    free(E->names);
    free(E->aliases);
    free(E->surnames);
    free(E);
}

/* ---------------- word classes ---------------- */

static bool tok_is(const char *s, const tok *t, const char *const *list) {
    for (int k = 0; list[k]; k++)
        if (s[t->b] == list[k][0] && t->e - t->b == strlen(list[k]) &&
            memcmp(s + t->b, list[k], t->e - t->b) == 0)
            return true;
    return false;
}

static const char *const corp_suffix[] = {
    "Corporation", "Corp.", "Corp", "Inc.", "Inc", "Incorporated", "Limited", "Ltd.", "Ltd",
    "LLC", "L.L.C.", "LLP", "L.P.", "LP", "plc", "PLC", "Co.", "Company", "GmbH", "AG", "S.A.",
    "N.V.", "B.V.", "K.K.", "S.p.A.", "Group", "Holdings", "CORPORATION", "INC.", "LIMITED",
    "LTD.", NULL};
static const char *const law_words[] = {"Act", "Law", "Code", "Directive", "Ordinance", NULL};
static const char *const reg_tail[] = {"Commission", "Agency", "Authority", "Bureau",
                                       "Administration", NULL};
static const char *const reg_head[] = {"Ministry", "Department", "Office", NULL};
static const char *const connectors[] = {"of", "and", "the", "for", "&", "de", "du", "des", "la",
                                         "le", "y", "von", "van", "der", "on", NULL};
static const char *const lead_words[] = {
    "The", "A", "An", "If", "In", "For", "As", "At", "On", "By", "With", "Even", "Although",
    "While", "When", "Since", "Because", "Our", "We", "Its", "Their", "This", "That", "These",
    "Those", "Such", "Any", "All", "Each", "Both", "Under", "Through", "Also", "However",
    "Furthermore", "Moreover", "Additionally", "Including", "Related", "Pursuant", "From", "To",
    "And", "Or", "But", "Should", "Unless", "After", "Before", "During", "Following", "Upon",
    "Many", "Some", "Most", "Other", "Certain", "Currently", "Recently", "Generally", "Similarly",
    "Accordingly", "Therefore", "Thus", "Further", "Whether", "Where", "There", "It", "He", "She",
    "They", "You", "Your", "His", "Her", "No", "Not", "Only", "Like", "Unlike", "Among", "Between",
    "Against", "Via", "Per", "Although", "Whereas", "Nor", "Than", "of", "and", "the", "for", "&",
    "on", NULL};
static const char *const titles[] = {"Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Miss", NULL};

/* "Telephone": a capital then lower-case letters only. */
static bool title_case(const char *s, const tok *t) {
    if (!x_isupper((unsigned char)s[t->b]) || t->e - t->b < 2) return false;
    for (uint32_t i = t->b + 1; i < t->e; i++)
        if (!x_islower((unsigned char)s[i])) return false;
    return true;
}

/* "tld." for "Ltd.": a short dotted token one transposition or substitution
 * away from a corporate suffix. Only used right before a definition. */
static bool fuzzy_suffix(const char *s, const tok *t) {
    static const char *const sx[] = {"ltd.", "inc.", "co.", "corp.", NULL};
    size_t n = t->e - t->b;
    if (n < 3 || n > 5 || s[t->e - 1] != '.') return false;
    for (int k = 0; sx[k]; k++) {
        size_t m = strlen(sx[k]);
        if (m != n) continue;
        int diff = 0, first = -1, second = -1;
        for (size_t i = 0; i < n; i++)
            if (x_lower((unsigned char)s[t->b + i]) != sx[k][i]) {
                if (first < 0) first = (int)i; else second = (int)i;
                diff++;
            }
        if (diff == 1) return true;
        if (diff == 2 && second == first + 1 && x_lower((unsigned char)s[t->b + first]) == sx[k][second] &&
            x_lower((unsigned char)s[t->b + second]) == sx[k][first])
            return true;
    }
    return false;
}

/* ---------------- tokens ---------------- */

static bool abbrev_dot(const char *s, size_t b, size_t e, size_t n) {
    static const char *const ab[] = {"Inc", "Ltd", "Co", "Corp", "Mr", "Mrs", "Ms", "Dr", "Prof",
                                     "Jr", "Sr", "St", "No", "Messrs", "INC", "LTD", "CO", "CORP",
                                     NULL};
    if (e - b == 1) return true;
    for (int k = 0; ab[k]; k++)
        if (e - b == strlen(ab[k]) && memcmp(s + b, ab[k], e - b) == 0) return true;
    if (memchr(s + b, '.', e - b)) return true; /* "U.S" + "." */
    /* a short word right before a definition: "tld. (" */
    size_t j = x_ws(s, n, e + 1, 1);
    return e - b <= 4 && j < n && s[j] == '(' && x_islower((unsigned char)s[b]);
}

static tok *tokenize(const char *s, size_t n, size_t *nt) {
    size_t cap = 256, k = 0;
    tok *v = malloc(cap * sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ') { i++; continue; }
        if (k + 1 >= cap) {
            cap *= 2;
            tok *p = realloc(v, cap * sizeof *p);
            if (!p) { free(v); return NULL; }
            v = p;
        }
        if (x_word_at(s, n, i) || c == '&') {
            size_t e = x_word_end(s, n, i);
            if (e == i) e = i + 1;
            /* dotted abbreviations: U.S., L.L.C., S.p.A. */
            while (e + 1 < n && s[e] == '.' && x_isalpha((unsigned char)s[e + 1]) && e - i <= 8) {
                size_t f = e + 1;
                while (f < n && x_isalpha((unsigned char)s[f])) f++;
                if (f - e - 1 > 3) break;
                e = f;
            }
            if (e < n && s[e] == '.' && abbrev_dot(s, i, e, n)) e++;
            uint8_t kind = T_LOW;
            if (x_isdigit(c)) {
                kind = T_NUM;
                for (size_t q = i; q < e; q++)
                    if (x_isupper((unsigned char)s[q])) { kind = T_CAP; break; }
            } else if (x_isupper(c) || c == '&') {
                kind = T_CAP;
            } else if (c >= 0x80) {
                int32_t cp;
                rfx_utf8_decode((const unsigned char *)s + i, n - i, &cp);
                kind = utf8proc_category(cp) == UTF8PROC_CATEGORY_LU ? T_CAP : T_LOW;
            }
            v[k++] = (tok){(uint32_t)i, (uint32_t)e, kind};
            i = e;
        } else {
            size_t e = i + 1;
            if (c >= 0x80) {
                int32_t cp;
                e = i + (size_t)rfx_utf8_decode((const unsigned char *)s + i, n - i, &cp);
            }
            v[k++] = (tok){(uint32_t)i, (uint32_t)e, T_PUNCT};
            i = e;
        }
    }
    *nt = k;
    return v;
}

/* ---------------- the scan ---------------- */

typedef struct scan {
    xents *E;
    const rfx_text *t;
    const char *s;
    size_t n;
    tok *v;
    size_t nt;
} scan;

static bool is_punct(const scan *S, size_t k, char c) {
    return k < S->nt && S->v[k].kind == T_PUNCT && S->s[S->v[k].b] == c && S->v[k].e == S->v[k].b + 1;
}

static bool is_suffix_tok(const scan *S, size_t k) {
    return k < S->nt && tok_is(S->s, &S->v[k], corp_suffix);
}

static int classify(const scan *S, size_t a, size_t z, const char *alias) {
    static const char *const reg_any[] = {"Commission", "Agency", "Authority", "Bureau",
                                          "Administration", "Board", "Ministry", NULL};
    static const char *const org_tail[] = {"Exchange", "Bank", "University", NULL};
    const tok *v = S->v;
    if (tok_is(S->s, &v[z], corp_suffix) || fuzzy_suffix(S->s, &v[z])) return RFX_E_ORG;
    if (tok_is(S->s, &v[z], law_words) && a < z) return RFX_E_LAW;
    if (tok_is(S->s, &v[a], law_words) && a < z) return RFX_E_LAW; /* "Act on the Protection of ..." */
    if (tok_is(S->s, &v[a], reg_head) && a < z) return RFX_E_REGULATOR;
    /* "Competition Commission of India", "National Labor Relations Board" */
    for (size_t k = a + 1; k <= z; k++)
        if (tok_is(S->s, &v[k], reg_any)) return RFX_E_REGULATOR;
    if (alias)
        for (int k = 0; known_regulators[k]; k++)
            if (!strcmp(alias, known_regulators[k])) return RFX_E_REGULATOR;
    if (tok_is(S->s, &v[z], org_tail) && a < z) return RFX_E_ORG;
    return RFX_E_TERM;
}

/* Drops leading function words and connectors, trailing connectors;
 * returns false when nothing is left. */
static bool trim(const scan *S, size_t *a, size_t *z) {
    while (*a <= *z && (tok_is(S->s, &S->v[*a], lead_words) || S->v[*a].kind == T_PUNCT)) (*a)++;
    while (*z > *a && (tok_is(S->s, &S->v[*z], connectors) || S->v[*z].kind == T_PUNCT)) (*z)--;
    return *a <= *z && S->v[*a].kind == T_CAP;
}

/* Counts the capitalised (non-connector) words of [a, z]. */
static size_t name_words(const scan *S, size_t a, size_t z) {
    size_t w = 0;
    for (size_t k = a; k <= z; k++) w += S->v[k].kind == T_CAP;
    return w;
}

/* Initials of the capitalised words in [a, z] equal the acronym's capitals? */
static bool initials_match(const scan *S, size_t a, size_t z, const char *acro, size_t an) {
    size_t j = 0;
    for (size_t k = a; k <= z; k++) {
        if (S->v[k].kind != T_CAP) continue;
        while (j < an && !x_isupper((unsigned char)acro[j])) j++;
        if (j >= an || S->s[S->v[k].b] != acro[j]) return false;
        j++;
    }
    while (j < an && !x_isupper((unsigned char)acro[j])) j++;
    return j == an;
}

/* Where a name defined by an acronym starts within [a, z]: the whole span
 * when its initials spell the acronym, else the shortest tail that does
 * ("the United States Internal Revenue Service (IRS)" → "Internal Revenue
 * Service"), else a. */
static size_t acronym_start(const scan *S, size_t a, size_t z, const char *alias) {
    size_t an = strlen(alias);
    if (name_words(S, a, z) <= 1 || initials_match(S, a, z, alias, an)) return a;
    for (size_t q = a + 1; q <= z; q++)
        if (S->v[q].kind == T_CAP && initials_match(S, q, z, alias, an)) return q;
    return a;
}

/* Reads a definition at token k == '(': ("Alias"), (the "Alias"),
 * (collectively, "Alias"). Sets the alias span and returns the index of
 * the closing ')' or 0. */
static size_t definition(const scan *S, size_t k, size_t *ab, size_t *ae) {
    size_t q = k + 1;
    const tok *v = S->v;
    for (int skip = 0; skip < 3 && q < S->nt && v[q].kind != T_PUNCT; skip++) {
        if (x_eq(S->s, v[q].b, v[q].e, "the") || x_eq(S->s, v[q].b, v[q].e, "collectively") ||
            x_eq(S->s, v[q].b, v[q].e, "together") || x_eq(S->s, v[q].b, v[q].e, "hereinafter"))
            q++;
        else break;
        if (is_punct(S, q, ',')) q++;
    }
    if (!is_punct(S, q, '"')) return 0;
    size_t open = q++;
    while (q < S->nt && q - open < 12 && !is_punct(S, q, '"') && !is_punct(S, q, '(') && !is_punct(S, q, ')')) q++;
    if (!is_punct(S, q, '"') || q == open + 1) return 0;
    *ab = v[open + 1].b;
    *ae = v[q - 1].e;
    if (*ae - *ab > 60) return 0;
    size_t close = q + 1;
    /* (“A” or “B”), ("A", "B"): skip to ')' within a few tokens */
    for (size_t lim = close + 12; close < S->nt && close < lim && !is_punct(S, close, ')'); close++)
        if (is_punct(S, close, '(')) return 0;
    return is_punct(S, close, ')') ? close : 0;
}

/* A lower-case term spelled by its acronym: "automated teller machines". */
static bool acronym_words(const scan *S, size_t k, const char *acro, size_t an, size_t *a) {
    char letters[12];
    size_t nl = 0;
    for (size_t j = 0; j < an && nl < sizeof letters; j++)
        if (x_isupper((unsigned char)acro[j])) letters[nl++] = (char)x_lower((unsigned char)acro[j]);
    if (nl < 2 || nl > 8 || k < nl) return false;
    for (size_t j = 0; j < nl; j++) {
        const tok *t = &S->v[k - nl + j];
        if (t->kind != T_LOW && t->kind != T_CAP) return false;
        if (x_lower((unsigned char)S->s[t->b]) != letters[j]) return false;
    }
    *a = k - nl;
    return true;
}

static char *alias_dup(const scan *S, size_t b, size_t e) {
    return rfx_arena_strndup(S->E->r->arena, S->s + b, e - b);
}

/* A person after a title at token k; returns the next token to look at. */
static size_t person(scan *S, size_t k) {
    size_t a = k + 1, z = a;
    while (z < S->nt && z - a < 4 && S->v[z].kind == T_CAP && !tok_is(S->s, &S->v[z], lead_words) &&
           !tok_is(S->s, &S->v[z], corp_suffix))
        z++;
    if (z == a) return k + 1;
    size_t b = S->v[a].b, e = S->v[z - 1].e;
    /* a name never ends in a dot unless it is an initial */
    if (S->s[e - 1] == '.' && e - S->v[z - 1].b > 2) e--;
    char *title = rfx_arena_strndup(S->E->r->arena, S->s + S->v[k].b, S->v[k].e - S->v[k].b);
    const char *sur = S->s + S->v[z - 1].b;
    size_t surn = S->v[z - 1].e - S->v[z - 1].b;
    if (sur[surn - 1] == '.') surn--;
    size_t idx = lookup(S->E, 2, sur, surn);
    if (idx) {
        rfx_entity *x = &S->E->r->entities[idx - 1];
        /* a fuller name for the same person replaces "Mr. Suzuki" */
        if (z - a > 1 && !strchr(x->name, ' ')) {
            x->name = rfx_arena_strndup(S->E->r->arena, S->s + b, e - b);
            x->start = rfx_text_start(S->t, b);
            x->end = rfx_text_end(S->t, e);
        }
        return z;
    }
    add(S->E, S->t, b, e, RFX_E_PERSON, NULL, title);
    return z;
}

/* A connector joins a name when a capitalised word follows (through at
 * most two more connectors: "Bank of the Ryukyus"). "and" is pickier: it
 * joins two Title-case words ("Telegraph and Telephone") but not two names
 * ("IIJ-Global and IIJ Technology Inc." is two companies). */
static bool connector_joins(const scan *S, size_t k) {
    const tok *v = S->v;
    size_t q = k + 1;
    while (q < S->nt && q < k + 3 && tok_is(S->s, &v[q], connectors) && v[q].kind == T_LOW) q++;
    if (q >= S->nt || v[q].kind != T_CAP) return false;
    if (x_eq(S->s, v[k].b, v[k].e, "and")) {
        /* "Ireland and the Online Safety Act" is two things */
        if (q != k + 1 || !title_case(S->s, &v[k - 1]) || !title_case(S->s, &v[q])) return false;
    }
    return true;
}

/* "Chief Executive Officer of Space Exploration Technologies Corp.", "Spin-Off
 * of Kyndryl Holdings, Inc.": a role or event before the last "of" is not
 * part of the company's name. */
static size_t after_role(const scan *S, size_t a, size_t z) {
    static const char *const roles[] = {"Officer", "Chairman", "President", "Director", "Founder",
                                        "Member", "Spin-Off", "Acquisition", "Subsidiary",
                                        "Division", "Shareholder", "Shareholders", "Chief", "Head",
                                        "Partner", "Affiliate", "Affiliates", "Separation", NULL};
    size_t of = 0;
    for (size_t k = a + 1; k < z; k++)
        if (S->v[k].kind == T_LOW && x_eq(S->s, S->v[k].b, S->v[k].e, "of")) of = k;
    if (!of || of + 1 >= z) return a;
    for (size_t k = a; k < of; k++)
        if (tok_is(S->s, &S->v[k], roles)) return of + 1;
    return a;
}

/* The definitions that start at a '(' at token k; returns the last token
 * consumed. [last_a, last_z] is the name-like span closed latest. */
static size_t paren(scan *S, size_t k, size_t last_a, size_t last_z, bool have_last) {
    xents *E = S->E;
    const rfx_text *t = S->t;
    const char *s = S->s;
    const tok *v = S->v;
    size_t ab, ae, close = definition(S, k, &ab, &ae);
    if (close) {
        char *alias = alias_dup(S, ab, ae);
        size_t a = 0;
        /* the name must end right before "(" (or one OCR-mangled suffix before it) */
        bool adjacent = have_last && (last_z + 1 == k || (last_z + 2 == k && fuzzy_suffix(s, &v[k - 1])));
        if (adjacent) {
            size_t z = last_z + 1 == k ? last_z : k - 1;
            /* "IIJ-Global Wide Area Network ("WAN")": trim to the acronym */
            a = acronym_start(S, last_a, z, alias);
            /* (the "Report") after "Report": a name defined as itself adds nothing */
            if (!x_eq(s, v[a].b, v[z].e, alias))
                add(E, t, v[a].b, v[z].e, classify(S, a, z, alias), alias, NULL);
        } else if (acronym_words(S, k, alias, strlen(alias), &a)) {
            add(E, t, v[a].b, v[k - 1].e, classify(S, a, k - 1, alias), alias, NULL);
        }
        return close;
    }
    /* SMEs (Small and Medium Enterprises) / Wide Area Network (WAN) */
    size_t z = k + 1;
    while (z < S->nt && z - k < 12 && v[z].kind != T_PUNCT) z++;
    if (!is_punct(S, z, ')') || z == k + 1 || k == 0) return k;
    const tok *pre = &v[k - 1];
    size_t pn = pre->e - pre->b;
    if (z == k + 2 && v[k + 1].kind == T_CAP) {
        /* (WAN): an acronym after its expansion */
        const tok *ac = &v[k + 1];
        size_t an = ac->e - ac->b, a = 0;
        if (an < 2 || an > 8) return k;
        char *alias = alias_dup(S, ac->b, ac->e);
        size_t st = have_last && last_z + 1 == k ? acronym_start(S, last_a, last_z, alias) : 0;
        if (have_last && last_z + 1 == k && name_words(S, st, last_z) >= 2 &&
            initials_match(S, st, last_z, alias, an))
            add(E, t, v[st].b, v[last_z].e, classify(S, st, last_z, alias), alias, NULL);
        else if (acronym_words(S, k, alias, an, &a))
            add(E, t, v[a].b, v[k - 1].e, classify(S, a, k - 1, alias), alias, NULL);
        return z;
    }
    if (pre->kind == T_CAP && pn >= 2 && pn <= 8 && z - k >= 3 && v[k + 1].kind == T_CAP &&
        initials_match(S, k + 1, z - 1, s + pre->b, pn)) {
        /* an acronym before its expansion */
        add(E, t, v[k + 1].b, v[z - 1].e, classify(S, k + 1, z - 1, NULL), alias_dup(S, pre->b, pre->e), NULL);
        return z;
    }
    return k;
}

void x_ents_scan(xents *E, const rfx_text *t) {
    if (!E || !t || !t->s || !t->len || E->oom) return;
    scan S = {.E = E, .t = t, .s = t->s, .n = t->len};
    S.v = tokenize(t->s, t->len, &S.nt);
    if (!S.v) { E->oom = true; return; }
    const char *s = S.s;
    const tok *v = S.v;
    size_t run = (size_t)-1;   /* first token of the open run */
    size_t last_a = 0, last_z = 0; /* the latest name-like span, tokens [a, z] */
    bool have_last = false, ministry = false;

#define CLOSE_RUN(endk)                                                                            \
    do {                                                                                           \
        if (run != (size_t)-1 && (endk) > run) {                                                   \
            size_t a_ = run, z_ = (endk) - 1;                                                      \
            if (trim(&S, &a_, &z_)) {                                                              \
                last_a = a_; last_z = z_; have_last = true;                                        \
                if (tok_is(s, &v[a_], reg_head) && a_ + 1 < z_ && x_eq(s, v[a_ + 1].b, v[a_ + 1].e, "of")) \
                    add(E, t, v[a_].b, v[z_].e, RFX_E_REGULATOR, NULL, NULL);                      \
                else if (tok_is(s, &v[a_], law_words) && a_ + 1 < z_ && v[a_ + 1].kind == T_LOW)   \
                    add(E, t, v[a_].b, v[z_].e, RFX_E_LAW, NULL, NULL);                            \
            }                                                                                      \
        }                                                                                          \
        run = (size_t)-1;                                                                          \
        ministry = false;                                                                          \
    } while (0)

    for (size_t k = 0; k < S.nt; k++) {
        const tok *w = &v[k];
        /* known regulator acronyms, remembered until the end of the document */
        if (w->kind == T_CAP && w->e - w->b <= 5) {
            for (int q = 0; q < 32 && E->acr[q].acro; q++)
                if (!E->acr[q].seen && x_kw_cs(s, S.n, w->b, E->acr[q].acro) == w->e - w->b &&
                    !x_word_before(s, w->b)) {
                    E->acr[q].seen = true;
                    E->acr[q].start = rfx_text_start(t, w->b);
                    E->acr[q].end = rfx_text_end(t, w->e);
                }
        }
        if (w->kind == T_CAP && tok_is(s, w, titles) && k + 1 < S.nt && v[k + 1].kind == T_CAP) {
            CLOSE_RUN(k);
            have_last = false;
            k = person(&S, k) - 1;
            continue;
        }
        bool joins = false;
        if (w->kind == T_CAP) {
            joins = true;
        } else if (run != (size_t)-1 && tok_is(s, w, connectors)) {
            joins = connector_joins(&S, k);
        } else if (run != (size_t)-1 && is_punct(&S, k, ',')) {
            /* "Cisco Systems, Inc.", "Ministry of Economy, Trade and Industry" */
            static const char *const no_comma[] = {"Group", "Holdings", "Company", NULL};
            joins = is_suffix_tok(&S, k + 1) && !tok_is(s, &v[k + 1], no_comma);
            if (!joins && ministry && k + 1 < S.nt && v[k + 1].kind == T_CAP) joins = true;
        }
        if (!joins) {
            CLOSE_RUN(k);
            if (is_punct(&S, k, '(')) k = paren(&S, k, last_a, last_z, have_last);
            continue;
        }
        if (run == (size_t)-1) {
            if (w->kind != T_CAP) continue; /* a run never starts with a connector */
            run = k;
            ministry = tok_is(s, w, reg_head);
        }
        /* "The Ministry of ...": the head may follow lead words */
        if (!ministry && tok_is(s, w, reg_head) && k + 1 < S.nt && x_eq(s, v[k + 1].b, v[k + 1].e, "of")) {
            bool only_lead = true;
            for (size_t q = run; q < k; q++) only_lead &= tok_is(s, &v[q], lead_words);
            if (only_lead) ministry = true;
        }
        /* an entity ends here: corporate suffix, law word, regulator tail */
        size_t z = k;
        int kind = -1;
        if (tok_is(s, w, corp_suffix) && !(is_punct(&S, k + 1, ',') && is_suffix_tok(&S, k + 2)) &&
            !is_suffix_tok(&S, k + 1) &&
            /* "Delaware General Corporation Law", "Securities and Exchange Commission" */
            !(k + 1 < S.nt && (tok_is(s, &v[k + 1], law_words) || tok_is(s, &v[k + 1], reg_tail)))) {
            /* "the Company", "Success of the Company": the filer speaking of itself */
            if (k > 0 && x_eq(s, v[k - 1].b, v[k - 1].e, "the")) {
                run = (size_t)-1;
                ministry = false;
                continue;
            }
            kind = RFX_E_ORG;
        } else if (tok_is(s, w, law_words) && !ministry) {
            kind = RFX_E_LAW;
            /* "Securities Exchange Act of 1934" */
            if (k + 2 < S.nt && x_eq(s, v[k + 1].b, v[k + 1].e, "of") && v[k + 2].kind == T_NUM &&
                v[k + 2].e - v[k + 2].b == 4)
                z = k + 2;
        } else if (tok_is(s, w, reg_tail) && !ministry &&
                   !(k + 1 < S.nt && x_eq(s, v[k + 1].b, v[k + 1].e, "of"))) {
            kind = RFX_E_REGULATOR;
        }
        if (kind < 0) continue;
        size_t a2 = run, z2 = z;
        if (!trim(&S, &a2, &z2) || a2 >= z2 || name_words(&S, a2, z2) < 2) {
            /* "Company", "Group" alone name nothing and start nothing; "Act" may
             * start a name ("Act on the Protection of Personal Information") */
            if (kind != RFX_E_LAW) {
                run = (size_t)-1;
                ministry = false;
            }
            continue;
        }
        if (kind == RFX_E_ORG) a2 = after_role(&S, a2, z2);
        add(E, t, v[a2].b, v[z2].e, kind, NULL, NULL);
        last_a = a2;
        last_z = z2;
        have_last = true;
        k = z;
        run = (size_t)-1;
        ministry = false;
    }
    CLOSE_RUN(S.nt);
#undef CLOSE_RUN
    free(S.v);
}
