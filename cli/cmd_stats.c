/*
 * cmd_stats.c — `rfx stats [--by category|year|company|form]`: the tables
 * a researcher plots (risks and shares by category per fiscal year, filings
 * per year, average metrics), from rfx_store_stats's JSON rows.
 */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *help =
    "usage: rfx stats [--db FILE] [--by category|year|company|form] [--json|--csv]\n"
    "output formats:\n"
    "  (default)         a table\n"
    "  --json            one JSON object\n"
    "  --csv             CSV with a header row\n"
    "options:\n"
    "  --by category     risks and share by primary category per fiscal year (default),\n"
    "                    then filings, risks and average metrics per year\n"
    "  --by year|company|form   filings, risks and average metrics per year, company, form\n"
    "  --db FILE         the database (default $RFX_DB, else rfx.db)\n"
    "  -h, --help        this help\n"
    "exit codes: 0 ok, 2 bad usage, 3 unusable database\n";

/* A scalar as table text. */
static void cell(json_t *v, char *out, size_t n) {
    if (json_is_string(v)) snprintf(out, n, "%s", json_string_value(v));
    else if (json_is_integer(v)) snprintf(out, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v)) snprintf(out, n, "%.4g", json_real_value(v));
    else snprintf(out, n, "-");
}

static void print_rows(json_t *rows, bool csv) {
    json_t *first = json_array_get(rows, 0);
    if (!first) { if (!csv) puts("(no rows)"); return; }
    const char *k;
    json_t *v;
    size_t i;
    json_t *r;
    if (csv) {
        bool comma = false;
        json_object_foreach(first, k, v) { printf("%s%s", comma ? "," : "", k); comma = true; }
        fputs("\r\n", stdout);
        json_array_foreach(rows, i, r) {
            comma = false;
            json_object_foreach(r, k, v) {
                if (comma) putchar(',');
                cli_csv_value(stdout, v);
                comma = true;
            }
            fputs("\r\n", stdout);
        }
        return;
    }
    /* each column as wide as its widest cell, at most 40 */
    int w[64] = {0};
    size_t nc = 0;
    json_object_foreach(first, k, v) if (nc < 64) w[nc++] = (int)strlen(k);
    char buf[128];
    json_array_foreach(rows, i, r) {
        size_t c = 0;
        json_object_foreach(r, k, v) {
            if (c >= nc) break;
            cell(v, buf, sizeof buf);
            int l = (int)strlen(buf);
            if (l > w[c]) w[c] = l > 40 ? 40 : l;
            c++;
        }
    }
    size_t c = 0;
    json_object_foreach(first, k, v) if (c < nc) printf("%-*.*s  ", w[c], w[c], k), c++;
    fputs("\n", stdout);
    json_array_foreach(rows, i, r) {
        c = 0;
        json_object_foreach(r, k, v) {
            if (c >= nc) break;
            cell(v, buf, sizeof buf);
            if (json_is_number(v)) printf("%*.*s  ", w[c], w[c], buf);
            else printf("%-*.*s  ", w[c], w[c], buf);
            c++;
        }
        fputs("\n", stdout);
    }
}

/* for the nearest-option hint of cli_unknown_option */
static const char *const stats_options[] = {"--help", "--db", "--by", "--json", "--csv", NULL};

int cmd_stats(int argc, char **argv) {
    const char *db = NULL, *by = "category", *mode = "table";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); return 0; }
        else if ((!strcmp(a, "--db") || !strcmp(a, "--by")) && i + 1 >= argc)
            return cli_fail(RFX_EUSAGE, "stats: %s needs a value", a);
        else if (!strcmp(a, "--db")) db = argv[++i];
        else if (!strcmp(a, "--by")) by = argv[++i];
        else if (!strcmp(a, "--json")) mode = "json";
        else if (!strcmp(a, "--csv")) mode = "csv";
        else if (a[0] == '-' && a[1]) return cli_unknown_option("stats", a, stats_options);
        else return cli_fail(RFX_EUSAGE, "stats: unknown argument '%s'", a);
    }
    rfx_store *s;
    int rc = cli_store_open(db, RFX_STORE_READONLY, &s);
    if (rc) return rc;
    char *js = NULL;
    rfx_error err;
    rfx_status st = rfx_store_stats(s, by, &js, &err);
    rfx_store_close(s);
    if (st != RFX_OK) return cli_fail(st, "stats: %s", err.message);
    if (!strcmp(mode, "json")) puts(js);
    else {
        json_error_t je;
        json_t *r = json_loads(js, 0, &je);
        bool csv = !strcmp(mode, "csv");
        print_rows(json_object_get(r, "rows"), csv);
        /* the per-year summary follows the category table, in the table view */
        if (!csv && json_object_get(r, "years")) {
            fputs("\n", stdout);
            print_rows(json_object_get(r, "years"), false);
        }
        json_decref(r);
    }
    free(js);
    return fflush(stdout) ? cli_fail(RFX_EINPUT, "stats: write failed") : 0;
}
