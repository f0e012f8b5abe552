/* cmd_diff.c — `rfx diff` (placeholder until its stage lands). */
#include "cli.h"

int cmd_diff(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cli_fail(RFX_EUSAGE, "diff: not available yet");
}
