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
int cmd_fetch(int argc, char **argv);

/* Prints "rfx: message" on stderr and returns code. */
int cli_fail(int code, const char *fmt, ...);
/* Reads a whole file into a malloc'd NUL-terminated buffer (NULL on error). */
char *cli_slurp(const char *path, size_t *len);
/* Writes s to path ("-" = stdout); returns 0 or an exit code. */
int cli_write(const char *path, const char *s);
/* Loads a register from a filing or from a saved JSON register. */
int cli_load_register(const char *path, const rfx_options *opt, rfx_register **out);

#endif
