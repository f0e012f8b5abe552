/*
 * main.c — the rfx command: dispatch to a subcommand. Exit codes follow
 * rfx_status: 0 ok, 1 section not found, 2 bad usage, 3 bad input.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *usage =
    "usage: rfx <command> [options]\n"
    "\n"
    "commands:\n"
    "  parse FILE...     read filings into risk registers (--json, --text, --markdown)\n"
    "  diff OLD NEW      compare two filings or saved registers\n"
    "  lint FILE...      check a disclosure: OCR damage, dates, magnitudes, Item 105, staleness\n"
    "  peers COMPANY --in DIR   a company's risk factors against its peers'\n"
    "  eval [DIR]        score locate/segment against the shared filings\n"
    "  train LABELS -o MODEL   train the risk classifier\n"
    "  index PATH...     store filings in a corpus database (--db FILE, default rfx.db)\n"
    "  search QUERY      ranked full-text search of the stored risks, with filters\n"
    "  history COMPANY   a company's filings and each risk's lineage across years\n"
    "  stats             risks by category per year, by company, by form\n"
    "  export            every stored risk as --csv or --jsonl\n"
    "  fetch --ticker T  download filings from SEC EDGAR (politely, resumably)\n"
    "  db init|migrate|check|copy   a corpus database as a whole (SQLite or PostgreSQL)\n"
    "  serve [--db FILE]  web application and JSON API over a corpus\n"
    "  version           print the version\n"
    "\n"
    "rfx <command> --help shows a command's options. Exit codes: 0 ok, 1 section not\n"
    "found, 2 bad usage, 3 unreadable or invalid input.\n";

/* design.md fixes the exit codes at 0-3: a document over the memory limit
 * is input too large to process under the limits set, so it exits 3 like
 * one over --max-bytes (the message says which limit). */
int cli_fail(int code, const char *fmt, ...) {
    if (code == RFX_ENOMEM) code = RFX_EINPUT;
    va_list ap;
    va_start(ap, fmt);
    fputs("rfx: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

char *cli_slurp(const char *path, size_t *len) {
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) return NULL;
    size_t cap = 65536, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (n + 1 >= cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) { free(b); b = NULL; break; }
            b = nb;
            cap *= 2;
        }
        size_t k = fread(b + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0) break;
    }
    if (f != stdin) fclose(f);
    if (b) b[n] = 0;
    if (len) *len = n;
    return b;
}

int cli_write(const char *path, const char *s) {
    FILE *f = (!path || !strcmp(path, "-")) ? stdout : fopen(path, "wb");
    if (!f) return cli_fail(RFX_EINPUT, "%s: cannot write: %s", path, strerror(errno));
    fputs(s, f);
    if (f != stdout && fclose(f) != 0) return cli_fail(RFX_EINPUT, "%s: write failed", path);
    return 0;
}

int cli_load_register(const char *path, const rfx_options *opt, rfx_register **out) {
    rfx_error err;
    size_t n = strlen(path);
    if (n > 5 && strcmp(path + n - 5, ".json") == 0) {
        size_t len;
        char *s = cli_slurp(path, &len);
        if (!s) return cli_fail(RFX_EINPUT, "%s: cannot open: %s", path, strerror(errno));
        /* a saved register has "risks"; other JSON files (peer outputs) are filings */
        if (strstr(s, "\"risks\"")) {
            rfx_status st = rfx_register_from_json(s, len, out, &err);
            free(s);
            if (st != RFX_OK) return cli_fail(st, "%s", err.message);
            return 0;
        }
        free(s);
    }
    rfx_status st = rfx_parse_file(path, opt, out, &err);
    if (st != RFX_OK) {
        if (*out) { rfx_register_free(*out); *out = NULL; }
        return cli_fail(st, "%s", err.message);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? RFX_EUSAGE : 0;
    }
    const char *c = argv[1];
    if (!strcmp(c, "parse")) return cmd_parse(argc - 1, argv + 1);
    if (!strcmp(c, "diff")) return cmd_diff(argc - 1, argv + 1);
    if (!strcmp(c, "lint")) return cmd_lint(argc - 1, argv + 1);
    if (!strcmp(c, "peers")) return cmd_peers(argc - 1, argv + 1);
    if (!strcmp(c, "eval")) return cmd_eval(argc - 1, argv + 1);
    if (!strcmp(c, "train")) return cmd_train(argc - 1, argv + 1);
    if (!strcmp(c, "index")) return cmd_index(argc - 1, argv + 1);
    if (!strcmp(c, "search")) return cmd_search(argc - 1, argv + 1);
    if (!strcmp(c, "history")) return cmd_history(argc - 1, argv + 1);
    if (!strcmp(c, "stats")) return cmd_stats(argc - 1, argv + 1);
    if (!strcmp(c, "export")) return cmd_export(argc - 1, argv + 1);
    if (!strcmp(c, "fetch")) return cmd_fetch(argc - 1, argv + 1);
    if (!strcmp(c, "db")) return cmd_db(argc - 1, argv + 1);
    if (!strcmp(c, "serve")) return cmd_serve(argc - 1, argv + 1);
    if (!strcmp(c, "version") || !strcmp(c, "--version")) {
        printf("rfx %s\n", RFX_VERSION);
        return 0;
    }
    /* the commands are the usage text's "  name ..." lines, so one added there is known here */
    char names[32][24];
    const char *commands[33];
    size_t nc = 0;
    for (const char *p = usage; (p = strstr(p, "\n  ")) && nc < 32; p++) {
        size_t k = strspn(p + 3, "abcdefghijklmnopqrstuvwxyz-");
        if (k == 0 || k >= sizeof names[0]) continue;
        memcpy(names[nc], p + 3, k);
        names[nc][k] = 0;
        commands[nc] = names[nc];
        nc++;
    }
    commands[nc] = NULL;
    const char *near = cli_nearest(c, commands);
    if (near) return cli_fail(RFX_EUSAGE, "unknown command '%s' (did you mean %s?)", c, near);
    return cli_fail(RFX_EUSAGE, "unknown command '%s' (see rfx --help)", c);
}
