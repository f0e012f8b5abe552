/*
 * cmd_search.c — `rfx search QUERY [filters]`: ranked full-text search over
 * the corpus store. Also holds what the corpus commands share: --db and the
 * filter options (cli.h: cli_store_open, cli_query_option).
 *
 * The store returns JSON (the same the HTTP server sends); this file only
 * renders it: a table for people, --json, --jsonl or --csv for programs.
 */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *help =
    "usage: rfx search [--db FILE] QUERY [filters] [--json|--jsonl|--csv]\n"
    "  QUERY             words (all must match), \"a phrase\", OR, NOT, prefix*, ( )\n"
    "                    e.g.  tariff* OR \"export controls\" NOT china\n"
    "output formats:\n"
    "  (default)         a table of hits, the matched terms highlighted (or [marked])\n"
    "  --json            one JSON object with \"hits\"\n"
    "  --jsonl           one JSON object per hit\n"
    "  --csv             CSV with a header row\n"
    "filters (also for rfx export):\n"
    "  --company NAME    company name words (case-insensitive) or a ticker\n"
    "  --cik N           company CIK\n"
    "  --form F          10-K, 10-Q, 20-F, ...\n"
    "  --year A..B       fiscal years A to B (A, A.., ..B also work)\n"
    "  --category ID     risks carrying this category (rfx stats lists them)\n"
    "  --status S        lineage status: unchanged, modified, added, moved, split, merge\n"
    "  --limit N         at most N hits (default 20)\n"
    "  --offset N        skip the first N hits\n"
    "options:\n"
    "  --db FILE         the database (default $RFX_DB, else rfx.db)\n"
    "  -h, --help        this help\n"
    "exit codes: 0 ok, 2 bad usage or malformed query, 3 unusable database\n";

int cli_store_open(const char *db, unsigned flags, rfx_store **out) {
    rfx_error err;
    rfx_status st = rfx_store_open(db, flags, out, &err);
    if (st != RFX_OK) return cli_fail(st, "%s", err.message);
    return 0;
}

static int parse_long(const char *cmd, const char *opt, const char *v, long lo, long hi, long *out) {
    char *end;
    long x = strtol(v, &end, 10);
    if (!*v || *end || x < lo || x > hi)
        return cli_fail(RFX_EUSAGE, "%s: %s takes a number from %ld to %ld, not '%s'", cmd, opt, lo, hi, v);
    *out = x;
    return 0;
}

static int parse_years(const char *cmd, const char *v, rfx_store_query *q) {
    const char *dots = strstr(v, "..");
    char a[16] = "", b[16] = "";
    if (dots) {
        snprintf(a, sizeof a, "%.*s", (int)(dots - v < 15 ? dots - v : 15), v);
        snprintf(b, sizeof b, "%s", dots + 2);
    } else {
        snprintf(a, sizeof a, "%s", v);
        snprintf(b, sizeof b, "%s", v);
    }
    long lo = 0, hi = 0;
    if ((a[0] && parse_long(cmd, "--year", a, 1900, 2200, &lo)) || (b[0] && parse_long(cmd, "--year", b, 1900, 2200, &hi)))
        return RFX_EUSAGE;
    if (!a[0] && !b[0]) return cli_fail(RFX_EUSAGE, "%s: --year takes A..B, A, A.. or ..B", cmd);
    if (lo && hi && lo > hi) return cli_fail(RFX_EUSAGE, "%s: --year %s is an empty range", cmd, v);
    q->year_from = (int)lo;
    q->year_to = (int)hi;
    return 0;
}

int cli_query_option(const char *cmd, int argc, char **argv, int *i, rfx_store_query *q) {
    const char *a = argv[*i];
    static const char *const with_value[] = {"--company", "--cik", "--form", "--year", "--category",
                                             "--status", "--limit", "--offset", NULL};
    bool known = false;
    for (size_t k = 0; with_value[k]; k++) known |= !strcmp(a, with_value[k]);
    if (!known) return -1;
    if (*i + 1 >= argc) return cli_fail(RFX_EUSAGE, "%s: %s needs a value", cmd, a);
    const char *v = argv[++*i];
    long n;
    if (!strcmp(a, "--company")) q->company = v;
    else if (!strcmp(a, "--cik")) q->cik = v;
    else if (!strcmp(a, "--form")) q->form = v;
    else if (!strcmp(a, "--category")) q->category = v;
    else if (!strcmp(a, "--status")) q->status = v;
    else if (!strcmp(a, "--year")) return parse_years(cmd, v, q);
    else if (!strcmp(a, "--limit")) {
        if (parse_long(cmd, a, v, 1, 1000000000L, &n)) return RFX_EUSAGE;
        q->limit = n;
    } else if (!strcmp(a, "--offset")) {
        if (parse_long(cmd, a, v, 0, 1000000000L, &n)) return RFX_EUSAGE;
        q->offset = n;
    }
    return 0;
}

/* ---------------- output ---------------- */

static const char *sval(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

void cli_csv_field(FILE *f, const char *s) {
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) { fputs(s, f); return; }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A JSON scalar as CSV text (strings quoted as needed, null empty). */
void cli_csv_value(FILE *f, json_t *v) {
    if (json_is_string(v)) cli_csv_field(f, json_string_value(v));
    else if (json_is_integer(v)) fprintf(f, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v)) fprintf(f, "%.6g", json_real_value(v));
    else if (json_is_true(v)) fputs("true", f);
    else if (json_is_false(v)) fputs("false", f);
}

static void print_csv(json_t *hits) {
    static const char *const cols[] = {"risk_id", "filing_id", "score", "company", "cik", "form", "period",
                                       "fiscal_year", "index", "heading", "category", "status", "snippet",
                                       "source_path"};
    size_t nc = sizeof cols / sizeof *cols;
    for (size_t i = 0; i < nc; i++) printf("%s%s", i ? "," : "", cols[i]);
    fputs("\r\n", stdout);
    size_t k;
    json_t *h;
    json_array_foreach(hits, k, h) {
        for (size_t i = 0; i < nc; i++) {
            if (i) putchar(',');
            cli_csv_value(stdout, json_object_get(h, cols[i]));
        }
        fputs("\r\n", stdout);
    }
}

/* One line of at most w display columns (bytes of UTF-8 continuation don't count). */
static void put_clipped(const char *s, size_t w) {
    size_t cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t') { putchar(' '); cols++; continue; }
        if ((*p & 0xC0) != 0x80) {
            if (cols >= w) { fputs("…", stdout); return; }
            cols++;
        }
        putchar(*p);
    }
}

static void print_table(json_t *hits, bool color) {
    size_t k;
    json_t *h;
    if (!json_array_size(hits)) { puts("no hits"); return; }
    json_array_foreach(hits, k, h) {
        json_t *fy = json_object_get(h, "fiscal_year");
        const char *co = sval(h, "company"), *st = sval(h, "status"), *cat = sval(h, "category");
        printf("%s%2zu. %s%s", color ? "\033[1m" : "", k + 1, co ? co : "(company unknown)", color ? "\033[0m" : "");
        printf("  %s", sval(h, "form") ? sval(h, "form") : "?");
        if (json_is_integer(fy)) printf(" FY%lld", (long long)json_integer_value(fy));
        printf("  risk #%lld", (long long)json_integer_value(json_object_get(h, "index")));
        if (st) printf("  [%s]", st);
        if (cat) printf("  %s", cat);
        printf("  (id %lld)\n    ", (long long)json_integer_value(json_object_get(h, "risk_id")));
        put_clipped(sval(h, "heading_marked") ? sval(h, "heading_marked") : sval(h, "heading") ? sval(h, "heading") : "", 200);
        fputs("\n    ", stdout);
        put_clipped(sval(h, "snippet") ? sval(h, "snippet") : "", 300);
        fputs("\n", stdout);
    }
}

/* for the nearest-option hint of cli_unknown_option */
static const char *const search_options[] = {"--help", "--db", "--json", "--jsonl", "--csv", "--company", "--cik", "--form", "--year", "--category", "--status", "--limit", "--offset", NULL};

int cmd_search(int argc, char **argv) {
    rfx_store_query q;
    rfx_store_query_init(&q);
    const char *db = NULL, *mode = "table", *text = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r = cli_query_option("search", argc, argv, &i, &q);
        if (r > 0) return r;
        if (r == 0) continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); return 0; }
        else if (!strcmp(a, "--db")) {
            if (i + 1 >= argc) return cli_fail(RFX_EUSAGE, "search: --db needs a FILE");
            db = argv[++i];
        } else if (!strcmp(a, "--json")) mode = "json";
        else if (!strcmp(a, "--jsonl")) mode = "jsonl";
        else if (!strcmp(a, "--csv")) mode = "csv";
        else if (!strcmp(a, "--")) { if (i + 1 < argc) text = argv[++i]; }
        else if (a[0] == '-' && a[1] == '-') return cli_unknown_option("search", a, search_options);
        else if (text) return cli_fail(RFX_EUSAGE, "search: give the query as one argument (quote it): '%s %s'", text, a);
        else text = a;
    }
    if (!text && !q.company && !q.cik && !q.form && !q.category && !q.status && !q.year_from && !q.year_to)
        return cli_fail(RFX_EUSAGE, "search: no QUERY given (see rfx search --help)");
    q.text = text;
    bool tty = isatty(1);
    bool color = tty && !getenv("NO_COLOR") && !strcmp(mode, "table");
    if (color) { q.mark_open = "\033[1;33m"; q.mark_close = "\033[0m"; }
    rfx_store *s;
    int rc = cli_store_open(db, RFX_STORE_READONLY, &s);
    if (rc) return rc;
    char *js = NULL;
    rfx_error err;
    rfx_status st = rfx_store_search(s, &q, &js, &err);
    rfx_store_close(s);
    if (st != RFX_OK) return cli_fail(st, "search: %s", err.message);
    if (!strcmp(mode, "json")) {
        puts(js);
        free(js);
        return 0;
    }
    json_error_t je;
    json_t *root = json_loads(js, 0, &je);
    free(js);
    if (!root) return cli_fail(RFX_EINTERNAL, "search: bad JSON from the store");
    json_t *hits = json_object_get(root, "hits");
    if (!strcmp(mode, "jsonl")) {
        size_t k;
        json_t *h;
        json_array_foreach(hits, k, h) {
            /* each line is a document of its own: it carries the contract's version */
            json_t *row = json_pack("{s:s}", "schema_version", RFX_SCHEMA_VERSION);
            if (row) json_object_update(row, h);
            char *line = row ? json_dumps(row, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
            json_decref(row);
            if (line) puts(line);
            free(line);
        }
    } else if (!strcmp(mode, "csv")) print_csv(hits);
    else print_table(hits, color);
    json_decref(root);
    return fflush(stdout) ? cli_fail(RFX_EINPUT, "search: write failed") : 0;
}
