/*
 * cmd_index.c — `rfx index [--db FILE] PATH...`: read filings into the
 * corpus store (src/store/, docs/corpus.md).
 *
 * Parsing reuses batch parse's worker pool (cli/batch.c): workers read each
 * file, hash it, and skip the parse when the store already holds that
 * content; the main thread stores results one filing per transaction, in
 * input order, so a run killed at any point resumes where it stopped and
 * ends in the same database as an uninterrupted run.
 *
 * Inputs: filings, saved registers (.json with "risks"), and edgar-crawler
 * extraction JSON (item_1A text plus the filing's cik, company, form and
 * period of report). A directory's SOURCES.tsv (local_path, company) and
 * company_tickers.json (SEC's format) fill the ticker table that --company
 * matches.
 */
#include "batch.h"
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *help =
    "usage: rfx index [--db FILE] [options] PATH...\n"
    "       rfx index --check [--db FILE]\n"
    "  PATH              filings, directories (walked as by rfx parse), registers saved\n"
    "                    with rfx parse --json, edgar-crawler JSON extractions\n"
    "options:\n"
    "  --db FILE         the database (default $RFX_DB, else rfx.db); created when absent\n"
    "  -j, --jobs N      parse with N threads (0 = one per CPU; default 1)\n"
    "  --tickers FILE    tickers for --company: SEC company_tickers.json, or a TSV with\n"
    "                    local_path and company columns (SOURCES.tsv); a directory's own\n"
    "                    SOURCES.tsv and company_tickers.json are read automatically, and\n"
    "                    SOURCES.tsv also gives company, form and fiscal year to files\n"
    "                    whose text does not state them\n"
    "  --no-classify     skip risk categories\n"
    "  --fast            prefix parse of large HTML filings (see rfx parse --help)\n"
    "  -q, --quiet       no progress bar, no per-file messages (the counts still print)\n"
    "  --check           check the database (PRAGMA integrity_check) instead: exit 0 when\n"
    "                    sound, 3 with the first problem\n"
    "  -h, --help        this help\n"
    "Each filing is stored once per content (sha256); a changed file replaces its old\n"
    "version.\n"
    "output: the database; on stderr a progress bar (terminals only), a line per file\n"
    "that failed, then the counts: added, unchanged, replaced, not found (stored without\n"
    "a risk-factor section), failed.\n"
    "exit codes: 0 ok, 2 bad usage, 3 a file failed or the database is unusable\n";

/* A row of a SOURCES.tsv manifest: facts for a file that its text may lack. */
typedef struct mrow {
    char *path, *company, *form, *period;
} mrow;

typedef struct ix {
    rfx_store *store;
    mrow *man; /* sorted by path; read-only once the workers start */
    size_t nman, capman;
    const rfx_options *opt;
    bool quiet;
    size_t added, unchanged, replaced, notfound, failed;
    bool fatal; /* the database refused a write: stop storing */
} ix;

static bool ends_with(const char *s, const char *suf) {
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static void sha256_hex(const void *data, size_t n, char out[65]) {
    unsigned char md[32];
    unsigned int mdlen = 0;
    out[0] = 0;
    if (!EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) return;
    for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static const char *jget(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Reads a whole file under the size limit; NULL with err on failure. */
static char *read_limited(const char *path, size_t limit, size_t *len, rfx_error *err) {
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err->message, sizeof err->message, "%s: cannot open: %s", path, strerror(errno));
        err->code = RFX_EINPUT;
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err->message, sizeof err->message, "%s: is a directory", path);
        err->code = RFX_EINPUT;
        return NULL;
    }
    if ((size_t)st.st_size > limit) {
        snprintf(err->message, sizeof err->message, "%s: input is %lld bytes, over the limit of %zu bytes", path,
                 (long long)st.st_size, limit);
        err->code = RFX_EINPUT;
        return NULL;
    }
    char *d = cli_slurp(path, len);
    if (!d) {
        snprintf(err->message, sizeof err->message, "%s: cannot read: %s", path, strerror(errno));
        err->code = RFX_EINPUT;
    }
    return d;
}

static int mrow_cmp(const void *a, const void *b) {
    return strcmp(((const mrow *)a)->path, ((const mrow *)b)->path);
}

/* Fills the facts a parsed filing lacks from its manifest row (never
 * overrides what the filing itself states). */
static void manifest_fill(const ix *x, const char *path, rfx_register *reg) {
    if (!x->nman) return;
    char real[PATH_MAX];
    if (!realpath(path, real)) return;
    mrow key = {.path = real};
    const mrow *m = bsearch(&key, x->man, x->nman, sizeof *x->man, mrow_cmp);
    if (!m) return;
    rfx_error e;
    if (m->company && !rfx_register_fact(reg, "company")) rfx_register_set_fact(reg, "company", m->company, &e);
    if (m->form && !rfx_register_fact(reg, "form")) rfx_register_set_fact(reg, "form", m->form, &e);
    if (m->period && !rfx_register_fact(reg, "period")) rfx_register_set_fact(reg, "period", m->period, &e);
}

/* A worker's job: the register to store, or NULL when the content is stored already. */
static rfx_status ix_load(void *ctx, const char *path, rfx_register **reg, rfx_error *err) {
    ix *x = ctx;
    *reg = NULL;
    size_t len = 0;
    char *data = read_limited(path, x->opt->max_input_bytes ? x->opt->max_input_bytes : (size_t)256 << 20, &len, err);
    if (!data) return RFX_EINPUT;
    char sha[65];
    sha256_hex(data, len, sha);
    rfx_status st;
    if (ends_with(path, ".json")) {
        json_error_t je;
        json_t *j = json_loadb(data, len, 0, &je);
        if (j && json_is_object(j) && json_object_get(j, "risks")) {
            /* a saved register: its own source sha256 identifies the filing
             * (one saved without it is known by the file's) */
            const char *rs = jget(json_object_get(j, "source"), "sha256");
            bool own = rs && strlen(rs) == 64;
            if (own) snprintf(sha, sizeof sha, "%s", rs);
            json_decref(j);
            st = rfx_register_from_json(data, len, reg, err);
            free(data);
            if (st != RFX_OK) return st;
            if (!own) rfx_register_set_fact(*reg, "sha256", sha, err);
            if (rfx_store_has_sha256(x->store, sha) == 1) { rfx_register_free(*reg); *reg = NULL; }
            return RFX_OK;
        }
        if (j && json_is_object(j) && json_is_string(json_object_get(j, "item_1A"))) {
            /* an edgar-crawler extraction: its Item 1A text, its filing facts */
            free(data);
            data = NULL;
            if (rfx_store_has_sha256(x->store, sha) == 1) { json_decref(j); return RFX_OK; }
            const char *txt = jget(j, "item_1A");
            size_t k = 0;
            while (txt[k] && isspace((unsigned char)txt[k])) k++;
            if (!txt[k]) { /* the extractor found no Item 1A (pre-2005 filings) */
                json_decref(j);
                snprintf(err->message, sizeof err->message, "%s: item_1A is empty", path);
                return RFX_ENOTFOUND;
            }
            st = rfx_parse_memory(txt, strlen(txt), path, x->opt, reg, err);
            if (*reg) {
                static const char *const map[][2] = {{"form", "filing_type"}, {"company", "company"},
                                                     {"cik", "cik"}, {"period", "period_of_report"},
                                                     {"fiscal_year_end", "fiscal_year_end"}};
                for (size_t i = 0; i < 5; i++)
                    if (jget(j, map[i][1])) rfx_register_set_fact(*reg, map[i][0], jget(j, map[i][1]), err);
                rfx_register_set_fact(*reg, "sha256", sha, err);
            }
            json_decref(j);
            return st;
        }
        json_decref(j);
    }
    if (rfx_store_has_sha256(x->store, sha) == 1) { free(data); return RFX_OK; }
    st = rfx_parse_memory(data, len, path, x->opt, reg, err);
    free(data);
    if (st != RFX_OK && st != RFX_ENOTFOUND && *reg) { rfx_register_free(*reg); *reg = NULL; }
    if (*reg) manifest_fill(x, path, *reg);
    return st;
}

static void ix_sink(void *ctx, const char *path, rfx_status status, rfx_register *reg, const char *msg) {
    ix *x = ctx;
    if (status != RFX_OK && status != RFX_ENOTFOUND) {
        x->failed++;
        if (!x->quiet) fprintf(stderr, "rfx: %s\n", msg ? msg : path);
        rfx_register_free(reg);
        return;
    }
    if (!reg) { /* already stored, or nothing a register could hold */
        if (status == RFX_ENOTFOUND) x->notfound++;
        else x->unchanged++;
        return;
    }
    if (x->fatal) { x->failed++; rfx_register_free(reg); return; }
    rfx_error err = {0, ""};
    rfx_store_outcome oc;
    rfx_status st = rfx_store_add(x->store, reg, path, &oc, &err);
    rfx_register_free(reg);
    if (st != RFX_OK) {
        x->failed++;
        fprintf(stderr, "rfx: %s: not stored: %s\n", path, err.message);
        /* a database that refuses one write refuses the next: stop trying */
        if (st == RFX_EINPUT || st == RFX_EINTERNAL) x->fatal = true;
        return;
    }
    if (oc == RFX_STORE_UNCHANGED) x->unchanged++;
    else if (oc == RFX_STORE_REPLACED) x->replaced++;
    else x->added++;
    if (oc != RFX_STORE_UNCHANGED && status == RFX_ENOTFOUND) x->notfound++;
}

/* ---------------- tickers ---------------- */

static bool tickerish(const char *s, size_t n) {
    if (n < 1 || n > 6) return false;
    for (size_t i = 0; i < n; i++)
        if (!(isupper((unsigned char)s[i]) || s[i] == '.' || s[i] == '-')) return false;
    return true;
}

/* The fiscal year a manifest states: "2023", or "filed 2006-03-14" for a
 * file named by filing date, whose fiscal year is the one ending before it
 * (a filing in the first half of a year reports the year before). */
static bool manifest_year(const char *s, char out[8]) {
    int y, m, d;
    if (strlen(s) == 4 && sscanf(s, "%4d", &y) == 1 && y > 1900 && y < 2200) {
        snprintf(out, 8, "%d", y);
        return true;
    }
    if (sscanf(s, "filed %4d-%2d-%2d", &y, &m, &d) == 3 && y > 1900 && y < 2200 && m >= 1 && m <= 12) {
        snprintf(out, 8, "%d", m <= 6 ? y - 1 : y);
        return true;
    }
    return false;
}

static char *dup_or_null(const char *s) { return s && *s ? strdup(s) : NULL; }

/* SOURCES.tsv (columns local_path, form, company, fiscal_year): per file,
 * facts its text may lack; and tickers, from the first (HD/HD_10-K.html) or
 * second (edgarriskfactor_item1a/APA/...) folder of local_path when it looks
 * like one. dir is the directory local_path is relative to. */
static int load_sources_tsv(ix *x, const char *dir, const char *path, size_t *n) {
    size_t len;
    char *d = cli_slurp(path, &len);
    if (!d) return cli_fail(RFX_EINPUT, "%s: cannot read: %s", path, strerror(errno));
    int col_path = -1, col_co = -1, col_form = -1, col_fy = -1, line_no = 0;
    char *save = NULL;
    for (char *line = strtok_r(d, "\n", &save); line; line = strtok_r(NULL, "\n", &save), line_no++) {
        char *cols[16] = {0};
        int nc = 0;
        for (char *c = line; nc < 16;) {
            cols[nc++] = c;
            char *t = strchr(c, '\t');
            if (!t) break;
            *t = 0;
            c = t + 1;
        }
        for (int i = 0; i < nc; i++) {
            size_t l = strlen(cols[i]);
            if (l && cols[i][l - 1] == '\r') cols[i][l - 1] = 0;
        }
        if (line_no == 0) {
            for (int i = 0; i < nc; i++) {
                if (!strcmp(cols[i], "local_path")) col_path = i;
                if (!strcmp(cols[i], "company")) col_co = i;
                if (!strcmp(cols[i], "form")) col_form = i;
                if (!strcmp(cols[i], "fiscal_year")) col_fy = i;
            }
            if (col_path < 0 || col_co < 0) break;
            continue;
        }
        if (col_path >= nc || col_co >= nc || !*cols[col_path]) continue;
        const char *lp = cols[col_path], *co = cols[col_co];
        if (dir && x->nman < 100000) {
            if (x->nman == x->capman) {
                size_t nc2 = x->capman ? x->capman * 2 : 256;
                mrow *nm = realloc(x->man, nc2 * sizeof *nm);
                if (!nm) break;
                x->man = nm;
                x->capman = nc2;
            }
            char full[PATH_MAX + 512], fy[8];
            snprintf(full, sizeof full, "%s/%s", dir, lp); /* dir is a realpath */
            mrow *m = &x->man[x->nman];
            m->path = strdup(full);
            m->company = dup_or_null(co);
            m->form = col_form >= 0 && col_form < nc ? dup_or_null(cols[col_form]) : NULL;
            m->period = col_fy >= 0 && col_fy < nc && manifest_year(cols[col_fy], fy) ? strdup(fy) : NULL;
            if (m->path) x->nman++;
        }
        /* a ticker folder: the first, else the second component */
        for (int k = 0; k < 2; k++) {
            const char *slash = strchr(lp, '/');
            if (!slash) break;
            if (tickerish(lp, (size_t)(slash - lp)) && *co) {
                char t[8];
                snprintf(t, sizeof t, "%.*s", (int)(slash - lp), lp);
                rfx_error err;
                if (rfx_store_add_ticker(x->store, t, NULL, co, &err) == RFX_OK) (*n)++;
                break;
            }
            lp = slash + 1;
        }
    }
    free(d);
    if (x->nman) qsort(x->man, x->nman, sizeof *x->man, mrow_cmp);
    return 0;
}

/* SEC's company_tickers.json: {"0":{"cik_str":320193,"ticker":"AAPL","title":"Apple Inc."},...} */
static int load_company_tickers(rfx_store *s, const char *path, size_t *n) {
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j) return cli_fail(RFX_EINPUT, "%s: not JSON: %s (line %d)", path, je.text, je.line);
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
        const char *t = jget(v, "ticker"), *title = jget(v, "title");
        json_t *c = json_object_get(v, "cik_str");
        char cik[32] = "";
        if (json_is_integer(c)) snprintf(cik, sizeof cik, "%lld", (long long)json_integer_value(c));
        else if (json_is_string(c)) snprintf(cik, sizeof cik, "%s", json_string_value(c));
        rfx_error err;
        if (t && rfx_store_add_ticker(s, t, cik[0] ? cik : NULL, title, &err) == RFX_OK) (*n)++;
    }
    json_decref(j);
    return 0;
}

/* dir: the directory a SOURCES.tsv's paths are relative to (NULL: tickers only) */
static int load_tickers(ix *x, const char *dir, const char *path, size_t *n) {
    return ends_with(path, ".json") ? load_company_tickers(x->store, path, n) : load_sources_tsv(x, dir, path, n);
}

/* for the nearest-option hint of cli_unknown_option */
static const char *const index_options[] = {"--help", "--db", "--jobs", "--tickers", "--no-classify", "--fast", "--quiet", "--check", NULL};

int cmd_index(int argc, char **argv) {
    rfx_options opt;
    rfx_options_init(&opt);
    const char *db = NULL;
    const char *tickers[16];
    size_t ntickers = 0;
    long jobs = 1;
    bool quiet = false, check = false;
    char **paths = calloc((size_t)argc, sizeof *paths);
    size_t npaths = 0;
    if (!paths) return cli_fail(RFX_ENOMEM, "out of memory");
    int rc = -1;
    for (int i = 1; i < argc && rc < 0; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); rc = 0; }
        else if ((!strcmp(a, "--db") || !strcmp(a, "--jobs") || !strcmp(a, "-j") || !strcmp(a, "--tickers")) && i + 1 >= argc)
            rc = cli_fail(RFX_EUSAGE, "index: %s needs a value", a);
        else if (!strcmp(a, "--db")) db = argv[++i];
        else if (!strcmp(a, "--tickers")) {
            if (ntickers == 16) rc = cli_fail(RFX_EUSAGE, "index: at most 16 --tickers files");
            else tickers[ntickers++] = argv[++i];
        } else if (!strcmp(a, "--jobs") || !strcmp(a, "-j")) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 0 || v > 1024) rc = cli_fail(RFX_EUSAGE, "index: --jobs takes a number from 0 to 1024");
            else jobs = v;
        } else if (!strcmp(a, "--no-classify")) opt.no_classify = 1;
        else if (!strcmp(a, "--fast")) opt.fast = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) quiet = true;
        else if (!strcmp(a, "--check")) check = true;
        else if (a[0] == '-' && a[1]) rc = cli_unknown_option("index", a, index_options);
        else paths[npaths++] = argv[i];
    }
    if (rc < 0 && check) {
        rfx_store *cs;
        rfx_error cerr;
        rfx_status cst = rfx_store_open(db, RFX_STORE_READONLY, &cs, &cerr);
        if (cst == RFX_OK) {
            cst = rfx_store_check(cs, &cerr);
            rfx_store_close(cs);
        }
        rc = cst == RFX_OK ? 0 : cli_fail(cst, "%s", cerr.message);
        if (!rc) {
            char *shown = rfx_store_uri_display(db ? db : getenv("RFX_DB") ? getenv("RFX_DB") : "rfx.db");
            fprintf(stderr, "rfx: index: %s: ok\n", shown ? shown : "?");
            free(shown);
        }
    }
    if (rc < 0 && !npaths) rc = cli_fail(RFX_EUSAGE, "index: no PATH given (see rfx index --help)");
    if (rc >= 0) { free(paths); return rc; }
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? n : 1;
    }
    rfx_store *store = NULL;
    rfx_error err;
    rfx_status st = rfx_store_open(db, RFX_STORE_CREATE, &store, &err);
    if (st != RFX_OK) { free(paths); return cli_fail(st, "%s", err.message); }
    size_t nt = 0;
    ix x = {.store = store, .opt = &opt, .quiet = quiet};
    for (size_t i = 0; i < ntickers && rc < 0; i++)
        if (load_tickers(&x, NULL, tickers[i], &nt)) rc = RFX_EINPUT;
    /* the manifest of a directory given, or of the nearest enclosing one
     * (indexing ../shared/data/filings/HD still reads filings/SOURCES.tsv) */
    char **seen = calloc(npaths, sizeof *seen);
    size_t nseen = 0;
    for (size_t i = 0; seen && i < npaths && rc < 0; i++) {
        char dir[PATH_MAX];
        if (!realpath(paths[i], dir)) continue;
        struct stat sb;
        if (stat(dir, &sb) != 0) continue;
        if (!S_ISDIR(sb.st_mode)) {
            char *sl = strrchr(dir, '/');
            if (sl && sl != dir) *sl = 0;
        }
        for (int up = 0; up < 4; up++) {
            static const char *const auto_files[] = {"SOURCES.tsv", "company_tickers.json"};
            bool found = false;
            for (size_t k = 0; k < 2; k++) {
                char p[PATH_MAX + 32];
                snprintf(p, sizeof p, "%s/%s", dir, auto_files[k]);
                if (access(p, R_OK) != 0) continue;
                found = true;
                bool dup = false;
                for (size_t j = 0; j < nseen; j++) dup |= !strcmp(seen[j], p);
                if (dup) continue;
                if ((seen[nseen] = strdup(p))) nseen++;
                load_tickers(&x, dir, p, &nt);
            }
            char *sl = strrchr(dir, '/');
            if (found || !sl || sl == dir) break;
            *sl = 0;
        }
    }
    for (size_t j = 0; j < nseen; j++) free(seen[j]);
    free(seen);
    if (rc >= 0) { rfx_store_close(store); free(paths); return rc; }
    batch_opts bo = {.opt = &opt, .jobs = (unsigned)jobs, .quiet = quiet, .load = ix_load, .sink = ix_sink, .ctx = &x,
                   .peer_json = true};
    int brc = batch_run(paths, npaths, &bo);
    rfx_store_close(store);
    free(paths);
    for (size_t i = 0; i < x.nman; i++) {
        free(x.man[i].path);
        free(x.man[i].company);
        free(x.man[i].form);
        free(x.man[i].period);
    }
    free(x.man);
    if (brc == RFX_EUSAGE || (brc == RFX_ENOMEM && !x.added && !x.failed)) return brc;
    fprintf(stderr, "rfx: index: %zu added, %zu unchanged, %zu replaced, %zu not found, %zu failed\n", x.added,
            x.unchanged, x.replaced, x.notfound, x.failed);
    if (brc == RFX_EINPUT && !x.failed && !x.added && !x.unchanged) return RFX_EINPUT; /* nothing to read */
    return x.failed || x.fatal ? RFX_EINPUT : 0;
}
