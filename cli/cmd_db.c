/*
 * cmd_db.c — `rfx db init|migrate|check|copy`: a corpus database as a
 * whole, on either backend (docs/corpus.md, PostgreSQL, man/rfx-db.1).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *help =
    "usage: rfx db init [--db URI]        create the corpus schema (SQLite file or PostgreSQL)\n"
    "       rfx db migrate [--db URI]     upgrade an existing corpus to this rfx's schema\n"
    "       rfx db check [--db URI]       integrity check of a corpus\n"
    "       rfx db copy SRC DST           copy every filing from one corpus to another\n"
    "                                     (SQLite -> PostgreSQL and back); check with rfx export\n"
    "  --db URI          a file path (SQLite) or postgresql://USER@HOST:PORT/DB (default\n"
    "                    $RFX_DB, else rfx.db); passwords come from the URI, PGPASSWORD or\n"
    "                    ~/.pgpass and are never printed\n"
    "  -q, --quiet       no progress or summary on stderr\n"
    "  -h, --help        this help\n"
    "output: nothing on stdout; on stderr what was done (schema versions, filings copied,\n"
    "check ok) or what is wrong, one line each\n"
    "exit codes: 0 ok, 2 bad usage, 3 unusable database (cannot connect, authentication\n"
    "failed, newer schema, not an rfx corpus)\n";

/* for the nearest-option hint of cli_unknown_option */
static const char *const db_options[] = {"--help", "--db", "--quiet", NULL};

static void copy_progress(void *ctx, long done, long total) {
    (void)ctx;
    if (done == total || done % 25 == 0) fprintf(stderr, "\rrfx: db copy: %ld/%ld filings", done, total);
    if (done == total) fputc('\n', stderr);
}

int cmd_db(int argc, char **argv) {
    if (argc < 2) { fputs(help, stderr); return RFX_EUSAGE; }
    const char *verb = argv[1];
    if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) { fputs(help, stdout); return 0; }
    const char *db = NULL, *pos[2] = {NULL, NULL};
    size_t npos = 0;
    bool quiet = false;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(help, stdout); return 0; }
        else if (!strcmp(a, "--db")) {
            if (i + 1 >= argc) return cli_fail(RFX_EUSAGE, "db: --db needs a URI");
            db = argv[++i];
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) quiet = true;
        else if (a[0] == '-' && a[1]) return cli_unknown_option("db", a, db_options);
        else if (npos < 2) pos[npos++] = a;
        else return cli_fail(RFX_EUSAGE, "db %s: too many arguments", verb);
    }
    rfx_error err;
    if (!strcmp(verb, "init") || !strcmp(verb, "migrate")) {
        if (npos) return cli_fail(RFX_EUSAGE, "db %s: the database is given with --db URI", verb);
        bool init = !strcmp(verb, "init");
        int from = 0, to = 0;
        rfx_status st = rfx_store_migrate(db, init, &from, &to, &err);
        if (st != RFX_OK) return cli_fail(st, "db %s: %s", verb, err.message);
        char *shown = rfx_store_uri_display(db ? db : getenv("RFX_DB") ? getenv("RFX_DB") : "rfx.db");
        if (!quiet) {
            if (from == to) fprintf(stderr, "rfx: db %s: %s: schema v%d, nothing to do\n", verb, shown ? shown : "?", to);
            else if (from == 0) fprintf(stderr, "rfx: db %s: %s: created schema v%d\n", verb, shown ? shown : "?", to);
            else fprintf(stderr, "rfx: db %s: %s: schema v%d -> v%d\n", verb, shown ? shown : "?", from, to);
        }
        free(shown);
        return 0;
    }
    if (!strcmp(verb, "check")) {
        if (npos) return cli_fail(RFX_EUSAGE, "db check: the database is given with --db URI");
        rfx_store *s;
        int rc = cli_store_open(db, RFX_STORE_READONLY, &s);
        if (rc) return rc;
        rfx_status st = rfx_store_check(s, &err);
        rfx_store_close(s);
        if (st != RFX_OK) return cli_fail(st, "db check: %s", err.message);
        if (!quiet) fputs("rfx: db check: ok\n", stderr);
        return 0;
    }
    if (!strcmp(verb, "copy")) {
        if (npos != 2 || db) return cli_fail(RFX_EUSAGE, "db copy: give SRC and DST (see rfx db --help)");
        if (!strcmp(pos[0], pos[1])) return cli_fail(RFX_EUSAGE, "db copy: SRC and DST are the same database");
        rfx_store *src, *dst;
        int rc = cli_store_open(pos[0], RFX_STORE_READONLY, &src);
        if (rc) return rc;
        rfx_status st = rfx_store_open(pos[1], RFX_STORE_CREATE, &dst, &err);
        if (st != RFX_OK) { rfx_store_close(src); return cli_fail(st, "db copy: %s", err.message); }
        long added = 0, unchanged = 0;
        st = rfx_store_copy(src, dst, quiet || !isatty(2) ? NULL : copy_progress, NULL, &added, &unchanged, &err);
        rfx_store_close(src);
        rfx_store_close(dst);
        if (st != RFX_OK) return cli_fail(st, "db copy: %s", err.message);
        if (!quiet) fprintf(stderr, "rfx: db copy: %ld added, %ld unchanged\n", added, unchanged);
        return 0;
    }
    /* an option where the subcommand goes: a mistyped one gets the hint */
    if (verb[0] == '-' && verb[1] && strcmp(verb, "-q") && strcmp(verb, "--quiet") && strcmp(verb, "--db"))
        return cli_unknown_option("db", verb, db_options);
    return cli_fail(RFX_EUSAGE, "db: unknown subcommand '%s' (init, migrate, check or copy)", verb);
}
