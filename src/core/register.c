/*
 * register.c — the register's own bookkeeping: growing its arrays in the
 * arena, recording warnings, and the read-only accessors of the public API.
 */
#include "../rfx_internal.h"

#include <stdio.h>
#include <string.h>

#define GROW(r, arr, n, cap)                                                                       \
    do {                                                                                           \
        if ((r)->n == (r)->cap) {                                                                  \
            size_t nc = (r)->cap ? (r)->cap * 2 : 16;                                              \
            void *p = rfx_arena_grow((r)->arena, (r)->arr, (r)->n, nc, sizeof *(r)->arr);          \
            if (!p) return NULL;                                                                   \
            (r)->arr = p;                                                                          \
            (r)->cap = nc;                                                                         \
        }                                                                                          \
        memset(&(r)->arr[(r)->n], 0, sizeof *(r)->arr);                                            \
        return &(r)->arr[(r)->n++];                                                                \
    } while (0)

rfx_block *rfx_reg_add_block(rfx_register *r) { GROW(r, blocks, nblocks, cap_blocks); }
rfx_risk *rfx_reg_add_risk(rfx_register *r) { GROW(r, risks, nrisks, cap_risks); }
rfx_entity *rfx_reg_add_entity(rfx_register *r) { GROW(r, entities, nentities, cap_entities); }

static rfx_warning *add_warning(rfx_register *r) { GROW(r, warnings, nwarnings, cap_warnings); }

void rfx_reg_warn(rfx_register *r, const char *code, int64_t start, const char *fmt, ...) {
    if (r->nwarnings >= 1000) return; /* a hostile file must not grow this without bound */
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* a message cut at the buffer's end (or a "%.60s" of user text) may end
     * inside a UTF-8 character: drop the incomplete tail */
    size_t n = strlen(msg), i = n, back = 0;
    while (i > 0 && back < 3 && ((unsigned char)msg[i - 1] & 0xC0) == 0x80) { i--; back++; }
    if (i > 0 && (unsigned char)msg[i - 1] >= 0xC0) {
        unsigned char c = (unsigned char)msg[i - 1];
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (back + 1 < need) msg[i - 1] = 0;
    }
    rfx_warning *w = add_warning(r);
    if (!w) return;
    w->code = code;
    w->message = rfx_arena_strdup(r->arena, msg);
    w->start = start;
}

bool rfx_risk_add_fact(rfx_register *r, rfx_risk *k, const rfx_fact *f) {
    /* facts arrays are small; grow geometrically using the count's power of two */
    size_t n = k->nfacts;
    if ((n & (n - 1)) == 0) {
        size_t nc = n ? n * 2 : 8;
        if (n && n < 8) nc = 8;
        if (n == 0 || n >= 8) {
            rfx_fact *p = rfx_arena_grow(r->arena, k->facts, n, nc, sizeof *p);
            if (!p) return false;
            k->facts = p;
        }
    }
    k->facts[k->nfacts++] = *f;
    return true;
}

void rfx_set_error(rfx_error *err, int code, const char *fmt, ...) {
    if (!err) return;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    for (char *p = err->message; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
}

int rfx_section_found(const rfx_register *reg) { return reg && reg->section.found; }
const char *rfx_section_how(const rfx_register *reg) { return reg ? reg->section.how : NULL; }
size_t rfx_risk_count(const rfx_register *reg) { return reg ? reg->nrisks : 0; }

#define RISK_FIELD(name, type, expr, none)                                                         \
    type rfx_risk_##name(const rfx_register *reg, size_t i) {                                      \
        if (!reg || i >= reg->nrisks) return none;                                                 \
        const rfx_risk *k = &reg->risks[i];                                                        \
        return expr;                                                                               \
    }
RISK_FIELD(heading, const char *, k->heading.s, NULL)
RISK_FIELD(body, const char *, k->body.s, NULL)
RISK_FIELD(group, const char *, k->group, NULL)
RISK_FIELD(start, size_t, k->start, 0)
RISK_FIELD(end, size_t, k->end, 0)

size_t rfx_warning_count(const rfx_register *reg) { return reg ? reg->nwarnings : 0; }
const char *rfx_warning_message(const rfx_register *reg, size_t i) {
    return reg && i < reg->nwarnings ? reg->warnings[i].message : NULL;
}

/* PDF: the extracted text the offsets index (ingest/pdf.c); otherwise the input. */
const char *rfx_source_text(const rfx_register *reg, size_t *len) {
    if (!reg || reg->from_json) { if (len) *len = 0; return NULL; }
    if (reg->pdf) { if (len) *len = reg->decoded.len; return reg->decoded.s; }
    if (len) *len = reg->srclen;
    return (const char *)reg->src;
}
