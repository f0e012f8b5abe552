/*
 * arena.c — one bump allocator per document.
 *
 * Everything a register points to is carved out of large chunks and released
 * together, so stages never free individual pieces and ownership is simple:
 * the register owns it all. A byte limit turns runaway input into RFX_ENOMEM
 * instead of an exhausted machine.
 */
#include "../rfx_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    max_align_t data[];
} chunk;

struct rfx_arena {
    chunk *head;
    size_t total, limit;
    bool failed; /* an allocation was refused: the document is incomplete */
};

rfx_arena *rfx_arena_new(size_t limit_bytes) {
    rfx_arena *a = calloc(1, sizeof *a);
    if (a) a->limit = limit_bytes ? limit_bytes : (size_t)1 << 30;
    return a;
}

void rfx_arena_free(rfx_arena *a) {
    if (!a) return;
    for (chunk *c = a->head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

size_t rfx_arena_used(const rfx_arena *a) { return a ? a->total : 0; }
bool rfx_arena_failed(const rfx_arena *a) { return a && a->failed; }

void *rfx_arena_alloc(rfx_arena *a, size_t n) {
    const size_t align = sizeof(max_align_t);
    if (n == 0) n = 1;
    if (n > a->limit) { a->failed = true; return NULL; }
    n = (n + align - 1) & ~(align - 1);
    chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > 65536 ? n : 65536;
        if (c && c->size * 2 > size && c->size < (1u << 24)) size = c->size * 2;
        if (a->total + size > a->limit) {
            if (a->total + n > a->limit) { a->failed = true; return NULL; }
            size = n;
        }
        c = malloc(sizeof *c + size);
        if (!c) { a->failed = true; return NULL; }
        c->size = size;
        c->used = 0;
        c->next = a->head;
        a->head = c;
        a->total += size;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *rfx_arena_strndup(rfx_arena *a, const char *s, size_t n) {
    char *p = rfx_arena_alloc(a, n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *rfx_arena_strdup(rfx_arena *a, const char *s) {
    return s ? rfx_arena_strndup(a, s, strlen(s)) : NULL;
}

char *rfx_arena_printf(rfx_arena *a, const char *fmt, ...) {
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = n >= 0 ? rfx_arena_alloc(a, (size_t)n + 1) : NULL;
    if (p) vsnprintf(p, (size_t)n + 1, fmt, aq);
    va_end(aq);
    return p;
}

void *rfx_arena_grow(rfx_arena *a, void *old, size_t old_n, size_t new_n, size_t elem) {
    if (new_n && elem > ((size_t)-1) / new_n) return NULL;
    void *p = rfx_arena_alloc(a, new_n * elem);
    if (p && old && old_n) memcpy(p, old, old_n * elem);
    return p;
}
