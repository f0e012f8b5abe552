/*
 * cmd_history.c — `rfx history COMPANY|CIK`: a company's filings with risk
 * counts by lineage status, and each risk's lineage: when it first
 * appeared, when it was last seen, the years it was modified, its heading
 * then and now. The store computes it (rfx_store_history); this prints it.
 */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *help =
    "usage: rfx history [--db FILE] COMPANY|CIK [--form F] [--json]\n"
    "  COMPANY           name words (case-insensitive) or a ticker, as for search --company\n"
    "output formats:\n"
    "  (default)         the filings, then each risk's lineage across them\n"
    "  --json            one JSON object\n"
    "options:\n"
    "  --form F          only this form's filings (default: every form, each its own lineage)\n"
    "  --db FILE         the database (default $RFX_DB, else rfx.db)\n"
    "  -h, --help        this help\n"
    "When several companies match, they are listed and the exit code is 2.\n"
    "exit codes: 0 ok, 2 bad usage or no single company, 3 unusable database\n";

static long long ival(json_t *o, const char *k) { return (long long)json_integer_value(json_object_get(o, k)); }
static const char *sval(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : "";
}

static void print_text(json_t *root) {
    json_t *co = json_object_get(root, "company");
    printf("%s", sval(co, "company"));
    if (json_is_string(json_object_get(co, "cik"))) printf("  CIK %s", sval(co, "cik"));
    printf("\n\n%-8s %-10s %4s  %6s %8s %5s %5s %5s %5s %7s\n", "form", "period", "FY", "risks", "unchanged",
           "modif", "moved", "added", "split", "removed");
    size_t k;
    json_t *f;
    json_array_foreach(json_object_get(root, "filings"), k, f) {
        json_t *c = json_object_get(f, "counts");
        printf("%-8s %-10s %4lld  %6lld %8lld %5lld %5lld %5lld %5lld %7lld\n", sval(f, "form"), sval(f, "period"),
               ival(f, "fiscal_year"), ival(f, "risks"), ival(c, "unchanged"), ival(c, "modified"), ival(c, "moved"),
               ival(c, "added"), ival(c, "split"), ival(c, "removed") + ival(c, "merged_away"));
    }
    json_t *lines = json_object_get(root, "lineages");
    printf("\n%zu risk lineages (first year – last year: heading when first seen)\n", json_array_size(lines));
    json_t *l;
    json_array_foreach(lines, k, l) {
        printf("  %s %lld–%lld", sval(l, "form"), ival(l, "first_year"), ival(l, "last_year"));
        json_t *ym = json_object_get(l, "years_modified");
        if (json_array_size(ym)) {
            fputs("  modified", stdout);
            size_t j;
            json_t *y;
            json_array_foreach(ym, j, y) printf(" %lld", (long long)json_integer_value(y));
        }
        json_t *ended = json_object_get(l, "ended");
        if (json_is_object(ended)) printf("  %s in FY%lld", sval(ended, "as"), ival(ended, "fiscal_year"));
        const char *h = sval(l, "first_heading");
        printf("\n     %.160s%s\n", h, strlen(h) > 160 ? "…" : "");
        const char *last = sval(l, "last_heading");
        if (strcmp(h, last)) printf("     now: %.160s%s\n", last, strlen(last) > 160 ? "…" : "");
    }
}

/* for the nearest-option hint of cli_unknown_option */
static const char *const history_options[] = {"--help", "--db", "--form", "--json", NULL};

int cmd_history(int argc, char **argv) {
    const char *db = NULL, *who = NULL, *form = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); return 0; }
        else if ((!strcmp(a, "--db") || !strcmp(a, "--form")) && i + 1 >= argc)
            return cli_fail(RFX_EUSAGE, "history: %s needs a value", a);
        else if (!strcmp(a, "--db")) db = argv[++i];
        else if (!strcmp(a, "--form")) form = argv[++i];
        else if (!strcmp(a, "--json")) json = true;
        else if (a[0] == '-' && a[1] == '-') return cli_unknown_option("history", a, history_options);
        else if (who) return cli_fail(RFX_EUSAGE, "history: one COMPANY at a time (quote a name with spaces)");
        else who = a;
    }
    if (!who || !*who) return cli_fail(RFX_EUSAGE, "history: no COMPANY given (see rfx history --help)");
    rfx_store *s;
    int rc = cli_store_open(db, RFX_STORE_READONLY, &s);
    if (rc) return rc;
    char *js = NULL;
    rfx_error err;
    rfx_status st = rfx_store_history(s, who, form, &js, &err);
    rfx_store_close(s);
    if (st != RFX_OK) {
        /* several companies: say which, so the next try can be precise */
        json_error_t je;
        json_t *r = js ? json_loads(js, 0, &je) : NULL;
        if (json && js) puts(js);
        else if (r) {
            size_t k;
            json_t *m;
            fprintf(stderr, "rfx: history: %s:\n", err.message);
            json_array_foreach(json_object_get(r, "matches"), k, m)
                fprintf(stderr, "  %s  (CIK %s, %lld filings)\n", sval(m, "company"),
                        json_is_string(json_object_get(m, "cik")) ? sval(m, "cik") : "unknown", ival(m, "filings"));
        }
        json_decref(r);
        bool listed = r != NULL;
        free(js);
        if (listed && !json) return (int)st;
        return cli_fail(st, "history: %s", err.message);
    }
    if (json) puts(js);
    else {
        json_error_t je;
        json_t *r = json_loads(js, 0, &je);
        if (r) print_text(r);
        json_decref(r);
    }
    free(js);
    return fflush(stdout) ? cli_fail(RFX_EINPUT, "history: write failed") : 0;
}
