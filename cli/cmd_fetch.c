/*
 * cmd_fetch.c — `rfx fetch`: download filings from SEC EDGAR into
 * DIR/<CIK>/<accession>/ (docs/fetch.md). The library does the listing,
 * pacing and downloading (rfx_fetch_run); this file turns flags into
 * rfx_fetch_options, prints error lines, the progress bar (terminals only)
 * and the summary, and with --index hands each landed filing to the corpus.
 */
#include "cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static const char *help =
    "usage: rfx fetch (--ticker T[,T...] | --cik N[,N...] | --quarter YYYYQn) [options]\n"
    "  --ticker T,...        companies by ticker (SEC company_tickers.json, cached in DIR)\n"
    "  --cik N,...           companies by CIK\n"
    "  --quarter 2024Q1      every filing of a quarter (full-index form.idx); with --ticker\n"
    "                        or --cik only those companies' filings\n"
    "  --form F,...          forms to fetch (default 10-K,20-F; 'all' for every form)\n"
    "  --amendments          also the amendments of those forms (10-K/A, ...)\n"
    "  --since YYYY[-MM[-DD]], --until YYYY[-MM[-DD]]   filing dates, inclusive\n"
    "  --out DIR             where filings go (default ./edgar): DIR/<CIK>/<accession>/\n"
    "  --full                also the full-submission .txt of each filing\n"
    "  --dry-run             list what would be fetched (tab-separated, stdout), fetch nothing\n"
    "  --index [--db FILE]   add each filing to the corpus as it lands (default $RFX_DB or rfx.db)\n"
    "  --user-agent \"Name email\"   required by the SEC (or RFX_USER_AGENT)\n"
    "  --rate N              requests per second over all threads (default 8, at most 10)\n"
    "  --retries N           attempts per request (default 5)\n"
    "  --jobs N              download threads (default 4)\n"
    "  --base-url URL        a mirror serving /files, /Archives/edgar and /submissions\n"
    "  --timeout S, --connect-timeout S, --stall-timeout S   per request (600, 10, 30)\n"
    "  -h, --help            this help\n"
    "output: the files under DIR; on stderr a progress bar (terminals only), error lines\n"
    "and a summary; with --dry-run one tab-separated line per filing on stdout (CIK,\n"
    "accession, form, filing date, report date, company, URL)\n"
    "exit codes: 0 ok, 2 bad usage (or no User-Agent), 3 something failed (see the error lines)\n";

typedef struct ctx {
    int tty, dry_run, bar_shown;
    double started; /* monotonic seconds */
    int index;
    rfx_store *store;
    rfx_options parse;
    int store_dead; /* the database refused a write: stop trying */
    size_t added, unchanged, notfound, index_failed;
} ctx;

static void clear_bar(ctx *c) {
    if (c->bar_shown) fputs("\r\033[K", stderr);
    c->bar_shown = 0;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void bar(ctx *c, const rfx_fetch_event *ev) {
    double secs = now_s() - c->started;
    /* n evenly paced requests span n - 1 intervals */
    double rps = secs > 0 && ev->requests > 1 ? (ev->requests - 1) / secs : 0;
    int width = 24, fill = ev->total ? (int)(width * ev->done / ev->total) : width;
    char b[32];
    for (int i = 0; i < width; i++) b[i] = i < fill ? '#' : '.';
    b[width] = 0;
    fprintf(stderr, "\r\033[K[%s] %zu/%zu filings  %.1f MB  %.1f req/s", b, ev->done, ev->total,
            ev->bytes / 1e6, rps);
    fflush(stderr);
    c->bar_shown = 1;
}

/* The --index hook: one filing that landed (fetched now, or complete from
 * an earlier run) goes into the corpus, in this process. EDGAR's metadata
 * (form, company, CIK, report period) is authoritative over what the parse
 * reads from the text. Content already stored (same sha256) is not parsed
 * again. Returns 0 or -1 after printing why. */
static int index_filing(ctx *c, const rfx_fetch_event *ev) {
    if (c->store_dead) return -1;
    if (ev->sha256 && rfx_store_has_sha256(c->store, ev->sha256) == 1) {
        c->unchanged++;
        return 0;
    }
    rfx_register *reg = NULL;
    rfx_error err = {0, ""};
    rfx_status st = rfx_parse_file(ev->document, &c->parse, &reg, &err);
    if (st != RFX_OK && st != RFX_ENOTFOUND) {
        clear_bar(c);
        fprintf(stderr, "rfx: fetch: %s: not indexed: %s\n", ev->document, err.message);
        rfx_register_free(reg);
        return -1;
    }
    const char *facts[][2] = {{"form", ev->form}, {"company", ev->company}, {"cik", ev->cik},
                              {"period", ev->report_date}};
    for (size_t i = 0; i < 4; i++)
        if (facts[i][1] && facts[i][1][0]) rfx_register_set_fact(reg, facts[i][0], facts[i][1], &err);
    rfx_store_outcome oc;
    rfx_status ss = rfx_store_add(c->store, reg, ev->document, &oc, &err);
    rfx_register_free(reg);
    if (ss != RFX_OK) {
        clear_bar(c);
        fprintf(stderr, "rfx: fetch: %s: not indexed: %s\n", ev->document, err.message);
        if (ss == RFX_EINPUT || ss == RFX_EINTERNAL) c->store_dead = 1;
        return -1;
    }
    if (oc == RFX_STORE_UNCHANGED) c->unchanged++;
    else c->added++;
    if (oc != RFX_STORE_UNCHANGED && st == RFX_ENOTFOUND) c->notfound++;
    return 0;
}

static void on_event(void *ud, const rfx_fetch_event *ev) {
    ctx *c = ud;
    switch (ev->kind) {
    case RFX_FETCH_ERROR:
    case RFX_FETCH_WARNING:
        clear_bar(c);
        fprintf(stderr, "rfx: fetch: %s%s\n", ev->kind == RFX_FETCH_WARNING ? "warning: " : "",
                ev->message);
        break;
    case RFX_FETCH_LISTED:
        if (c->dry_run)
            printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ev->cik, ev->accession, ev->form,
                   ev->filing_date, ev->report_date && ev->report_date[0] ? ev->report_date : "-",
                   ev->company ? ev->company : "-", ev->url ? ev->url : "-");
        break;
    case RFX_FETCH_DONE:
        if (c->index && ev->status != RFX_FETCH_FAILED && ev->document) {
            if (index_filing(c, ev) != 0) c->index_failed++;
        }
        if (c->tty) bar(c, ev);
        break;
    }
}

/* splits "a,b,c" into argv-like pieces appended to *v (strings point into s) */
static int split_list(char *s, const char ***v, size_t *n) {
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ') tok++;
        if (!*tok) continue;
        const char **nv = realloc(*v, (*n + 1) * sizeof *nv);
        if (!nv) return -1;
        *v = nv;
        (*v)[(*n)++] = tok;
    }
    return 0;
}

/* for the nearest-option hint of cli_unknown_option */
static const char *const fetch_options[] = {"--help", "--ticker", "--cik", "--quarter", "--form", "--amendments",
                                            "--since", "--until", "--out", "--full", "--dry-run", "--index",
                                            "--db", "--user-agent", "--rate", "--retries", "--jobs", "--base-url",
                                            "--timeout", "--connect-timeout", "--stall-timeout", NULL};

/* the options that take a value: the rest of fetch_options are flags */
static bool takes_value(const char *a) {
    if (!strcmp(a, "-o")) return true;
    for (size_t k = 1; fetch_options[k]; k++)
        if (!strcmp(a, fetch_options[k]))
            return strcmp(a, "--amendments") && strcmp(a, "--full") && strcmp(a, "--dry-run") &&
                   strcmp(a, "--index");
    return false;
}

static int parse_num(const char *flag, const char *s, double lo, double hi, double *out) {
    char *e;
    double d = strtod(s, &e);
    if (e == s || *e || !(d >= lo && d <= hi))
        return cli_fail(RFX_EUSAGE, "fetch: %s '%s': expected a number from %g to %g", flag, s, lo, hi);
    *out = d;
    return 0;
}

int cmd_fetch(int argc, char **argv) {
    rfx_fetch_options o;
    rfx_fetch_options_init(&o);
    ctx c = {.tty = isatty(2), .started = now_s()};
    const char **tickers = NULL, **ciks = NULL, **forms = NULL;
    size_t nt = 0, nc = 0, nf = 0;
    int rc = 0, all_forms = 0;
    char *dflt = NULL;
    const char *db = NULL;
    o.user_agent = getenv("RFX_USER_AGENT");
    const char *bo = getenv("RFX_FETCH_BACKOFF_MS"); /* tests: a short backoff */
    if (bo && *bo) o.backoff_ms = atol(bo);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        double d;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); goto out; }
        else if (!strcmp(a, "--amendments")) o.amendments = 1;
        else if (!strcmp(a, "--full")) o.full = 1;
        else if (!strcmp(a, "--dry-run")) o.dry_run = 1;
        else if (!strcmp(a, "--index")) c.index = 1;
        else if (takes_value(a) && i + 1 >= argc) {
            rc = cli_fail(RFX_EUSAGE, "fetch: %s needs a value (see rfx fetch --help)", a);
            goto out;
        } else if (!strcmp(a, "--ticker")) { if (split_list(argv[++i], &tickers, &nt)) goto oom; }
        else if (!strcmp(a, "--cik")) { if (split_list(argv[++i], &ciks, &nc)) goto oom; }
        else if (!strcmp(a, "--form")) {
            if (!strcasecmp(argv[i + 1], "all")) { all_forms = 1; i++; }
            else if (split_list(argv[++i], &forms, &nf)) goto oom;
        }
        else if (!strcmp(a, "--since")) o.since = argv[++i];
        else if (!strcmp(a, "--until")) o.until = argv[++i];
        else if (!strcmp(a, "--quarter")) o.quarter = argv[++i];
        else if (!strcmp(a, "--out") || !strcmp(a, "-o")) o.out_dir = argv[++i];
        else if (!strcmp(a, "--db")) db = argv[++i];
        else if (!strcmp(a, "--user-agent")) o.user_agent = argv[++i];
        else if (!strcmp(a, "--base-url")) o.base_url = argv[++i];
        else if (!strcmp(a, "--rate")) { if ((rc = parse_num(a, argv[++i], 0.01, 10, &o.rate))) goto out; }
        else if (!strcmp(a, "--retries")) { if ((rc = parse_num(a, argv[++i], 1, 20, &d))) goto out; o.retries = (int)d; }
        else if (!strcmp(a, "--jobs")) { if ((rc = parse_num(a, argv[++i], 1, 16, &d))) goto out; o.jobs = (int)d; }
        else if (!strcmp(a, "--timeout")) { if ((rc = parse_num(a, argv[++i], 0.1, 86400, &d))) goto out; o.timeout_ms = (long)(d * 1000); }
        else if (!strcmp(a, "--connect-timeout")) { if ((rc = parse_num(a, argv[++i], 0.1, 600, &d))) goto out; o.connect_timeout_ms = (long)(d * 1000); }
        else if (!strcmp(a, "--stall-timeout")) { if ((rc = parse_num(a, argv[++i], 1, 3600, &d))) goto out; o.stall_seconds = (long)d; }
        else if (a[0] == '-' && a[1]) { rc = cli_unknown_option("fetch", a, fetch_options); goto out; }
        else { rc = cli_fail(RFX_EUSAGE, "fetch: unknown argument '%s' (see rfx fetch --help)", a); goto out; }
    }
    if (db && !c.index) { rc = cli_fail(RFX_EUSAGE, "fetch: --db goes with --index"); goto out; }
    if (c.index && o.dry_run) { rc = cli_fail(RFX_EUSAGE, "fetch: --index and --dry-run exclude each other"); goto out; }
    if (!all_forms && !nf) { /* annual reports: what rfx reads first */
        if (!(dflt = strdup("10-K,20-F")) || split_list(dflt, &forms, &nf)) goto oom;
    }
    o.tickers = tickers;
    o.ntickers = nt;
    o.ciks = ciks;
    o.nciks = nc;
    o.forms = all_forms ? NULL : forms;
    o.nforms = all_forms ? 0 : nf;
    o.on_event = on_event;
    o.ctx = &c;
    c.dry_run = o.dry_run;
    if (o.dry_run) c.tty = 0;
    rfx_error err;
    if (rfx_fetch_check(&o, &err) != RFX_OK) { rc = cli_fail(RFX_EUSAGE, "fetch: %s", err.message); goto out; }
    if (c.index) { /* open it first: a bad database fails before any request */
        rfx_error e;
        rfx_options_init(&c.parse);
        rfx_status s = rfx_store_open(db, RFX_STORE_CREATE, &c.store, &e);
        if (s != RFX_OK) { rc = cli_fail(s, "fetch: %s", e.message); goto out; }
    }
    /* a peer that resets a TLS connection must not kill the run (http.h) */
    signal(SIGPIPE, SIG_IGN);
    rfx_fetch_summary sum;
    rfx_status st = rfx_fetch_run(&o, &sum, &err);
    clear_bar(&c);
    if (st != RFX_OK) { rc = cli_fail(st, "fetch: %s", err.message); goto out; }
    fprintf(stderr, "rfx: fetch: %s%zu fetched, %zu skipped, %zu failed (%zu listed, %lu requests, %.1f MB)",
            o.dry_run ? "dry run: " : "", sum.fetched, sum.skipped, sum.failed, sum.listed,
            sum.requests, sum.bytes / 1e6);
    if (c.index)
        fprintf(stderr, "; indexed: %zu added (%zu without a risk-factor section), %zu unchanged, %zu failed",
                c.added, c.notfound, c.unchanged, c.index_failed);
    fputc('\n', stderr);
    rc = sum.failed || c.index_failed ? RFX_EINPUT : 0;
    goto out;
oom:
    rc = cli_fail(RFX_ENOMEM, "fetch: out of memory");
out:
    if (c.store) rfx_store_close(c.store);
    free(tickers);
    free(ciks);
    free(forms);
    free(dflt);
    return rc;
}
