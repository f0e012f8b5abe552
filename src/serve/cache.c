/*
 * cache.c — answers of the API kept in memory, least recently used out
 * first, bounded in bytes. Stored data changes only when `rfx index` writes
 * the database, so every lookup compares a stamp of the database files
 * (inode, size and nanosecond mtime of FILE and FILE-wal) with the one the
 * cache was filled under; any difference empties the cache. An answer
 * computed while the stamp changed is not kept. A PostgreSQL corpus is
 * not cached (serve_cache_new returns NULL): writers on other machines
 * leave no local file to stat.
 */
#include "serve/serve.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BUCKETS 1024
#define MAX_ENTRY_SHARE 4 /* one answer takes at most a quarter of the cache */

typedef struct entry {
    char *key;
    char *body;
    size_t len;
    uint64_t hash;
    struct entry *hnext;       /* bucket chain */
    struct entry *prev, *next; /* LRU list: head = most recent */
} entry;

struct serve_cache {
    pthread_mutex_t lock;
    char *path, *wal;
    size_t max_bytes, bytes;
    serve_stamp stamp;
    entry *bucket[BUCKETS];
    entry *head, *tail;
};

static void stamp_of(const serve_cache *c, serve_stamp *st) {
    struct stat a, b;
    memset(st, 0, sizeof *st);
    if (stat(c->path, &a) == 0) {
        st->v[0] = (uint64_t)a.st_ino;
        st->v[1] = (uint64_t)a.st_size;
        st->v[2] = (uint64_t)a.st_mtim.tv_sec * 1000000000u + (uint64_t)a.st_mtim.tv_nsec;
    }
    if (stat(c->wal, &b) == 0) {
        st->v[3] = (uint64_t)b.st_ino;
        st->v[4] = (uint64_t)b.st_size;
        st->v[5] = (uint64_t)b.st_mtim.tv_sec * 1000000000u + (uint64_t)b.st_mtim.tv_nsec;
    }
}

serve_cache *serve_cache_new(const char *db, size_t max_bytes) {
    if (!max_bytes) return NULL;
    const char *p = db ? db : getenv("RFX_DB");
    if (!p || !*p) p = "rfx.db";
    if (!strncmp(p, "sqlite:", 7)) p += 7;
    /* A PostgreSQL corpus has no file whose stamp would tell that another
     * machine indexed: no cache, every answer comes from the database
     * (docs/serve.md). Any other URI is no file to watch either. */
    if (rfx_store_is_postgres(p) || strstr(p, "://")) return NULL;
    serve_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    size_t n = strlen(p);
    c->path = strdup(p);
    c->wal = malloc(n + 5);
    if (!c->path || !c->wal) { free(c->path); free(c->wal); free(c); return NULL; }
    memcpy(c->wal, p, n);
    memcpy(c->wal + n, "-wal", 5);
    c->max_bytes = max_bytes;
    pthread_mutex_init(&c->lock, NULL);
    stamp_of(c, &c->stamp);
    return c;
}

static void unlink_entry(serve_cache *c, entry *e) {
    if (e->prev) e->prev->next = e->next;
    else c->head = e->next;
    if (e->next) e->next->prev = e->prev;
    else c->tail = e->prev;
    entry **pp = &c->bucket[e->hash % BUCKETS];
    while (*pp != e) pp = &(*pp)->hnext;
    *pp = e->hnext;
    c->bytes -= e->len + strlen(e->key);
    free(e->key);
    free(e->body);
    free(e);
}

static void clear(serve_cache *c) {
    while (c->head) unlink_entry(c, c->head);
}

void serve_cache_free(serve_cache *c) {
    if (!c) return;
    clear(c);
    pthread_mutex_destroy(&c->lock);
    free(c->path);
    free(c->wal);
    free(c);
}

/* "path\nname=value\n..." with the arguments sorted by name, so the order
 * they came in does not matter. */
static char *make_key(const serve_request *rq, uint64_t *hash) {
    size_t idx[SERVE_MAX_ARGS], n = rq->nargs, len = strlen(rq->path) + 2;
    for (size_t i = 0; i < n; i++) {
        idx[i] = i;
        len += strlen(rq->name[i]) + strlen(rq->value[i]) + 2;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(rq->name[idx[j - 1]], rq->name[idx[j]]) > 0; j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    char *k = malloc(len), *w = k;
    if (!k) return NULL;
    w += sprintf(w, "%s\n", rq->path);
    for (size_t i = 0; i < n; i++) w += sprintf(w, "%s=%s\n", rq->name[idx[i]], rq->value[idx[i]]);
    uint64_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)k; *p; p++) h = (h ^ *p) * 1099511628211u;
    *hash = h;
    return k;
}

int serve_cache_get(serve_cache *c, const serve_request *rq, serve_reply *out, serve_stamp *seen) {
    if (!c) return 0;
    uint64_t h;
    char *k = make_key(rq, &h);
    if (!k) return 0;
    serve_stamp now;
    stamp_of(c, &now);
    *seen = now;
    int hit = 0;
    pthread_mutex_lock(&c->lock);
    if (memcmp(&now, &c->stamp, sizeof now)) {
        clear(c);
        c->stamp = now;
    }
    for (entry *e = c->bucket[h % BUCKETS]; e; e = e->hnext)
        if (e->hash == h && !strcmp(e->key, k)) {
            char *b = malloc(e->len + 1);
            if (b) {
                memcpy(b, e->body, e->len + 1);
                out->status = 200;
                out->type = "application/json; charset=utf-8";
                out->body = b;
                out->len = e->len;
                hit = 1;
                /* most recently used to the front */
                if (e != c->head) {
                    e->prev->next = e->next;
                    if (e->next) e->next->prev = e->prev;
                    else c->tail = e->prev;
                    e->prev = NULL;
                    e->next = c->head;
                    c->head->prev = e;
                    c->head = e;
                }
            }
            break;
        }
    pthread_mutex_unlock(&c->lock);
    free(k);
    return hit;
}

void serve_cache_put(serve_cache *c, const serve_request *rq, const serve_reply *r, const serve_stamp *seen) {
    if (!c || r->status != 200 || !r->body || r->len > c->max_bytes / MAX_ENTRY_SHARE) return;
    serve_stamp now;
    stamp_of(c, &now);
    if (memcmp(&now, seen, sizeof now)) return; /* the data changed while this was computed */
    entry *e = calloc(1, sizeof *e);
    if (!e) return;
    e->key = make_key(rq, &e->hash);
    e->body = malloc(r->len + 1);
    if (!e->key || !e->body) { free(e->key); free(e->body); free(e); return; }
    memcpy(e->body, r->body, r->len);
    e->body[r->len] = 0;
    e->len = r->len;
    pthread_mutex_lock(&c->lock);
    if (memcmp(&now, &c->stamp, sizeof now)) {
        clear(c);
        c->stamp = now;
    }
    for (entry *o = c->bucket[e->hash % BUCKETS]; o; o = o->hnext)
        if (o->hash == e->hash && !strcmp(o->key, e->key)) { unlink_entry(c, o); break; }
    c->bytes += e->len + strlen(e->key);
    while (c->bytes > c->max_bytes && c->tail) unlink_entry(c, c->tail);
    e->hnext = c->bucket[e->hash % BUCKETS];
    c->bucket[e->hash % BUCKETS] = e;
    e->next = c->head;
    if (c->head) c->head->prev = e;
    c->head = e;
    if (!c->tail) c->tail = e;
    pthread_mutex_unlock(&c->lock);
}
