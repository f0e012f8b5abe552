/*
 * cmd_parse.c — `rfx parse FILE [--json|--text|--markdown]`, and batch mode:
 * `rfx parse [--jobs N] DIR|FILE...` writes JSON Lines (cli/batch.c).
 *
 * One FILE without --jobs keeps the single-document behaviour: one JSON
 * object (or text/Markdown), exit code = that document's status. Several
 * inputs, a directory, or --jobs switch to batch mode, whose contract is
 * "one line per input, in input order, and the run never stops early".
 */
#include "batch.h"
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *help =
    "usage: rfx parse FILE [options]\n"
    "       rfx parse [--jobs N] DIR|FILE...   (batch: JSON Lines, one per input)\n"
    "FILE: a filing (HTML, EDGAR .txt submission, plain text), or - for stdin.\n"
    "output formats:\n"
    "  --json            one JSON object, the risk register (the default); fields:\n"
    "                    share/doc/rfx/json.md, schema: share/rfx/schema/ (installed)\n"
    "  --pretty          indented JSON\n"
    "  --text            readable in a terminal\n"
    "  --markdown        Markdown report\n"
    "  --blocks          the ingested blocks with offsets and style flags (debugging)\n"
    "  batch mode        JSON Lines: a register, or an error record, per input\n"
    "options:\n"
    "  --format F        force the input format: text, html, sgml, markdown, pdf\n"
    "  --model FILE      classifier model (default: built in; rfx train makes one)\n"
    "  --wordlist NAME=FILE  count metric NAME (uncertainty, litigious, negative) with\n"
    "                    FILE's words: a Loughran-McDonald Master Dictionary CSV\n"
    "                    (column NAME) or one word a line; repeatable\n"
    "  --no-classify     skip risk categories\n"
    "  --fast            read a large HTML filing only up to where its Item 1A is\n"
    "                    settled (about 1.5x faster; source.bytes_read says so)\n"
    "  --max-bytes N     refuse inputs over N bytes (default 256M; K, M, G suffixes)\n"
    "  --max-memory N    per-document memory limit (default 1G)\n"
    "  --max-depth N     HTML nesting kept before flattening (default 400)\n"
    "  --source-text     print the text offsets index (for PDF: the extracted text)\n"
    "  --ocr             PDF: OCR every page, even those with a text layer\n"
    "  --no-ocr          PDF: never OCR (pages without a text layer stay unread)\n"
    "  --ocr-lang L      PDF: Tesseract languages (default eng, +jpn when installed)\n"
    "  --ocr-dpi N       PDF: render pages for OCR at N dpi (default 300)\n"
    "  --ocr-timeout S   PDF: OCR time limit per page in seconds (default 60)\n"
    "  --max-pages N     PDF: read at most N pages (default 2000)\n"
    "  --max-pixels N    PDF: pixels per rendered page (default 40M; dpi lowered to fit)\n"
    "  -j, --jobs N      batch: parse with N threads (0 = one per CPU)\n"
    "  -q, --quiet       batch: no per-file error lines and no summary\n"
    "  -o FILE           write the output to FILE\n"
    "  -h, --help        this help\n"
    "exit codes: 0 ok, 1 section not found, 2 bad usage, 3 bad input (incl. over a limit);\n"
    "batch: 0 when every file parsed (section found or not), 3 when any failed\n";

/* "64M" → 67108864. Binary multiples, because limits are about memory. */
static bool parse_size(const char *s, size_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || s[0] == '-') return false;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (shift && (!strcmp(end, "iB") || !strcmp(end, "B"))) end += strlen(end);
    if (*end || v == 0 || v > (SIZE_MAX >> shift)) return false;
    *out = (size_t)(v << shift);
    return true;
}

static const char *const options[] = {"--help", "--json", "--pretty", "--text", "--markdown", "--md",
                                      "--blocks", "--format", "--model", "--wordlist", "--no-classify",
                                      "--fast", "--max-bytes", "--max-memory", "--max-depth", "--jobs",
                                      "--quiet", "--source-text", "--ocr", "--no-ocr", "--ocr-lang",
                                      "--ocr-dpi", "--ocr-timeout", "--max-pages", "--max-pixels", NULL};

static int parse_run(int argc, char **argv, rfx_wordlists **wl) {
    rfx_options opt;
    rfx_options_init(&opt);
    const char *mode = "json", *out_path = NULL;
    unsigned flags = 0;
    long jobs = -1; /* -1: not given */
    bool quiet = false, mode_set = false, fast = false;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    if (!files) return cli_fail(RFX_ENOMEM, "out of memory");
    int rc = -1;
    for (int i = 1; i < argc && rc < 0; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); rc = 0; }
        else if (!strcmp(a, "--json")) mode = "json";
        else if (!strcmp(a, "--pretty")) { mode = "json"; flags |= RFX_RENDER_PRETTY; mode_set = true; }
        else if (!strcmp(a, "--text")) { mode = "text"; mode_set = true; }
        else if (!strcmp(a, "--markdown") || !strcmp(a, "--md")) { mode = "markdown"; mode_set = true; }
        else if (!strcmp(a, "--blocks")) { mode = "blocks"; mode_set = true; }
        else if (!strcmp(a, "--no-classify")) opt.no_classify = 1;
        else if (!strcmp(a, "--source-text")) { mode = "source"; mode_set = true; }
        else if (!strcmp(a, "--ocr")) opt.ocr = 1;
        else if (!strcmp(a, "--no-ocr")) opt.ocr = -1;
        else if ((!strcmp(a, "--ocr-lang") || !strcmp(a, "--ocr-dpi") || !strcmp(a, "--ocr-timeout") ||
                  !strcmp(a, "--max-pages") || !strcmp(a, "--max-pixels")) && i + 1 >= argc)
            rc = cli_fail(RFX_EUSAGE, "parse: %s needs a value", a);
        else if (!strcmp(a, "--ocr-lang")) opt.ocr_lang = argv[++i];
        else if (!strcmp(a, "--max-pixels")) {
            if (!parse_size(argv[++i], &opt.max_page_pixels))
                rc = cli_fail(RFX_EUSAGE, "parse: --max-pixels takes a positive number");
        } else if (!strcmp(a, "--ocr-dpi") || !strcmp(a, "--ocr-timeout") || !strcmp(a, "--max-pages")) {
            char *end;
            unsigned long v = strtoul(argv[++i], &end, 10);
            unsigned long hi = !strcmp(a, "--ocr-dpi") ? 1200 : !strcmp(a, "--ocr-timeout") ? 86400 : 1000000;
            if (*end || v == 0 || v > hi || argv[i][0] == '-')
                rc = cli_fail(RFX_EUSAGE, "parse: %s takes a number from 1 to %lu", a, hi);
            else if (a[2] == 'm') opt.max_pages = (unsigned)v;
            else if (a[6] == 'd') opt.ocr_dpi = (unsigned)v;
            else opt.ocr_page_seconds = (unsigned)v;
        }
        else if (!strcmp(a, "--fast")) fast = true;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) quiet = true;
        else if ((!strcmp(a, "--format") || !strcmp(a, "--model") || !strcmp(a, "--max-bytes") ||
                  !strcmp(a, "--max-memory") || !strcmp(a, "--max-depth") || !strcmp(a, "--jobs") ||
                  !strcmp(a, "-j") || !strcmp(a, "-o") || !strcmp(a, "--wordlist")) && i + 1 >= argc)
            rc = cli_fail(RFX_EUSAGE, "parse: %s needs a value", a);
        else if (!strcmp(a, "--format")) opt.format = argv[++i];
        else if (!strcmp(a, "--model")) opt.model_path = argv[++i];
        else if (!strcmp(a, "--wordlist")) {
            int r = cli_wordlist_option("parse", argv[++i], wl, &opt);
            if (r) rc = r;
        } else if (!strcmp(a, "-o")) out_path = argv[++i];
        else if (!strcmp(a, "--max-bytes")) {
            if (!parse_size(argv[++i], &opt.max_input_bytes))
                rc = cli_fail(RFX_EUSAGE, "parse: --max-bytes takes a positive number");
        } else if (!strcmp(a, "--max-memory")) {
            if (!parse_size(argv[++i], &opt.max_memory_bytes))
                rc = cli_fail(RFX_EUSAGE, "parse: --max-memory takes a positive number");
        } else if (!strcmp(a, "--max-depth")) {
            char *end;
            unsigned long v = strtoul(argv[++i], &end, 10);
            if (*end || v == 0 || v > 1000000 || argv[i][0] == '-')
                rc = cli_fail(RFX_EUSAGE, "parse: --max-depth takes a number from 1 to 1000000");
            else opt.max_html_depth = (unsigned)v;
        } else if (!strcmp(a, "--jobs") || !strcmp(a, "-j")) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || end == argv[i] || v < 0 || v > 1024)
                rc = cli_fail(RFX_EUSAGE, "parse: --jobs takes a number from 0 to 1024");
            else jobs = v;
        } else if (a[0] == '-' && a[1]) rc = cli_unknown_option("parse", a, options);
        else files[nfiles++] = argv[i];
    }
    opt.fast = fast && strcmp(mode, "blocks") != 0; /* --blocks lists every block */
    if (rc >= 0) { free(files); return rc; }
    if (!nfiles) { free(files); return cli_fail(RFX_EUSAGE, "parse: no FILE given (see rfx parse --help)"); }

    struct stat st;
    bool batch = jobs >= 0 || nfiles > 1 || (stat(files[0], &st) == 0 && S_ISDIR(st.st_mode));
    if (batch) {
        if (mode_set) {
            free(files);
            return cli_fail(RFX_EUSAGE, "parse: batch mode writes JSON Lines; --pretty, --text, "
                                        "--markdown, --blocks and --source-text need a single FILE");
        }
        if (jobs == 0) {
            long n = sysconf(_SC_NPROCESSORS_ONLN);
            jobs = n > 0 ? n : 1;
        }
        batch_opts bo = {.opt = &opt, .jobs = jobs > 0 ? (unsigned)jobs : 1, .out_path = out_path,
                         .quiet = quiet};
        rc = batch_run(files, nfiles, &bo);
        free(files);
        return rc;
    }
    const char *file = files[0];
    free(files);

    rfx_register *reg = NULL;
    rfx_error err;
    rfx_status st2 = rfx_parse_file(file, &opt, &reg, &err);
    if (st2 != RFX_OK && st2 != RFX_ENOTFOUND) return cli_fail(st2, "%s", err.message);
    if (st2 == RFX_ENOTFOUND) fprintf(stderr, "rfx: %s\n", err.message);
    if (!strcmp(mode, "text") && (!out_path || !strcmp(out_path, "-")) && isatty(1) && !getenv("NO_COLOR"))
        flags |= RFX_RENDER_COLOR;
    if (!strcmp(mode, "source")) { /* the bytes every offset indexes */
        size_t n = 0;
        const char *t = rfx_source_text(reg, &n);
        char *copy = malloc(n + 1);
        if (copy) { memcpy(copy, t ? t : "", n); copy[n] = 0; }
        rfx_register_free(reg);
        if (!copy) return cli_fail(RFX_ENOMEM, "out of memory");
        rc = cli_write(out_path, copy);
        free(copy);
        return rc ? rc : (int)st2;
    }
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
    rc = cli_write(out_path, s);
    free(s);
    return rc ? rc : (int)st2;
}

int cmd_parse(int argc, char **argv) {
    rfx_wordlists *wl = NULL; /* --wordlist: lives until every parse is done */
    int rc = parse_run(argc, argv, &wl);
    rfx_wordlists_free(wl);
    return rc;
}
