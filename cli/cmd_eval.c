/* cmd_eval.c — `rfx eval` (placeholder until its stage lands). */
#include "cli.h"

int cmd_eval(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cli_fail(RFX_EUSAGE, "eval: not available yet");
}
