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

#endif
