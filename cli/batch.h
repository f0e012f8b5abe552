/*
 * batch.h — `rfx parse` over many filings at once (cli/batch.c).
 *
 * Batch mode exists for unattended runs over thousands of files: one bad
 * file becomes an error record and the run goes on. See docs/reliability.md.
 */
#ifndef RFX_CLI_BATCH_H
#define RFX_CLI_BATCH_H

#include "rfx.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct batch_opts {
    const rfx_options *opt; /* per-document options and limits */
    unsigned jobs;          /* worker threads, >= 1 */
    const char *out_path;   /* NULL or "-" = stdout */
    bool quiet;             /* no per-file error lines, no summary */
    /* Index mode (cmd_index.c). When load is set, a worker calls it instead
     * of rfx_parse_file: it returns an rfx_status and sets *reg (NULL with
     * RFX_OK means "nothing to do", e.g. content already stored) or fills
     * err. When sink is set, the main thread hands every result to it in
     * input order (it takes reg) instead of writing JSON lines, and batch_run
     * prints no per-file lines and no summary; the progress bar stays. */
    rfx_status (*load)(void *ctx, const char *path, rfx_register **reg, rfx_error *err);
    void (*sink)(void *ctx, const char *path, rfx_status status, rfx_register *reg, const char *msg);
    void *ctx;
    bool peer_json;         /* walk edgar_crawler_expected/ JSON too (index reads them) */
} batch_opts;

/* Expands inputs (files and directories, walked recursively in sorted order
 * with sidecar files skipped), parses each, and writes one JSON line per
 * input in input order. Returns the exit code: 0 when every file parsed
 * (section found or not), 3 when any file failed, 2 on bad usage. */
int batch_run(char **inputs, size_t ninputs, const batch_opts *bo);

/* true when a directory walk skips this file (sidecars, peer outputs,
 * metadata); dir is the name of the directory that holds it. Exposed for
 * tests and the docs. */
bool batch_skip(const char *dir, const char *name);

#endif
