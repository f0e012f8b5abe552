/*
 * batch.c — `rfx parse --jobs N DIR|FILE...`: many filings, one JSON line
 * each, in input order.
 *
 * The one idea: a run over tens of thousands of filings must survive any one
 * of them. Each document is parsed in its own arena under the per-document
 * limits, a failure becomes an error record in the output stream, and the
 * run goes on. Workers claim inputs in order and may run ahead of the writer
 * by a bounded window; the writer (the main thread) emits results strictly
 * in input order from that reorder buffer, so the output is identical
 * whatever N is, and memory stays bounded by the window, not by the batch.
 *
 * Progress goes to stderr only when stderr is a terminal; a one-line summary
 * always ends the run (unless --quiet), so logs of unattended runs say what
 * happened without being flooded.
 */
#include "batch.h"

#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct item {
    char *path;
    uint64_t size;   /* from stat, for progress; 0 when unknown */
    char *pre_error; /* set while walking (unreadable directory): no parse */
    char *line;      /* the JSON line to write (malloc'd, ends in '\n') */
    char *msg;       /* a failed file's one-line message (malloc'd) */
    int status;      /* rfx_status of the parse */
    rfx_register *reg; /* index mode: the register for the sink */
    int done;
} item;

typedef struct list {
    item *v;
    size_t n, cap;
    bool oom;
    bool peer_json; /* batch_opts.peer_json */
} list;

static void list_add(list *l, const char *path, uint64_t size, const char *pre_error) {
    if (l->oom) return;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        item *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) { l->oom = true; return; }
        l->v = nv;
        l->cap = nc;
    }
    item *it = &l->v[l->n];
    memset(it, 0, sizeof *it);
    it->path = strdup(path);
    it->size = size;
    if (pre_error) it->pre_error = strdup(pre_error);
    if (!it->path || (pre_error && !it->pre_error)) {
        free(it->path);
        free(it->pre_error);
        l->oom = true;
        return;
    }
    l->n++;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The shared filings carry labels and peer outputs next to the documents;
 * parsing those would only add error records and skew throughput. The rule
 * is by name, so it is predictable; explicit FILE arguments are never
 * filtered. */
bool batch_skip(const char *dir, const char *name) {
    if (name[0] == '.') return true; /* hidden files, editor droppings */
    static const char *const suffixes[] = {
        ".expected-top-level-sections.json", /* sec-parser expected sizes */
        "_headers.txt", "_contents.txt",      /* isb_capstone labels */
        ".tsv", ".csv", ".xlsx", ".md",       /* metadata, labels, READMEs */
    };
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
        if (ends_with(name, suffixes[i])) return true;
    if (!strcmp(name, "README") || !strcmp(name, "SOURCES.tsv")) return true;
    /* edgar-crawler's expected outputs are extracted JSON, not filings */
    if (dir && ends_with(dir, "edgar_crawler_expected") && ends_with(name, ".json")) return true;
    return false;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Directories already on the current walk path: a symlink back to an
 * ancestor would otherwise recurse forever. */
typedef struct ancestor {
    dev_t dev;
    ino_t ino;
    const struct ancestor *up;
} ancestor;

static void walk(list *l, const char *dir, const struct stat *dst, const ancestor *up) {
    for (const ancestor *a = up; a; a = a->up)
        if (a->dev == dst->st_dev && a->ino == dst->st_ino) return; /* a loop */
    ancestor me = {dst->st_dev, dst->st_ino, up};
    DIR *d = opendir(dir);
    if (!d) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s: cannot read directory: %s", dir, strerror(errno));
        list_add(l, dir, 0, msg);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn) { l->oom = true; break; }
            names = nn;
            cap = nc;
        }
        if (!(names[n] = strdup(e->d_name))) { l->oom = true; break; }
        n++;
    }
    closedir(d);
    /* byte order, not locale order: the same tree gives the same output
     * on every machine */
    if (n) qsort(names, n, sizeof *names, by_name);
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/') dl--; /* "DIR/" given on the command line */
    char base[256]; /* the directory's own name, for batch_skip (no name: keep peer JSON) */
    {
        size_t b = dl;
        while (b > 0 && dir[b - 1] != '/') b--;
        snprintf(base, sizeof base, "%.*s", (int)(dl - b), dir + b);
    }
    for (size_t i = 0; i < n && !l->oom; i++) {
        size_t pl = dl + 1 + strlen(names[i]) + 1;
        char *p = malloc(pl);
        if (!p) { l->oom = true; break; }
        snprintf(p, pl, "%.*s/%s", (int)dl, dir, names[i]);
        struct stat st;
        if (stat(p, &st) != 0) {
            /* a dangling symlink or a file that vanished: report it in place */
            if (!batch_skip(l->peer_json ? NULL : base, names[i])) list_add(l, p, 0, NULL);
        } else if (S_ISDIR(st.st_mode)) {
            walk(l, p, &st, &me);
        } else if (S_ISREG(st.st_mode) && !batch_skip(l->peer_json ? NULL : base, names[i])) {
            list_add(l, p, (uint64_t)st.st_size, NULL);
        }
        free(p);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

/* ---------------- JSON for error records ---------------- */

/* Appends s as a JSON string. Paths and messages can hold bytes that are
 * not UTF-8 (file names are bytes); those become U+FFFD so the line stays
 * valid JSON. */
static void put_json_string(FILE *f, const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    while (*p) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') { fputc('\\', f); fputc(c, f); p++; }
        else if (c < 0x20) { fprintf(f, "\\u%04x", c); p++; }
        else if (c < 0x80) { fputc(c, f); p++; }
        else {
            int k = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
            bool ok = k > 0;
            for (int j = 1; ok && j < k; j++) ok = (p[j] & 0xC0) == 0x80;
            /* overlongs and surrogates are the cases that matter to strict readers */
            if (ok && k == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))) ok = false;
            if (ok && k == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))) ok = false;
            if (ok) { fwrite(p, 1, (size_t)k, f); p += k; }
            else { fputs("\\ufffd", f); p++; }
        }
    }
    fputc('"', f);
}

static char *error_record(const char *path, int code, const char *message) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    fputs("{\"schema_version\":\"" RFX_SCHEMA_VERSION "\",\"source\":{\"path\":", f);
    put_json_string(f, path);
    fprintf(f, "},\"error\":{\"code\":%d,\"message\":", code);
    put_json_string(f, message);
    fputs("}}\n", f);
    if (fclose(f) != 0) { free(buf); return NULL; }
    return buf;
}

/* ---------------- the worker pool ---------------- */

typedef struct pool {
    list *l;
    const batch_opts *bo;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next;    /* next item to claim */
    size_t written; /* items the writer has emitted */
    size_t window;  /* how far workers may run ahead of the writer */
    uint64_t bytes_done;
    size_t files_done;
} pool;

static void parse_one(const batch_opts *bo, item *it) {
    rfx_error err = {0, ""};
    if (it->pre_error) {
        it->status = RFX_EINPUT;
        it->line = error_record(it->path, RFX_EINPUT, it->pre_error);
        it->msg = strdup(it->pre_error);
        return;
    }
    rfx_register *reg = NULL;
    if (bo->load) { /* index mode: the sink gets the register itself */
        it->status = bo->load(bo->ctx, it->path, &it->reg, &err);
        if (it->status != RFX_OK && it->status != RFX_ENOTFOUND) {
            if (!err.message[0]) snprintf(err.message, sizeof err.message, "%s: failed (status %d)", it->path, it->status);
            it->msg = strdup(err.message);
        }
        return;
    }
    rfx_status st = rfx_parse_file(it->path, bo->opt, &reg, &err);
    it->status = st;
    if (reg) {
        char *s = rfx_register_json(reg, 0);
        rfx_register_free(reg);
        if (s) {
            size_t n = strlen(s);
            char *t = realloc(s, n + 2);
            if (t) {
                t[n] = '\n';
                t[n + 1] = 0;
                it->line = t;
                return;
            }
            free(s);
        }
        it->status = st = RFX_ENOMEM;
        snprintf(err.message, sizeof err.message, "%s: out of memory rendering the output", it->path);
    }
    if (!err.message[0])
        snprintf(err.message, sizeof err.message, "%s: failed (status %d)", it->path, (int)st);
    it->line = error_record(it->path, (int)st, err.message);
    it->msg = strdup(err.message);
}

static void *worker(void *arg) {
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->next < p->l->n && p->next >= p->written + p->window) pthread_cond_wait(&p->cv, &p->mu);
        if (p->next >= p->l->n) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        item *it = &p->l->v[p->next++];
        pthread_mutex_unlock(&p->mu);

        parse_one(p->bo, it);

        pthread_mutex_lock(&p->mu);
        it->done = 1;
        p->bytes_done += it->size;
        p->files_done++;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fmt_eta(char *out, size_t n, double s) {
    if (s < 0 || s > 99 * 3600.0) { snprintf(out, n, "--:--"); return; }
    unsigned t = (unsigned)(s + 0.5);
    if (t >= 3600) snprintf(out, n, "%u:%02u:%02u", t / 3600, t / 60 % 60, t % 60);
    else snprintf(out, n, "%u:%02u", t / 60, t % 60);
}

static void progress(size_t done, size_t total, uint64_t bytes, uint64_t total_bytes, double t0) {
    double el = now_s() - t0;
    double mbs = el > 0 ? bytes / 1e6 / el : 0;
    double frac = total_bytes ? (double)bytes / total_bytes : total ? (double)done / total : 1;
    char eta[16];
    fmt_eta(eta, sizeof eta, frac > 0 && el > 0.2 ? el / frac - el : -1);
    char bar[31];
    int w = (int)(frac * 30 + 0.5);
    for (int i = 0; i < 30; i++) bar[i] = i < w ? '#' : '.';
    bar[30] = 0;
    fprintf(stderr, "\r[%s] %zu/%zu files  %.1f MB/s  ETA %s \033[K", bar, done, total, mbs, eta);
    fflush(stderr);
}

/* The stack a worker gets: as much as the main thread would have, so a
 * document that parses with `rfx parse FILE` also parses in a batch. */
static size_t worker_stack(void) {
    struct rlimit rl;
    size_t want = (size_t)8 << 20;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > want)
        want = (size_t)rl.rlim_cur;
    return want > ((size_t)64 << 20) ? (size_t)64 << 20 : want;
}

int batch_run(char **inputs, size_t ninputs, const batch_opts *bo) {
    double t0 = now_s();
    list l = {0};
    l.peer_json = bo->peer_json;
    for (size_t i = 0; i < ninputs; i++) {
        struct stat st;
        if (stat(inputs[i], &st) == 0 && S_ISDIR(st.st_mode)) walk(&l, inputs[i], &st, NULL);
        else list_add(&l, inputs[i], stat(inputs[i], &st) == 0 ? (uint64_t)st.st_size : 0, NULL);
    }
    if (l.oom) {
        for (size_t i = 0; i < l.n; i++) { free(l.v[i].path); free(l.v[i].pre_error); }
        free(l.v);
        return cli_fail(RFX_ENOMEM, "parse: out of memory listing the inputs");
    }
    if (l.n == 0) {
        free(l.v);
        return cli_fail(RFX_EINPUT, "parse: no input files found in %s%s", inputs[0],
                        ninputs > 1 ? " and the other arguments" : "");
    }
    uint64_t total_bytes = 0;
    for (size_t i = 0; i < l.n; i++) total_bytes += l.v[i].size;

    FILE *out = stdout;
    if (bo->out_path && strcmp(bo->out_path, "-")) {
        out = fopen(bo->out_path, "wb");
        if (!out) {
            for (size_t i = 0; i < l.n; i++) { free(l.v[i].path); free(l.v[i].pre_error); }
            free(l.v);
            return cli_fail(RFX_EINPUT, "%s: cannot write: %s", bo->out_path, strerror(errno));
        }
    }

    unsigned jobs = bo->jobs ? bo->jobs : 1;
    if (jobs > l.n) jobs = (unsigned)l.n;
    pool p = {.l = &l, .bo = bo, .window = (size_t)jobs * 4};
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    pthread_t *tids = calloc(jobs, sizeof *tids);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, worker_stack());
    unsigned started = 0;
    for (unsigned i = 0; tids && i < jobs; i++) {
        if (pthread_create(&tids[i], &attr, worker, &p) != 0) break;
        started++;
    }
    pthread_attr_destroy(&attr);
    if (!started) { /* no threads at all: still do the work, on this one, with
                     * no window (nobody else would advance "written") */
        p.window = (size_t)-1 / 2;
        worker(&p);
    }

    bool tty = isatty(2) && !bo->quiet;
    size_t nok = 0, nnotfound = 0, nerr = 0;
    bool write_failed = false;
    double last = 0;
    for (size_t i = 0; i < l.n; i++) {
        item *it = &l.v[i];
        pthread_mutex_lock(&p.mu);
        while (!it->done) {
            if (tty) {
                /* wake up now and then to keep the bar moving through long files */
                struct timespec ts;
                clock_gettime(CLOCK_REALTIME, &ts);
                ts.tv_nsec += 250000000L;
                if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
                pthread_cond_timedwait(&p.cv, &p.mu, &ts);
                size_t fd = p.files_done;
                uint64_t bd = p.bytes_done;
                pthread_mutex_unlock(&p.mu);
                if (now_s() - last > 0.2) { progress(fd, l.n, bd, total_bytes, t0); last = now_s(); }
                pthread_mutex_lock(&p.mu);
            } else {
                pthread_cond_wait(&p.cv, &p.mu);
            }
        }
        pthread_mutex_unlock(&p.mu);

        if (bo->sink) {
            if (tty) fputs("\r\033[K", stderr);
            bo->sink(bo->ctx, it->path, (rfx_status)it->status, it->reg, it->msg ? it->msg : it->pre_error);
            it->reg = NULL;
            if (it->status != RFX_OK && it->status != RFX_ENOTFOUND) nerr++;
            free(it->line);
            free(it->msg);
            it->line = it->msg = NULL;
        } else if (it->status == RFX_OK) nok++;
        else if (it->status == RFX_ENOTFOUND) nnotfound++;
        else {
            nerr++;
            if (!bo->quiet) {
                if (tty) fputs("\r\033[K", stderr);
                /* the record holds the message; stderr gets it too, for people */
                fprintf(stderr, "rfx: %s\n", it->msg ? it->msg : it->path);
            }
        }
        if (!bo->sink) {
            if (!it->line) it->line = error_record(it->path, RFX_ENOMEM, "out of memory");
            if (it->line && !write_failed && fputs(it->line, out) == EOF) write_failed = true;
            free(it->line);
            free(it->msg);
            it->line = it->msg = NULL;
        }

        pthread_mutex_lock(&p.mu);
        p.written = i + 1;
        size_t fd = p.files_done;
        uint64_t bd = p.bytes_done;
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        if (tty && (now_s() - last > 0.2 || i + 1 == l.n)) {
            progress(fd, l.n, bd, total_bytes, t0);
            last = now_s();
        }
    }
    for (unsigned i = 0; i < started; i++) pthread_join(tids[i], NULL);
    free(tids);
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);

    if (fflush(out) != 0) write_failed = true;
    if (out != stdout && fclose(out) != 0) write_failed = true;
    if (tty) fputs("\r\033[K", stderr);
    double el = now_s() - t0;
    if (!bo->quiet && !bo->sink)
        fprintf(stderr,
                "rfx: %zu files, %zu ok, %zu section not found, %zu errors; %.1f MB in %.2f s "
                "(%.1f MB/s, %.1f files/s)\n",
                l.n, nok, nnotfound, nerr, total_bytes / 1e6, el, el > 0 ? total_bytes / 1e6 / el : 0,
                el > 0 ? l.n / el : 0);
    for (size_t i = 0; i < l.n; i++) { free(l.v[i].path); free(l.v[i].pre_error); }
    free(l.v);
    if (write_failed)
        return cli_fail(RFX_EINPUT, "%s: write failed: %s", bo->out_path ? bo->out_path : "stdout",
                        strerror(errno));
    return nerr ? RFX_EINPUT : 0;
}
