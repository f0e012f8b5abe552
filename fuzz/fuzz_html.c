/*
 * fuzz_html.c — libFuzzer target: arbitrary bytes parsed as HTML (format
 * forced, so every input reaches the html ingest path rather than whatever
 * detection picks), then rendered in every format. See fuzz_common.h for
 * the invariants checked and docs/reliability.md for how to run it.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_parse(data, size, "html");
    return 0;
}
