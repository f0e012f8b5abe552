/* cmd_train.c — `rfx train` (placeholder until its stage lands). */
#include "cli.h"

int cmd_train(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cli_fail(RFX_EUSAGE, "train: not available yet");
}
