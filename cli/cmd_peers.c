/*
 * cmd_peers.c — `rfx peers COMPANY|CIK --in DIR|FILE...`: a company's risk
 * factors against its peers' (docs/peers.md).
 *
 * The set is read from a corpus store (--db: every stored filing's
 * register) and/or paths: filings (.htm, .html, .txt) and saved registers
 * (.json holding "risks"), directories walked recursively. A file
 * that cannot be read is skipped with a line on stderr: one bad filing does
 * not spoil a comparison over hundreds. Parsing skips classification
 * (categories play no part here).
 */
#include "cli.h"

#include <dirent.h>
#include <jansson.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *help =
    "usage: rfx peers COMPANY|CIK (--db FILE | --in DIR|FILE...) [options]\n"
    "  COMPANY|CIK       the company: CIK, name (substring) or ticker / file-name prefix\n"
    "output formats:\n"
    "  --text            a readable report (the default)\n"
    "  --json            JSON\n"
    "  --pretty          indented JSON\n"
    "  --html FILE       one self-contained HTML page\n"
    "options:\n"
    "  --in PATH         filings or saved registers; directories are walked (repeatable)\n"
    "  --db FILE         a corpus store (rfx index): every stored filing joins the set\n"
    "  --year Y          the company's filing for fiscal year Y (default: its latest);\n"
    "                    each peer's filing nearest that year\n"
    "  --peers A,B,...   compare with these companies instead of the nearest ones\n"
    "  --top N           how many nearest peers (default 5)\n"
    "  --fast            prefix parse of large HTML filings (see rfx parse --help)\n"
    "  -o FILE           write the text/JSON output to FILE\n"
    "  -h, --help        this help\n"
    "exit codes: 0 ok, 2 bad usage (company or peer not in the set), 3 bad input\n";

/* for the nearest-option hint of cli_unknown_option */
static const char *const peers_options[] = {"--help", "--in", "--year", "--peers", "--top", "--json", "--pretty",
                                            "--text", "--html", "--fast", "--db", NULL};

typedef struct set {
    rfx_register **v;
    size_t n, cap;
    size_t skipped;
} set;

static bool wanted(const char *name) {
    size_t n = strlen(name);
    return (n > 4 && (!strcmp(name + n - 4, ".htm") || !strcmp(name + n - 4, ".txt"))) ||
           (n > 5 && (!strcmp(name + n - 5, ".html") || !strcmp(name + n - 5, ".json")));
}

static void add_file(set *S, const char *path, const rfx_options *opt) {
    size_t n = strlen(path);
    if (n > 5 && !strcmp(path + n - 5, ".json")) { /* only saved registers */
        size_t len;
        char *s = cli_slurp(path, &len);
        bool reg = s && strstr(s, "\"risks\"");
        free(s);
        if (!reg) return;
    }
    rfx_register *r = NULL;
    if (isatty(2)) fprintf(stderr, "\rrfx peers: reading %zu files...", S->n + S->skipped + 1);
    if (cli_load_register(path, opt, &r) || !r) {
        S->skipped++;
        return;
    }
    if (S->n == S->cap) {
        size_t nc = S->cap ? S->cap * 2 : 64;
        rfx_register **v = realloc(S->v, nc * sizeof *v);
        if (!v) { rfx_register_free(r); S->skipped++; return; }
        S->v = v;
        S->cap = nc;
    }
    S->v[S->n++] = r;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void add_path(set *S, const char *path, const rfx_options *opt, int depth) {
    struct stat st;
    if (stat(path, &st) != 0) {
        cli_fail(RFX_EINPUT, "%s: %s", path, strerror(errno));
        S->skipped++;
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        add_file(S, path, opt);
        return;
    }
    if (depth > 16) return;
    DIR *d = opendir(path);
    if (!d) return;
    char **names = NULL;
    size_t nn = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (nn == cap) {
            cap = cap ? cap * 2 : 64;
            char **v = realloc(names, cap * sizeof *v);
            if (!v) break;
            names = v;
        }
        size_t l = strlen(path) + strlen(e->d_name) + 2;
        names[nn] = malloc(l);
        if (!names[nn]) break;
        snprintf(names[nn], l, "%s/%s", path, e->d_name);
        nn++;
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_str); /* a stable order: same set, same output */
    for (size_t i = 0; i < nn; i++) {
        struct stat s2;
        if (stat(names[i], &s2) == 0 && (S_ISDIR(s2.st_mode) || wanted(names[i]))) add_path(S, names[i], opt, depth + 1);
        free(names[i]);
    }
    free(names);
}

/* Every filing of a corpus store (docs/corpus.md) as a register. */
static int add_db(set *S, const char *db) {
    rfx_store *st = NULL;
    rfx_error err;
    rfx_status rc = rfx_store_open(db, RFX_STORE_READONLY, &st, &err);
    if (rc != RFX_OK) return cli_fail(rc, "%s", err.message);
    rfx_store_query q;
    rfx_store_query_init(&q);
    char *js = NULL;
    rc = rfx_store_filings(st, &q, &js, &err);
    if (rc != RFX_OK) {
        rfx_store_close(st);
        return cli_fail(rc, "%s", err.message);
    }
    json_error_t je;
    json_t *root = json_loads(js, 0, &je);
    free(js);
    json_t *arr = json_object_get(root, "filings");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *f = json_array_get(arr, i);
        json_t *id = json_object_get(f, "filing_id");
        if (!id) id = json_object_get(f, "id");
        if (!json_is_integer(id)) continue;
        rfx_register *r = NULL;
        if (rfx_store_load_register(st, (long)json_integer_value(id), &r, &err) != RFX_OK || !r) {
            S->skipped++;
            continue;
        }
        if (S->n == S->cap) {
            size_t nc = S->cap ? S->cap * 2 : 64;
            rfx_register **v = realloc(S->v, nc * sizeof *v);
            if (!v) { rfx_register_free(r); S->skipped++; continue; }
            S->v = v;
            S->cap = nc;
        }
        S->v[S->n++] = r;
    }
    json_decref(root);
    rfx_store_close(st);
    return 0;
}

int cmd_peers(int argc, char **argv) {
    rfx_options opt;
    rfx_options_init(&opt);
    opt.no_classify = 1;
    rfx_peers_options po;
    rfx_peers_options_init(&po);
    const char *mode = NULL, *html_path = NULL, *out_path = NULL, *db = NULL;
    unsigned flags = 0;
    const char **ins = calloc((size_t)argc, sizeof *ins);
    size_t nin = 0;
    int rc = 0;
    if (!ins) return cli_fail(RFX_ENOMEM, "out of memory");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool needs = !strcmp(a, "--in") || !strcmp(a, "--year") || !strcmp(a, "--peers") || !strcmp(a, "--top") ||
                     !strcmp(a, "--html") || !strcmp(a, "-o") || !strcmp(a, "--db");
        if (needs && i + 1 >= argc) { rc = cli_fail(RFX_EUSAGE, "peers: %s needs a value", a); goto out; }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); goto out; }
        else if (!strcmp(a, "--in")) ins[nin++] = argv[++i];
        else if (!strcmp(a, "--year")) {
            po.year = atoi(argv[++i]);
            if (po.year < 1900 || po.year > 2200) { rc = cli_fail(RFX_EUSAGE, "peers: --year takes a year such as 2023"); goto out; }
        } else if (!strcmp(a, "--peers")) po.peers = argv[++i];
        else if (!strcmp(a, "--top")) {
            long t = atol(argv[++i]);
            if (t < 1 || t > 1000) { rc = cli_fail(RFX_EUSAGE, "peers: --top takes 1..1000"); goto out; }
            po.top = (size_t)t;
        } else if (!strcmp(a, "--json")) mode = "json";
        else if (!strcmp(a, "--pretty")) { mode = "json"; flags |= RFX_RENDER_PRETTY; }
        else if (!strcmp(a, "--text")) mode = "text";
        else if (!strcmp(a, "--html")) html_path = argv[++i];
        else if (!strcmp(a, "-o")) out_path = argv[++i];
        else if (!strcmp(a, "--fast")) opt.fast = 1;
        else if (!strcmp(a, "--db")) db = argv[++i];
        else if (a[0] == '-' && a[1]) { rc = cli_unknown_option("peers", a, peers_options); goto out; }
        else if (po.company) { rc = cli_fail(RFX_EUSAGE, "peers: one COMPANY at a time ('%s' and '%s')", po.company, a); goto out; }
        else po.company = a;
    }
    if (!po.company) { rc = cli_fail(RFX_EUSAGE, "peers: needs a COMPANY or CIK (see rfx peers --help)"); goto out; }
    if (!nin && !db) { rc = cli_fail(RFX_EUSAGE, "peers: needs filings: --db FILE or --in DIR|FILE"); goto out; }
    if (!mode && !html_path) mode = "text";

    set S = {0};
    if (db && (rc = add_db(&S, db))) { free(S.v); goto out; }
    for (size_t i = 0; i < nin; i++) add_path(&S, ins[i], &opt, 0);
    fprintf(stderr, "%srfx peers: %zu filings read, %zu skipped\n", isatty(2) ? "\r" : "", S.n, S.skipped);
    rfx_peers *p = NULL;
    rfx_error err;
    rfx_status st = rfx_peers_compute((const rfx_register *const *)S.v, S.n, &po, &p, &err);
    if (st != RFX_OK) {
        rc = cli_fail(st, "%s", err.message);
    } else {
        if (html_path) {
            char *h = rfx_peers_html(p, 0);
            rc = h ? cli_write(html_path, h) : cli_fail(RFX_ENOMEM, "peers: out of memory");
            free(h);
        }
        if (!rc && mode) {
            char *s = !strcmp(mode, "json") ? rfx_peers_json(p, flags) : rfx_peers_text(p, flags);
            if (s && !strcmp(mode, "json")) {
                size_t n = strlen(s);
                char *t = realloc(s, n + 2);
                if (t) { t[n] = '\n'; t[n + 1] = 0; s = t; }
            }
            rc = s ? cli_write(out_path, s) : cli_fail(RFX_ENOMEM, "peers: out of memory");
            free(s);
        }
    }
    rfx_peers_free(p);
    for (size_t i = 0; i < S.n; i++) rfx_register_free(S.v[i]);
    free(S.v);
out:
    free(ins);
    return rc;
}
