/*
 * fuzz_any.c — libFuzzer target for the path users actually take: no
 * forced format, so format detection (ingest.c) picks text, HTML, SGML or
 * PDF from the first bytes, then the full pipeline and every renderer.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_parse(data, size, NULL);
    return 0;
}
