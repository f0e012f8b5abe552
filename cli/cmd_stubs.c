/* cmd_stubs.c — subcommands whose stage has not landed yet. */
#include "cli.h"

int cmd_diff(int argc, char **argv) { (void)argc; (void)argv; return cli_fail(RFX_EUSAGE, "diff: not available yet"); }
int cmd_eval(int argc, char **argv) { (void)argc; (void)argv; return cli_fail(RFX_EUSAGE, "eval: not available yet"); }
int cmd_train(int argc, char **argv) { (void)argc; (void)argv; return cli_fail(RFX_EUSAGE, "train: not available yet"); }
