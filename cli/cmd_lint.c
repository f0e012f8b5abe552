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
    "       rfx lint FILE --db DB [options]          last year's filing looked up in DB\n"
    "       rfx lint --db DB [filters] [options]     every matching filing of a corpus\n"
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
    "  --db DB           a corpus (rfx index): each filing is compared with the one before it\n"
    "                    of its company and form (stale-* rules); without FILE, lint the\n"
    "                    corpus's filings (all, or those the filters select)\n"
    "filters (with --db and no FILE):\n"
    "  --company NAME    company name words (case-insensitive) or a ticker\n"
    "  --cik N           company CIK\n"
    "  --form F          10-K, 10-Q, 20-F, ...\n"
    "  --year A..B       fiscal years A to B (A, A.., ..B also work)\n"
    "  --list-rules      print the rules and exit\n"
    "  -o FILE           write the output to FILE\n"
    "  --fast            prefix parse of large HTML filings (see rfx parse --help)\n"
    "  -h, --help        this help\n"
    "exit codes: 0 ok, 1 no risk section, 2 bad usage, 3 bad input, 8 findings at --fail-on level\n";

/* for the nearest-option hint of cli_unknown_option */
static const char *const lint_options[] = {"--help", "--text", "--json", "--sarif", "--pretty", "--disable",
                                           "--fail-on", "--previous", "--list-rules", "--fast", "--db",
                                           "--company", "--cik", "--form", "--year", NULL};

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

/* ---------------- corpus (--db) ---------------- */

#define MAX_CHAIN 40 /* filings walked back for stale-risk's year count */

typedef struct lint_run {
    const char *mode;
    unsigned flags;
    int fail_on;
    bool failed;
    const char *disable;
    FILE *fo;
    json_t *sarif; /* --sarif over several filings: one log, one run each */
    int rc;
} lint_run;

static const char *jget(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* A stored filing as a register: its source parsed again when it is still
 * there with the stored SHA-256 (exact spans, facts for stale-figure), else
 * the register the store keeps. */
static rfx_register *load_stored(rfx_store *st, json_t *fil, const rfx_options *opt) {
    const char *src = jget(fil, "source_path"), *sha = jget(fil, "sha256");
    rfx_register *reg = NULL;
    size_t sl = src ? strlen(src) : 0;
    /* a JSON source (saved register, edgar-crawler) is what the store holds */
    if (src && sha && !(sl > 5 && !strcmp(src + sl - 5, ".json"))) {
        size_t len;
        char *data = cli_slurp(src, &len);
        if (data) {
            char hex[65];
            sha256_hex(data, len, hex);
            free(data);
            rfx_error err;
            if (!strcmp(hex, sha) && rfx_parse_file(src, opt, &reg, &err) != RFX_OK) {
                rfx_register_free(reg);
                reg = NULL;
            }
        }
    }
    if (!reg) {
        rfx_error err;
        if (rfx_store_load_register(st, (long)json_integer_value(json_object_get(fil, "filing_id")), &reg, &err) != RFX_OK) {
            fprintf(stderr, "rfx: lint: filing %s: %s\n", src ? src : "?", err.message);
            return NULL;
        }
    }
    return reg;
}

static int by_period_desc(const void *a, const void *b) {
    const char *x = jget(*(json_t *const *)a, "period"), *y = jget(*(json_t *const *)b, "period");
    return strcmp(y ? y : "", x ? x : "");
}

/* The filings of the same company (CIK, else exact name) and form with a
 * period before `period`, newest first, at most MAX_CHAIN. */
static size_t chain_before(rfx_store *st, const char *cik, const char *company, const char *form,
                           const char *period, json_t **root, json_t **v) {
    *root = NULL;
    if (!form || !period || (!(cik && cik[0]) && !(company && company[0]))) return 0;
    rfx_store_query q;
    rfx_store_query_init(&q);
    if (cik && cik[0]) q.cik = cik;
    else q.company = company;
    q.form = form;
    char *js = NULL;
    rfx_error err;
    if (rfx_store_filings(st, &q, &js, &err) != RFX_OK) return 0;
    *root = json_loads(js, 0, NULL);
    free(js);
    json_t *arr = json_object_get(*root, "filings");
    size_t n = 0, i;
    json_t *f;
    json_t **all = calloc(json_array_size(arr) + 1, sizeof *all);
    if (!all) return 0;
    json_array_foreach(arr, i, f) {
        const char *p = jget(f, "period"), *fm = jget(f, "form");
        if (!p || strcmp(p, period) >= 0 || !fm || strcasecmp(fm, form)) continue;
        if (!(cik && cik[0]) && (!jget(f, "company") || strcasecmp(jget(f, "company"), company))) continue;
        all[n++] = f;
    }
    qsort(all, n, sizeof *all, by_period_desc);
    if (n > MAX_CHAIN) n = MAX_CHAIN;
    memcpy(v, all, n * sizeof *v);
    free(all);
    return n;
}

/* Adds the filing's facts to a findings JSON object's "source". */
static char *with_filing(char *s, json_t *fil, unsigned flags) {
    json_t *root = json_loads(s, 0, NULL);
    if (!root) return s;
    json_t *src = json_object_get(root, "source");
    static const char *const keys[] = {"filing_id", "company", "cik", "form", "period", "fiscal_year", NULL};
    for (size_t k = 0; keys[k]; k++) {
        json_t *v = json_object_get(fil, keys[k]);
        json_object_set(src, keys[k], v ? v : json_null());
    }
    char *o = json_dumps(root, (flags & RFX_RENDER_PRETTY ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!o) return s;
    free(s);
    return o;
}

/* Lints reg against its predecessors and writes the findings. fil: the
 * stored filing (JSON facts) or NULL for a FILE. */
static void lint_emit_one(lint_run *R, rfx_register *reg, const char *name, json_t *fil,
                          const rfx_register *prev, const rfx_register *const *older, size_t nolder) {
    rfx_lint_options lo;
    rfx_lint_options_init(&lo);
    lo.disable = R->disable;
    lo.previous = prev;
    lo.older = older;
    lo.nolder = nolder;
    rfx_findings *f = NULL;
    rfx_error err;
    rfx_status st = rfx_lint(reg, &lo, &f, &err);
    if (st != RFX_OK) {
        R->rc = cli_fail(st, "%s", err.message);
        return;
    }
    bool json = !strcmp(R->mode, "json"), sarif = !strcmp(R->mode, "sarif");
    char *s = json ? rfx_findings_json(f, name, R->flags) : sarif ? rfx_findings_sarif(f, name, R->flags)
                                                               : rfx_findings_text(f, name, R->flags);
    if (s && json && fil) s = with_filing(s, fil, R->flags);
    if (!s) {
        R->rc = cli_fail(RFX_ENOMEM, "lint: out of memory");
    } else if (sarif && R->sarif) {
        /* one log for the corpus: each filing's run appended */
        json_t *doc = json_loads(s, 0, NULL);
        json_t *runs = json_object_get(R->sarif, "runs");
        if (!runs) json_object_set(R->sarif, "runs", json_object_get(doc, "runs"));
        else json_array_extend(runs, json_object_get(doc, "runs"));
        if (!json_object_get(R->sarif, "version")) {
            json_object_set(R->sarif, "$schema", json_object_get(doc, "$schema"));
            json_object_set(R->sarif, "version", json_object_get(doc, "version"));
        }
        json_decref(doc);
        free(s);
    } else {
        if (fil && !json && !sarif)
            fprintf(R->fo, "# %s, %s, period %s: %s\n", jget(fil, "company") ? jget(fil, "company") : "?",
                    jget(fil, "form") ? jget(fil, "form") : "?", jget(fil, "period") ? jget(fil, "period") : "?",
                    name);
        fputs(s, R->fo);
        if (strcmp(R->mode, "text")) fputc('\n', R->fo);
        free(s);
    }
    for (size_t i = 0; R->fail_on >= 0 && i < rfx_findings_count(f); i++)
        if ((int)rfx_finding_severity(f, i) >= R->fail_on) R->failed = true;
    rfx_findings_free(f);
}

/* reg (a FILE, or stored filing fil) with its chain from the store. */
static void lint_with_chain(lint_run *R, rfx_store *st, rfx_register *reg, const char *name, json_t *fil,
                            const rfx_options *opt) {
    const char *cik = fil ? jget(fil, "cik") : rfx_register_fact(reg, "cik");
    const char *company = fil ? jget(fil, "company") : rfx_register_fact(reg, "company");
    const char *form = fil ? jget(fil, "form") : rfx_register_fact(reg, "form");
    const char *period = fil ? jget(fil, "period") : rfx_register_fact(reg, "period");
    json_t *root = NULL, *chain[MAX_CHAIN];
    size_t n = chain_before(st, cik, company, form, period, &root, chain);
    rfx_register *regs[MAX_CHAIN];
    size_t m = 0;
    /* the previous filing parsed afresh when it can be (stale-figure reads its
     * sentences); older ones only for stale-risk's count: stored registers */
    for (; m < n; m++) {
        regs[m] = m == 0 ? load_stored(st, chain[m], opt) : NULL;
        if (m > 0) {
            rfx_error err;
            if (rfx_store_load_register(st, (long)json_integer_value(json_object_get(chain[m], "filing_id")),
                                        &regs[m], &err) != RFX_OK)
                regs[m] = NULL;
        }
        if (!regs[m]) break;
    }
    if (!fil && !m)
        fprintf(stderr, "rfx: lint: %s: no earlier %s of %s in the corpus: stale-* rules skipped\n", name,
                form ? form : "filing", company ? company : cik ? cik : "this company");
    lint_emit_one(R, reg, name, fil, m ? regs[0] : NULL, m > 1 ? (const rfx_register *const *)regs + 1 : NULL,
                  m > 1 ? m - 1 : 0);
    for (size_t k = 0; k < m; k++) rfx_register_free(regs[k]);
    json_decref(root);
}

static void lint_corpus(lint_run *R, rfx_store *st, const rfx_store_query *q, const rfx_options *opt) {
    char *js = NULL;
    rfx_error err;
    rfx_status s = rfx_store_filings(st, q, &js, &err);
    if (s != RFX_OK) {
        R->rc = cli_fail(s, "%s", err.message);
        return;
    }
    json_t *root = json_loads(js, 0, NULL);
    free(js);
    json_t *arr = json_object_get(root, "filings"), *fil;
    size_t i;
    if (!json_array_size(arr)) fprintf(stderr, "rfx: lint: no filing in the corpus matches\n");
    json_array_foreach(arr, i, fil) {
        rfx_register *reg = load_stored(st, fil, opt);
        if (!reg) {
            if (!R->rc) R->rc = RFX_EINPUT;
            continue;
        }
        const char *src = jget(fil, "source_path");
        lint_with_chain(R, st, reg, src ? src : "-", fil, opt);
        rfx_register_free(reg);
        if (R->rc == RFX_ENOMEM) break;
    }
    json_decref(root);
}

int cmd_lint(int argc, char **argv) {
    rfx_options opt;
    rfx_options_init(&opt);
    const char *mode = "text", *out_path = NULL, *prev_path = NULL, *db = NULL;
    rfx_store_query q;
    rfx_store_query_init(&q);
    bool filtered = false;
    int fail_on = -1;
    unsigned flags = 0;
    char *disable = NULL;
    const char **files = calloc((size_t)argc, sizeof *files);
    int nfiles = 0, rc = 0;
    if (!files) return cli_fail(RFX_ENOMEM, "out of memory");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool needs = !strcmp(a, "-o") || !strcmp(a, "--disable") || !strcmp(a, "--fail-on") ||
                     !strcmp(a, "--previous") || !strcmp(a, "--db");
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
        else if (!strcmp(a, "--db")) db = argv[++i];
        else if (!strcmp(a, "--company") || !strcmp(a, "--cik") || !strcmp(a, "--form") || !strcmp(a, "--year")) {
            int qr = cli_query_option("lint", argc, argv, &i, &q);
            if (qr) { rc = qr; goto out; }
            filtered = true;
        }
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
    if (!nfiles && !db) { rc = cli_fail(RFX_EUSAGE, "lint: needs a FILE or --db (see rfx lint --help)"); goto out; }
    if (filtered && (!db || nfiles)) { rc = cli_fail(RFX_EUSAGE, "lint: --company, --cik, --form and --year select filings of --db without FILE"); goto out; }
    if (!strcmp(mode, "sarif") && nfiles > 1) { rc = cli_fail(RFX_EUSAGE, "lint: --sarif takes one FILE"); goto out; }
    if (prev_path && nfiles != 1) { rc = cli_fail(RFX_EUSAGE, "lint: --previous goes with one FILE"); goto out; }
    if (prev_path && db) { rc = cli_fail(RFX_EUSAGE, "lint: --previous and --db both give last year's filing: use one"); goto out; }

    rfx_register *prev = NULL;
    rfx_store *st = NULL;
    if (prev_path && (rc = load(prev_path, &opt, &prev))) goto out;
    if (db && (rc = cli_store_open(db, RFX_STORE_READONLY, &st))) goto out;
    lint_run R = {.mode = mode, .flags = flags, .fail_on = fail_on, .disable = disable, .fo = stdout};
    if (out_path && strcmp(out_path, "-")) {
        R.fo = fopen(out_path, "wb");
        if (!R.fo) { rc = cli_fail(RFX_EINPUT, "%s: cannot write: %s", out_path, strerror(errno)); rfx_register_free(prev); rfx_store_close(st); goto out; }
    }
    if (!strcmp(mode, "text") && R.fo == stdout && isatty(1) && !(getenv("NO_COLOR") && getenv("NO_COLOR")[0]))
        R.flags |= RFX_RENDER_COLOR;
    if (!strcmp(mode, "sarif") && !nfiles) R.sarif = json_object();
    for (int k = 0; k < nfiles && R.rc != RFX_ENOMEM; k++) {
        rfx_register *reg = NULL;
        int lrc = load(files[k], &opt, &reg);
        if (lrc) {
            if (!R.rc) R.rc = lrc;
            continue;
        }
        if (st) lint_with_chain(&R, st, reg, files[k], NULL, &opt);
        else lint_emit_one(&R, reg, files[k], NULL, prev, NULL, 0);
        rfx_register_free(reg);
        if (R.rc && R.rc != 1 && R.rc != RFX_EINPUT) break;
    }
    if (!nfiles && st) lint_corpus(&R, st, &q, &opt);
    if (R.sarif) {
        if (!json_object_get(R.sarif, "runs")) {
            /* no filing matched: an empty, valid log */
            json_object_set_new(R.sarif, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
            json_object_set_new(R.sarif, "version", json_string("2.1.0"));
            json_object_set_new(R.sarif, "runs", json_array());
        }
        char *s = json_dumps(R.sarif, (flags & RFX_RENDER_PRETTY ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
        if (s) { fputs(s, R.fo); fputc('\n', R.fo); free(s); }
        else if (!R.rc) R.rc = cli_fail(RFX_ENOMEM, "lint: out of memory");
        json_decref(R.sarif);
    }
    rc = R.rc;
    if (R.fo != stdout && fclose(R.fo) != 0 && !rc) rc = cli_fail(RFX_EINPUT, "%s: write failed", out_path);
    rfx_register_free(prev);
    rfx_store_close(st);
    if (!rc && R.failed) rc = EXIT_FINDINGS;
out:
    free(disable);
    free(files);
    return rc;
}
