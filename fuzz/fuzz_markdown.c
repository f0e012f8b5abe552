/*
 * fuzz_markdown.c — libFuzzer target: arbitrary bytes parsed as Markdown
 * (format forced, so every input reaches ingest/markdown.c: emphasis
 * delimiters, pipe tables, character references, inline tags and the offset
 * map back into the Markdown bytes), then rendered in every format. See
 * fuzz_common.h for the invariants checked and docs/reliability.md for how
 * to run it.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_parse(data, size, "markdown");
    return 0;
}
