/*
 * cmd_diff.c — `rfx diff OLD NEW`: what changed in the risk factors.
 *
 * OLD and NEW are each a filing or a register saved with `rfx parse --json`
 * (cli_load_register tells them apart). The terminal view is coloured only
 * when stdout is a terminal and NO_COLOR is unset, so a pipe gets plain text
 * with wdiff-style [-deleted-] {+inserted+} marks.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *help =
    "usage: rfx diff OLD NEW [options]\n"
    "  OLD, NEW          filings, or registers saved with `rfx parse --json`\n"
    "output formats:\n"
    "  --text            terminal view with a word-level redline (the default;\n"
    "                    [-deleted-] {+inserted+} marks when not a terminal)\n"
    "  --json            one JSON object: counts, similarity, pairs with redlines\n"
    "                    (fields: share/doc/rfx/json.md where rfx is installed)\n"
    "  --pretty          indented JSON\n"
    "  --html FILE       one self-contained HTML page\n"
    "options:\n"
    "  -o FILE           write the text/JSON output to FILE\n"
    "  --no-classify     skip risk categories while parsing (faster)\n"
    "  --fast            prefix parse of large HTML filings (see rfx parse --help)\n"
    "  --wordlist NAME=FILE  metric word list, as in rfx parse --help\n"
    "  -h, --help        this help\n"
    "exit codes: 0 ok, 1 a section not found, 2 bad usage, 3 bad input (or a saved\n"
    "register of a newer schema_version)\n";

static const char *const options[] = {"--help", "--text", "--json", "--pretty", "--html",
                                      "--no-classify", "--fast", "--wordlist", NULL};

static int write_json_line(const char *path, char *s) {
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (!t) { free(s); return cli_fail(RFX_ENOMEM, "out of memory"); }
    t[n] = '\n';
    t[n + 1] = 0;
    int rc = cli_write(path, t);
    free(t);
    return rc;
}

static int diff_run(int argc, char **argv, rfx_wordlists **wl) {
    rfx_options opt;
    rfx_options_init(&opt);
    const char *mode = NULL, *html_path = NULL, *out_path = NULL, *files[2] = {NULL, NULL};
    unsigned flags = 0;
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); return 0; }
        else if (!strcmp(a, "--json")) mode = "json";
        else if (!strcmp(a, "--pretty")) { mode = "json"; flags |= RFX_RENDER_PRETTY; }
        else if (!strcmp(a, "--text")) mode = "text";
        else if (!strcmp(a, "--no-classify")) opt.no_classify = 1;
        else if (!strcmp(a, "--fast")) opt.fast = 1;
        else if ((!strcmp(a, "--html") || !strcmp(a, "-o") || !strcmp(a, "--wordlist")) && i + 1 >= argc)
            return cli_fail(RFX_EUSAGE, "diff: %s needs a %s", a, a[2] == 'w' ? "NAME=FILE" : "FILE");
        else if (!strcmp(a, "--wordlist")) {
            int r = cli_wordlist_option("diff", argv[++i], wl, &opt);
            if (r) return r;
        }
        else if (!strcmp(a, "--html")) html_path = argv[++i];
        else if (!strcmp(a, "-o")) out_path = argv[++i];
        else if (a[0] == '-' && a[1]) return cli_unknown_option("diff", a, options);
        else if (nfiles == 2) return cli_fail(RFX_EUSAGE, "diff: takes exactly two files, OLD and NEW");
        else files[nfiles++] = a;
    }
    if (nfiles != 2) return cli_fail(RFX_EUSAGE, "diff: needs OLD and NEW (see rfx diff --help)");
    /* --html alone writes only the page; with --json/--text both are written */
    if (!mode && !html_path) mode = "text";

    rfx_register *reg[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        int rc = cli_load_register(files[k], &opt, &reg[k]);
        if (rc) {
            rfx_register_free(reg[0]);
            return rc;
        }
    }
    rfx_diff *d = NULL;
    rfx_error err;
    rfx_status st = rfx_diff_compute(reg[0], reg[1], &d, &err);
    int rc = 0;
    if (st != RFX_OK) {
        rc = cli_fail(st, "diff: %s", err.message);
        goto out;
    }
    if (html_path) {
        char *h = rfx_diff_html(d, 0);
        if (!h) { rc = cli_fail(RFX_ENOMEM, "diff: out of memory rendering HTML"); goto out; }
        rc = cli_write(html_path, h);
        free(h);
        if (rc) goto out;
    }
    if (mode && !strcmp(mode, "json")) {
        char *s = rfx_diff_json(d, flags);
        rc = s ? write_json_line(out_path, s) : cli_fail(RFX_ENOMEM, "diff: out of memory");
    } else if (mode) {
        if ((!out_path || !strcmp(out_path, "-")) && isatty(1) &&
            !(getenv("NO_COLOR") && getenv("NO_COLOR")[0]))
            flags |= RFX_RENDER_COLOR;
        char *s = rfx_diff_text(d, flags);
        rc = s ? cli_write(out_path, s) : cli_fail(RFX_ENOMEM, "diff: out of memory");
        free(s);
    }
out:
    rfx_diff_free(d);
    rfx_register_free(reg[0]);
    rfx_register_free(reg[1]);
    return rc;
}

int cmd_diff(int argc, char **argv) {
    rfx_wordlists *wl = NULL; /* --wordlist: lives until both filings are parsed */
    int rc = diff_run(argc, argv, &wl);
    rfx_wordlists_free(wl);
    return rc;
}
