/*
 * bench_libxml2.c — parses each file named on the command line with libxml2's
 * HTML parser in SAX mode (no tree) and reports per-file time, number of
 * character callbacks and how many of them can be traced to a source offset.
 * libxml2 reports no offset per text node; the best a SAX user can do is
 * xmlByteConsumed() (bytes of input consumed so far, in the original
 * encoding) at the callback, minus the length of the text delivered. We check
 * how often the bytes at that estimate really begin the text.
 * Output, one line per file: path bytes seconds textnodes offset_ok offset_checked
 */
#define _POSIX_C_SOURCE 200809L
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char *g_src;
static size_t g_n, g_texts, g_ok, g_checked;
static htmlParserCtxtPtr g_ctxt;

static void on_chars(void *ctx, const xmlChar *ch, int len) {
    (void)ctx;
    g_texts++;
    if (len <= 0) return;
    long consumed = xmlByteConsumed(g_ctxt);
    long off = consumed - len;
    int k = len > 16 ? 16 : len;
    g_checked++;
    if (off >= 0 && (size_t)off + (size_t)k <= g_n && memcmp(g_src + off, ch, (size_t)k) == 0) g_ok++;
}

static void on_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

static char *slurp(const char *p, size_t *n) {
    FILE *f = fopen(p, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)sz + 1);
    *n = fread(b, 1, (size_t)sz, f);
    b[*n] = 0;
    fclose(f);
    return b;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int reps = atoi(getenv("REPS") ? getenv("REPS") : "5");
    xmlInitParser();
    for (int a = 1; a < argc; a++) {
        size_t n;
        char *s = slurp(argv[a], &n);
        if (!s) continue;
        g_src = s;
        g_n = n;
        double best[64];
        for (int r = 0; r < reps && r < 64; r++) {
            g_texts = g_ok = g_checked = 0;
            double t0 = now();
            htmlSAXHandler sax;
            memset(&sax, 0, sizeof sax);
            sax.characters = on_chars;
            sax.error = on_error;
            sax.warning = on_error;
            htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(s, (int)n);
            if (!ctxt) continue;
            memcpy(ctxt->sax, &sax, sizeof sax);
            ctxt->userData = ctxt;
            htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                         HTML_PARSE_NONET | XML_PARSE_HUGE);
            g_ctxt = ctxt;
            htmlParseDocument(ctxt);
            htmlFreeParserCtxt(ctxt);
            best[r] = now() - t0;
        }
        for (int i = 0; i < reps; i++)
            for (int j = i + 1; j < reps; j++)
                if (best[j] < best[i]) { double x = best[i]; best[i] = best[j]; best[j] = x; }
        printf("%s %zu %.6f %zu %zu %zu\n", argv[a], n, best[reps / 2], g_texts, g_ok, g_checked);
        free(s);
    }
    xmlCleanupParser();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "maxrss_kb %ld\n", ru.ru_maxrss);
    return 0;
}
