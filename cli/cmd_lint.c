/*
 * cmd_lint.c — `rfx lint FILE...`: what is wrong with a risk factor section
 * before it is filed (docs/lint.md).
 *
 * FILE is a filing or a register saved with `rfx parse --json`. A saved
 * register carries no map back to its source, so when the source it names
 * (source.path) is still there with the same SHA-256, that source is read
 * again and findings get exact spans; otherwise the register is linted as
 * it is, each finding spanning its whole risk, and the rules that need the
 * extracted figures stay silent (a note on stderr says so).
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exit code when --fail-on finds a finding at or above its level: 0-3 are
 * rfx's own (ok, not found, usage, input), 4-5 library statuses. */
#define EXIT_FINDINGS 8

static const char *help =
    "usage: rfx lint FILE... [options]\n"
    "FILE: a filing, or a register saved with `rfx parse --json`.\n"
    "output formats:\n"
    "  --text            compiler-style lines file:line:col: severity: message [rule] (default)\n"
    "  --json            one JSON object per FILE (rule, severity, start, end, line, col,\n"
    "                    text, message, fix)\n"
    "  --sarif           SARIF 2.1.0 for editors and code review (one FILE)\n"
    "  --pretty          indented JSON / SARIF\n"
    "options:\n"
    "  --disable RULES   skip rules: ids or groups, comma-separated (ocr,s105-general)\n"
    "  --fail-on LEVEL   exit 8 when a finding is at LEVEL or worse (note, warning, error)\n"
    "  --previous FILE   last year's filing or saved register: enables the stale-* rules\n"
    "  --list-rules      print the rules and exit\n"
    "  -o FILE           write the output to FILE\n"
    "  --fast            prefix parse of large HTML filings (see rfx parse --help)\n"
    "  -h, --help        this help\n"
    "exit codes: 0 ok, 1 no risk section, 2 bad usage, 3 bad input, 8 findings at --fail-on level\n";

/* for the nearest-option hint of cli_unknown_option */
static const char *const lint_options[] = {"--help", "--text", "--json", "--sarif", "--pretty", "--disable",
                                           "--fail-on", "--previous", "--list-rules", "--fast", NULL};

static int list_rules(void) {
    const char *id, *summary;
    rfx_severity sev;
    for (size_t k = 0; rfx_lint_rule_info(k, &id, &sev, &summary); k++)
        printf("%-20s %-8s %s\n", id, rfx_severity_name(sev), summary);
    return 0;
}

static void sha256_hex(const char *data, size_t len, char out[65]) {
    unsigned char md[32];
    unsigned int n = 0;
    out[0] = 0;
    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32) return;
    for (int i = 0; i < 32; i++) sprintf(out + 2 * i, "%02x", md[i]);
}

/* A saved register whose source is still at hand (same bytes): that path. */
static char *saved_source(const char *path) {
    size_t n = strlen(path);
    if (n <= 5 || strcmp(path + n - 5, ".json")) return NULL;
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) return NULL;
    const char *src = json_string_value(json_object_get(json_object_get(root, "source"), "path"));
    const char *sha = json_string_value(json_object_get(json_object_get(root, "source"), "sha256"));
    char *out = NULL;
    if (src && sha && json_object_get(root, "risks")) {
        size_t len;
        char *data = cli_slurp(src, &len);
        if (data) {
            char hex[65];
            sha256_hex(data, len, hex);
            if (!strcmp(hex, sha)) out = strdup(src);
            free(data);
        }
    }
    json_decref(root);
    return out;
}

static int load(const char *path, const rfx_options *opt, rfx_register **out) {
    char *src = saved_source(path);
    int rc;
    if (src) {
        rc = cli_load_register(src, opt, out);
        free(src);
    } else {
        rc = cli_load_register(path, opt, out);
        size_t n = strlen(path);
        if (!rc && n > 5 && !strcmp(path + n - 5, ".json"))
            fprintf(stderr, "rfx: %s: the source of this saved register is not at hand: findings span "
                            "whole risks, and rules on figures are skipped\n", path);
    }
    return rc;
}

static int level_of(const char *s) {
    if (!strcmp(s, "note")) return RFX_SEV_NOTE;
    if (!strcmp(s, "warning")) return RFX_SEV_WARNING;
    if (!strcmp(s, "error")) return RFX_SEV_ERROR;
    return -1;
}

int cmd_lint(int argc, char **argv) {
    rfx_options opt;
    rfx_options_init(&opt);
    const char *mode = "text", *out_path = NULL, *prev_path = NULL;
    int fail_on = -1;
    unsigned flags = 0;
    char *disable = NULL;
    const char **files = calloc((size_t)argc, sizeof *files);
    int nfiles = 0, rc = 0;
    if (!files) return cli_fail(RFX_ENOMEM, "out of memory");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool needs = !strcmp(a, "-o") || !strcmp(a, "--disable") || !strcmp(a, "--fail-on") ||
                     !strcmp(a, "--previous");
        if (needs && i + 1 >= argc) { rc = cli_fail(RFX_EUSAGE, "lint: %s needs a value", a); goto out; }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); goto out; }
        else if (!strcmp(a, "--list-rules")) { rc = list_rules(); goto out; }
        else if (!strcmp(a, "--json")) mode = "json";
        else if (!strcmp(a, "--sarif")) mode = "sarif";
        else if (!strcmp(a, "--text")) mode = "text";
        else if (!strcmp(a, "--pretty")) flags |= RFX_RENDER_PRETTY;
        else if (!strcmp(a, "--fast")) opt.fast = 1;
        else if (!strcmp(a, "-o")) out_path = argv[++i];
        else if (!strcmp(a, "--previous")) prev_path = argv[++i];
        else if (!strcmp(a, "--fail-on")) {
            fail_on = level_of(argv[++i]);
            if (fail_on < 0) { rc = cli_fail(RFX_EUSAGE, "lint: --fail-on takes note, warning or error"); goto out; }
        } else if (!strcmp(a, "--disable")) {
            const char *v = argv[++i];
            size_t ol = disable ? strlen(disable) : 0;
            char *d = realloc(disable, ol + strlen(v) + 2);
            if (!d) { rc = cli_fail(RFX_ENOMEM, "out of memory"); goto out; }
            if (ol) d[ol++] = ',';
            strcpy(d + ol, v);
            disable = d;
        } else if (a[0] == '-' && a[1]) { rc = cli_unknown_option("lint", a, lint_options); goto out; }
        else files[nfiles++] = a;
    }
    if (!nfiles) { rc = cli_fail(RFX_EUSAGE, "lint: needs a FILE (see rfx lint --help)"); goto out; }
    if (!strcmp(mode, "sarif") && nfiles > 1) { rc = cli_fail(RFX_EUSAGE, "lint: --sarif takes one FILE"); goto out; }
    if (prev_path && nfiles > 1) { rc = cli_fail(RFX_EUSAGE, "lint: --previous goes with one FILE"); goto out; }

    rfx_register *prev = NULL;
    if (prev_path && (rc = load(prev_path, &opt, &prev))) goto out;
    FILE *fo = stdout;
    if (out_path && strcmp(out_path, "-")) {
        fo = fopen(out_path, "wb");
        if (!fo) { rc = cli_fail(RFX_EINPUT, "%s: cannot write: %s", out_path, strerror(errno)); rfx_register_free(prev); goto out; }
    }
    if (!strcmp(mode, "text") && fo == stdout && isatty(1) && !(getenv("NO_COLOR") && getenv("NO_COLOR")[0]))
        flags |= RFX_RENDER_COLOR;
    bool failed = false;
    for (int k = 0; k < nfiles; k++) {
        rfx_register *reg = NULL;
        int lrc = load(files[k], &opt, &reg);
        if (lrc) {
            if (!rc) rc = lrc;
            continue;
        }
        rfx_lint_options lo;
        rfx_lint_options_init(&lo);
        lo.disable = disable;
        lo.previous = prev;
        rfx_findings *f = NULL;
        rfx_error err;
        rfx_status st = rfx_lint(reg, &lo, &f, &err);
        if (st != RFX_OK) {
            rc = cli_fail(st, "%s", err.message);
            rfx_register_free(reg);
            break;
        }
        char *s = !strcmp(mode, "json") ? rfx_findings_json(f, files[k], flags)
                  : !strcmp(mode, "sarif") ? rfx_findings_sarif(f, files[k], flags)
                                           : rfx_findings_text(f, files[k], flags);
        if (!s) {
            rc = cli_fail(RFX_ENOMEM, "lint: out of memory");
        } else {
            fputs(s, fo);
            if (strcmp(mode, "text")) fputc('\n', fo);
            free(s);
        }
        for (size_t i = 0; fail_on >= 0 && i < rfx_findings_count(f); i++)
            if ((int)rfx_finding_severity(f, i) >= fail_on) failed = true;
        rfx_findings_free(f);
        rfx_register_free(reg);
    }
    if (fo != stdout && fclose(fo) != 0 && !rc) rc = cli_fail(RFX_EINPUT, "%s: write failed", out_path);
    rfx_register_free(prev);
    if (!rc && failed) rc = EXIT_FINDINGS;
out:
    free(disable);
    free(files);
    return rc;
}
