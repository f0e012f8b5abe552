/* cli.h — the subcommands of the rfx command; one file each. */
#ifndef RFX_CLI_H
#define RFX_CLI_H

#include "rfx.h"

#include <stdbool.h>
#include <stdio.h>

int cmd_parse(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_peers(int argc, char **argv);
/* the corpus store (docs/corpus.md) */
int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
/* corpus database administration, both backends (docs/corpus.md, PostgreSQL) */
int cmd_db(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* Prints "rfx: message" on stderr and returns code. */
int cli_fail(int code, const char *fmt, ...);
/* Reads a whole file into a malloc'd NUL-terminated buffer (NULL on error). */
char *cli_slurp(const char *path, size_t *len);
/* Writes s to path ("-" = stdout); returns 0 or an exit code. */
int cli_write(const char *path, const char *s);
/* --wordlist NAME=FILE (parse, diff): loads FILE as list NAME into *wl
 * (created on first use) and points opt at it; returns 0 or an exit code. */
int cli_wordlist_option(const char *cmd, const char *arg, rfx_wordlists **wl, rfx_options *opt);
/* An unknown option: "rfx CMD: unknown option '--jsn' (did you mean --json?)"
 * when one of known (NULL-terminated) is close; returns RFX_EUSAGE. */
int cli_unknown_option(const char *cmd, const char *arg, const char *const *known);
/* The entry of known (NULL-terminated) a typo of word most likely meant, or NULL. */
const char *cli_nearest(const char *word, const char *const *known);
/* Loads a register from a filing or from a saved JSON register. */
int cli_load_register(const char *path, const rfx_options *opt, rfx_register **out);

/* Corpus commands (cmd_search.c): opens the store or prints why not and
 * returns the exit code; cli_query_option consumes a filter option at
 * argv[*i] (0), reports a bad one (exit code > 0), or says it is not one (-1). */
int cli_store_open(const char *db, unsigned flags, rfx_store **out);
int cli_query_option(const char *cmd, int argc, char **argv, int *i, rfx_store_query *q);
/* CSV (RFC 4180): a field quoted when it must be; a JSON scalar as a field. */
struct json_t;
void cli_csv_field(FILE *f, const char *s);
void cli_csv_value(FILE *f, struct json_t *v);

#endif
