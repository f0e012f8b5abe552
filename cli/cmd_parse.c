/*
 * cmd_parse.c — `rfx parse FILE [--json|--text|--markdown]`.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *help =
    "usage: rfx parse FILE [options]\n"
    "  --json            one JSON object (design.md §3), the default\n"
    "  --pretty          indented JSON\n"
    "  --text            readable in a terminal\n"
    "  --markdown        Markdown report\n"
    "  --blocks          the ingested blocks with offsets and style flags (debugging)\n"
    "  --format F        force the input format: text, html, sgml, pdf\n"
    "  --model FILE      classifier model (default: built in)\n"
    "  --no-classify     skip risk categories\n"
    "  --max-bytes N     refuse inputs over N bytes (default 268435456)\n"
    "  -o FILE           write the output to FILE\n"
    "exit codes: 0 ok, 1 section not found, 2 bad usage, 3 bad input\n";

int cmd_parse(int argc, char **argv) {
    rfx_options opt;
    rfx_options_init(&opt);
    const char *mode = "json", *out_path = NULL, *file = NULL;
    unsigned flags = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); return 0; }
        else if (!strcmp(a, "--json")) mode = "json";
        else if (!strcmp(a, "--pretty")) { mode = "json"; flags |= RFX_RENDER_PRETTY; }
        else if (!strcmp(a, "--text")) mode = "text";
        else if (!strcmp(a, "--markdown") || !strcmp(a, "--md")) mode = "markdown";
        else if (!strcmp(a, "--blocks")) mode = "blocks";
        else if (!strcmp(a, "--no-classify")) opt.no_classify = 1;
        else if ((!strcmp(a, "--format") || !strcmp(a, "--model") || !strcmp(a, "--max-bytes") ||
                  !strcmp(a, "-o")) && i + 1 >= argc)
            return cli_fail(RFX_EUSAGE, "parse: %s needs a value", a);
        else if (!strcmp(a, "--format")) opt.format = argv[++i];
        else if (!strcmp(a, "--model")) opt.model_path = argv[++i];
        else if (!strcmp(a, "-o")) out_path = argv[++i];
        else if (!strcmp(a, "--max-bytes")) {
            char *end;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (*end || v == 0) return cli_fail(RFX_EUSAGE, "parse: --max-bytes takes a positive number");
            opt.max_input_bytes = (size_t)v;
        } else if (a[0] == '-' && a[1]) return cli_fail(RFX_EUSAGE, "parse: unknown option '%s'", a);
        else if (file) return cli_fail(RFX_EUSAGE, "parse: one FILE at a time");
        else file = a;
    }
    if (!file) return cli_fail(RFX_EUSAGE, "parse: no FILE given (see rfx parse --help)");
    rfx_register *reg = NULL;
    rfx_error err;
    rfx_status st = rfx_parse_file(file, &opt, &reg, &err);
    if (st != RFX_OK && st != RFX_ENOTFOUND) return cli_fail(st, "%s", err.message);
    if (st == RFX_ENOTFOUND) fprintf(stderr, "rfx: %s\n", err.message);
    if (!strcmp(mode, "text") && (!out_path || !strcmp(out_path, "-")) && isatty(1) && !getenv("NO_COLOR"))
        flags |= RFX_RENDER_COLOR;
    char *s = !strcmp(mode, "text")       ? rfx_register_text(reg, flags)
              : !strcmp(mode, "markdown") ? rfx_register_markdown(reg, flags)
              : !strcmp(mode, "blocks")   ? rfx_register_blocks(reg, flags)
                                          : rfx_register_json(reg, flags);
    rfx_register_free(reg);
    if (!s) return cli_fail(RFX_ENOMEM, "%s: out of memory rendering the output", file);
    if (mode[0] == 'j') { /* JSON ends with a newline, like every line-oriented tool's output */
        size_t n = strlen(s);
        char *t = realloc(s, n + 2);
        if (!t) { free(s); return cli_fail(RFX_ENOMEM, "out of memory"); }
        s = t;
        s[n] = '\n';
        s[n + 1] = 0;
    }
    int rc = cli_write(out_path, s);
    free(s);
    return rc ? rc : (int)st;
}
