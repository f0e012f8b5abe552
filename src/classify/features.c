/*
 * features.c — the words a classifier sees: stemmed unigrams and bigrams.
 *
 * A risk is its heading plus its body. Words are runs of ASCII letters,
 * lower-cased, stop words dropped, stemmed with Snowball English (libstemmer)
 * so "competitors", "competition" and "competitive" meet as "compet". Bigrams
 * join neighbouring kept words ("loss of customers" → "loss_custom"), so
 * stop words do not break a phrase but punctuation does. The heading is
 * counted twice: in its own space ("h:" prefix), because it states the risk in
 * a dozen words and deserves more weight, and again with the body, so a word
 * learnt from bodies still counts when it appears in a heading.
 *
 * Each feature remembers where it was first seen, so evidence can be shown
 * in the writer's own words rather than as stems.
 */
#include "classify.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

/* A general English stop list plus the modal verbs risk factors use on every
 * line, honorifics and company suffixes ("Mr. Suzuki", "Co., Ltd."): any
 * word here carries no information about the kind of risk. Sorted. */
static const char *const STOP[] = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either",
    "etc", "even", "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having",
    "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if",
    "in", "inc", "into", "is", "it", "its", "itself", "just", "ltd", "may", "me", "might", "more",
    "most", "mr", "mrs", "ms", "much", "must", "my", "myself", "neither", "no", "nor", "not", "now", "of", "off", "on",
    "once", "one", "only", "or", "other", "others", "otherwise", "ought", "our", "ours",
    "ourselves", "out", "over", "own", "per", "same", "shall", "she", "should", "so", "some",
    "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "this", "those", "through", "thus", "to", "too", "under", "until", "up",
    "upon", "us", "very", "via", "was", "we", "were", "what", "when", "where", "whether",
    "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without",
    "would", "yet", "you", "your", "yours"};

bool rfx_is_stopword(const char *w, size_t n) {
    size_t lo = 0, hi = sizeof STOP / sizeof STOP[0];
    while (lo < hi) { /* STOP is sorted */
        size_t mid = (lo + hi) / 2;
        int c = strncmp(STOP[mid], w, n);
        if (c == 0 && STOP[mid][n]) c = 1;
        if (c == 0) return true;
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return false;
}

static uint64_t fnv(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static bool fs_rehash(rfx_featset *fs, size_t nslots) {
    size_t *ns = calloc(nslots, sizeof *ns);
    if (!ns) return false;
    for (size_t i = 0; i < fs->n; i++) {
        size_t h = (size_t)fnv(fs->f[i].term) & (nslots - 1);
        while (ns[h]) h = (h + 1) & (nslots - 1);
        ns[h] = i + 1;
    }
    free(fs->slots);
    fs->slots = ns;
    fs->nslots = nslots;
    return true;
}

static void fs_add(rfx_featset *fs, const char *term, int part, size_t off, size_t len) {
    if (fs->oom) return;
    if ((fs->n + 1) * 2 > fs->nslots && !fs_rehash(fs, fs->nslots ? fs->nslots * 2 : 256)) {
        fs->oom = true;
        return;
    }
    size_t h = (size_t)fnv(term) & (fs->nslots - 1);
    while (fs->slots[h]) {
        rfx_feat *f = &fs->f[fs->slots[h] - 1];
        if (strcmp(f->term, term) == 0) {
            f->count++;
            return;
        }
        h = (h + 1) & (fs->nslots - 1);
    }
    if (fs->n == fs->cap) {
        size_t nc = fs->cap ? fs->cap * 2 : 64;
        rfx_feat *nf = realloc(fs->f, nc * sizeof *nf);
        if (!nf) { fs->oom = true; return; }
        fs->f = nf;
        fs->cap = nc;
    }
    char *t = strdup(term);
    if (!t) { fs->oom = true; return; }
    fs->f[fs->n] = (rfx_feat){t, 1, part, off, len};
    fs->slots[h] = ++fs->n;
}

void rfx_featset_free(rfx_featset *fs) {
    for (size_t i = 0; i < fs->n; i++) free(fs->f[i].term);
    free(fs->f);
    free(fs->slots);
    memset(fs, 0, sizeof *fs);
}

/* Characters that end a phrase: no bigram spans them. */
static bool breaks_phrase(unsigned char c) {
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '(' ||
           c == ')' || c == '[' || c == ']' || c == '"' || c == '\n' || c == '|';
}

#define MAX_WORD 48
/* Surface phrases longer than this are not worth showing as evidence. */
#define MAX_SURFACE 60

/* term = a [+ "_" + b], with the "h:" mark when heading; snprintf was a
 * measurable share of a parse here (features are built for every risk). */
static void make_term(char *term, bool heading, const char *a, const char *b) {
    size_t k = 0, la = strlen(a);
    if (heading) term[k++] = 'h', term[k++] = ':';
    memcpy(term + k, a, la);
    k += la;
    if (b) {
        size_t lb = strlen(b);
        term[k++] = '_';
        memcpy(term + k, b, lb);
        k += lb;
    }
    term[k] = 0;
}

static void scan(rfx_featset *fs, struct sb_stemmer *st, const char *s, int part, bool heading) {
    char prev[MAX_WORD + 4] = "";
    size_t prev_off = 0;
    bool have_prev = false;
    size_t i = 0, n = strlen(s);
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        bool alpha = (c | 32) >= 'a' && (c | 32) <= 'z';
        if (!alpha) {
            if (breaks_phrase(c)) have_prev = false;
            if (c >= '0' && c <= '9') { /* skip the whole alphanumeric token */
                while (i < n && ((s[i] >= '0' && s[i] <= '9') || ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z'))) i++;
                continue;
            }
            i++;
            continue;
        }
        size_t b = i;
        while (i < n && (((unsigned char)s[i] | 32) >= 'a' && ((unsigned char)s[i] | 32) <= 'z')) i++;
        size_t wl = i - b;
        if (i < n && s[i] >= '0' && s[i] <= '9') { /* "Q4", "10K": not a word */
            while (i < n && ((s[i] >= '0' && s[i] <= '9') || ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z'))) i++;
            continue;
        }
        if (wl < 2 || wl > MAX_WORD) continue;
        char low[MAX_WORD + 1];
        for (size_t k = 0; k < wl; k++) low[k] = (char)(s[b + k] | 32);
        low[wl] = 0;
        if (rfx_is_stopword(low, wl)) continue;
        const sb_symbol *stem = sb_stemmer_stem(st, (const sb_symbol *)low, (int)wl);
        int sl = stem ? sb_stemmer_length(st) : 0;
        char w[MAX_WORD + 4];
        if (sl <= 0 || sl > MAX_WORD) { memcpy(w, low, wl + 1); }
        else { memcpy(w, stem, (size_t)sl); w[sl] = 0; }
        char term[2 * MAX_WORD + 16]; /* "h:" + two words of <= MAX_WORD + "_" */
        make_term(term, false, w, NULL);
        fs_add(fs, term, part, b, wl);
        if (heading) {
            make_term(term, true, w, NULL);
            fs_add(fs, term, part, b, wl);
        }
        if (have_prev) {
            size_t sp = i - prev_off;
            make_term(term, false, prev, w);
            fs_add(fs, term, part, prev_off, sp <= MAX_SURFACE ? sp : 0);
            if (heading) {
                make_term(term, true, prev, w);
                fs_add(fs, term, part, prev_off, sp <= MAX_SURFACE ? sp : 0);
            }
        }
        memcpy(prev, w, strlen(w) + 1);
        prev_off = b;
        have_prev = true;
    }
}

bool rfx_features(const char *heading, const char *body, struct sb_stemmer *st, rfx_featset *out) {
    memset(out, 0, sizeof *out);
    struct sb_stemmer *own = NULL;
    if (!st) {
        own = st = sb_stemmer_new("english", NULL);
        if (!st) return false;
    }
    if (heading) scan(out, st, heading, 0, true);
    if (body) scan(out, st, body, 1, false);
    if (own) sb_stemmer_delete(own);
    if (out->oom) {
        rfx_featset_free(out);
        return false;
    }
    return true;
}
