/*
 * cmd_export.c — `rfx export --csv|--jsonl [filters]`: one row per stored
 * risk, streamed (columns in docs/corpus.md), for pandas, R or a spreadsheet.
 */
#include "cli.h"

#include <errno.h>
#include <string.h>

static const char *help =
    "usage: rfx export [--db FILE] (--csv|--jsonl) [QUERY] [filters] [-o FILE]\n"
    "output formats:\n"
    "  --csv             RFC 4180 CSV with a header row (UTF-8, CRLF line ends)\n"
    "  --jsonl           one JSON object per line, the same keys\n"
    "options:\n"
    "  QUERY, filters    as for rfx search (--company, --cik, --form, --year, --category,\n"
    "                    --status, --limit, --offset); default: every risk\n"
    "  --db FILE         the database (default $RFX_DB, else rfx.db)\n"
    "  -o FILE           write to FILE instead of stdout\n"
    "  -h, --help        this help\n"
    "Rows: one per risk, ordered by source path and risk index. Columns: risk_id,\n"
    "filing_id, company, cik, form, period, fiscal_year, source_path, sha256,\n"
    "risk_index, group, heading, body, start, end (byte offsets in the source),\n"
    "category, category_score, other_categories, the metrics, status, prev_risk_id,\n"
    "similarity (man rfx-export).\n"
    "exit codes: 0 ok, 2 bad usage, 3 unusable database or write error\n";

/* for the nearest-option hint of cli_unknown_option */
static const char *const export_options[] = {"--help", "--db", "--csv", "--jsonl", "--company", "--cik", "--form", "--year", "--category", "--status", "--limit", "--offset", NULL};

int cmd_export(int argc, char **argv) {
    rfx_store_query q;
    rfx_store_query_init(&q);
    const char *db = NULL, *format = NULL, *out_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r = cli_query_option("export", argc, argv, &i, &q);
        if (r > 0) return r;
        if (r == 0) continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); return 0; }
        else if ((!strcmp(a, "--db") || !strcmp(a, "-o")) && i + 1 >= argc)
            return cli_fail(RFX_EUSAGE, "export: %s needs a value", a);
        else if (!strcmp(a, "--db")) db = argv[++i];
        else if (!strcmp(a, "-o")) out_path = argv[++i];
        else if (!strcmp(a, "--csv")) format = "csv";
        else if (!strcmp(a, "--jsonl")) format = "jsonl";
        else if (a[0] == '-' && a[1] == '-') return cli_unknown_option("export", a, export_options);
        else if (q.text) return cli_fail(RFX_EUSAGE, "export: give the query as one argument (quote it)");
        else q.text = a;
    }
    if (!format) return cli_fail(RFX_EUSAGE, "export: choose --csv or --jsonl");
    rfx_store *s;
    int rc = cli_store_open(db, RFX_STORE_READONLY, &s);
    if (rc) return rc;
    FILE *out = stdout;
    if (out_path && strcmp(out_path, "-") && !(out = fopen(out_path, "wb"))) {
        rfx_store_close(s);
        return cli_fail(RFX_EINPUT, "%s: cannot write: %s", out_path, strerror(errno));
    }
    rfx_error err;
    rfx_status st = rfx_store_export(s, &q, format, out, &err);
    rfx_store_close(s);
    if (out != stdout && fclose(out) != 0 && st == RFX_OK) return cli_fail(RFX_EINPUT, "%s: write failed", out_path);
    if (st != RFX_OK) return cli_fail(st, "export: %s", err.message);
    return 0;
}
