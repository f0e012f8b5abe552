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
