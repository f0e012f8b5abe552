/*
 * parse.c — the pipeline driver: read the bytes, enforce the input limits,
 * then run ingest → locate → segment → extract → classify → measure.
 */
#include "../rfx_internal.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_MAX_INPUT ((size_t)256 << 20)
#define DEFAULT_MAX_MEMORY ((size_t)1 << 30)
/* Offsets into the input are uint32_t throughout (rfx_text.src, blocks,
 * facts), so no input may reach 4 GiB, whatever the caller asks for. */
#define HARD_MAX_INPUT ((size_t)UINT32_MAX - 1)

void rfx_options_init(rfx_options *opt) {
    memset(opt, 0, sizeof *opt);
    opt->max_input_bytes = DEFAULT_MAX_INPUT;
    opt->max_memory_bytes = DEFAULT_MAX_MEMORY;
    opt->max_html_depth = 400;
}

static void sha256_hex(const unsigned char *s, size_t n, char out[65]) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    out[0] = 0;
    if (!EVP_Digest(s, n, md, &mdlen, EVP_sha256(), NULL)) return;
    for (unsigned i = 0; i < mdlen && i < 32; i++) snprintf(out + 2 * i, 3, "%02x", md[i]);
}

void rfx_register_free(rfx_register *reg) {
    if (reg) rfx_arena_free(reg->arena);
}

rfx_register *rfx_register_new(const rfx_options *opt) {
    rfx_options o;
    if (opt) o = *opt; else rfx_options_init(&o);
    if (!o.max_input_bytes) o.max_input_bytes = DEFAULT_MAX_INPUT;
    if (o.max_input_bytes > HARD_MAX_INPUT) o.max_input_bytes = HARD_MAX_INPUT;
    if (!o.max_memory_bytes) o.max_memory_bytes = DEFAULT_MAX_MEMORY;
    if (!o.max_html_depth) o.max_html_depth = 400;
    rfx_arena *a = rfx_arena_new(o.max_memory_bytes);
    if (!a) return NULL;
    rfx_register *r = rfx_arena_alloc(a, sizeof *r);
    if (!r) { rfx_arena_free(a); return NULL; }
    r->arena = a;
    r->opt = o;
    r->section.start = r->section.end = 0;
    return r;
}

/* Rejects input that cannot be a filing before any stage spends time on it. */
static bool looks_binary(const unsigned char *s, size_t n) {
    size_t look = n < 65536 ? n : 65536, ctl = 0;
    for (size_t i = 0; i < look; i++) {
        unsigned char c = s[i];
        if (c == 0) ctl += 8; /* NULs weigh more: text almost never has them */
        else if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x0b) ctl++;
    }
    return look && ctl * 10 > look; /* over 10% control bytes */
}

/* Any allocation past the document's memory limit fails in the arena, and
 * the arena remembers it: a stage that met a failed allocation may have
 * dropped something (a preamble, a fact, a warning), so the document is
 * refused rather than returned incomplete. */
static rfx_status arena_check(rfx_register *r, const char *stage, rfx_error *err) {
    if (!rfx_arena_failed(r->arena)) return RFX_OK;
    rfx_set_error(err, RFX_ENOMEM, "%s: over the memory limit in %s", r->path, stage);
    return RFX_ENOMEM;
}

/* A fresh register holding the same input, for a second reading after a
 * prefix parse did not settle the section (its blocks are thrown away with
 * the old arena). NULL when out of memory. */
static rfx_register *fresh_copy(rfx_register *r) {
    rfx_register *n = rfx_register_new(&r->opt);
    if (!n) return NULL;
    n->path = rfx_arena_strdup(n->arena, r->path);
    n->src = rfx_arena_alloc(n->arena, r->srclen + 1);
    if (!n->path || !n->src) { rfx_register_free(n); return NULL; }
    memcpy(n->src, r->src, r->srclen);
    n->src[r->srclen] = 0;
    n->srclen = r->srclen;
    memcpy(n->sha256, r->sha256, sizeof n->sha256);
    return n;
}

static rfx_status run_pipeline(rfx_register **rp, rfx_error *err) {
    rfx_register *r = *rp;
    rfx_status st;
    if (!rfx_prefix_parse(r)) {
        if (r->nblocks || r->format) { /* a prefix was read and did not settle it */
            rfx_register *n = fresh_copy(r);
            if (!n) {
                rfx_set_error(err, RFX_ENOMEM, "%s: out of memory", r->path);
                return RFX_ENOMEM;
            }
            rfx_register_free(r);
            *rp = r = n;
        }
        r->bytes_read = r->srclen;
        if ((st = rfx_ingest(r, err)) != RFX_OK) return st;
        if ((st = arena_check(r, "ingest", err)) != RFX_OK) return st;
        rfx_locate(r);
    }
    if ((st = arena_check(r, "locate", err)) != RFX_OK) return st;
    if (!r->section.found) {
        rfx_set_error(err, RFX_ENOTFOUND, "%s: no risk-factor section found%s%s", r->path,
                      r->section.how ? " (" : "", r->section.how ? r->section.how : "");
        if (r->section.how) strncat(err->message, ")", sizeof err->message - strlen(err->message) - 1);
        return RFX_ENOTFOUND;
    }
    rfx_segment(r);
    if ((st = arena_check(r, "segment", err)) != RFX_OK) return st;
    rfx_extract(r);
    if ((st = arena_check(r, "extract", err)) != RFX_OK) return st;
    if (!r->opt.no_classify) {
        st = rfx_classify(r, err);
        if (st != RFX_OK) return st;
        if ((st = arena_check(r, "classify", err)) != RFX_OK) return st;
    }
    rfx_measure(r);
    return arena_check(r, "measure", err);
}

/* Checks the bytes already in r->src and runs the pipeline; frees r on failure. */
static rfx_status parse_loaded(rfx_register *r, rfx_register **out, rfx_error *err) {
    const char *name = r->path;
    rfx_status st;
    if (r->srclen == 0) {
        rfx_set_error(err, RFX_EINPUT, "%s: empty input", name);
        st = RFX_EINPUT;
    } else if (looks_binary(r->src, r->srclen) && !(r->srclen > 4 && memcmp(r->src, "%PDF", 4) == 0)) {
        rfx_set_error(err, RFX_EINPUT, "%s: binary data, not a text, HTML or SGML filing", name);
        st = RFX_EINPUT;
    } else {
        sha256_hex(r->src, r->srclen, r->sha256);
        st = run_pipeline(&r, err); /* r may be a fresh copy now */
        /* stages say where memory ran out; the user also needs the limit */
        if (st == RFX_ENOMEM && err) {
            size_t n = strlen(err->message);
            snprintf(err->message + n, sizeof err->message - n, " (limit %zu bytes per document)",
                     r->opt.max_memory_bytes);
        }
    }
    if (st == RFX_OK || st == RFX_ENOTFOUND) {
        *out = r;
        return st;
    }
    rfx_register_free(r);
    return st;
}

static rfx_status too_big(rfx_register *r, const char *name, size_t len, rfx_error *err) {
    rfx_set_error(err, RFX_EINPUT, "%s: input is %zu bytes, over the limit of %zu bytes", name, len,
                  r->opt.max_input_bytes);
    rfx_register_free(r);
    return RFX_EINPUT;
}

static rfx_status no_memory(rfx_register *r, const char *name, rfx_error *err) {
    rfx_set_error(err, RFX_ENOMEM,
                  "%s: over the memory limit reading the input (limit %zu bytes per document)", name,
                  r->opt.max_memory_bytes);
    rfx_register_free(r);
    return RFX_ENOMEM;
}

rfx_status rfx_parse_memory(const void *data, size_t len, const char *name,
                            const rfx_options *opt, rfx_register **out, rfx_error *err) {
    *out = NULL;
    if (err) { err->code = 0; err->message[0] = 0; }
    if (!name) name = "<memory>";
    rfx_register *r = rfx_register_new(opt);
    if (!r) { rfx_set_error(err, RFX_ENOMEM, "%s: out of memory", name); return RFX_ENOMEM; }
    r->path = rfx_arena_strdup(r->arena, name);
    if (len > r->opt.max_input_bytes) return too_big(r, name, len, err);
    r->src = rfx_arena_alloc(r->arena, len + 1);
    if (!r->src) return no_memory(r, name, err);
    if (len) memcpy(r->src, data, len);
    r->srclen = len;
    return parse_loaded(r, out, err);
}

/* Reads straight into the document's arena, so a file is held once. */
rfx_status rfx_parse_file(const char *path, const rfx_options *opt, rfx_register **out,
                          rfx_error *err) {
    *out = NULL;
    if (err) { err->code = 0; err->message[0] = 0; }
    rfx_register *r = rfx_register_new(opt);
    if (!r) { rfx_set_error(err, RFX_ENOMEM, "%s: out of memory", path); return RFX_ENOMEM; }
    r->path = rfx_arena_strdup(r->arena, path);
    size_t limit = r->opt.max_input_bytes;
    FILE *f = fopen(path, "rb");
    if (!f) {
        rfx_set_error(err, RFX_EINPUT, "%s: cannot open: %s", path, strerror(errno));
        rfx_register_free(r);
        return RFX_EINPUT;
    }
    struct stat st;
    bool regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        rfx_set_error(err, RFX_EINPUT, "%s: is a directory", path);
        rfx_register_free(r);
        return RFX_EINPUT;
    }
    if (regular && (size_t)st.st_size > limit) {
        fclose(f);
        return too_big(r, path, (size_t)st.st_size, err);
    }
    /* regular files: one read of the known size; pipes: grow, but never past the limit */
    size_t cap = regular ? (size_t)st.st_size + 1 : 65536, len = 0;
    unsigned char *buf = rfx_arena_alloc(r->arena, cap + 1);
    if (!buf) { fclose(f); return no_memory(r, path, err); }
    for (;;) {
        if (len == cap) {
            if (cap > limit) break;
            /* grow to at most limit + 1: one byte over is enough to say "too
             * big", and the arena (which never frees) keeps every old buffer */
            size_t nc = cap > (limit + 1) / 2 ? limit + 1 : cap * 2;
            unsigned char *nb = rfx_arena_alloc(r->arena, nc + 1);
            if (!nb) { fclose(f); return no_memory(r, path, err); }
            memcpy(nb, buf, len);
            buf = nb;
            cap = nc;
        }
        size_t k = fread(buf + len, 1, cap - len, f);
        len += k;
        if (k == 0) break;
    }
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        rfx_set_error(err, RFX_EINPUT, "%s: read error", path);
        rfx_register_free(r);
        return RFX_EINPUT;
    }
    if (len > limit) return too_big(r, path, len, err);
    buf[len] = 0;
    r->src = buf;
    r->srclen = len;
    return parse_loaded(r, out, err);
}
