/*
 * cmd_eval.c — `rfx eval [DIR] [--json]`: score locate and segment against
 * the shared filings (../shared/data/filings, or $RFX_SHARED/data/filings).
 *
 * Per filing: was the section found and how; its span (end − start) against
 * the `1A` character_count of a sibling *.expected-top-level-sections.json
 * (within 3% passes); the number of risks; for isb_capstone_item1a/ the
 * heading precision/recall against its *_headers.txt. Totals come last and
 * are the targets. Side files (expectations, headers, contents,
 * README, SOURCES, the KPI labels) are not inputs. edgar_crawler_expected/
 * JSONs are a peer's outputs: their item_1A text is parsed from memory.
 *
 * eval is a development tool, so it reads the section's offsets through the
 * internal header rather than widening the public API for them.
 *
 * Heading match rule (isb): both sides are normalised — lower case, every
 * run of non-alphanumerics a single space, trimmed — and a gold heading
 * matches a predicted one when they are equal, or when the shorter has at
 * least 6 words and is a prefix of the longer (the isb script truncated
 * some headings at a line break; some filers run the first body sentence
 * into the bold run). Matching is one-to-one, in document order. Group
 * captions are headings on both sides. HEADER_1 (title) and HEADER_2
 * (preamble) are dropped, and a heading repeated back to back is counted
 * once (see push_gold).
 */
#include "cli.h"
#include "rfx_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

static const char *help =
    "usage: rfx eval [DIR] [--json] [--quiet]\n"
    "  DIR        filings with expectations beside them (*.expected-top-level-\n"
    "             sections.json, *_headers.txt); default $RFX_SHARED/data/filings,\n"
    "             else ../shared/data/filings\n"
    "output formats:\n"
    "  (default)  one line per file, then the totals\n"
    "  --json     one JSON object: {\"schema_version\", \"files\": [...], \"totals\": {...}}\n"
    "options:\n"
    "  -q, --quiet  totals only (text mode)\n"
    "  -h, --help   this help\n"
    "Per file: section found/how, Item 1A span vs the expected count (3%),\n"
    "risks, heading precision/recall. A folder whose README.md has a table with\n"
    "'file' and 'expected' columns (forms/) is scored by its rows: exit code,\n"
    "risk count, form (and that a company is read where the row asks).\n"
    "exit codes: 0 the run completed (whatever the scores), 2 bad usage\n";

static const char *const options[] = {"--help", "--json", "--quiet", NULL};

/* 10-Ks that predate Item 1A (README.md of the filings says so). */
static const char *const negatives[] = {"MEDICIS_10-K_FY1999", "AAPL_10-K_FY2005", NULL};

typedef struct strv {
    char **v;
    size_t n, cap;
} strv;

static void strv_push(strv *s, char *x) {
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        char **p = realloc(s->v, nc * sizeof *p);
        if (!p) { free(x); return; }
        s->v = p;
        s->cap = nc;
    }
    s->v[s->n++] = x;
}

static void strv_free(strv *s) {
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static bool ends_with(const char *s, const char *suf) {
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files under dir that are filings, sorted, as paths relative to root. */
static bool has_table(const char *dir);

static void walk(const char *root, const char *rel, strv *out, strv *sets) {
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d) return;
    strv names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') strv_push(&names, strdup(e->d_name));
    closedir(d);
    qsort(names.v, names.n, sizeof *names.v, cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        const char *nm = names.v[i];
        char sub[4096], full[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", nm);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat st;
        if (stat(full, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            if (strcmp(nm, "labels_kpi_edgar") == 0) continue; /* sentence labels, not filings */
            if (has_table(full)) { /* scored by its own README rows */
                strv_push(sets, strdup(sub));
                continue;
            }
            walk(root, sub, out, sets);
            continue;
        }
        if (ends_with(nm, ".expected-top-level-sections.json") || ends_with(nm, "_headers.txt") ||
            ends_with(nm, "_contents.txt") || ends_with(nm, ".md") || ends_with(nm, ".tsv") ||
            ends_with(nm, ".csv"))
            continue;
        if (ends_with(nm, ".json") && !strstr(sub, "edgar_crawler_expected/")) continue;
        if (!(ends_with(nm, ".html") || ends_with(nm, ".htm") || ends_with(nm, ".txt") ||
              ends_with(nm, ".json")))
            continue;
        strv_push(out, strdup(sub));
    }
    strv_free(&names);
}

static char *slurp_path(const char *root, const char *rel, size_t *len) {
    char full[8192];
    snprintf(full, sizeof full, "%s/%s", root, rel);
    return cli_slurp(full, len);
}

/* The `1A` character_count of the expectation next to an HTML file, or -1. */
static long expected_1a(const char *root, const char *rel) {
    char exp[4096];
    snprintf(exp, sizeof exp, "%s", rel);
    char *dot = strrchr(exp, '.');
    if (!dot) return -1;
    snprintf(dot, sizeof exp - (size_t)(dot - exp), ".expected-top-level-sections.json");
    char full[8192];
    snprintf(full, sizeof full, "%s/%s", root, exp);
    json_error_t je;
    json_t *j = json_load_file(full, 0, &je);
    if (!j) return -1;
    long v = -1;
    size_t i;
    json_t *it;
    json_array_foreach(j, i, it) {
        const char *id = json_string_value(json_object_get(it, "identifier"));
        if (id && strcmp(id, "1A") == 0) v = (long)json_integer_value(json_object_get(it, "character_count"));
    }
    json_decref(j);
    return v;
}

/* ---------------- heading matching (isb) ---------------- */

static char *norm(const char *s) {
    size_t n = strlen(s);
    char *o = malloc(n + 1);
    if (!o) return NULL;
    size_t k = 0;
    bool sp = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c)) {
            if (sp && k) o[k++] = ' ';
            sp = false;
            o[k++] = (char)tolower(c);
        } else if (c >= 0x80) {
            /* UTF-8 letters stay; punctuation such as ’ — “ becomes a space */
            if (c == 0xE2) { sp = true; i += 2; continue; }
            if (c == 0xC2) { sp = true; i += 1; continue; }
            if (sp && k) o[k++] = ' ';
            sp = false;
            o[k++] = (char)c;
        } else {
            sp = true;
        }
    }
    o[k] = 0;
    return o;
}

static size_t words(const char *s) {
    size_t w = *s ? 1 : 0;
    for (; *s; s++) w += *s == ' ';
    return w;
}

static bool heads_match(const char *g, const char *p) {
    if (!strcmp(g, p)) return true;
    size_t ng = strlen(g), np = strlen(p);
    const char *sh = ng < np ? g : p, *lo = ng < np ? p : g;
    size_t ns = ng < np ? ng : np;
    return words(sh) >= 6 && strncmp(sh, lo, ns) == 0 && (lo[ns] == ' ' || lo[ns] == 0);
}

/* A gold heading identical to the one just before it is the isb script
 * reading one heading twice (nested bold elements: every TTMI heading
 * appears as HEADER_n and HEADER_n+1); it is counted once. */
static void push_gold(strv *gold, char *h) {
    if (gold->n && gold->v[gold->n - 1] && !strcmp(gold->v[gold->n - 1], h)) {
        free(h);
        return;
    }
    strv_push(gold, h);
}

/* Gold headings from a *_headers.txt: "HEADER_n:" lines, each followed by
 * the heading text (which may run over several lines). */
static void read_gold(const char *text, strv *gold) {
    const char *p = text;
    int idx = 0;
    rfx_buf cur;
    rfx_buf_init(&cur, false);
    bool open = false;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len >= 8 && strncmp(p, "HEADER_", 7) == 0 && p[len - 1] == ':' ) {
            if (open && idx > 2 && cur.len) push_gold(gold, norm(cur.data));
            rfx_buf_clear(&cur);
            idx = atoi(p + 7);
            open = true;
        } else if (open) {
            if (cur.len) rfx_buf_putc(&cur, ' ', 0);
            rfx_buf_put(&cur, p, len, 0, false);
        }
        p += len + (e ? 1 : 0);
    }
    if (open && idx > 2 && cur.len) push_gold(gold, norm(cur.data));
    rfx_buf_free(&cur);
}

static void predicted_heads(const rfx_register *reg, strv *pred) {
    const char *last_group = NULL;
    for (size_t i = 0; i < rfx_risk_count(reg); i++) {
        const char *g = rfx_risk_group(reg, i);
        if (g && (!last_group || strcmp(g, last_group) != 0)) strv_push(pred, norm(g));
        if (g) last_group = g;
        const char *h = rfx_risk_heading(reg, i);
        if (h) strv_push(pred, norm(h));
    }
}

static size_t match_count(const strv *gold, const strv *pred) {
    bool *used = calloc(pred->n + 1, 1);
    if (!used) return 0;
    size_t m = 0, from = 0;
    for (size_t i = 0; i < gold->n; i++) {
        if (!gold->v[i]) continue;
        /* search forward from the last match first (order), then anywhere */
        size_t hit = (size_t)-1;
        for (size_t j = from; j < pred->n && hit == (size_t)-1; j++)
            if (!used[j] && pred->v[j] && heads_match(gold->v[i], pred->v[j])) hit = j;
        for (size_t j = 0; j < from && hit == (size_t)-1; j++)
            if (!used[j] && pred->v[j] && heads_match(gold->v[i], pred->v[j])) hit = j;
        if (hit != (size_t)-1) {
            used[hit] = true;
            from = hit + 1;
            m++;
        }
    }
    free(used);
    return m;
}

/* ---------------- per file ---------------- */

typedef struct totals {
    size_t files, errors;
    size_t need, found;               /* filings with a risk section / located */
    size_t neg, neg_ok;               /* filings without Item 1A / correctly not found */
    size_t exp, exp_ok;               /* with an expected 1A count / within 3% */
    size_t f20, f20_ok;               /* 20-F */
    size_t ibr;                       /* incorporated by reference */
    size_t isb_files, gold, pred, matched;
    size_t peer_empty;
    size_t risks;
    size_t set_rows, set_ok, set_exit_ok, set_count_ok, set_form_ok, set_company_ok, set_company;
} totals;

static const char *form_of(const char *rel) {
    if (strstr(rel, "20-F")) return "20-F";
    if (strstr(rel, "10-Q")) return "10-Q";
    if (strstr(rel, "seed")) return "text";
    return "10-K";
}

static bool is_negative(const char *rel) {
    for (int i = 0; negatives[i]; i++)
        if (strstr(rel, negatives[i])) return true;
    return false;
}

/* Characters of an HTML source span with character references decoded:
 * UTF-8 sequences and "&#160;" / "&amp;" count one each. */
static size_t decoded_len(const unsigned char *p, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        if (p[i] == '&') {
            size_t j = i + 1;
            while (j < n && j - i < 12 && (isalnum(p[j]) || p[j] == '#')) j++;
            if (j < n && p[j] == ';' && j > i + 1) { i = j + 1; continue; }
        }
        i++;
        while (i < n && (p[i] & 0xC0) == 0x80) i++;
    }
    return k;
}

/* Parses one input; returns a JSON object describing the result. */
static json_t *eval_one(const char *root, const char *rel, const rfx_options *opt, totals *t) {
    json_t *o = json_object();
    json_object_set_new(o, "path", json_string(rel));
    const char *form = form_of(rel);
    json_object_set_new(o, "form", json_string(form));
    size_t len = 0;
    char *data = slurp_path(root, rel, &len);
    if (!data) {
        json_object_set_new(o, "error", json_string(strerror(errno)));
        t->errors++;
        return o;
    }
    t->files++;
    bool negative = is_negative(rel);
    if (ends_with(rel, ".json")) {
        /* a peer's extraction: parse its item_1A text */
        json_error_t je;
        json_t *j = json_loadb(data, len, 0, &je);
        free(data);
        data = NULL;
        const char *txt = j ? json_string_value(json_object_get(j, "item_1A")) : NULL;
        if (!txt || strlen(txt) < 200) {
            json_object_set_new(o, "peer_empty", json_true());
            json_object_set_new(o, "note", json_string("peer item_1A empty (pre-2005 filing)"));
            t->peer_empty++;
            json_decref(j);
            return o;
        }
        /* the peer cut "Item 1A" out of pre-2005 filings too, where it is
         * another item ("Item 1A. Executive Officers"): expect not found */
        char head[201];
        snprintf(head, sizeof head, "%s", txt);
        for (char *q = head; *q; q++) *q = (char)tolower((unsigned char)*q);
        if (!strstr(head, "risk")) negative = true;
        len = strlen(txt);
        data = malloc(len + 1);
        if (data) memcpy(data, txt, len + 1);
        json_decref(j);
        if (!data) return o;
        json_object_set_new(o, "form", json_string("item_1A text"));
    }
    rfx_register *reg = NULL;
    rfx_error err;
    rfx_status st = rfx_parse_memory(data, len, rel, opt, &reg, &err);
    free(data);
    if (!reg) {
        json_object_set_new(o, "error", json_string(err.message));
        t->errors++;
        if (negative) { t->neg++; }
        else t->need++;
        return o;
    }
    const rfx_section *s = &reg->section;
    /* a full filing taken whole was not located; an extract may be */
    bool full = !strstr(rel, "edgarriskfactor_item1a/") || ends_with(rel, "_full.htm");
    full = full && !strstr(rel, "isb_capstone_item1a/") && !ends_with(rel, ".json");
    bool located = s->found && !(full && s->how && !strcmp(s->how, "whole-document"));
    json_object_set_new(o, "located", json_boolean(located));
    json_object_set_new(o, "found", json_boolean(s->found));
    json_object_set_new(o, "how", s->how ? json_string(s->how) : json_null());
    json_object_set_new(o, "confidence", json_real(s->confidence));
    if (s->title) json_object_set_new(o, "title", json_string(s->title));
    if (s->reference) json_object_set_new(o, "reference", json_string(s->reference));
    json_object_set_new(o, "start", json_integer(s->start));
    json_object_set_new(o, "end", json_integer(s->end));
    long span = s->found ? (long)s->end - (long)s->start : 0;
    json_object_set_new(o, "span", json_integer(span));
    size_t nr = rfx_risk_count(reg);
    json_object_set_new(o, "risks", json_integer((json_int_t)nr));
    t->risks += nr;
    if (negative) {
        t->neg++;
        if (!s->found) t->neg_ok++;
        json_object_set_new(o, "expect_found", json_false());
    } else {
        t->need++;
        if (located) t->found++;
    }
    if (!strcmp(form, "20-F")) {
        t->f20++;
        if (located) t->f20_ok++;
    }
    if (s->found && s->how && !strcmp(s->how, "incorporated-by-reference")) t->ibr++;
    long exp = (ends_with(rel, ".html") || ends_with(rel, ".htm")) ? expected_1a(root, rel) : -1;
    if (exp > 0) {
        double ratio = (double)span / (double)exp;
        bool ok = s->found && ratio >= 0.97 && ratio <= 1.03;
        json_object_set_new(o, "expected", json_integer(exp));
        json_object_set_new(o, "ratio", json_real(ratio));
        json_object_set_new(o, "within3", json_boolean(ok));
        /* the expectation's unit is undocumented (sec-parser is Python: it
         * counts characters of re-serialised HTML); shown, not scored */
        json_object_set_new(o, "ratio_decoded",
                            json_real((double)decoded_len(reg->src + s->start, (size_t)span) / (double)exp));
        t->exp++;
        if (ok) t->exp_ok++;
    }
    if (strstr(rel, "isb_capstone_item1a/") && ends_with(rel, "_item1a.html")) {
        char hp[4096];
        snprintf(hp, sizeof hp, "%.*s_headers.txt", (int)(strlen(rel) - strlen("_item1a.html")), rel);
        size_t hl;
        char *ht = slurp_path(root, hp, &hl);
        if (ht) {
            strv gold = {0}, pred = {0};
            read_gold(ht, &gold);
            predicted_heads(reg, &pred);
            size_t m = match_count(&gold, &pred);
            json_object_set_new(o, "gold", json_integer((json_int_t)gold.n));
            json_object_set_new(o, "predicted", json_integer((json_int_t)pred.n));
            json_object_set_new(o, "matched", json_integer((json_int_t)m));
            t->isb_files++;
            t->gold += gold.n;
            t->pred += pred.n;
            t->matched += m;
            strv_free(&gold);
            strv_free(&pred);
            free(ht);
        }
    }
    (void)st;
    rfx_register_free(reg);
    return o;
}

/* ---------------- folders with their own expectations ----------------
 * A folder whose README.md has a table with "file" and "expected" columns
 * (forms/) is scored by its rows rather than as 10-Ks: each row names an
 * input, its form, and in "expected" the exit code ("exit 1"), the number
 * of risks ("3 risks", "≈ 30 risks": within 10%), "reference" (the section
 * refers to another document), "form X", and "company" (a company must be
 * read). Rows missing a fact leave it unchecked. */

typedef struct exp_row {
    char file[256], form[64];
    int exit;          /* -1 unchecked */
    long count;        /* -1 unchecked */
    bool approx, reference, company;
} exp_row;

/* Splits a "| a | b |" table line into trimmed cells; returns the count. */
static size_t cells(char *line, char **cell, size_t max) {
    size_t n = 0;
    char *p = strchr(line, '|');
    if (!p) return 0;
    p++;
    while (n < max) {
        char *e = strchr(p, '|');
        if (!e) break;
        *e = 0;
        while (*p == ' ') p++;
        char *q = e;
        while (q > p && q[-1] == ' ') *--q = 0;
        cell[n++] = p;
        p = e + 1;
    }
    return n;
}

static int col_of(char **cell, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(cell[i], name)) return (int)i;
    return -1;
}

/* The form id at the start of s: "10-Q, 2000" → 10-Q; "DEF 14A proxy" →
 * DEF 14A; "424B2 prospectus supplement" → 424B2. */
static void form_id(const char *s, char *out, size_t cap) {
    size_t k = 0;
    int tokens = 0;
    while (*s && tokens < 2) {
        while (*s == ' ') s++;
        const char *b = s;
        while (*s && *s != ' ' && *s != ',' && *s != ';') s++;
        size_t len = (size_t)(s - b);
        if (!len) break;
        if (k && k + 1 < cap) out[k++] = ' ';
        for (size_t i = 0; i < len && k + 1 < cap; i++) out[k++] = b[i];
        tokens++;
        /* "DEF 14A", "SCHEDULE 14A", "Form 4": a word, then its number */
        bool word = true;
        for (size_t i = 0; i < len; i++)
            if (!isalpha((unsigned char)b[i])) word = false;
        if (!word || *s == ',') break;
    }
    out[k] = 0;
}

static bool parse_expected(const char *e, exp_row *r) {
    r->exit = -1;
    r->count = -1;
    const char *x = strstr(e, "exit ");
    if (x && isdigit((unsigned char)x[5])) r->exit = x[5] - '0';
    for (const char *p = e; *p; p++) {
        if (!isdigit((unsigned char)*p) || (p > e && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))) continue;
        char *end;
        long v = strtol(p, &end, 10);
        if (!strncmp(end, " risk", 5)) {
            r->count = v;
            r->approx = p >= e + 4 && !strncmp(p - 4, "\xe2\x89\x88 ", 4); /* "≈ " */
            break;
        }
        p = end - 1;
    }
    r->reference = strstr(e, "reference") != NULL;
    r->company = strstr(e, "company") != NULL;
    const char *f = strstr(e, "form ");
    if (f) form_id(f + 5, r->form, sizeof r->form);
    return r->exit >= 0 || r->count >= 0;
}

/* Rows of the expectations table in dir/README.md (none when it has none). */
static size_t read_table(const char *dir, exp_row **rows) {
    char path[8192];
    snprintf(path, sizeof path, "%s/README.md", dir);
    size_t len;
    char *t = cli_slurp(path, &len);
    *rows = NULL;
    if (!t) return 0;
    size_t n = 0, cap = 0;
    int cf = -1, cform = -1, cexp = -1;
    char *save = NULL;
    for (char *line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] != '|') { cf = cexp = cform = -1; continue; }
        char *c[16];
        size_t k = cells(line, c, 16);
        if (cf < 0) {
            cf = col_of(c, k, "file");
            cform = col_of(c, k, "form");
            cexp = col_of(c, k, "expected");
            if (cexp < 0) cf = -1;
            continue;
        }
        if (cf >= (int)k || cexp >= (int)k || c[cf][0] == '-' || !c[cf][0]) continue;
        exp_row r = {0};
        snprintf(r.file, sizeof r.file, "%s", c[cf]);
        if (!parse_expected(c[cexp], &r)) continue;
        if (!r.form[0] && cform >= 0 && cform < (int)k) form_id(c[cform], r.form, sizeof r.form);
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            exp_row *p = realloc(*rows, cap * sizeof *p);
            if (!p) break;
            *rows = p;
        }
        (*rows)[n++] = r;
    }
    free(t);
    return n;
}

static bool has_table(const char *dir) {
    exp_row *rows;
    size_t n = read_table(dir, &rows);
    free(rows);
    return n > 0;
}

static json_t *eval_row(const char *root, const char *set, const exp_row *x, const rfx_options *opt, totals *t) {
    char rel[4096];
    snprintf(rel, sizeof rel, "%s/%s", set, x->file);
    json_t *o = json_object();
    json_object_set_new(o, "path", json_string(rel));
    json_object_set_new(o, "set", json_string(set));
    json_object_set_new(o, "form", json_string(x->form));
    t->set_rows++;
    size_t len = 0;
    char *data = slurp_path(root, rel, &len);
    if (!data) {
        json_object_set_new(o, "error", json_string(strerror(errno)));
        t->errors++;
        return o;
    }
    t->files++;
    rfx_register *reg = NULL;
    rfx_error err;
    rfx_status st = rfx_parse_memory(data, len, rel, opt, &reg, &err);
    free(data);
    int code = (int)st;
    size_t nr = reg ? rfx_risk_count(reg) : 0;
    const char *form = reg ? reg->filing.form : NULL;
    const char *company = reg ? reg->filing.company : NULL;
    const char *how = reg && reg->section.found ? reg->section.how : NULL;
    bool exit_ok = x->exit < 0 || code == x->exit;
    long tol = x->approx ? (x->count / 10 > 1 ? x->count / 10 : 1) : 0;
    bool count_ok = x->count < 0 || (code == 0 && labs((long)nr - x->count) <= tol);
    if (x->reference && !(how && strstr(how, "reference"))) count_ok = false;
    bool form_ok = !x->form[0] || (form && !strcasecmp(form, x->form));
    bool company_ok = !x->company || (company && *company);
    json_object_set_new(o, "exit", json_integer(code));
    json_object_set_new(o, "want_exit", json_integer(x->exit));
    json_object_set_new(o, "risks", json_integer((json_int_t)nr));
    json_object_set_new(o, "want_risks", json_integer(x->count));
    if (x->approx) json_object_set_new(o, "approx", json_true());
    json_object_set_new(o, "how", how ? json_string(how) : json_null());
    json_object_set_new(o, "got_form", form ? json_string(form) : json_null());
    json_object_set_new(o, "company", company ? json_string(company) : json_null());
    if (!reg) json_object_set_new(o, "error", json_string(err.message));
    else if (st == RFX_ENOTFOUND) json_object_set_new(o, "message", json_string(err.message));
    bool ok = exit_ok && count_ok && form_ok && company_ok;
    json_object_set_new(o, "row_ok", json_boolean(ok));
    t->set_exit_ok += exit_ok;
    t->set_count_ok += count_ok;
    t->set_form_ok += form_ok;
    t->set_company += x->company;
    t->set_company_ok += x->company && company_ok;
    t->set_ok += ok;
    t->risks += nr;
    rfx_register_free(reg);
    return o;
}

static void print_row(json_t *o) {
    const char *how = json_string_value(json_object_get(o, "how"));
    const char *gf = json_string_value(json_object_get(o, "got_form"));
    const char *co = json_string_value(json_object_get(o, "company"));
    printf("%-4s %-12s %-70s exit %lld/%lld risks %lld/%lld%s form %s how %s company %s\n",
           json_is_true(json_object_get(o, "row_ok")) ? "ok" : "FAIL",
           json_string_value(json_object_get(o, "form")), json_string_value(json_object_get(o, "path")),
           (long long)json_integer_value(json_object_get(o, "exit")),
           (long long)json_integer_value(json_object_get(o, "want_exit")),
           (long long)json_integer_value(json_object_get(o, "risks")),
           (long long)json_integer_value(json_object_get(o, "want_risks")),
           json_object_get(o, "approx") ? "~" : "", gf ? gf : "-", how ? how : "-", co ? co : "-");
}

static bool file_ok(json_t *o) {
    if (json_object_get(o, "peer_empty")) return true;
    if (json_object_get(o, "error")) return false;
    bool found = json_is_true(json_object_get(o, "found"));
    json_t *ef = json_object_get(o, "expect_found");
    if (ef) return !found;
    found = json_is_true(json_object_get(o, "located"));
    if (!found) return false;
    json_t *w = json_object_get(o, "within3");
    if (w && !json_is_true(w)) return false;
    return true;
}

static void print_line(json_t *o) {
    const char *path = json_string_value(json_object_get(o, "path"));
    const char *form = json_string_value(json_object_get(o, "form"));
    printf("%-4s %-12s %-70s", file_ok(o) ? "ok" : "FAIL", form ? form : "", path);
    if (json_object_get(o, "error")) {
        printf(" error: %s\n", json_string_value(json_object_get(o, "error")));
        return;
    }
    if (json_object_get(o, "peer_empty")) {
        printf(" (%s)\n", json_string_value(json_object_get(o, "note")));
        return;
    }
    bool found = json_is_true(json_object_get(o, "found"));
    const char *how = json_string_value(json_object_get(o, "how"));
    if (!found) {
        printf(" not found (%s)\n", how ? how : "?");
        return;
    }
    printf(" %s %.2f span %lld", how ? how : "?", json_real_value(json_object_get(o, "confidence")),
           (long long)json_integer_value(json_object_get(o, "span")));
    if (json_object_get(o, "expected"))
        printf(" exp %lld (%.3f; decoded %.3f)", (long long)json_integer_value(json_object_get(o, "expected")),
               json_real_value(json_object_get(o, "ratio")), json_real_value(json_object_get(o, "ratio_decoded")));
    printf(" risks %lld", (long long)json_integer_value(json_object_get(o, "risks")));
    if (json_object_get(o, "gold")) {
        double g = (double)json_integer_value(json_object_get(o, "gold"));
        double p = (double)json_integer_value(json_object_get(o, "predicted"));
        double m = (double)json_integer_value(json_object_get(o, "matched"));
        printf(" P %.2f R %.2f", p ? m / p : 0, g ? m / g : 0);
    }
    putchar('\n');
}

int cmd_eval(int argc, char **argv) {
    const char *dir = NULL;
    bool as_json = false, quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); return 0; }
        else if (!strcmp(a, "--json")) as_json = true;
        else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) quiet = true;
        else if (a[0] == '-' && a[1]) return cli_unknown_option("eval", a, options);
        else if (dir) return cli_fail(RFX_EUSAGE, "eval: one DIR at a time");
        else dir = a;
    }
    char def[4096];
    if (!dir) {
        const char *sh = getenv("RFX_SHARED");
        snprintf(def, sizeof def, "%s/data/filings", sh && *sh ? sh : "../shared");
        dir = def;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cli_fail(RFX_EUSAGE, "eval: %s: not a directory (give DIR or set RFX_SHARED)", dir);
    strv files = {0}, sets = {0};
    walk(dir, "", &files, &sets);
    if (files.n == 0) {
        strv_free(&files);
        return cli_fail(RFX_EUSAGE, "eval: %s: no filings found", dir);
    }
    rfx_options opt;
    rfx_options_init(&opt);
    opt.no_classify = 1; /* categories are not scored here; parsing stays fast */
    totals t = {0};
    json_t *arr = json_array();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < files.n; i++) {
        json_t *o = eval_one(dir, files.v[i], &opt, &t);
        if (!as_json && !quiet) {
            print_line(o);
            fflush(stdout);
        }
        json_array_append_new(arr, o);
    }
    for (size_t i = 0; i < sets.n; i++) {
        char full[8192];
        snprintf(full, sizeof full, "%s/%s", dir, sets.v[i]);
        exp_row *rows;
        size_t nrows = read_table(full, &rows);
        for (size_t k = 0; k < nrows; k++) {
            json_t *o = eval_row(dir, sets.v[i], &rows[k], &opt, &t);
            if (!as_json && !quiet) {
                print_row(o);
                fflush(stdout);
            }
            json_array_append_new(arr, o);
        }
        free(rows);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double P = t.pred ? (double)t.matched / (double)t.pred : 0;
    double R = t.gold ? (double)t.matched / (double)t.gold : 0;
    double F = P + R > 0 ? 2 * P * R / (P + R) : 0;
    if (as_json) {
        json_t *tot = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:f,s:f}",
                                "files", (json_int_t)t.files, "errors", (json_int_t)t.errors,
                                "need", (json_int_t)t.need, "found", (json_int_t)t.found,
                                "negatives", (json_int_t)t.neg, "negatives_not_found", (json_int_t)t.neg_ok,
                                "with_expected", (json_int_t)t.exp, "within3", (json_int_t)t.exp_ok,
                                "f20", (json_int_t)t.f20, "f20_found", (json_int_t)t.f20_ok,
                                "incorporated_by_reference", (json_int_t)t.ibr,
                                "isb_files", (json_int_t)t.isb_files, "isb_gold", (json_int_t)t.gold,
                                "isb_predicted", (json_int_t)t.pred, "isb_matched", (json_int_t)t.matched,
                                "isb_precision", P, "isb_recall", R, "isb_f1", F, "seconds", secs);
        json_object_set_new(tot, "peer_empty", json_integer((json_int_t)t.peer_empty));
        json_t *fs = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "rows", (json_int_t)t.set_rows,
                               "ok", (json_int_t)t.set_ok, "exit_ok", (json_int_t)t.set_exit_ok,
                               "count_ok", (json_int_t)t.set_count_ok, "form_ok", (json_int_t)t.set_form_ok,
                               "company", (json_int_t)t.set_company, "company_ok", (json_int_t)t.set_company_ok);
        json_object_set_new(tot, "forms", fs);
        json_t *root = json_pack("{s:s,s:o,s:o}", "schema_version", RFX_SCHEMA_VERSION, "files", arr,
                                 "totals", tot);
        char *s = json_dumps(root, JSON_COMPACT);
        json_decref(root);
        if (s) { puts(s); free(s); }
    } else {
        json_decref(arr);
        printf("\nfiles %zu (errors %zu) in %.1f s\n", t.files, t.errors, secs);
        printf("section found: %zu/%zu filings that have one\n", t.found, t.need);
        printf("no Item 1A, reported not found: %zu/%zu\n", t.neg_ok, t.neg);
        printf("Item 1A span within 3%%: %zu/%zu with expectations\n", t.exp_ok, t.exp);
        printf("20-F located: %zu/%zu\n", t.f20_ok, t.f20);
        printf("incorporated by reference: %zu\n", t.ibr);
        printf("peer item_1A empty (skipped): %zu\n", t.peer_empty);
        printf("isb headings: P %.3f R %.3f F1 %.3f (gold %zu, predicted %zu, matched %zu, %zu files)\n",
               P, R, F, t.gold, t.pred, t.matched, t.isb_files);
        if (t.set_rows)
            printf("forms (README rows): %zu/%zu right; exit %zu, count %zu, form %zu, company %zu/%zu\n",
                   t.set_ok, t.set_rows, t.set_exit_ok, t.set_count_ok, t.set_form_ok, t.set_company_ok,
                   t.set_company);
    }
    strv_free(&files);
    strv_free(&sets);
    return 0;
}
