/*
 * render.c — lint findings as compiler-style text, JSON and SARIF 2.1.0.
 *
 * The JSON is rfx's own (offsets as everywhere: bytes into the source);
 * SARIF is for editors and code review: one run, the rules in the driver,
 * each result with a region (line/column in characters, as the run's
 * columnKind says, plus the byte offset and length) and the fix as a
 * replacement of those bytes where one is clear.
 */
#include "lint.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *src_name(const rfx_findings *f, const char *name) {
    if (name) return name;
    return f && f->reg && f->reg->path ? f->reg->path : "-";
}

char *rfx_findings_text(const rfx_findings *f, const char *name, unsigned flags) {
    rfx_buf b;
    rfx_buf_init(&b, false);
    const char *nm = src_name(f, name);
    bool color = flags & RFX_RENDER_COLOR;
    size_t cnt[3] = {0, 0, 0};
    for (size_t i = 0; f && i < f->n; i++) {
        const lint_finding *x = &f->v[i];
        cnt[x->sev]++;
        const char *sn = rfx_severity_name(x->sev);
        const char *col = !color ? "" : x->sev == RFX_SEV_ERROR ? "\033[1;31m" : x->sev == RFX_SEV_WARNING ? "\033[1;35m" : "\033[1;36m";
        if (x->line)
            rfx_buf_printf(&b, "%s:%zu:%zu: %s%s:%s %s [%s]\n", nm, x->line, x->col, col, sn,
                           color ? "\033[0m" : "", x->message, x->rule);
        else
            rfx_buf_printf(&b, "%s: bytes %u-%u: %s%s:%s %s [%s]\n", nm, x->start, x->end, col, sn,
                           color ? "\033[0m" : "", x->message, x->rule);
        if (x->text && x->text[0]) rfx_buf_printf(&b, "    | %s\n", x->text);
        if (x->fix) rfx_buf_printf(&b, "    = fix: %s\n", x->fix[0] ? x->fix : "(delete)");
    }
    size_t n = f ? f->n : 0;
    rfx_buf_printf(&b, "%s: %zu finding%s: %zu error%s, %zu warning%s, %zu note%s\n", nm, n,
                   n == 1 ? "" : "s", cnt[2], cnt[2] == 1 ? "" : "s", cnt[1], cnt[1] == 1 ? "" : "s",
                   cnt[0], cnt[0] == 1 ? "" : "s");
    if (b.oom) {
        rfx_buf_free(&b);
        return NULL;
    }
    return rfx_buf_steal(&b);
}

/* Strings from documents may hold invalid UTF-8 (a cut multi-byte
 * character, Windows-1252 bytes): jansson refuses those, so repair them. */
static json_t *jstr(const char *s) {
    if (!s) return json_null();
    json_t *j = json_string(s);
    if (j) return j;
    char *t = rfx_utf8_repair(s, strlen(s));
    if (!t) return NULL;
    j = json_string(t);
    free(t);
    return j;
}

static char *dump(json_t *root, unsigned flags) {
    if (!root) return NULL;
    char *s = json_dumps(root, (flags & RFX_RENDER_PRETTY ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return s;
}

char *rfx_findings_json(const rfx_findings *f, const char *name, unsigned flags) {
    json_t *root = json_object(), *arr = json_array(), *counts = json_object();
    if (!root || !arr || !counts) {
        json_decref(root);
        json_decref(arr);
        json_decref(counts);
        return NULL;
    }
    size_t cnt[3] = {0, 0, 0};
    json_t *byrule = json_object();
    for (size_t i = 0; f && i < f->n; i++) {
        const lint_finding *x = &f->v[i];
        cnt[x->sev]++;
        json_t *o = json_object();
        json_object_set_new(o, "rule", json_string(x->rule));
        json_object_set_new(o, "severity", json_string(rfx_severity_name(x->sev)));
        json_object_set_new(o, "start", json_integer(x->start));
        json_object_set_new(o, "end", json_integer(x->end));
        json_object_set_new(o, "line", x->line ? json_integer((json_int_t)x->line) : json_null());
        json_object_set_new(o, "col", x->line ? json_integer((json_int_t)x->col) : json_null());
        json_object_set_new(o, "text", jstr(x->text));
        json_object_set_new(o, "message", jstr(x->message));
        json_object_set_new(o, "fix", jstr(x->fix));
        json_array_append_new(arr, o);
        json_t *rc = json_object_get(byrule, x->rule);
        json_object_set_new(byrule, x->rule, json_integer(rc ? json_integer_value(rc) + 1 : 1));
    }
    json_t *src = json_object();
    json_object_set_new(src, "path", jstr(src_name(f, name)));
    json_object_set_new(src, "sha256", f && f->reg && f->reg->sha256[0] ? json_string(f->reg->sha256) : json_null());
    json_object_set_new(root, "source", src);
    json_object_set_new(counts, "error", json_integer((json_int_t)cnt[2]));
    json_object_set_new(counts, "warning", json_integer((json_int_t)cnt[1]));
    json_object_set_new(counts, "note", json_integer((json_int_t)cnt[0]));
    json_object_set_new(counts, "by_rule", byrule);
    json_object_set_new(root, "counts", counts);
    json_object_set_new(root, "findings", arr);
    return dump(root, flags);
}

static const char *level(rfx_severity s) {
    return s == RFX_SEV_ERROR ? "error" : s == RFX_SEV_WARNING ? "warning" : "note";
}

/* A file path as a URI reference: unreserved bytes kept, the rest %XX. */
static char *uri_of(const char *path) {
    size_t n = strlen(path);
    char *u = malloc(n * 3 + 1);
    if (!u) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)path[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            strchr("-._~/", ch))
            u[o++] = (char)ch;
        else
            o += (size_t)sprintf(u + o, "%%%02X", ch);
    }
    u[o] = 0;
    return u;
}

char *rfx_findings_sarif(const rfx_findings *f, const char *name, unsigned flags) {
    char *uri = uri_of(src_name(f, name));
    if (!uri) return NULL;
    json_t *rules = json_array();
    const char *id, *summary;
    rfx_severity sev;
    for (size_t k = 0; rfx_lint_rule_info(k, &id, &sev, &summary); k++) {
        json_t *r = json_pack("{s:s, s:{s:s}, s:{s:s}}", "id", id, "shortDescription", "text",
                              summary, "defaultConfiguration", "level", level(sev));
        json_array_append_new(rules, r);
    }
    json_t *results = json_array();
    for (size_t i = 0; f && i < f->n; i++) {
        const lint_finding *x = &f->v[i];
        size_t ri = 0;
        while (rfx_lint_rule_info(ri, &id, NULL, NULL) && strcmp(id, x->rule)) ri++;
        json_t *region = json_object();
        if (x->line) {
            json_object_set_new(region, "startLine", json_integer((json_int_t)x->line));
            json_object_set_new(region, "startColumn", json_integer((json_int_t)x->col));
        }
        json_object_set_new(region, "byteOffset", json_integer(x->start));
        json_object_set_new(region, "byteLength", json_integer(x->end - x->start));
        json_t *loc = json_pack("[{s:{s:{s:s, s:i}, s:o}}]", "physicalLocation", "artifactLocation",
                                "uri", uri, "index", 0, "region", region);
        json_t *res = json_pack("{s:s, s:i, s:s, s:{s:o}, s:o}", "ruleId", x->rule, "ruleIndex",
                                (int)ri, "level", level(x->sev), "message", "text", jstr(x->message),
                                "locations", loc);
        if (x->text) json_object_set_new(res, "properties", json_pack("{s:o}", "text", jstr(x->text)));
        if (x->fix) {
            json_t *fix = json_pack(
                "[{s:{s:o}, s:[{s:{s:s}, s:[{s:{s:i, s:i}, s:{s:o}}]}]}]", "description", "text",
                jstr(x->fix[0] ? x->fix : "delete"), "artifactChanges", "artifactLocation", "uri", uri,
                "replacements", "deletedRegion", "byteOffset", (int)x->start, "byteLength",
                (int)(x->end - x->start), "insertedContent", "text", jstr(x->fix));
            json_object_set_new(res, "fixes", fix);
        }
        json_array_append_new(results, res);
    }
    json_t *root = json_pack(
        "{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:s, s:[{s:{s:s}}], s:o}]}", "$schema",
        "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs", "tool",
        "driver", "name", "rfx", "version", RFX_VERSION, "rules", rules, "columnKind",
        "unicodeCodePoints", "artifacts", "location", "uri", uri, "results", results);
    free(uri);
    return dump(root, flags);
}
