/*
 * bench_gumbo.c — parses each file named on the command line with libgumbo,
 * walks the tree iteratively and reports per-file time, text-node count and
 * how many text nodes' source offsets check out (the bytes at
 * start_pos.offset really begin that text).
 * Output, one line per file: path bytes seconds textnodes offset_ok offset_checked
 */
#define _POSIX_C_SOURCE 200809L
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

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
    for (int a = 1; a < argc; a++) {
        size_t n;
        char *s = slurp(argv[a], &n);
        if (!s) continue;
        double best[64];
        size_t texts = 0, ok = 0, checked = 0;
        for (int r = 0; r < reps && r < 64; r++) {
            double t0 = now();
            GumboOutput *out = gumbo_parse_with_options(&kGumboDefaultOptions, s, n);
            /* iterative walk: what an ingest would do anyway */
            size_t cap = 1024, sp = 0;
            GumboNode **st = malloc(cap * sizeof *st);
            st[sp++] = out->root;
            texts = ok = checked = 0;
            while (sp) {
                GumboNode *nd = st[--sp];
                if (nd->type == GUMBO_NODE_ELEMENT || nd->type == GUMBO_NODE_TEMPLATE) {
                    GumboVector *c = &nd->v.element.children;
                    for (unsigned i = c->length; i-- > 0;) {
                        if (sp == cap) st = realloc(st, (cap *= 2) * sizeof *st);
                        st[sp++] = c->data[i];
                    }
                } else if (nd->type == GUMBO_NODE_TEXT || nd->type == GUMBO_NODE_WHITESPACE) {
                    texts++;
                    const GumboText *t = &nd->v.text;
                    size_t off = t->start_pos.offset;
                    /* check: decoded text equals source bytes at offset, for text without entities */
                    if (nd->type == GUMBO_NODE_TEXT && t->original_text.length &&
                        !memchr(t->original_text.data, '&', t->original_text.length)) {
                        size_t k = strlen(t->text);
                        if (k > 16) k = 16;
                        checked++;
                        if (off + k <= n && memcmp(s + off, t->text, k) == 0) ok++;
                    }
                }
            }
            free(st);
            gumbo_destroy_output(&kGumboDefaultOptions, out);
            best[r] = now() - t0;
        }
        /* median */
        for (int i = 0; i < reps; i++)
            for (int j = i + 1; j < reps; j++)
                if (best[j] < best[i]) { double x = best[i]; best[i] = best[j]; best[j] = x; }
        printf("%s %zu %.6f %zu %zu %zu\n", argv[a], n, best[reps / 2], texts, ok, checked);
        free(s);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "maxrss_kb %ld\n", ru.ru_maxrss);
    return 0;
}
