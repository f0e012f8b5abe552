/*
 * cmd_serve.c — rfx serve: the JSON API and the web application over a
 * corpus (docs/serve.md). Runs until SIGTERM or SIGINT, then lets requests
 * in flight finish.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char *serve_usage =
    "usage: rfx serve [--db FILE] [--listen ADDRESS:PORT] [options]\n"
    "\n"
    "Serves the corpus read-only: the web application at / and the JSON API\n"
    "under /api/ (endpoints: man rfx-serve). Stops on SIGTERM or Ctrl-C.\n"
    "\n"
    "  --db FILE            corpus store (default $RFX_DB or rfx.db)\n"
    "  --listen ADDR:PORT   default 127.0.0.1:8080; port 0 picks a free port;\n"
    "                       the address served is printed on stdout\n"
    "  --token-file FILE    require a bearer token for /api/ (one a line, raw or\n"
    "                       sha256:HEX from --hash-token)\n"
    "  --public             serve a non-loopback address without tokens\n"
    "  --tls-cert FILE      PEM certificate; with --tls-key serves HTTPS\n"
    "  --tls-key FILE       PEM private key\n"
    "  --threads N          requests computed at once (default 4)\n"
    "  --max-connections N  connections at once (default 64)\n"
    "  --max-per-ip N       connections at once from one address (default 16)\n"
    "  --timeout S          idle connection timeout in seconds (default 10)\n"
    "  --request-timeout S  a request must arrive and be answered in S (default 30)\n"
    "  --rate N             requests a second per address, burst 2N (default 100;\n"
    "                       0 = no limit)\n"
    "  --max-result BYTES   largest answer (default 16777216)\n"
    "  --cache-mb N         API answers kept in memory until the database changes\n"
    "                       (default 64; 0 = no cache)\n"
    "  --access-log         one line per request on stderr\n"
    "  --hash-token         read a token on stdin, print its sha256: line, exit\n"
    "  -h, --help           this help\n"
    "\n"
    "output: the address served (\"rfx serve: listening on URL\") on stdout; the API\n"
    "answers JSON; with --access-log one line per request on stderr.\n"
    "exit codes: 0 stopped by a signal, 2 bad usage (or a non-loopback address without\n"
    "tokens or --public), 3 cannot serve (unusable database, address in use, bad TLS\n"
    "files)\n";

/* for the nearest-option hint of cli_unknown_option */
static const char *const serve_options[] = {"--help", "--db", "--listen", "--token-file", "--public", "--tls-cert",
                                            "--tls-key", "--threads", "--max-connections", "--max-per-ip",
                                            "--timeout", "--request-timeout", "--rate", "--max-result",
                                            "--cache-mb", "--access-log", "--hash-token", NULL};

static int parse_uint(const char *opt, const char *v, unsigned long max, unsigned long *out) {
    char *e;
    errno = 0;
    unsigned long x = v ? strtoul(v, &e, 10) : 0;
    if (!v || !*v || *e || errno || x > max || v[0] == '-')
        return cli_fail(RFX_EUSAGE, "%s needs a number up to %lu", opt, max);
    *out = x;
    return 0;
}

int cmd_serve(int argc, char **argv) {
    rfx_server_config cfg;
    rfx_server_config_init(&cfg);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n;
        int rc;
#define NEED_VALUE                                                               \
    if (!v) return cli_fail(RFX_EUSAGE, "%s needs a value (see rfx serve --help)", a); \
    i++
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(serve_usage, stdout); return 0; }
        else if (!strcmp(a, "--db")) { NEED_VALUE; cfg.db = v; }
        else if (!strcmp(a, "--listen")) { NEED_VALUE; cfg.listen = v; }
        else if (!strcmp(a, "--token-file")) { NEED_VALUE; cfg.token_file = v; }
        else if (!strcmp(a, "--public")) cfg.public_ok = 1;
        else if (!strcmp(a, "--tls-cert")) { NEED_VALUE; cfg.tls_cert = v; }
        else if (!strcmp(a, "--tls-key")) { NEED_VALUE; cfg.tls_key = v; }
        else if (!strcmp(a, "--access-log")) cfg.access_log = 1;
        else if (!strcmp(a, "--hash-token")) {
            char line[1024];
            if (!fgets(line, sizeof line, stdin)) return cli_fail(RFX_EUSAGE, "--hash-token reads a token on stdin");
            line[strcspn(line, "\r\n")] = 0;
            if (strlen(line) < 16) return cli_fail(RFX_EUSAGE, "a token needs at least 16 characters");
            char out[72];
            rfx_server_hash_token(line, out);
            memset(line, 0, sizeof line);
            printf("%s\n", out);
            return 0;
        }
        else if (!strcmp(a, "--threads")) { NEED_VALUE; if ((rc = parse_uint(a, v, 64, &n))) return rc; cfg.threads = (unsigned)n; }
        else if (!strcmp(a, "--max-connections")) { NEED_VALUE; if ((rc = parse_uint(a, v, 10000, &n))) return rc; cfg.max_connections = (unsigned)n; }
        else if (!strcmp(a, "--max-per-ip")) { NEED_VALUE; if ((rc = parse_uint(a, v, 10000, &n))) return rc; cfg.max_per_ip = (unsigned)n; }
        else if (!strcmp(a, "--timeout")) { NEED_VALUE; if ((rc = parse_uint(a, v, 3600, &n))) return rc; cfg.idle_timeout_s = (unsigned)n; }
        else if (!strcmp(a, "--request-timeout")) { NEED_VALUE; if ((rc = parse_uint(a, v, 3600, &n))) return rc; cfg.request_timeout_s = (unsigned)n; }
        else if (!strcmp(a, "--rate")) {
            NEED_VALUE;
            if ((rc = parse_uint(a, v, 1000000, &n))) return rc;
            cfg.rate_per_ip = n ? (unsigned)n : RFX_SERVER_UNLIMITED;
        }
        else if (!strcmp(a, "--cache-mb")) {
            NEED_VALUE;
            if ((rc = parse_uint(a, v, 65536, &n))) return rc;
            cfg.cache_bytes = n ? (size_t)n << 20 : RFX_SERVER_UNLIMITED;
        }
        else if (!strcmp(a, "--max-result")) { NEED_VALUE; if ((rc = parse_uint(a, v, 1ul << 30, &n))) return rc; cfg.max_result_bytes = n; }
        else if (a[0] == '-' && a[1]) return cli_unknown_option("serve", a, serve_options);
        else return cli_fail(RFX_EUSAGE, "serve: unknown argument '%s' (see rfx serve --help)", a);
#undef NEED_VALUE
    }
    /* Block the stop signals before the server's threads start, so they
     * inherit the mask and only sigwait below receives them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    rfx_server *srv;
    rfx_error err;
    rfx_status st = rfx_server_start(&cfg, &srv, &err);
    if (st != RFX_OK) return cli_fail(st, "%s", err.message);
    const char *listen = cfg.listen ? cfg.listen : "127.0.0.1:8080";
    char host[128];
    size_t hl = strcspn(listen, "]");
    if (listen[0] == '[') snprintf(host, sizeof host, "%.*s]", (int)hl, listen);
    else snprintf(host, sizeof host, "%.*s", (int)(strrchr(listen, ':') - listen), listen);
    printf("rfx serve: listening on %s://%s:%u/\n", cfg.tls_cert ? "https" : "http", host, rfx_server_port(srv));
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "rfx serve: %s, stopping\n", sig == SIGINT ? "interrupted" : "terminated");
    rfx_server_stop(srv);
    return 0;
}
