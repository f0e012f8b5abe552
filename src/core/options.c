/*
 * options.c — rfx_options for language bindings: a heap copy set by key, so
 * python/rfx (ctypes) never depends on the struct's layout, which grows as
 * options are added. The strings it keeps are its own copies.
 */
#include "../rfx_internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct owned_options {
    rfx_options pub; /* first, so an rfx_options * is the whole object */
    char *format, *model;
} owned_options;

rfx_options *rfx_options_new(void) {
    owned_options *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    rfx_options_init(&o->pub);
    return &o->pub;
}

void rfx_options_free(rfx_options *opt) {
    owned_options *o = (owned_options *)opt;
    if (!o) return;
    free(o->format);
    free(o->model);
    free(o);
}

void rfx_free(void *p) { free(p); }
const char *rfx_version(void) { return RFX_VERSION; }
const char *rfx_schema_version(void) { return RFX_SCHEMA_VERSION; }

void rfx_options_use_wordlists(rfx_options *opt, const rfx_wordlists *wl) {
    if (opt) opt->wordlists = wl;
}

/* "64M" → 67108864, as the command line reads sizes. */
static bool size_value(const char *s, size_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || s[0] == '-') return false;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (*end || v == 0 || v > (SIZE_MAX >> shift)) return false;
    *out = (size_t)(v << shift);
    return true;
}

static bool flag_value(const char *s, int *out) {
    if (!strcmp(s, "1") || !strcmp(s, "true")) *out = 1;
    else if (!strcmp(s, "0") || !strcmp(s, "false")) *out = 0;
    else return false;
    return true;
}

static rfx_status set_string(char **slot, const char **pub, const char *value, rfx_error *err) {
    char *c = value ? strdup(value) : NULL;
    if (value && !c) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    free(*slot);
    *slot = c;
    *pub = c;
    return RFX_OK;
}

rfx_status rfx_options_set(rfx_options *opt, const char *key, const char *value, rfx_error *err) {
    owned_options *o = (owned_options *)opt;
    if (!o || !key) { rfx_set_error(err, RFX_EUSAGE, "options: no options or key given"); return RFX_EUSAGE; }
    if (!value) value = "";
    if (!strcmp(key, "format")) {
        if (!*value) return set_string(&o->format, &opt->format, NULL, err);
        if (strcmp(value, "text") && strcmp(value, "html") && strcmp(value, "sgml") && strcmp(value, "pdf")) {
            rfx_set_error(err, RFX_EUSAGE, "option format: '%s' is not text, html, sgml or pdf", value);
            return RFX_EUSAGE;
        }
        return set_string(&o->format, &opt->format, value, err);
    }
    if (!strcmp(key, "model")) return set_string(&o->model, &opt->model_path, *value ? value : NULL, err);
    bool ok = true;
    if (!strcmp(key, "no_classify")) ok = flag_value(value, &opt->no_classify);
    else if (!strcmp(key, "fast")) ok = flag_value(value, &opt->fast);
    else if (!strcmp(key, "max_bytes")) ok = size_value(value, &opt->max_input_bytes);
    else if (!strcmp(key, "max_memory")) ok = size_value(value, &opt->max_memory_bytes);
    else if (!strcmp(key, "max_depth")) {
        char *end;
        unsigned long v = strtoul(value, &end, 10);
        ok = *value && value[0] != '-' && !*end && v >= 1 && v <= 1000000;
        if (ok) opt->max_html_depth = (unsigned)v;
    } else {
        rfx_set_error(err, RFX_EUSAGE,
                      "unknown option '%s' (format, model, no_classify, fast, max_bytes, max_memory, max_depth)", key);
        return RFX_EUSAGE;
    }
    if (!ok) {
        rfx_set_error(err, RFX_EUSAGE, "option %s: bad value '%s'", key, value);
        return RFX_EUSAGE;
    }
    return RFX_OK;
}
